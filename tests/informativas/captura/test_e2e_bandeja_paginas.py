"""Browser journey: a contratista with 55 informativas in captura sees the bandeja 50 at a time, goes to the next
page with «Siguiente» and back with «Anterior», and opens an informativa from the second page."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from .test_bandeja_paginas import informativas_en_captura

pytestmark = [pytest.mark.e2e, pytest.mark.solo_make_run, pytest.mark.django_db(transaction=True)]


def test_the_contratista_pages_through_its_bandeja(page: Page, live_server, contratista, entrar_como):
    informativas = informativas_en_captura(contratista, 55)

    entrar_como(contratista.usuario)
    page.goto(live_server.url + "/informativas/")

    filas = page.locator("#bandeja tbody tr")
    expect(filas).to_have_count(50)
    expect(filas.first).to_have_attribute("data-informativa", str(informativas[0].code))
    paginacion = page.get_by_role("navigation", name="Paginación")
    expect(paginacion).to_contain_text("Página 1")
    expect(paginacion.get_by_role("link", name="Anterior")).to_have_count(0)

    paginacion.get_by_role("link", name="Siguiente").click()
    expect(page).to_have_url(live_server.url + "/informativas/?pagina=2")
    expect(filas).to_have_count(5)
    expect(filas.last).to_have_attribute("data-informativa", str(informativas[-1].code))
    expect(paginacion).to_contain_text("Página 2")
    expect(paginacion.get_by_role("link", name="Siguiente")).to_have_count(0)

    paginacion.get_by_role("link", name="Anterior").click()
    expect(filas).to_have_count(50)
    expect(paginacion).to_contain_text("Página 1")

    # The last one of page 2 (the Normal of 2020-1, in captura) is opened from there like any other.
    paginacion.get_by_role("link", name="Siguiente").click()
    ultima = informativas[-1]
    assert (ultima.tipo, ultima.estatus, ultima.anio, ultima.cuatrimestre) == ("NORMAL", "EN_CAPTURA", 2020, 1)
    page.locator(f'#bandeja tr[data-informativa="{ultima.code}"]').get_by_role("link", name="Capturar").click()
    expect(page).to_have_url(re.compile(rf"/informativas/{ultima.code}/captura/"))
