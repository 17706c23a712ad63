"""The e.firma login through Chromium, as a contratista does it."""

from __future__ import annotations

import importlib
import re

import pytest
from django.core.cache import cache
from django.utils import timezone
from playwright.sync_api import Page, expect

from accounts.models import AceptacionTerminos, TerminosCondiciones
from contratistas.models import Contratista
from tests.efirma_sat import CSD_EKU, FIEL_EKU, FIEL_VENCIDA, NO_SAT

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _sin_bloqueos():
    cache.clear()


@pytest.fixture(autouse=True)
def _terminos_publicados():
    """Transactional tests start from a flushed database: publish again the version the migration publishes."""
    migracion = importlib.import_module("accounts.migrations.0002_terminos_iniciales")
    TerminosCondiciones.objects.get_or_create(
        version="1.0", defaults={"texto": migracion.TEXTO, "vigente_desde": timezone.now(), "activo": True}
    )


def _llenar(
    page: Page, efirma, *, password: str | None = None, rfc: str | None = None, cer=None, key=None
) -> None:
    page.get_by_label("RFC").fill(rfc or efirma.rfc)
    page.get_by_label("Certificado").set_input_files(str(cer or efirma.cer))
    page.get_by_label(re.compile(r"^Llave privada")).set_input_files(str(key or efirma.key))
    page.get_by_label("Contraseña de la Llave privada").fill(password or efirma.password)


@pytest.mark.make_run
def test_a_persona_moral_validates_logs_in_accepts_the_terms_and_is_asked_for_its_datos(page: Page, live_server):
    page.goto(live_server.url + "/")
    page.get_by_role("link", name="Ingresar con E.Firma").click()
    expect(page.get_by_role("heading", name="Validación FIEL")).to_be_visible()

    _llenar(page, FIEL_EKU)
    page.get_by_role("button", name="Validar").click()
    expect(page.get_by_text("La validación de la FIEL fue exitosa.")).to_be_visible()
    page.get_by_role("button", name="Ingresar").click()

    expect(page.get_by_role("heading", name="Términos y condiciones")).to_be_visible()
    page.get_by_role("button", name="Ingresar").click()
    expect(page.get_by_text("Para ingresar debes aceptar los términos y condiciones.")).to_be_visible()
    page.get_by_label("He leído y acepto los términos y condiciones del sistema ICSOE").check()
    page.get_by_role("button", name="Ingresar").click()

    expect(page.get_by_text("Por favor ingresa tus datos generales.")).to_be_visible()
    perfil = page.get_by_role("region", name="Perfil del usuario")
    expect(perfil).to_contain_text("EKU9003173C9")
    expect(perfil).to_contain_text("ESCUELA KEMPER URGATE SA DE CV")
    expect(perfil).to_contain_text("Contratista")
    assert AceptacionTerminos.objects.filter(usuario__username="EKU9003173C9", terminos__version="1.0").exists()
    page.get_by_role("link", name="Continuar").click()
    expect(page).to_have_url(live_server.url + "/contratista/")


def test_a_csd_is_refused_in_place_by_validar(page: Page, live_server):
    page.goto(live_server.url + "/acceso/efirma/")
    _llenar(page, CSD_EKU)

    page.get_by_role("button", name="Validar").click()

    expect(page.get_by_role("alert")).to_contain_text("El certificado no es una e.firma (FIEL).")
    expect(page.get_by_label("RFC")).to_have_value("EKU9003173C9")


def test_a_wrong_password_is_refused_and_the_rfc_is_kept(page: Page, live_server):
    page.goto(live_server.url + "/acceso/efirma/")
    _llenar(page, FIEL_EKU, password="equivocada")

    page.get_by_role("button", name="Ingresar").click()

    expect(page.get_by_role("alert").first).to_contain_text("La contraseña de la llave privada es incorrecta.")
    expect(page.get_by_label("RFC")).to_have_value("EKU9003173C9")
    expect(page).to_have_url(live_server.url + "/acceso/efirma/")


MENSAJE_CER_ILEGIBLE = "El archivo del certificado (.cer) no es un certificado válido."
MENSAJE_REPRESENTANTE = (
    "La e.firma corresponde a una persona física (RFC VADA800927DJ3). Para ingresar como persona moral "
    "usa la e.firma de la empresa, no la de su representante legal."
)


@pytest.mark.parametrize(
    ("caso", "boton", "mensaje"),
    [
        ("vencida", "Ingresar", "El certificado de la e.firma está vencido (vigente hasta 15/05/2021)."),
        (
            "emisor no confiable",
            "Validar",
            "El certificado no fue emitido por una autoridad certificadora reconocida por el SAT.",
        ),
        ("representante", "Ingresar", MENSAJE_REPRESENTANTE),
        ("representante", "Validar", MENSAJE_REPRESENTANTE),
        ("archivos intercambiados", "Ingresar", MENSAJE_CER_ILEGIBLE),
        ("certificado roto", "Validar", MENSAJE_CER_ILEGIBLE),
    ],
)
def test_each_refusal_shows_its_spanish_message_and_keeps_the_rfc(
    page: Page, live_server, demo_efirma, tmp_path, caso, boton, mensaje
):
    rfc = "EKU9003173C9"
    if caso == "vencida":
        efirma, rfc = FIEL_VENCIDA, FIEL_VENCIDA.rfc
        archivos = {}
    elif caso == "emisor no confiable":
        efirma, rfc = NO_SAT, "AAA010101AAA"
        archivos = {}
    elif caso == "representante":
        efirma = demo_efirma("VADA800927DJ3", "ADRIANA VARGAS DURAN", curp="VADA800927MDFRRD02")
        archivos = {}
    elif caso == "archivos intercambiados":
        efirma, archivos = FIEL_EKU, {"cer": FIEL_EKU.key, "key": FIEL_EKU.cer}
    else:
        roto = tmp_path / "roto.cer"
        roto.write_bytes(FIEL_EKU.cer.read_bytes()[:500])
        efirma, archivos = FIEL_EKU, {"cer": roto}
    page.goto(live_server.url + "/acceso/efirma/")
    _llenar(page, efirma, rfc=rfc, **archivos)

    page.get_by_role("button", name=boton).click()

    expect(page.locator("#resultado-validacion [role=alert]")).to_have_text(mensaje)
    expect(page.get_by_label("RFC")).to_have_value(rfc)
    expect(page).to_have_url(live_server.url + "/acceso/efirma/")
    expect(page.get_by_text("La validación de la FIEL fue exitosa.")).to_have_count(0)
    assert not Contratista.objects.exists()
