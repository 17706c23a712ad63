"""Browser journey through Debian's Chromium, as anyone without an account: the listado público's page lists the
published month, passes axe-core (WCAG 2.1 AA), and its link downloads the month's file, which opened back holds
the month's contratos and no RFC, NSS or CURP (issue 25, the public list)."""

from __future__ import annotations

import datetime
import hashlib
import io

import pytest
from openpyxl import load_workbook
from playwright.sync_api import Browser, expect

from informativas.listado import services
from informativas.models import Trabajador
from tests.core.axe import axe_violaciones, describir

pytestmark = [pytest.mark.e2e, pytest.mark.solo_make_run, pytest.mark.django_db(transaction=True)]


def test_anyone_downloads_a_months_listado_from_the_public_page(browser: Browser, live_server, presentada, tmp_path):
    publicado, _ = services.listado_publicar(mes=datetime.date(2026, 5, 1), hoy=datetime.date(2026, 6, 1))
    # bypass_csp: axe is injected (tests/core/axe.py); the portal's own policy is unchanged.
    contexto = browser.new_context(bypass_csp=True, locale="es-MX", accept_downloads=True)
    try:
        _recorrido(contexto.new_page(), live_server, presentada, publicado, tmp_path)
    finally:
        contexto.close()


def _recorrido(page, live_server, presentada, publicado, tmp_path) -> None:
    page.goto(f"{live_server.url}/listado-publico/")
    expect(page.get_by_role("heading", name="Listado público de informativas presentadas")).to_be_visible()
    fila = page.get_by_role("row", name="Mayo de 2026")
    expect(fila).to_contain_text("2")
    expect(fila).to_contain_text(publicado.sha256)
    violaciones = axe_violaciones(page)
    assert violaciones == [], describir(violaciones)

    with page.expect_download() as descarga:
        fila.get_by_role("link", name="Excel de mayo de 2026").click()
    assert descarga.value.suggested_filename == "listado-publico-icsoe-2026-05.xlsx"
    ruta = tmp_path / "listado.xlsx"
    descarga.value.save_as(ruta)
    contenido = ruta.read_bytes()
    assert hashlib.sha256(contenido).hexdigest() == publicado.sha256
    filas = list(load_workbook(io.BytesIO(contenido), read_only=True).worksheets[0].iter_rows(values_only=True))
    assert list(filas[0]) == services.ENCABEZADO and len(filas) == 3
    texto = " ".join(str(valor) for fila in filas for valor in fila if valor is not None)
    trabajadores = Trabajador.objects.filter(contrato__informativa=presentada)
    prohibidos = {
        presentada.contratista.rfc,
        *presentada.contratos.values_list("contratante_rfc", flat=True),
        *trabajadores.values_list("nss", flat=True),
        *trabajadores.values_list("curp", flat=True),
    }
    assert [dato for dato in prohibidos if dato in texto] == []
    assert "ANA GARCÍA PÉREZ" in texto and "CLIENTE INDUSTRIAL SA DE CV" in texto
