"""Browser journey: Contratos en bloque from the Contratante tab: download the template, upload a workbook
with one good row and one bad one, see the worker check it (the page shows its progress, then the result),
the error by row and column, confirm, see the worker store it, and find the contrato. With `make test` the real
Celery worker runs both phases; on make run's configuration they run in-process once the request commits."""

from __future__ import annotations

import io

import pytest
from django.core.cache import cache
from openpyxl import load_workbook
from playwright.sync_api import Page, expect

from informativas.models import Contrato

from .test_bloque import BUENA, libro

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _sin_bloqueos():
    cache.clear()


@pytest.mark.make_run
def test_contratos_en_bloque_from_the_template_to_the_contratante_tab(
    page: Page, live_server, contratista, informativa, padron_sat, entrar_como, tmp_path
):  # no ``media`` fixture: the worker reads the upload from the MEDIA_ROOT it shares with the live server
    entrar_como(contratista.usuario)
    page.goto(f"{live_server.url}/informativas/{informativa.code}/captura/contratante/")
    page.get_by_role("link", name="Contratos en bloque").click()
    with page.expect_download() as descarga:
        page.get_by_role("link", name="Descargar plantilla (Excel)").click()
    plantilla = load_workbook(io.BytesIO(open(descarga.value.path(), "rb").read())).active
    assert plantilla["A1"].value == "RFC del contratante"
    ruta = tmp_path / "contratos.xlsx"
    ruta.write_bytes(libro([BUENA, {"celular": "12"}]))
    page.get_by_label("Plantilla de contratos (.xlsx)").set_input_files(str(ruta))
    page.get_by_role("button", name="Cargar plantilla").click()
    expect(page.locator('[data-bloque="aceptados"]')).to_have_text("1", timeout=60_000)
    expect(page.locator("#errores")).to_contain_text("El teléfono debe tener 10 dígitos.")
    expect(page.locator("#errores tbody tr").first.locator("td").first).to_have_text("3")
    assert Contrato.objects.count() == 0
    page.get_by_role("button", name="Confirmar carga").click()
    expect(page.locator('[data-bloque="estatus"]')).to_have_text("Guardada", timeout=60_000)
    expect(page.get_by_text("Se guardó 1 contrato el ")).to_be_visible()
    page.get_by_role("link", name="Ir a Contratante").click()
    expect(page.locator("#contratos")).to_contain_text("CLIENTE INDUSTRIAL SA DE CV")
    assert Contrato.objects.get().objeto == "OC 1 limpieza"
