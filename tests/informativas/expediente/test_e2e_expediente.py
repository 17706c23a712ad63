"""Browser journey through Debian's Chromium (issue 25): the contratista downloads a contratante's constancia and
its Excel from the presented informativa's page, and anyone verifies them at /verificar-acuse/ by uploading
them: the page recognises each byte for byte and shows that contratante alone, and the filing in force."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.urls import reverse
from playwright.sync_api import Page, expect

from .conftest import RFC_FISICA, RFC_MORAL_2, texto_pdf

# Plain reads and writes, no worker nor SMTP: once, in make run's pass (README, «The two configurations»).
pytestmark = [pytest.mark.e2e, pytest.mark.solo_make_run, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _sin_bloqueos():
    cache.clear()
    yield
    cache.clear()


def test_the_contratista_downloads_an_expediente_and_anyone_verifies_it_by_uploading_it(
    page: Page, live_server, entrar_como, varios, contratista, tmp_path
):
    entrar_como(contratista.usuario)
    page.goto(f"{live_server.url}{reverse('informativas:detalle', args=[varios.code])}")
    seccion = page.get_by_role("region", name="Expedientes por contratante")
    expect(seccion.locator("tbody tr")).to_have_count(3)
    fila = seccion.locator(f'tr[data-contratante="{RFC_FISICA}"]')
    expect(fila).to_contain_text("ANA GARCÍA PÉREZ")

    archivos = {}
    for nombre, formato in (("Constancia (PDF)", "pdf"), ("Excel", "xlsx")):
        with page.expect_download() as descarga:
            fila.get_by_role("link", name=nombre).click()
        archivos[formato] = tmp_path / descarga.value.suggested_filename
        descarga.value.save_as(archivos[formato])
    assert archivos["pdf"].name == f"Constancia-{varios.folio_definitivo}-{RFC_FISICA}.pdf"
    texto = texto_pdf(archivos["pdf"].read_bytes())
    assert RFC_FISICA in texto and RFC_MORAL_2 not in texto and "CLI010101AB5" not in texto

    for formato, mensaje in (("pdf", "a la constancia"), ("xlsx", "al Excel del expediente")):
        page.goto(f"{live_server.url}/verificar-acuse/")
        page.get_by_label("Archivo PDF del acuse").set_input_files(str(archivos[formato]))
        page.get_by_role("button", name="Verificar").click()
        resultado = page.locator("#verificacion-constancia")
        expect(resultado.locator('[data-archivo="identico"]')).to_contain_text(f"idéntico, byte por byte, {mensaje}")
        expect(resultado.locator('[data-constancia="valida"]')).to_contain_text("La constancia es auténtica")
        expect(resultado.locator('[data-constancia="rfc"]')).to_have_text(RFC_FISICA)
        expect(resultado.locator('[data-constancia="estado"]')).to_contain_text("Vigente")
        expect(page.locator("body")).not_to_contain_text(RFC_MORAL_2)
        expect(page.locator("body")).not_to_contain_text("CLI010101AB5")
