"""Browser journey: the capturista of an accounting firm logs in with its CURP, opens the board of its three
contratistas, reads each period's state, filters by state and by days to the deadline (and mistypes the days),
opens a cell (which switches the contratista), and downloads every acuse of January–April 2026 as one ZIP and
its summary in Excel: the ZIP opened, every PDF in it checked to be the acuse of its folio, the workbook read
back. Then the Acuses page of the contratista it now works for gives that contratista's own ZIP."""

from __future__ import annotations

import datetime
import io
import re
import subprocess
import zipfile

import pytest
from openpyxl import load_workbook
from playwright.sync_api import Page, expect

from informativas.models import Informativa
from tests.conftest import PASSWORD

from .conftest import HOY_TABLERO, borrador, presentar_sin_informacion, sin_informacion

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

D = datetime.date
PERIODO_ACTUAL = "Septiembre - Diciembre 2026"
PERIODO_ACUSES = "Enero - Abril 2026"


def _texto_pdf(datos: bytes) -> str:
    """pdftotext (poppler-utils) on the PDF's bytes, spaces removed."""
    salida = subprocess.run(["pdftotext", "-layout", "-", "-"], input=datos, capture_output=True, check=True)
    return re.sub(r"\s", "", salida.stdout.decode())


def _celda(page: Page, contratista, periodo: str):
    return page.get_by_role("button", name=f"{contratista.razon_social}, {periodo}", exact=False)


def _filas(page: Page):
    return page.locator("#tablero tbody tr[data-contratista]")


@pytest.mark.make_run
def test_a_firm_sees_its_board_filters_opens_a_cell_and_downloads_every_acuse_of_a_period(
    page: Page, live_server, despacho, fieles, settings, tmp_path
):
    page.set_default_timeout(60_000)  # a shared machine may be slow
    settings.ICSOE_HOY = HOY_TABLERO.isoformat()
    a, b, c = despacho.a, despacho.b, despacho.c
    presentadas = {
        "a": presentar_sin_informacion(a, 2026, 1, fieles, hoy=D(2026, 5, 12)),
        "b": presentar_sin_informacion(b, 2026, 1, fieles, hoy=D(2026, 6, 2)),  # after its deadline
        "c": presentar_sin_informacion(c, 2026, 1, fieles, hoy=D(2026, 5, 18)),
    }
    presentar_sin_informacion(despacho.e, 2026, 1, fieles, hoy=D(2026, 5, 13))  # another capturista's
    from informativas.presentacion import services as presentacion

    presentacion.complementaria_crear(origen=presentadas["c"], tipo="SIN_EFECTOS", usuario=c.usuario)
    borrador_a = borrador(a, 2026, 3, hoy=HOY_TABLERO)
    sin_informacion(b, 2026, 3, hoy=HOY_TABLERO)

    # The capturista logs in with its CURP and opens the board from the menu
    page.goto(live_server.url + "/acceso/")
    page.get_by_label("Usuario (CURP)").fill(despacho.capturista.curp)
    page.get_by_label("Contraseña").fill(PASSWORD)
    page.get_by_role("button", name="Ingresar").click()
    page.get_by_role("navigation", name="Menú principal").get_by_role("link", name="Tablero de contratistas").click()
    expect(page.get_by_role("heading", name="Tablero de contratistas", level=1)).to_be_visible()
    tabla = page.get_by_role("table", name=re.compile("Estado de la informativa por contratista y periodo"))
    expect(tabla).to_be_visible()
    expect(_filas(page)).to_have_count(3)
    expect(tabla.get_by_role("columnheader")).to_have_count(8)  # Contratista, Registro REPSE and six periods
    expect(tabla.locator('td[data-repse="sin_fecha"]')).to_have_text(["sin fecha"] * 3)  # none gave its date
    expect(tabla.get_by_role("rowheader")).to_have_count(3)
    expect(tabla.get_by_role("columnheader", name=re.compile(PERIODO_ACTUAL))).to_contain_text(
        "Vence el 18/01/2027 (faltan 8 días)"
    )
    expect(page.get_by_text(despacho.e.razon_social)).to_have_count(0)  # not one of its contratistas
    expect(page.get_by_text(despacho.d.razon_social)).to_have_count(0)  # its relation is de baja

    # Each cell says the state of its period
    expect(_celda(page, a, PERIODO_ACTUAL)).to_contain_text("Borrador")
    expect(_celda(page, b, PERIODO_ACTUAL)).to_contain_text("En firma")
    expect(_celda(page, c, PERIODO_ACTUAL)).to_contain_text("Sin iniciar")
    expect(_celda(page, a, PERIODO_ACUSES)).to_contain_text("Presentada")
    expect(_celda(page, b, PERIODO_ACUSES)).to_contain_text("Presentada extemporánea")
    expect(_celda(page, c, PERIODO_ACUSES)).to_contain_text("Complementaria en curso")

    # Filter by state
    page.get_by_label("Estado").select_option(label="En firma")
    page.get_by_role("button", name="Filtrar").click()
    expect(_filas(page)).to_have_count(1)
    expect(_filas(page).first).to_contain_text(b.razon_social)
    expect(page.get_by_role("status").filter(has_text="coincide")).to_contain_text("1 de 3 contratistas coincide")

    # A mistyped number of days: the message in Spanish, what was typed kept, nothing filtered
    page.get_by_label("Estado").select_option(label="Todos")
    page.get_by_label("Vence en (días)").fill("-5")
    page.get_by_role("button", name="Filtrar").click()
    expect(page.get_by_text("Escribe un número de días de 0 en adelante.")).to_be_visible()
    expect(page.get_by_label("Vence en (días)")).to_have_value("-5")
    expect(_filas(page)).to_have_count(3)

    # Sin iniciar and due within 10 days: only C's current period
    page.get_by_label("Estado").select_option(label="Sin iniciar")
    page.get_by_label("Vence en (días)").fill("10")
    page.get_by_role("button", name="Filtrar").click()
    expect(_filas(page)).to_have_count(1)
    expect(_filas(page).first).to_contain_text(c.razon_social)
    expect(page.locator("td.tablero__celda--coincide")).to_have_count(1)
    page.get_by_role("link", name="Quitar filtros").click()
    expect(_filas(page)).to_have_count(3)

    # A cell opens that contratista's informativa: the capturista now works for it
    _celda(page, a, PERIODO_ACTUAL).click()
    expect(page).to_have_url(re.compile(rf"/informativas/{borrador_a.code}/"))
    expect(page.get_by_text(f"Ahora trabajas con el contratista {a.razon_social} (RFC {a.rfc}).")).to_be_visible()
    expect(page.locator(".perfil")).to_contain_text(a.rfc)

    # Every acuse of January–April 2026, of every contratista it serves, in one ZIP
    page.get_by_role("link", name="Tablero de contratistas").first.click()
    page.get_by_label("Periodo*:").select_option(label=PERIODO_ACUSES)
    with page.expect_download() as descarga:
        page.get_by_role("button", name="Descargar acuses (ZIP)").click()
    assert descarga.value.suggested_filename == "Acuses_2026_Enero-Abril.zip"
    ruta = tmp_path / "acuses.zip"
    descarga.value.save_as(ruta)
    with zipfile.ZipFile(ruta) as archivo:
        assert archivo.testzip() is None
        pdfs = sorted(n for n in archivo.namelist() if n.endswith(".pdf"))
        esperados = sorted(f"{i.contratista.rfc}_{i.folio_definitivo}.pdf" for i in presentadas.values())
        assert pdfs == esperados  # the other capturista's contratista is not there
        for informativa in presentadas.values():
            datos = archivo.read(f"{informativa.contratista.rfc}_{informativa.folio_definitivo}.pdf")
            texto = _texto_pdf(datos)
            assert informativa.folio_definitivo in texto
            assert informativa.contratista.rfc in texto
            assert datos == informativa.acuse.pdf.open("rb").read()
        resumen = load_workbook(io.BytesIO(archivo.read("Resumen_Acuses_2026_Enero-Abril.xlsx"))).active
        filas = list(resumen.iter_rows(values_only=True))
    assert filas[0][:3] == ("RFC", "Denominación o razón social / Nombre", "Periodo")
    assert {f[7] for f in filas[1:]} == {i.folio_definitivo for i in presentadas.values()}
    assert {f[2] for f in filas[1:]} == {PERIODO_ACUSES}
    assert {f[0]: f[13] for f in filas[1:]}[b.rfc] == "Sí"

    # The summary alone, in Excel
    with page.expect_download() as resumen_descarga:
        page.get_by_role("button", name="Descargar resumen (Excel)").click()
    ruta_xlsx = tmp_path / resumen_descarga.value.suggested_filename
    resumen_descarga.value.save_as(ruta_xlsx)
    hoja = load_workbook(ruta_xlsx).active
    assert hoja.max_row == 4
    codigos = {hoja.cell(row=r, column=8).value: hoja.cell(row=r, column=12).value for r in range(2, 5)}
    for informativa in presentadas.values():
        assert codigos[informativa.folio_definitivo] == informativa.acuse.codigo_verificacion_mostrar

    # The Acuses page of the contratista it now works for: that contratista's acuses only
    page.get_by_role("link", name="Acuses de presentación").click()
    page.get_by_label("Periodo*:").select_option(label=PERIODO_ACUSES)
    with page.expect_download() as propia:
        page.get_by_role("button", name="Descargar acuses (ZIP)").click()
    ruta_a = tmp_path / propia.value.suggested_filename
    propia.value.save_as(ruta_a)
    with zipfile.ZipFile(ruta_a) as archivo:
        pdfs = [n for n in archivo.namelist() if n.endswith(".pdf")]
        assert pdfs == [f"{a.rfc}_{presentadas['a'].folio_definitivo}.pdf"]
        assert presentadas["a"].folio_definitivo in _texto_pdf(archivo.read(pdfs[0]))
    assert Informativa.objects.filter(contratista=despacho.e, estatus="PRESENTADA").count() == 1
