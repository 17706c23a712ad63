"""Browser journey (issue 26): Contratos en bloque with a contratante «Definitivo» in 69-B and one «Presunto».
The summary before phase two shows each hit with its cut date; «Confirmar carga» is refused until the Definitivo
is confirmed there; confirmed, the contratos are stored, the confirmation is in the audit trail, and Firmar will
not ask again.

Marked ``solo_make_run``: what it tests is the summary's screen and its confirm form (plain reads and writes in
the web request); both phases run in-process there, and the worker's path of the same pages is the Contratos en
bloque journey's (``test_e2e_bloque.py``, both passes)."""

from __future__ import annotations

import re

import pytest
from django.core.cache import cache
from playwright.sync_api import Page, expect

from informativas import cribado
from informativas.models import ConfirmacionListaSat, Contrato

from .test_bloque import BUENA, libro

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True), pytest.mark.solo_make_run]

RFC = "CLI010101AB5"  # padron_sat's, «Definitivo» in lista_69b (tests/informativas/conftest.py)
CASILLA = re.compile(f"{RFC} .*Confirmo que conozco que este contratante aparece como Definitivo")


@pytest.fixture(autouse=True)
def _sin_bloqueos():
    cache.clear()


def test_the_bloque_summary_asks_for_the_definitivo_before_phase_two(
    page: Page, live_server, contratista, informativa, padron_sat, lista_69b, entrar_como, tmp_path
):
    entrar_como(contratista.usuario)
    page.goto(f"{live_server.url}/informativas/{informativa.code}/contratos-en-bloque/")
    ruta = tmp_path / "contratos.xlsx"
    ruta.write_bytes(libro([BUENA, {"rfc": "SCO990101AA6", "razon_social": "SERVICIOS COSTA", "objeto": "OC 2"}]))
    page.get_by_label("Plantilla de contratos (.xlsx)").set_input_files(str(ruta))
    page.get_by_role("button", name="Cargar plantilla").click()
    expect(page.locator('[data-bloque="aceptados"]')).to_have_text("2", timeout=60_000)

    seccion = page.locator("#listas-sat")
    expect(seccion.get_by_role("heading", name="Contratantes en las listas del SAT")).to_be_visible()
    definitivo = seccion.locator("[data-hallazgo='69b']", has_text=RFC)
    expect(definitivo).to_contain_text("Definitivo")
    expect(definitivo).to_contain_text("publicado el 20/03/2026")
    expect(definitivo).to_contain_text("fecha de corte 31/05/2026")
    expect(seccion.locator("[data-hallazgo='69b']", has_text="SCO990101AA6")).to_contain_text("Presunto")
    expect(page.get_by_role("checkbox")).to_have_count(1)  # the Presunto is shown, never asked for

    page.get_by_role("button", name="Confirmar carga").click()
    expect(page.locator(".mensajes").first).to_contain_text(
        f"Confirma que conoces que el contratante {RFC} aparece como Definitivo"
    )
    expect(page.locator('[data-bloque="estatus"]')).to_have_text("Validada")
    assert not Contrato.objects.exists() and not ConfirmacionListaSat.objects.exists()

    page.get_by_label(CASILLA).check()
    page.get_by_role("button", name="Confirmar carga").click()
    expect(page.locator('[data-bloque="estatus"]')).to_have_text("Guardada", timeout=60_000)
    expect(page.get_by_text("Se guardaron 2 contratos el ")).to_be_visible()
    assert Contrato.objects.count() == 2
    confirmacion = ConfirmacionListaSat.objects.get()
    assert (confirmacion.rfc, confirmacion.situacion, confirmacion.usuario) == (RFC, "Definitivo", contratista.usuario)
    assert not cribado.pendientes_de_confirmar(
        informativa=informativa, consultas=cribado.informativa_cribar(informativa=informativa)
    )

    # The audit trail, in the Resumen
    page.goto(f"{live_server.url}/informativas/{informativa.code}/captura/resumen/")
    expect(page.get_by_text(re.compile("Confirmó que conoce la situación del contratante"))).to_be_visible()
