"""Browser journey through Debian's Chromium: the contratista uploads a ZIP of generated payroll CFDIs for its
whole informativa, sees the workers per contrato and the problems, confirms, sends the informativa to
signing, signs it with its e.firma, and finds those workers in the acuse's totals (the list and the PDF). Both
phases run in the worker (with `make test` the real Celery worker; on make run's configuration in-process once
the request commits): the page shows their progress, then the result."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from django.core.cache import cache
from playwright.sync_api import Page, expect

from informativas.captura import services as captura
from informativas.models import Informativa, Trabajador

from ..presentacion.test_e2e_firma import _descargar, _firmar
from .conftest import nomina_zip

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _sin_bloqueos():
    cache.clear()


@pytest.mark.make_run
def test_a_payroll_zip_fills_the_informativa_that_is_then_signed(
    page: Page,
    live_server,
    settings,
    contratista,
    fiel,
    informativa,
    contrato,
    contrato_2,
    entrar_como,
    tmp_path,
):
    settings.ICSOE_BASE_URL = live_server.url
    # The worker reads the upload where its own settings keep files (``fiel`` gives this process a tmp one).
    settings.MEDIA_ROOT = Path(os.environ["ICSOE_VAR_DIR"]) / "media"
    page.set_default_timeout(60_000)  # signing renders a PDF; a shared machine may be slow
    captura.informativa_contratos_declarados_guardar(
        informativa=informativa, numero=2, usuario=contratista.usuario
    )
    ruta_zip = tmp_path / "nomina-2026-1.zip"
    ruta_zip.write_bytes(nomina_zip(30))
    entrar_como(contratista.usuario)

    page.goto(f"{live_server.url}/informativas/{informativa.code}/captura/resumen/")
    page.get_by_role("link", name="Importar nómina (CFDI)").click()
    expect(page.get_by_role("heading", name="Importar nómina (CFDI)")).to_be_visible()
    expect(page.locator('[data-nomina="limites"]')).to_contain_text("300 MB")
    expect(page.locator('[data-nomina="sello"]')).to_contain_text("no verifica el sello digital")
    page.get_by_label(re.compile("ZIP con los XML de nómina")).set_input_files(str(ruta_zip))
    page.get_by_role("button", name="Revisar nómina").click()

    # Phase one: per-contrato counts, staff apart, every problem by file and field; nothing stored yet
    expect(page.locator('[data-nomina="estatus"]')).to_have_text("Validada", timeout=60_000)
    expect(page.locator('[data-nomina="cfdis"]')).to_have_text("240")
    expect(page.locator('[data-nomina="trabajadores"]')).to_have_text("30")
    expect(page.locator('[data-nomina="staff"]')).to_have_text("3")
    for c in (contrato, contrato_2):
        expect(page.locator(f'#por-contrato tr[data-contrato="{c.folio}"] [data-nuevos]')).not_to_have_text(
            "0"
        )
    expect(page.locator("#problemas")).to_contain_text("TipoDeComprobante")
    expect(page.locator("#problemas")).to_contain_text("El CFDI lo emitió otro RFC (OTR010101AB4)")
    expect(page.locator("#varios-sbc")).to_be_visible()
    expect(page.locator("#porcentajes")).to_contain_text("60.000 %")
    assert Trabajador.objects.count() == 0
    nuevos = int(page.locator('[data-nomina="nuevos"]').inner_text())

    page.get_by_role("button", name="Confirmar importación").click()
    expect(page.locator('[data-nomina="estatus"]')).to_have_text("Guardada", timeout=60_000)
    expect(page.get_by_text(f"Se guardaron {nuevos} trabajadores el ")).to_be_visible()
    assert Trabajador.objects.count() == nuevos

    # Resumen, Enviar a firma, Firmar, and the acuse's totals
    page.get_by_role("link", name="Ir al Resumen").click()
    expect(page.locator('[data-resumen="trabajadores"]')).to_have_text(str(nuevos))
    page.get_by_role("button", name="Enviar a firma").click()
    expect(page.get_by_role("status")).to_contain_text("La informativa se envió a firma")
    _firmar(page, fiel)
    informativa.refresh_from_db()
    assert informativa.estatus == Informativa.Estatus.PRESENTADA
    ruta, texto = _descargar(page, informativa.folio_definitivo, tmp_path)
    fila = page.locator(f'#acuses tr[data-folio="{informativa.folio_definitivo}"]')
    expect(fila.locator('[data-columna="contratos"]')).to_have_text("2")
    expect(fila.locator('[data-columna="trabajadores"]')).to_have_text(str(nuevos))
    assert informativa.acuse.num_trabajadores == nuevos
    assert f"|2|{nuevos}|" in re.sub(r"\s", "", texto)
