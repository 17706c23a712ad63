"""IMSS staff keep the trust store and the revocation list in the admin; the login follows at once."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from firma import services
from firma.models import AutoridadCertificadora, CertificadoRevocado
from tests.contratistas.test_ingreso_efirma import _ingresar
from tests.efirma_sat import CSD_EKU, FIEL_EKU

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("sin_bloqueos")]

CA_UAT = services.CA_DIR / "pruebas" / "AC_UAT_2022.cer"  # issues the EKU9003173C9 FIEL
RAIZ_UAT = services.CA_DIR / "pruebas" / "ARC_UAT_2022.cer"  # its root
URL_CA = "/admin/firma/autoridadcertificadora/"
MENSAJE_NO_ES_CA = (
    "El archivo no es el certificado de una autoridad certificadora: parece el certificado de un "
    "contribuyente (e.firma o sello digital). Selecciona el certificado (.cer) de la autoridad certificadora."
)


@pytest.fixture
def admin(client, staff):
    client.force_login(staff)
    return client


@pytest.fixture
def solo_produccion(settings):
    """Production trust: SAT's test CAs are not trusted unless staff add them."""
    settings.ICSOE_TRUST_TEST_CAS = False


def _agregar_ca(admin, ruta, *, nombre: str | None = None, de_pruebas: bool = False):
    datos = {"archivo": SimpleUploadedFile(nombre or ruta.name, ruta.read_bytes()), "activa": "on"}
    if de_pruebas:
        datos["de_pruebas"] = "on"
    return admin.post(URL_CA + "add/", datos)


def _ingresa(efirma=FIEL_EKU) -> str:
    """ "ok" when the e.firma logs in, else the page's message (the refusal of Validar, or of Ingresar)."""
    try:
        respuesta = _ingresar(Client(), efirma)
    except AssertionError as error:  # refused at "Validar": the message the page shows
        return str(error)
    return "ok" if respuesta.status_code == 302 else respuesta.content.decode()


def test_adding_sats_test_ca_and_its_root_lets_their_fiel_log_in(admin, solo_produccion):
    assert "autoridad certificadora reconocida" in _ingresa()

    for ruta in (CA_UAT, RAIZ_UAT):
        respuesta = _agregar_ca(admin, ruta)
        assert respuesta.status_code == 302, respuesta.content.decode()[:2000]

    assert sorted(AutoridadCertificadora.objects.values_list("nombre", flat=True)) == [
        "AC UAT",
        "Agencia Certficadora Raiz Beta ANG",
    ]
    assert _ingresa() == "ok"


def test_a_fiel_is_refused_as_a_ca_with_a_spanish_message(admin):
    respuesta = _agregar_ca(admin, FIEL_EKU.cer)

    assert respuesta.status_code == 200
    assert MENSAJE_NO_ES_CA in respuesta.content.decode()
    assert not AutoridadCertificadora.objects.exists()


@pytest.mark.parametrize(
    ("caso", "contenido", "mensaje"),
    [
        ("sello digital", CSD_EKU.cer.read_bytes(), MENSAJE_NO_ES_CA),
        (
            "llave privada",
            FIEL_EKU.key.read_bytes(),
            "El archivo del certificado (.cer) no es un certificado válido.",
        ),
        ("vacío", b"", "El archivo del certificado (.cer) está vacío."),
    ],
)
def test_other_files_are_refused_in_the_form(admin, caso, contenido, mensaje, tmp_path):
    archivo = tmp_path / "archivo.cer"
    archivo.write_bytes(contenido)

    respuesta = _agregar_ca(admin, archivo)

    assert respuesta.status_code == 200, caso
    assert mensaje in respuesta.content.decode(), caso
    assert not AutoridadCertificadora.objects.exists()


def test_deactivating_or_deleting_a_ca_in_the_admin_takes_effect_on_the_next_login(admin, solo_produccion):
    for ruta in (CA_UAT, RAIZ_UAT):
        _agregar_ca(admin, ruta)
    assert _ingresa() == "ok"
    ca = AutoridadCertificadora.objects.get(nombre="AC UAT")

    respuesta = admin.post(f"{URL_CA}{ca.pk}/change/", {"de_pruebas": "", "activa": ""})
    assert respuesta.status_code == 302
    assert "autoridad certificadora reconocida" in _ingresa()

    admin.post(f"{URL_CA}{ca.pk}/change/", {"activa": "on"})
    assert _ingresa() == "ok"

    admin.post(f"{URL_CA}{ca.pk}/delete/", {"post": "yes"})
    assert not AutoridadCertificadora.objects.filter(pk=ca.pk).exists()
    assert "autoridad certificadora reconocida" in _ingresa()


def test_a_test_ca_added_as_de_pruebas_is_not_trusted_in_production(admin, solo_produccion):
    for ruta in (CA_UAT, RAIZ_UAT):
        _agregar_ca(admin, ruta, de_pruebas=True)

    assert "autoridad certificadora reconocida" in _ingresa()


def test_a_revocation_added_in_the_admin_refuses_that_certificates_login(admin):
    assert _ingresa() == "ok"

    respuesta = admin.post(
        "/admin/firma/certificadorevocado/add/",
        {
            "numero_certificado": "30001000000500003415",
            "rfc": "EKU9003173C9",
            "motivo": "Pérdida de la llave",
        },
    )

    assert respuesta.status_code == 302
    assert CertificadoRevocado.objects.get().motivo == "Pérdida de la llave"
    assert "El certificado de la e.firma fue revocado." in _ingresa()
