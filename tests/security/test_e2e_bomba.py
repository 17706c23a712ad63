"""In Chromium: the review's 300 KB bomb uploaded as a carga masiva is stored unopened by the upload and
refused by the worker's phase one with its Spanish message on the carga's page, and a CSV whose field swallows
the file gets its own message with the line, through the real worker. No worker is stored either way."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from informativas.models import CargaMasiva
from tests.informativas.datos import csv_trabajadores, curp, nss

from .bombas import bomba_300mb

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _pagina_trabajadores(page: Page, live_server, contrato, capturista, contratista, entrar_como) -> None:
    entrar_como(capturista, contratista_code=str(contratista.code))
    page.goto(
        f"{live_server.url}/informativas/{contrato.informativa.code}/contratos/{contrato.code}/captura/trabajadores/"
    )


def test_the_bomb_is_refused_by_the_worker_on_the_cargas_page(
    page: Page, live_server, contrato, capturista, contratista, entrar_como, tmp_path
):
    _pagina_trabajadores(page, live_server, contrato, capturista, contratista, entrar_como)
    archivo = tmp_path / "trabajadores.xlsx"
    archivo.write_bytes(bomba_300mb())

    page.locator("#id_archivo").set_input_files(str(archivo))
    page.get_by_role("button", name="Cargar archivo").click()

    expect(page.get_by_text("El libro de Excel no se procesa: El elemento «xl/sharedStrings.xml» ocupa")).to_be_visible(
        timeout=60_000
    )
    expect(page.locator('[data-carga="estatus"]')).to_have_text("Rechazada")
    assert CargaMasiva.objects.get().estatus == CargaMasiva.Estatus.RECHAZADA
    assert not contrato.trabajadores.exists()


def test_a_csv_field_over_the_limit_shows_its_line_after_the_worker_checks_it(
    page: Page, live_server, contrato, capturista, contratista, entrar_como, tmp_path
):
    _pagina_trabajadores(page, live_server, contrato, capturista, contratista, entrar_como)
    archivo = tmp_path / "trabajadores.csv"
    archivo.write_text(csv_trabajadores(40) + f'{nss(99)},"{curp(99)},450.00\n' + "z" * 200_000, encoding="utf-8")

    page.locator("#id_archivo").set_input_files(str(archivo))
    page.get_by_role("button", name="Cargar archivo").click()

    expect(page.get_by_text("La línea 42 tiene un valor de más de 1,000 caracteres.")).to_be_visible(timeout=60_000)
    carga = CargaMasiva.objects.get()
    assert carga.estatus == CargaMasiva.Estatus.RECHAZADA
    assert not contrato.trabajadores.exists()
