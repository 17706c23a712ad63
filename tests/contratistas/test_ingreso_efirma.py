"""The contratista's e.firma login: every check has its own Spanish message and nothing breaks.

The page signs in the browser (docs/firma-en-navegador.md); here tests/firma_navegador.py makes the page's
requests and signature. The key's own checks (password, key of another certificate) are the page's: see
tests/contratistas/test_e2e_navegador.py."""

from __future__ import annotations

import os

import pytest

from accounts.models import AceptacionTerminos, TerminosCondiciones
from contratistas.models import Contratista
from firma.models import CertificadoRevocado
from tests.efirma_sat import CSD_EKU, FIEL_EKU, FIEL_VENCIDA, NO_SAT, Efirma
from tests.firma_navegador import FORMULARIO, URL_ACCESO, URL_ACCESO_VALIDAR, enviar, ingresar, validar

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("sin_bloqueos")]


def _ingresar(client, efirma: Efirma, *, rfc: str | None = None):
    return ingresar(client, efirma, rfc=rfc)


def _validar(client, *, cer: bytes, rfc: str) -> dict:
    return validar(client, URL_ACCESO_VALIDAR, cer=cer, rfc=rfc)


def test_the_eku_fiel_logs_in_creates_the_contratista_and_asks_for_the_terms(client):
    client.get("/acceso/efirma/")
    llave_sesion_antes = client.session.session_key

    respuesta = _ingresar(client, FIEL_EKU)

    assert respuesta.status_code == 302
    assert respuesta["Location"] == "/acceso/terminos/"
    contratista = Contratista.objects.get(rfc="EKU9003173C9")
    assert contratista.tipo_persona == Contratista.TipoPersona.MORAL
    assert contratista.razon_social == "ESCUELA KEMPER URGATE SA DE CV"
    assert contratista.usuario.es_contratista
    assert not contratista.usuario.has_usable_password()
    assert client.session.session_key != llave_sesion_antes


def test_the_terms_are_accepted_once_with_version_and_then_the_datos_generales_prompt(client):
    _ingresar(client, FIEL_EKU)
    assert client.get("/inicio/")["Location"] == "/acceso/terminos/"

    sin_aceptar = client.post("/acceso/terminos/", {})
    assert "Para ingresar debes aceptar los términos y condiciones." in sin_aceptar.content.decode()

    aceptado = client.post("/acceso/terminos/", {"acepto": "on"}, follow=True)
    assert "Por favor ingresa tus datos generales." in aceptado.content.decode()
    aceptacion = AceptacionTerminos.objects.get(usuario__username="EKU9003173C9")
    assert aceptacion.terminos.version == "1.0"
    assert aceptacion.ip == "127.0.0.1"
    assert client.get("/inicio/").status_code == 200

    client.logout()
    segunda = _ingresar(client, FIEL_EKU)
    assert segunda["Location"] == "/acceso/efirma/bienvenida/"


def test_a_new_version_of_the_terms_must_be_accepted_again(client):
    from django.utils import timezone

    _ingresar(client, FIEL_EKU)
    client.post("/acceso/terminos/", {"acepto": "on"})
    TerminosCondiciones.objects.create(version="2.0", texto="Nuevos términos.", vigente_desde=timezone.now())
    client.logout()

    respuesta = _ingresar(client, FIEL_EKU)

    assert respuesta["Location"] == "/acceso/terminos/"
    assert "Nuevos términos." in client.get("/acceso/terminos/").content.decode()


def test_validar_checks_the_certificate_and_answers_a_challenge_without_logging_in(client):
    respuesta = _validar(client, cer=FIEL_EKU.cer.read_bytes(), rfc="EKU9003173C9")

    assert respuesta["exito"] == "La validación de la FIEL fue exitosa."
    assert (
        respuesta["mensaje"].startswith("ICSOE|acceso|")
        and len(respuesta["mensaje"]) == len("ICSOE|acceso|") + 64
    )
    assert client.get("/inicio/").status_code == 302


@pytest.mark.parametrize(
    ("caso", "efirma", "rfc", "mensaje"),
    [
        ("csd", CSD_EKU, "EKU9003173C9", "El certificado no es una e.firma (FIEL)."),
        (
            "vencida",
            FIEL_VENCIDA,
            "AAA010101AAA",
            "El certificado de la e.firma está vencido (vigente hasta 15/05/2021).",
        ),
        (
            "emisor no confiable",
            NO_SAT,
            "EKU9003173C9",
            "El certificado no fue emitido por una autoridad certificadora reconocida por el SAT.",
        ),
        (
            "otro rfc",
            FIEL_EKU,
            "ESI920427886",
            "El RFC capturado no corresponde al certificado de la e.firma.",
        ),
        (
            "rfc del representante",
            FIEL_EKU,
            "VADA800927DJ3",
            "El RFC capturado es el del representante legal, pero la e.firma es de la persona moral (RFC "
            "EKU9003173C9). Para ingresar con esta e.firma captura el RFC de la persona moral.",
        ),
    ],
)
def test_each_refused_certificate_gets_its_own_spanish_message_at_validar(client, caso, efirma, rfc, mensaje):
    respuesta = _validar(client, cer=efirma.cer.read_bytes(), rfc=rfc)

    assert respuesta == {"error": mensaje, "campos": {}}, caso
    assert not Contratista.objects.exists()


def test_a_certificate_refused_at_ingresar_shows_its_message_on_the_page_and_keeps_the_rfc(client):
    respuesta = enviar(client, URL_ACCESO, cer=CSD_EKU.cer, rfc="EKU9003173C9", reto="x", firma="AAAA")

    html = respuesta.content.decode()
    assert respuesta.status_code == 200
    assert "El certificado no es una e.firma (FIEL)." in html
    assert 'value="EKU9003173C9"' in html
    assert not Contratista.objects.exists()


def test_a_revoked_fiel_is_refused(client):
    CertificadoRevocado.objects.create(numero_certificado="30001000000500003415", rfc="EKU9003173C9")

    respuesta = _validar(client, cer=FIEL_EKU.cer.read_bytes(), rfc=FIEL_EKU.rfc)

    assert respuesta["error"] == "El certificado de la e.firma fue revocado."
    assert not Contratista.objects.exists()


def test_the_representatives_own_fiel_typed_with_the_company_rfc_is_refused(client, demo_efirma):
    representante = demo_efirma("VADA800927DJ3", "ADRIANA VARGAS DURAN", curp="VADA800927MDFRRD02")

    respuesta = _validar(client, cer=representante.cer.read_bytes(), rfc="EKU9003173C9")

    assert respuesta["error"] == (
        "La e.firma corresponde a una persona física (RFC VADA800927DJ3). Para ingresar como persona moral "
        "usa la e.firma de la empresa, no la de su representante legal."
    )
    assert not Contratista.objects.exists()


def test_a_persona_fisica_logs_in_the_first_time_and_is_created_from_its_certificate(client, demo_efirma):
    fisica = demo_efirma("VADA800927DJ3", "ADRIANA VARGAS DURAN", curp="VADA800927MDFRRD02")

    respuesta = _ingresar(client, fisica)

    assert respuesta["Location"] == "/acceso/terminos/"
    contratista = Contratista.objects.get(rfc="VADA800927DJ3")
    assert contratista.tipo_persona == Contratista.TipoPersona.FISICA
    assert contratista.razon_social == "ADRIANA VARGAS DURAN"
    assert contratista.usuario.es_contratista
    aceptado = client.post("/acceso/terminos/", {"acepto": "on"}, follow=True)
    assert "Por favor ingresa tus datos generales." in aceptado.content.decode()


@pytest.mark.parametrize(
    ("caso", "cer"),
    [
        ("cer truncado", FIEL_EKU.cer.read_bytes()[:300]),
        ("una llave en lugar del certificado", FIEL_EKU.key.read_bytes()),
        ("bytes al azar", os.urandom(1500)),
        ("texto", b"esto no es un certificado"),
    ],
)
def test_broken_certificates_get_a_clear_error_never_a_500(client, caso, cer):
    respuesta = _validar(client, cer=cer, rfc="EKU9003173C9")

    assert respuesta == {
        "error": "El archivo del certificado (.cer) no es un certificado válido.",
        "campos": {},
    }, caso


def test_missing_fields_are_reported(client):
    respuesta = client.post(URL_ACCESO_VALIDAR, "rfc=&certificado=", content_type=FORMULARIO)

    assert respuesta.json() == {
        "error": "Selecciona el archivo: Certificado.",
        "campos": {"rfc": ["Captura el RFC."]},
    }
    sin_certificado = client.post(URL_ACCESO_VALIDAR, "rfc=EKU9003173C9", content_type=FORMULARIO)
    assert sin_certificado.json()["error"] == "Selecciona el archivo: Certificado."


def test_an_oversized_certificate_is_refused(client):
    import base64

    grande = base64.b64encode(b"0" * (70 * 1024)).decode()
    respuesta = client.post(
        URL_ACCESO_VALIDAR, f"rfc=EKU9003173C9&certificado={grande}", content_type=FORMULARIO
    )

    assert (
        respuesta.json()["error"]
        == "El archivo del certificado (.cer) es demasiado grande para ser un archivo de e.firma."
    )


def test_the_portal_refuses_sat_test_certificates_where_settings_forbid_them(client, settings):
    settings.ICSOE_TRUST_TEST_CAS = False

    respuesta = _validar(client, cer=FIEL_EKU.cer.read_bytes(), rfc=FIEL_EKU.rfc)

    assert "autoridad certificadora" in respuesta["error"]
