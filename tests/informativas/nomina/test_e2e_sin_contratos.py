"""Issue 22, item 5, in Chromium: a payroll ZIP uploaded to an informativa with no contratos names the
contratante RFCs found in it with their workers; the user creates their contratos (from the catálogo, or
capturing the one it lacks, or through Contratos en bloque with a template that already has them) and imports
the same ZIP, never uploading it again. Every reading and storing runs in the worker (with `make test` the real
Celery worker; on make run's configuration in-process once the request commits) while the pages show their
progress: no ``media`` fixture, so the worker reads the uploads from the MEDIA_ROOT it shares."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from django.core.cache import cache
from openpyxl import load_workbook
from playwright.sync_api import Page, expect

from informativas.models import Contrato, Trabajador
from informativas.nomina import generador
from tests.core.axe import axe_violaciones, describir

from .conftest import CLIENTE, CLIENTE_2, nomina_zip
from .test_sin_contratos import en_catalogo  # noqa: F401  (fixture)

pytestmark = [pytest.mark.e2e, pytest.mark.solo_make_run, pytest.mark.django_db(transaction=True)]

N = 20


@pytest.fixture(autouse=True)
def _sin_bloqueos():
    cache.clear()


def _de(rfc: str) -> int:
    return sum(1 for t in generador.plantilla(N, clientes=[CLIENTE, CLIENTE_2]) if rfc in {c for c, _ in t.colocaciones})


def _subir_zip(page: Page, live_server, informativa, ruta: Path) -> None:
    page.goto(f"{live_server.url}/informativas/{informativa.code}/nomina/")
    page.get_by_label(re.compile("ZIP con los XML de nómina")).set_input_files(str(ruta))
    page.get_by_role("button", name="Revisar nómina").click()
    expect(page.locator('[data-nomina="estatus"]')).to_have_text("Validada", timeout=60_000)
    expect(page.locator('[data-nomina="sin-contrato"]')).to_contain_text("no tienes que volver a subirlo")
    for rfc in (CLIENTE, CLIENTE_2):
        expect(page.locator(f'tr[data-rfc-sin-contrato="{rfc}"] [data-trabajadores]')).to_have_text(str(_de(rfc)))
    expect(page.locator(f'tr[data-rfc-sin-contrato="{CLIENTE}"]')).to_contain_text("CLIENTE INDUSTRIAL SA DE CV")


def _sin_violaciones_wcag(page: Page, browser, browser_context_args) -> None:
    """axe (WCAG 2.1 AA) on the page as the user has it, in a context that lets axe's script in."""
    contexto = browser.new_context(**browser_context_args, bypass_csp=True)
    contexto.add_cookies(page.context.cookies())
    otra = contexto.new_page()
    otra.goto(page.url)
    violaciones = axe_violaciones(otra)
    contexto.close()
    assert not violaciones, describir(violaciones)


def _confirmar(page: Page) -> None:
    page.get_by_role("button", name="Confirmar importación").click()
    expect(page.locator('[data-nomina="estatus"]')).to_have_text("Guardada", timeout=60_000)


def test_the_contratos_are_created_from_the_catalog_and_by_hand_and_the_same_zip_is_imported(
    page: Page, browser, browser_context_args, live_server, contratista, informativa, en_catalogo, entrar_como, tmp_path  # noqa: F811
):
    ruta = tmp_path / "nomina.zip"
    ruta.write_bytes(nomina_zip(N))
    entrar_como(contratista.usuario)
    _subir_zip(page, live_server, informativa, ruta)
    _sin_violaciones_wcag(page, browser, browser_context_args)

    # The one in the catálogo: one click
    page.get_by_role("button", name="Crear los contratos marcados").click()
    expect(page.get_by_role("status").first).to_contain_text("con los datos del catálogo")
    contrato = Contrato.objects.get(contratante_rfc=CLIENTE)
    expect(page.locator(f'#por-contrato tr[data-contrato="{contrato.folio}"] [data-nuevos]')).to_have_text(
        str(_de(CLIENTE)), timeout=60_000
    )
    expect(page.locator(f'tr[data-rfc-sin-contrato="{CLIENTE}"]')).to_have_count(0)

    # The other one: its Contratante tab opens with the RFC validated, and Agregar contrato comes back here
    page.locator(f'tr[data-rfc-sin-contrato="{CLIENTE_2}"]').get_by_role("link", name="Capturar su contratante").click()
    expect(page.locator("#id_rfc")).to_have_value(CLIENTE_2)
    expect(page.locator("#rfc-validado")).to_contain_text("no se encontró en el padrón del SAT")
    page.get_by_label(re.compile("Confirmo que el RFC es correcto")).check()  # its check digit does not match
    page.locator("#id_razon_social").fill("Cliente Dos SA de CV")
    page.locator("#id_correo").fill("compras@dos.mx")
    page.locator("#id_celular").fill("5522223333")
    page.get_by_role("radiogroup", name=re.compile("domicilio social")).get_by_label("Sí").check()
    page.get_by_role("radiogroup", name=re.compile("domicilio convencional")).get_by_label("Sí").check()
    page.get_by_role("button", name="Agregar contrato").click()
    expect(page.locator('[data-nomina="por-revisar"]')).to_be_visible()
    page.get_by_role("button", name="Revisar de nuevo la nómina").click()
    expect(page.locator('[data-nomina="estatus"]')).to_have_text("Validada", timeout=60_000)
    expect(page.locator("#sin-contrato")).to_have_count(0)

    _confirmar(page)
    assert Trabajador.objects.count() == _de(CLIENTE) + _de(CLIENTE_2)  # a split worker is in both
    assert {c.contratante_rfc for c in Contrato.objects.all()} == {CLIENTE, CLIENTE_2}


def test_contratos_en_bloque_gets_the_zips_contratantes_and_leads_back_to_the_same_import(
    page: Page, browser, browser_context_args, live_server, contratista, informativa, en_catalogo, entrar_como, tmp_path  # noqa: F811
):
    ruta = tmp_path / "nomina.zip"
    ruta.write_bytes(nomina_zip(N))
    entrar_como(contratista.usuario)
    _subir_zip(page, live_server, informativa, ruta)

    page.get_by_role("link", name="Contratos en bloque").click()
    expect(page.locator('[data-bloque="de-nomina"]')).to_contain_text(f"{CLIENTE}, {CLIENTE_2}")
    _sin_violaciones_wcag(page, browser, browser_context_args)
    with page.expect_download() as descarga:
        page.get_by_role("link", name="Descargar la plantilla con estos contratantes").click()
    libro = load_workbook(io.BytesIO(Path(descarga.value.path()).read_bytes()))
    hoja = libro.active
    assert [hoja.cell(f, 1).value for f in (2, 3)] == [CLIENTE, CLIENTE_2]
    assert hoja.cell(2, 4).value == "compras@cliente.mx"  # from the catálogo
    # The user completes what the catálogo lacks and the contratos' own columns
    for columna, valor in ((2, "CLIENTE DOS SA DE CV"), (3, "Sí"), (4, "compras@dos.mx"), (5, "5522223333"), (7, "Sí"), (13, "Sí")):
        hoja.cell(3, columna).value = valor
    for fila in (2, 3):
        for columna, valor in ((19, "OC 1 limpieza"), (20, "AR12345/2021"), (21, "Limpieza industrial"), (22, "01/02/2026")):
            hoja.cell(fila, columna).value = valor
    completa = tmp_path / "contratos.xlsx"
    libro.save(completa)
    page.get_by_label("Plantilla de contratos (.xlsx)").set_input_files(str(completa))
    page.get_by_role("button", name="Cargar plantilla").click()
    expect(page.locator('[data-bloque="aceptados"]')).to_have_text("2", timeout=60_000)
    page.get_by_role("button", name="Confirmar carga").click()
    expect(page.locator('[data-bloque="estatus"]')).to_have_text("Guardada", timeout=60_000)

    # Back at the same import, which reviews the ZIP it already has
    page.locator('[data-bloque="nomina"]').get_by_role("link", name="Ir a la nómina").click()
    expect(page.locator('[data-nomina="por-revisar"]')).to_be_visible()
    page.get_by_role("button", name="Revisar de nuevo la nómina").click()
    expect(page.locator('[data-nomina="estatus"]')).to_have_text("Validada", timeout=60_000)
    for contrato in Contrato.objects.all():
        expect(page.locator(f'#por-contrato tr[data-contrato="{contrato.folio}"] [data-nuevos]')).to_have_text(
            str(_de(contrato.contratante_rfc))
        )
    _confirmar(page)
    assert Trabajador.objects.count() == _de(CLIENTE) + _de(CLIENTE_2)
