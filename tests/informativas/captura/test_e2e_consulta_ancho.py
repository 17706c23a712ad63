"""Consulta de informativas at 1280 px (issue 22): with the longest status, «Dejada sin efectos (extemporánea)»,
the table stays inside its box and «Consultar» is on screen."""

from __future__ import annotations

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from informativas.models import Informativa

pytestmark = [pytest.mark.e2e, pytest.mark.solo_make_run, pytest.mark.django_db(transaction=True)]


def _filas_largas(contratista) -> None:
    """Filings whose cells are the longest the Consulta shows: a Normal left without effect and filed late,
    the complementaria Sin efectos that did it, and a Corrección sustituida."""
    for anio, cuatrimestre, tipo, estatus, folio in (
        (2025, 3, "NORMAL", Informativa.Estatus.DEJADA_SIN_EFECTOS, "N250000123"),
        (2025, 3, "SIN_EFECTOS", Informativa.Estatus.PRESENTADA, "C250000124"),
        (2025, 2, "CORRECCION", Informativa.Estatus.SUSTITUIDA, "C250000125"),
        (2025, 2, "SIN_INFORMACION", Informativa.Estatus.SUSTITUIDA, "SI250000126"),
    ):
        Informativa.objects.create(
            contratista=contratista, anio=anio, cuatrimestre=cuatrimestre, tipo=tipo, estatus=estatus,
            extemporanea=True, folio_definitivo=folio, num_contratos=1234, num_trabajadores=123456,
        )


@pytest.mark.parametrize("ancho", [1280])
def test_the_consulta_table_fits_its_box_with_the_longest_status(page: Page, live_server, contratista, entrar_como, ancho):
    _filas_largas(contratista)
    entrar_como(contratista.usuario)
    page.set_viewport_size({"width": ancho, "height": 900})

    page.goto(live_server.url + reverse("informativas:consulta"))

    expect(page.locator("#consulta").get_by_text("Dejada sin efectos (extemporánea)")).to_be_visible()
    expect(page.get_by_text("soft hyphens")).to_have_count(0)
    tabla, caja = page.locator("#consulta").evaluate(
        "t => [t.getBoundingClientRect().width, t.closest('.tabla-envoltura').clientWidth]"
    )
    assert tabla <= caja + 1, f"la tabla mide {tabla} px en una caja de {caja} px"
    assert page.locator(".tabla-envoltura").first.evaluate("e => e.scrollWidth <= e.clientWidth + 1")
    for enlace in page.locator("#consulta").get_by_role("link", name="Consultar").all():
        caja_enlace = enlace.bounding_box()
        assert caja_enlace is not None and caja_enlace["x"] + caja_enlace["width"] <= ancho
        expect(enlace).to_be_visible()
    assert page.evaluate("() => window.scrollX") == 0
