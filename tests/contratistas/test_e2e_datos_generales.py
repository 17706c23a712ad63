"""Información del contratista through Chromium: a persona moral whose domicilio social is not the fiscal one
locates it in the guide's three steps (colonias loaded by htmx) and saves with its acuse STPS; a persona física
never sees the domicilio social."""

from __future__ import annotations

import re
import time

import pytest
from playwright.sync_api import Page, expect

from contratistas.models import AcuseStps, Contratista

from .conftest import PNG, pdf

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _pregunta(page: Page, texto: str):
    return page.get_by_role("radiogroup", name=re.compile(re.escape(texto)))


def _generales(page: Page) -> None:
    page.get_by_label("Correo electrónico*:", exact=True).fill("contacto@empresa.com.mx")
    page.get_by_label("Confirmar correo electrónico*:").fill("contacto@empresa.com.mx")
    page.get_by_label("Celular*:").fill("5512345678")
    page.get_by_label("Número de registro REPSE*:").fill("AR12345/2021")


@pytest.mark.make_run
def test_a_persona_moral_locates_its_domicilio_social_in_three_steps_and_saves(
    page: Page, live_server, contratista, padron_fiscal, sepomex, entrar_como, tmp_path
):
    acuse = tmp_path / "Registro_STPS.pdf"
    acuse.write_bytes(pdf())
    entrar_como(contratista.usuario)
    page.goto(live_server.url + "/acceso/efirma/bienvenida/")
    page.get_by_role("link", name="Continuar").click()
    expect(page.get_by_role("heading", name="Información del contratista")).to_be_visible()
    expect(page.locator("#domicilio-fiscal")).to_contain_text("PASEO DE LA REFORMA")

    _generales(page)
    expect(page.get_by_text("Ubicar domicilio geográfico nacional")).to_be_hidden()
    _pregunta(page, "domicilio social del contratista").get_by_label("No").check()
    expect(page.get_by_text("Paso 1/3")).to_be_visible()

    # Paso 1/3: código postal, then the colonia htmx loaded for it
    page.locator("#id_social-codigo_postal").press_sequentially("01049")
    colonia = page.locator("#id_social-asentamiento")
    expect(colonia.locator("option", has_text="Tlacopac")).to_have_count(1)
    colonia.select_option(label="Tlacopac")
    page.get_by_role("button", name="Ubicar").click()

    # Paso 2/3: the street
    expect(page.get_by_text("Paso 2/3")).to_be_visible()
    expect(page.get_by_label("Correo electrónico*:", exact=True)).to_have_value("contacto@empresa.com.mx")
    page.get_by_label("Calle*:").fill("Av. Insurgentes Sur")
    page.get_by_label("Número / Letra exterior*:").fill("1500")
    page.get_by_label("Entre calle:").fill("Altavista")
    page.get_by_role("button", name="Ubicar").click()

    # Paso 3/3: review, then Aceptar
    expect(page.get_by_text("Paso 3/3")).to_be_visible()
    resumen = page.locator(".domicilio-resumen")
    for texto in ("01049", "Ciudad de México", "Álvaro Obregón", "Tlacopac", "AV. INSURGENTES SUR", "1500", "ALTAVISTA"):
        expect(resumen).to_contain_text(texto)
    page.get_by_role("button", name="Aceptar").click()
    expect(page.get_by_text("Domicilio social aceptado")).to_be_visible()

    page.get_by_label("Acuse de registro en padrón de la STPS*:").set_input_files(str(acuse))
    page.get_by_role("button", name="Guardar").click()

    expect(page.get_by_role("status")).to_contain_text("Los datos generales del contratista se guardaron exitosamente.")
    expect(page.locator("#acuse-stps")).to_contain_text("Registro_STPS.pdf")
    guardado = Contratista.objects.get(pk=contratista.pk)
    assert guardado.domicilio_social_igual_fiscal is False
    assert guardado.domicilio_social.asentamiento.nombre == "Tlacopac"
    assert guardado.domicilio_social.calle == "AV. INSURGENTES SUR"
    assert guardado.datos_generales_completos is True
    assert AcuseStps.objects.filter(contratista=contratista, vigente=True).count() == 1

    # Ver archivo opens the PDF through the access-checked view
    with page.context.expect_page() as nueva:
        page.get_by_role("link", name="Ver archivo").click()
    assert "/contratista/acuse-stps/" in nueva.value.url


def test_a_png_named_pdf_is_refused_in_the_browser_and_the_typed_data_stays(
    page: Page, live_server, contratista, padron_fiscal, entrar_como, tmp_path
):
    falso = tmp_path / "Registro_STPS.pdf"
    falso.write_bytes(PNG)
    entrar_como(contratista.usuario)
    page.goto(live_server.url + "/contratista/")
    _generales(page)
    _pregunta(page, "domicilio social del contratista").get_by_label("Sí").check()
    page.get_by_label("Acuse de registro en padrón de la STPS*:").set_input_files(str(falso))

    page.get_by_role("button", name="Guardar").click()

    expect(page.locator("#acuse-stps")).to_contain_text("El archivo no es un PDF. Adjunta el acuse en formato PDF.")
    expect(page.get_by_label("Celular*:")).to_have_value("5512345678")
    expect(_pregunta(page, "domicilio social del contratista").get_by_label("Sí")).to_be_checked()
    assert not Contratista.objects.get(pk=contratista.pk).datos_generales_completos


def test_a_persona_fisica_never_sees_the_domicilio_social_and_saves(
    page: Page, live_server, otro_contratista, padron_fiscal_fisica, entrar_como, tmp_path
):
    acuse = tmp_path / "acuse.pdf"
    acuse.write_bytes(pdf())
    entrar_como(otro_contratista.usuario)
    page.goto(live_server.url + "/contratista/")

    expect(page.locator("#domicilio-fiscal")).to_contain_text("AV. JUÁREZ")
    expect(page.get_by_text("¿El domicilio social del contratista es igual a su domicilio fiscal?")).to_have_count(0)
    expect(page.get_by_text("Ubicar domicilio geográfico nacional")).to_have_count(0)
    _generales(page)
    page.get_by_label("Acuse de registro en padrón de la STPS*:").set_input_files(str(acuse))
    page.get_by_role("button", name="Guardar").click()

    expect(page.get_by_role("status")).to_contain_text("Los datos generales del contratista se guardaron exitosamente.")
    guardado = Contratista.objects.get(pk=otro_contratista.pk)
    assert guardado.datos_generales_completos is True
    assert guardado.domicilio_social_igual_fiscal is None


# ----------------------------------------------------------------------------------------------------------
# What was typed before the session expired comes back to the same person only (security review 2, finding 4)
# ----------------------------------------------------------------------------------------------------------
CORREO_DE_A = "privado.de.a@empresa.com.mx"
RECUPERADO = "Recuperamos lo que habías capturado"


def _expirar(page: Page, live_server) -> None:
    """Waits for the page to say the session expired and for the server to drop it, then follows «Ingresar de
    nuevo» to the login, as a person leaving the computer would have left it."""
    expect(page.get_by_role("dialog").get_by_role("heading", name="Tu sesión expiró")).to_be_visible(timeout=12_000)
    for _ in range(50):
        if page.request.get(live_server.url + "/contratista/", max_redirects=0).status == 302:
            break
        time.sleep(0.2)
    page.get_by_role("link", name="Ingresar de nuevo").click()
    expect(page).to_have_url(re.compile(r"/acceso/"))


def _borradores(page: Page) -> list[str]:
    return page.evaluate("Object.keys(sessionStorage).filter(k => k.startsWith('icsoe-borrador'))")


@pytest.mark.make_run
def test_what_a_contratista_typed_before_its_session_expired_never_reaches_the_next_person_in_the_tab(
    page: Page, live_server, contratista, otro_contratista, padron_fiscal, padron_fiscal_fisica, entrar_como, settings
):
    settings.SESSION_COOKIE_AGE = 6
    settings.ICSOE_SESION_AVISO = 3
    url = live_server.url + "/contratista/"
    entrar_como(contratista.usuario)
    page.goto(url)
    page.get_by_label("Correo electrónico*:", exact=True).fill(CORREO_DE_A)
    _expirar(page, live_server)
    assert _borradores(page)  # kept for A while nobody else logs in

    settings.SESSION_COOKIE_AGE = 3600
    entrar_como(otro_contratista.usuario)  # B, in the same tab
    page.goto(url)

    expect(page.get_by_label("Correo electrónico*:", exact=True)).not_to_have_value(CORREO_DE_A)
    expect(page.get_by_text(RECUPERADO)).to_be_hidden()
    assert CORREO_DE_A not in page.evaluate("JSON.stringify(sessionStorage)")
    page.get_by_role("button", name="Guardar").click()
    assert not Contratista.objects.filter(correo=CORREO_DE_A).exists()

    # B's page dropped A's draft: A logging in again in this tab finds its form as it was stored.
    entrar_como(contratista.usuario)
    page.goto(url)
    expect(page.get_by_label("Correo electrónico*:", exact=True)).not_to_have_value(CORREO_DE_A)
    expect(page.get_by_text(RECUPERADO)).to_be_hidden()


def test_a_draft_kept_for_a_person_is_dropped_when_it_logs_out(
    page: Page, live_server, contratista, padron_fiscal, entrar_como, settings
):
    settings.SESSION_COOKIE_AGE = 6
    settings.ICSOE_SESION_AVISO = 3
    url = live_server.url + "/contratista/"
    entrar_como(contratista.usuario)
    page.goto(url)
    page.get_by_label("Correo electrónico*:", exact=True).fill(CORREO_DE_A)
    _expirar(page, live_server)

    settings.SESSION_COOKIE_AGE = 3600
    entrar_como(contratista.usuario)
    page.goto(live_server.url + "/inicio/")  # back in, somewhere else: the draft waits for its page
    assert _borradores(page)
    page.get_by_role("button", name="Cerrar sesión").click()
    expect(page.get_by_role("button", name="Cerrar sesión")).to_have_count(0)

    assert _borradores(page) == []
    entrar_como(contratista.usuario)
    page.goto(url)
    expect(page.get_by_label("Correo electrónico*:", exact=True)).not_to_have_value(CORREO_DE_A)
    expect(page.get_by_text(RECUPERADO)).to_be_hidden()
