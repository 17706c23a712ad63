"""The contratista's e.firma login: every check has its own Spanish message and nothing breaks."""

from __future__ import annotations

import os

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from accounts.models import AceptacionTerminos, TerminosCondiciones
from contratistas.models import Contratista
from firma.models import CertificadoRevocado
from tests.efirma_sat import CSD_EKU, FIEL_EKU, FIEL_VENCIDA, NO_SAT, Efirma

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("sin_bloqueos")]


def _post(client, url="/acceso/efirma/", *, cer: bytes, key: bytes, password: str, rfc: str, **extra):
    return client.post(
        url,
        {
            "rfc": rfc,
            "certificado": SimpleUploadedFile("efirma.cer", cer),
            "llave": SimpleUploadedFile("efirma.key", key),
            "contrasena": password,
        },
        **extra,
    )


def _ingresar(client, efirma: Efirma, **cambios):
    return _post(client, **{**efirma.datos(), **cambios})


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


def test_validar_checks_the_efirma_without_logging_in(client):
    respuesta = _post(client, "/acceso/efirma/validar/", **FIEL_EKU.datos(), HTTP_HX_REQUEST="true")

    assert "La validación de la FIEL fue exitosa." in respuesta.content.decode()
    assert "<html" not in respuesta.content.decode()
    assert client.get("/inicio/").status_code == 302


def test_validar_without_javascript_renders_the_whole_page(client):
    respuesta = _post(client, "/acceso/efirma/validar/", **FIEL_EKU.datos())

    html = respuesta.content.decode()
    assert "La validación de la FIEL fue exitosa." in html
    assert 'value="EKU9003173C9"' in html


@pytest.mark.parametrize(
    ("caso", "datos", "mensaje"),
    [
        ("csd", CSD_EKU.datos(), "no es una e.firma"),
        ("contraseña", {**FIEL_EKU.datos(), "password": "otra-clave"}, "contraseña de la llave privada es incorrecta"),
        ("llave de otro certificado", {**FIEL_EKU.datos(), "key": CSD_EKU.key.read_bytes()}, "no corresponde al certificado"),
        ("vencida", FIEL_VENCIDA.datos(), "vencid"),
        ("emisor no confiable", {**NO_SAT.datos(), "rfc": "EKU9003173C9"}, "autoridad certificadora"),
        ("otro rfc", {**FIEL_EKU.datos(), "rfc": "ESI920427886"}, "no corresponde al certificado de la e.firma"),
        (
            "rfc del representante",
            {**FIEL_EKU.datos(), "rfc": "VADA800927DJ3"},
            "El RFC capturado es el del representante legal, pero la e.firma es de la persona moral (RFC "
            "EKU9003173C9). Para ingresar con esta e.firma captura el RFC de la persona moral.",
        ),
    ],
)
def test_each_failure_gets_its_own_spanish_message_and_keeps_the_rfc(client, caso, datos, mensaje):
    respuesta = _post(client, **datos)

    html = respuesta.content.decode()
    assert respuesta.status_code == 200, caso
    assert mensaje in html, caso
    assert f'value="{datos["rfc"]}"' in html
    assert not Contratista.objects.exists()


def test_a_revoked_fiel_is_refused(client):
    CertificadoRevocado.objects.create(numero_certificado="30001000000500003415", rfc="EKU9003173C9")

    respuesta = _ingresar(client, FIEL_EKU)

    assert "fue revocado" in respuesta.content.decode()
    assert not Contratista.objects.exists()


def test_the_representatives_own_fiel_typed_with_the_company_rfc_is_refused(client, demo_efirma):
    representante = demo_efirma("VADA800927DJ3", "ADRIANA VARGAS DURAN", curp="VADA800927MDFRRD02")

    respuesta = _ingresar(client, representante, rfc="EKU9003173C9")

    html = respuesta.content.decode()
    assert (
        "La e.firma corresponde a una persona física (RFC VADA800927DJ3). Para ingresar como persona moral "
        "usa la e.firma de la empresa, no la de su representante legal."
    ) in html
    assert 'value="EKU9003173C9"' in html
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
    ("caso", "cer", "key"),
    [
        ("cer truncado", FIEL_EKU.cer.read_bytes()[:300], FIEL_EKU.key.read_bytes()),
        ("key truncada", FIEL_EKU.cer.read_bytes(), FIEL_EKU.key.read_bytes()[:200]),
        ("archivos intercambiados", FIEL_EKU.key.read_bytes(), FIEL_EKU.cer.read_bytes()),
        ("bytes al azar", os.urandom(1500), os.urandom(1200)),
        ("texto", b"esto no es un certificado", b"ni una llave"),
    ],
)
def test_broken_files_get_a_clear_error_never_a_500(client, caso, cer, key):
    respuesta = _post(client, cer=cer, key=key, password="12345678a", rfc="EKU9003173C9")

    html = respuesta.content.decode()
    assert respuesta.status_code == 200, caso
    assert 'role="alert"' in html, caso
    claros = ("no es un certificado válido", "no es válido", "no corresponde", "incorrecta")
    assert any(mensaje in html for mensaje in claros), caso


def test_empty_files_and_missing_fields_are_reported_per_field(client):
    respuesta = client.post(
        "/acceso/efirma/",
        {"rfc": "", "certificado": SimpleUploadedFile("vacio.cer", b""), "contrasena": ""},
    )

    html = respuesta.content.decode()
    assert "Captura el RFC." in html
    assert "El archivo del certificado (.cer) está vacío." in html
    assert "Selecciona el archivo: Llave privada." in html
    assert "Captura la contraseña de la llave privada." in html


@pytest.mark.parametrize("url", ["/acceso/efirma/", "/acceso/efirma/validar/"])
def test_an_empty_key_is_reported_on_its_field_and_nothing_else_is_lost(client, url):
    respuesta = _post(
        client, url, cer=FIEL_EKU.cer.read_bytes(), key=b"", password="12345678a", rfc="EKU9003173C9"
    )

    html = respuesta.content.decode()
    assert respuesta.status_code == 200
    assert "El archivo de la llave privada (.key) está vacío." in html
    assert 'value="EKU9003173C9"' in html
    assert not Contratista.objects.exists()


def test_an_oversized_file_is_refused_without_reading_it_all(client):
    respuesta = _post(
        client, cer=b"0" * (200 * 1024), key=FIEL_EKU.key.read_bytes(), password="12345678a", rfc="EKU9003173C9"
    )

    assert "demasiado grande" in respuesta.content.decode()


def test_the_portal_refuses_sat_test_certificates_where_settings_forbid_them(client, settings):
    settings.ICSOE_TRUST_TEST_CAS = False

    respuesta = _ingresar(client, FIEL_EKU)

    assert "autoridad certificadora" in respuesta.content.decode()
