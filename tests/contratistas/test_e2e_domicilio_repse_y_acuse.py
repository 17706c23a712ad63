"""Defects found walking the datos generales through Chromium (issue 14): "¿Conoces tu Código Postal?" loads the
colonias on both answers; the REPSE number must have the STPS format, with its own message; the acuse STPS can
be downloaded, not only viewed, after saving."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect
from pypdf import PdfReader

from contratistas.models import Contratista

from .conftest import pdf

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _pregunta(page: Page, texto: str):
    return page.get_by_role("radiogroup", name=re.compile(re.escape(texto)))


def _generales(page: Page, *, repse: str = "AR12345/2021") -> None:
    page.get_by_label("Correo electrónico*:", exact=True).fill("contacto@empresa.com.mx")
    page.get_by_label("Confirmar correo electrónico*:").fill("contacto@empresa.com.mx")
    page.get_by_label("Celular*:").fill("5512345678")
    page.get_by_label("Número de registro REPSE*:").fill(repse)


@pytest.mark.parametrize("conoce_cp", ["Sí", "No"])
def test_both_answers_of_conoces_tu_codigo_postal_load_the_colonias(
    page: Page, live_server, contratista, padron_fiscal, sepomex, entrar_como, conoce_cp
):
    entrar_como(contratista.usuario)
    page.goto(live_server.url + "/contratista/")
    _pregunta(page, "domicilio social del contratista").get_by_label("No").check()
    _pregunta(page, "¿Conoces tu Código Postal?").get_by_label(conoce_cp).check()

    if conoce_cp == "Sí":
        page.locator("#id_social-codigo_postal").press_sequentially("44100")
    else:  # Estado -> Municipio -> one of its códigos postales, each list loaded by htmx
        page.get_by_label("Estado*:").select_option(label="Jalisco")
        municipio = page.get_by_label("Municipio o Alcaldía*:")
        expect(municipio.locator("option", has_text="Guadalajara")).to_have_count(1)
        municipio.select_option(label="Guadalajara")
        lista = page.get_by_label("Códigos postales del municipio:")
        expect(lista.locator("option", has_text="44100")).to_have_count(1)
        lista.select_option("44100")

    colonia = page.locator("#id_social-asentamiento")
    expect(colonia.locator("option", has_text="Guadalajara Centro")).to_have_count(1)
    colonia.select_option(label="Guadalajara Centro")
    page.get_by_role("button", name="Ubicar").click()
    expect(page.get_by_text("Paso 2/3")).to_be_visible()


def test_a_repse_number_without_the_stps_format_is_refused_with_its_own_message(
    page: Page, live_server, contratista, padron_fiscal, entrar_como, tmp_path
):
    acuse = tmp_path / "acuse.pdf"
    acuse.write_bytes(pdf())
    entrar_como(contratista.usuario)
    page.goto(live_server.url + "/contratista/")
    _generales(page, repse="xxx")
    _pregunta(page, "domicilio social del contratista").get_by_label("Sí").check()
    page.get_by_label("Acuse de registro en padrón de la STPS*:").set_input_files(str(acuse))

    page.get_by_role("button", name="Guardar").click()

    campo = page.locator(".campo", has=page.get_by_label("Número de registro REPSE*:"))
    expect(campo).to_contain_text("El número de registro REPSE no tiene el formato de la STPS")
    expect(campo).to_contain_text("AR12345/2021")
    expect(page.get_by_label("Celular*:")).to_have_value("5512345678")
    assert Contratista.objects.get(pk=contratista.pk).registro_repse == ""


def test_the_acuse_stps_can_be_downloaded_after_saving(
    page: Page, live_server, contratista, padron_fiscal, entrar_como, tmp_path
):
    acuse = tmp_path / "Registro_STPS.pdf"
    acuse.write_bytes(pdf(paginas=2))
    entrar_como(contratista.usuario)
    page.goto(live_server.url + "/contratista/")
    _generales(page)
    _pregunta(page, "domicilio social del contratista").get_by_label("Sí").check()
    page.get_by_label("Acuse de registro en padrón de la STPS*:").set_input_files(str(acuse))
    page.get_by_role("button", name="Guardar").click()
    expect(page.get_by_role("status")).to_contain_text("se guardaron exitosamente")

    with page.expect_download() as descarga:
        page.locator("#acuse-stps").get_by_role("link", name="Descargar").click()

    assert descarga.value.suggested_filename == "Registro_STPS.pdf"
    ruta = tmp_path / "descargado.pdf"
    descarga.value.save_as(ruta)
    assert len(PdfReader(ruta).pages) == 2
