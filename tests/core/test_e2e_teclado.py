"""A keyboard-only journey through Chromium: the contratista logs in with its e.firma, captures a Normal with a
contrato and a trabajador, sends it to signing, signs it and downloads the acuse, with Tab, Shift+Tab, Enter,
Space, the arrow keys and typing only (the file pickers are opened with the keyboard too). At every stop the
focused element shows a visible focus ring; the error summary links each error to its field; the page says
lang="es-MX"."""

from __future__ import annotations

import io
import re

import pytest
from django.core.cache import cache
from playwright.sync_api import Locator, Page, expect
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError
from pypdf import PdfReader

from informativas.models import Informativa
from tests.informativas.conftest import (  # noqa: F401  (fixtures)
    contratista,
    fiel,
    firma_lista,
    hoy_fijo,
    padron_sat,
    pki,
    renapo,
)
from tests.informativas.datos import nss

pytestmark = [pytest.mark.e2e, pytest.mark.solo_make_run, pytest.mark.django_db(transaction=True)]

MAX_TABS = 150


@pytest.fixture(autouse=True)
def _sin_bloqueos():
    cache.clear()


class Teclado:
    """Moves through a page with the keyboard, checking at each stop that the focus can be seen."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.paradas = 0

    def _foco_visible(self) -> None:
        estilo = self.page.evaluate(
            """() => { const e = document.activeElement;
                 if (!e || e === document.body || e.tagName === 'MAIN') return null;
                 // Inside a date field the last stop is Chromium's own calendar button, drawn with its own ring
                 if (e.type === 'date' && !e.matches(':focus')) return null;
                 const s = getComputedStyle(e);
                 return {tag: e.tagName, texto: (e.textContent || e.name || '').trim().slice(0, 40),
                         outline: s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2,
                         sombra: s.boxShadow !== 'none'}; }"""
        )
        if estilo is not None:
            self.paradas += 1
            assert estilo["outline"] or estilo["sombra"], f"sin foco visible: {estilo}"

    def enfocar(self, destino: Locator, *, atras: bool = False) -> None:
        """Tab (or Shift+Tab) until ``destino`` has the focus."""
        destino.wait_for()
        elemento = destino.element_handle()
        for _ in range(MAX_TABS):
            if self.page.evaluate("(e) => document.activeElement === e", elemento):
                return
            self.page.keyboard.press("Shift+Tab" if atras else "Tab")
            self._foco_visible()
        raise AssertionError(f"el teclado no llega a {destino}")

    def escribir(self, destino: Locator, texto: str) -> None:
        self.enfocar(destino)
        self.page.keyboard.press("Control+A")
        self.page.keyboard.type(texto)

    def activar(self, destino: Locator, tecla: str = "Enter") -> None:
        self.enfocar(destino)
        self.page.keyboard.press(tecla)

    def elegir(self, select: Locator, opcion: str) -> None:
        self.enfocar(select)
        for _ in range(30):
            if select.evaluate("s => s.options[s.selectedIndex]?.text.trim()") == opcion:
                return
            self.page.keyboard.press("ArrowDown")
        raise AssertionError(f"no se pudo elegir {opcion!r}")

    def archivo(self, destino: Locator, ruta) -> None:
        # Space on a focused file input opens the chooser; on a loaded machine Chromium now and then drops
        # that first key press (seen once in a full run), so the keyboard tries again, still without a mouse.
        for intento in range(3):
            self.enfocar(destino)
            try:
                with self.page.expect_file_chooser(timeout=15_000) as selector:
                    self.page.keyboard.press("Space")
            except PlaywrightTimeoutError:
                if intento == 2:
                    raise
                continue
            selector.value.set_files(str(ruta))
            return

    def saltar_al_contenido(self) -> None:
        self.page.keyboard.press("Tab")
        expect(self.page.get_by_role("link", name="Saltar al contenido")).to_be_focused()
        self.page.keyboard.press("Enter")

    def menu(self, opcion: str) -> None:
        self.page.locator("body").focus()
        self.activar(self.page.get_by_role("navigation", name="Menú principal").get_by_role("link", name=opcion))


def _pregunta(page: Page, texto: str) -> Locator:
    return page.get_by_role("radiogroup", name=re.compile(re.escape(texto)))


def _firmar_o_ingresar(t: Teclado, page: Page, fiel, boton: str, exito: str) -> None:
    t.escribir(page.get_by_label("RFC"), fiel.rfc)
    t.archivo(page.get_by_label("Certificado"), fiel.cer)
    t.archivo(page.get_by_label(re.compile(r"^Llave privada")), fiel.key)
    t.escribir(page.get_by_label("Contraseña de la Llave privada"), fiel.password)
    t.activar(page.get_by_role("button", name="Validar"))
    expect(page.get_by_text(exito)).to_be_visible()
    t.activar(page.get_by_role("button", name=boton, exact=True))


def test_a_contratista_files_an_informativa_with_the_keyboard_only(
    page: Page, live_server, settings, contratista, fiel, padron_sat, renapo, tmp_path
):
    settings.ICSOE_BASE_URL = live_server.url
    page.set_default_timeout(60_000)  # signing renders a PDF; a shared machine may be slow
    t = Teclado(page)

    page.goto(live_server.url + "/")
    expect(page.locator("html")).to_have_attribute("lang", "es-MX")
    t.activar(page.get_by_role("link", name="Ingresar con E.Firma"))
    expect(page.get_by_role("heading", name="Validación FIEL")).to_be_visible()

    _firmar_o_ingresar(t, page, fiel, "Ingresar", "La validación de la FIEL fue exitosa.")
    expect(page.get_by_role("region", name="Perfil del usuario")).to_contain_text(contratista.rfc)

    # Capturar informativa → Nueva informativa
    t.menu("Capturar informativa")
    t.activar(page.get_by_role("link", name="Nueva informativa"))
    t.elegir(page.locator("#id_anio"), "2025")
    t.elegir(page.locator("#id_cuatrimestre"), "Enero - Abril")
    t.elegir(page.locator("#id_tipo"), "Normal")
    t.activar(page.get_by_role("button", name="Continuar"))

    # Contratista tab: "Sí" with Space
    t.activar(_pregunta(page, "domicilio convencional del contratista").get_by_label("Sí"), "Space")
    t.activar(page.get_by_role("button", name="Guardar y continuar"))

    # Contratante tab
    t.escribir(page.locator("#id_rfc"), padron_sat.rfc)
    t.activar(page.get_by_role("button", name="Validar"))
    expect(page.locator("#id_razon_social")).to_have_value("CLIENTE INDUSTRIAL SA DE CV")
    t.escribir(page.locator("#id_correo"), "compras@cliente.mx")
    t.escribir(page.locator("#id_celular"), "5511112222")
    t.activar(_pregunta(page, "domicilio social del contratante").get_by_label("Sí"), "Space")
    t.activar(_pregunta(page, "domicilio convencional del contratante").get_by_label("Sí"), "Space")
    t.activar(page.get_by_role("button", name="Agregar contrato"))

    # Contrato tab: sent incomplete first; the summary's link leads to the field, then it is completed
    t.escribir(page.locator("#id_objeto"), "OC 4500012345 limpieza de oficinas")
    t.activar(page.get_by_role("button", name="Guardar y continuar"))
    resumen = page.locator("[data-resumen-errores]")
    expect(resumen).to_be_focused()
    enlace = resumen.locator("a[href='#id_registro_repse']")
    t.activar(enlace)
    expect(page.locator("#id_registro_repse")).to_be_focused()
    t.escribir(page.locator("#id_registro_repse"), "AR12345/2021")
    t.escribir(page.locator("#id_servicio"), "Servicio especializado de limpieza industrial")
    t.enfocar(page.locator("#id_fecha_inicio"))
    page.keyboard.type("01012025")  # day and month alike: the same date whatever order the locale shows
    expect(page.locator("#id_fecha_inicio")).to_have_value("2025-01-01")
    t.activar(page.get_by_role("button", name="Guardar y continuar"))

    # Trabajadores tab
    t.escribir(page.locator("#id_nss"), nss(1))
    t.escribir(page.locator("#id_curp"), renapo.curp)
    t.escribir(page.locator("#id_sbc"), "452.37")
    t.activar(page.get_by_role("button", name="Agregar trabajador"))
    expect(page.locator("#trabajadores")).to_contain_text("MARÍA LÓPEZ HERNÁNDEZ")
    t.activar(page.get_by_role("link", name="Continuar"))

    # Resumen: contratos declarados, then Enviar a firma
    t.escribir(page.locator("#id_contratos_declarados"), "1")
    t.activar(page.get_by_role("button", name="Guardar", exact=True))
    t.activar(page.get_by_role("button", name="Enviar a firma"))
    expect(page.get_by_role("status")).to_contain_text("La informativa se envió a firma")

    # Firma y presentación
    t.menu("Firma y presentación")
    t.activar(page.locator("#firma tbody tr").first.get_by_role("link", name="Firmar"))
    _firmar_o_ingresar(t, page, fiel, "Firmar", "La validación de la FIEL fue exitosa.")
    dialogo = page.get_by_role("dialog", name="Firma exitosa")
    expect(dialogo).to_be_visible(timeout=60_000)
    t.activar(dialogo.get_by_role("link", name="Cerrar"))
    normal = Informativa.objects.get(tipo="NORMAL")
    assert normal.estatus == Informativa.Estatus.PRESENTADA

    # Acuses de presentación: the download, started with Enter, is the signed acuse
    t.menu("Acuses de presentación")
    enlace = page.locator(f'#acuses tr[data-folio="{normal.folio_definitivo}"]').get_by_role("link", name="Descargar Acuse")
    t.enfocar(enlace)
    with page.expect_download() as descarga:
        page.keyboard.press("Enter")
    ruta = tmp_path / descarga.value.suggested_filename
    descarga.value.save_as(ruta)
    texto = "".join(p.extract_text() for p in PdfReader(io.BytesIO(ruta.read_bytes())).pages)
    assert normal.folio_definitivo in texto
    assert t.paradas > 20  # the journey really went through the page with Tab
