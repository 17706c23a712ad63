"""Browser journeys through Debian's Chromium of the contratante's own view (issue 25): a contratista authorises
a contratante, which enters with its own e.firma (signed in the browser, as a contratista's login) and sees that
contratista's filing and its own contratos only; the contratista revokes and the contratante is refused at once;
a company that is both contratista and authorised contratante enters each capacity and sees only its pages.

The filings are signed in Python with the service the Firmar page calls; every screen here is driven in the
browser."""

from __future__ import annotations

import importlib
import re

import pytest
from django.conf import settings
from django.core.cache import cache
from django.test import Client
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect

from accounts.models import TerminosCondiciones
from clientes import services
from clientes.models import Autorizacion
from informativas.selectors import contratos_del_contratante

from .conftest import RFC_CLIENTE, RFC_FISICA, datos_contratante, presentar_del_otro

pytestmark = [pytest.mark.e2e, pytest.mark.solo_make_run, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _sin_bloqueos():
    cache.clear()


@pytest.fixture(autouse=True)
def _terminos_publicados():
    """Transactional tests start from a flushed database: publish again the version the migration publishes
    (before the contratistas' fixtures, which accept it)."""
    migracion = importlib.import_module("accounts.migrations.0002_terminos_iniciales")
    TerminosCondiciones.objects.get_or_create(
        version="1.0", defaults={"texto": migracion.TEXTO, "vigente_desde": timezone.now(), "activo": True}
    )


def _menu(page: Page, opcion: str) -> None:
    page.get_by_role("navigation", name="Menú principal").get_by_role("link", name=opcion).click()



def _cabe_y_en_un_telefono_cada_contrato_es_una_tarjeta(page: Page) -> None:
    """The contratos table fits a 1280 px screen; at 390 px it stacks as the portal's other tables do: no header
    row in view, each cell (the contrato's folio, its row header, included) on a line of its own under its
    column's name, nothing wider than the screen."""
    caja = page.locator(".tabla-envoltura", has=page.locator("#contratos"))
    assert caja.evaluate("e => e.scrollWidth <= e.clientWidth + 1"), "a 1280 px la tabla de contratos se desborda"
    antes = page.viewport_size
    page.set_viewport_size({"width": 390, "height": 844})
    try:
        celdas = page.evaluate(
            """() => [...document.querySelectorAll('#contratos tbody tr:first-child > *')].map(c => [
                   getComputedStyle(c).display, getComputedStyle(c, '::before').content, c.getBoundingClientRect().right])"""
        )
        assert [(display, etiqueta) for display, etiqueta, _ in celdas] == [
            ("grid", f'"{titulo}"')
            for titulo in ("No. de contrato (folio)", "Objeto del contrato", "Fecha de inicio", "Fecha de término",
                           "Folio de registro REPSE", "Servicio u obra especializada", "Trabajadores")
        ]
        assert all(derecha <= 390 for _, _, derecha in celdas)
        assert page.locator("#contratos thead").evaluate("e => e.getBoundingClientRect().height") <= 1
    finally:
        if antes:
            page.set_viewport_size(antes)

def _ingresar_como_contratante(page: Page, url: str, efirma) -> None:
    page.goto(url + "/contratante/entrar/")
    expect(page.get_by_role("heading", name="Ingreso de contratantes")).to_be_visible()
    page.get_by_label("RFC").fill(efirma.rfc)
    page.get_by_label("Certificado").set_input_files(str(efirma.cer))
    page.get_by_label(re.compile(r"^Llave privada")).set_input_files(str(efirma.key))
    page.get_by_label("Contraseña de la Llave privada").fill(efirma.password)
    page.get_by_role("button", name="Validar").click()
    expect(page.get_by_text("La validación de la FIEL fue exitosa.")).to_be_visible()
    page.get_by_role("button", name="Ingresar").click()


def _pagina_de(browser: Browser, usuario, live_server) -> Page:
    """Another browser (its own cookies) with ``usuario`` logged in."""
    client = Client()
    client.force_login(usuario)
    contexto = browser.new_context(locale="es-MX")
    contexto.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": client.cookies[settings.SESSION_COOKIE_NAME].value, "url": live_server.url}]
    )
    return contexto.new_page()


def test_an_authorised_contratante_sees_its_contratos_by_efirma_until_the_contratista_revokes(
    page: Page, browser: Browser, live_server, presentada, presentada_del_otro, contratista, fiel_cliente
):
    # The contratista authorises one of the contratantes its filing names.
    del_contratista = _pagina_de(browser, contratista.usuario, live_server)
    del_contratista.goto(live_server.url + "/contratista/")
    _menu(del_contratista, "Contratantes autorizados")
    del_contratista.get_by_role("button", name=f"Autorizar a CLIENTE INDUSTRIAL SA DE CV ({RFC_CLIENTE})").click()
    expect(del_contratista.get_by_text(f"Autorizaste al RFC {RFC_CLIENTE}")).to_be_visible()
    expect(del_contratista.get_by_role("button", name=re.compile(RFC_FISICA))).to_be_visible()  # still not authorised

    # The contratante enters with its own e.firma and sees that contratista's filing, not the other's.
    _ingresar_como_contratante(page, live_server.url, fiel_cliente)
    expect(page.get_by_role("heading", name="Términos y condiciones")).to_be_visible()  # its first entry
    page.get_by_label("He leído y acepto los términos y condiciones del sistema ICSOE").check()
    page.get_by_role("button", name="Ingresar").click()
    expect(page.get_by_role("heading", name="Mis contratistas")).to_be_visible()
    expect(page.get_by_role("region", name="Perfil del usuario")).to_contain_text("Contratante")
    expect(page.get_by_role("navigation", name="Menú principal").get_by_role("link", name="Mis contratistas")).to_be_visible()
    expect(page.get_by_role("navigation", name="Menú principal").get_by_role("link", name="Capturar informativa")).to_have_count(0)
    expect(page.get_by_role("heading", name=re.compile(contratista.razon_social))).to_be_visible()
    expect(page.get_by_text(presentada_del_otro.folio_definitivo)).to_have_count(0)
    expect(page.get_by_text("PEJJ800101AB6")).to_have_count(0)
    page.get_by_role("link", name=f"Ver contratos de la informativa {presentada.folio_definitivo}").click()

    suyo = contratos_del_contratante(informativa=presentada, rfc=RFC_CLIENTE).get()
    contratos = page.get_by_role(
        "table", name=f"Contratos de la informativa {presentada.folio_definitivo} con {RFC_CLIENTE} (1 contrato)"
    )
    expect(contratos.get_by_role("rowheader", name=suyo.folio)).to_be_visible()
    expect(contratos).to_contain_text("OC 4500012345 limpieza de oficinas")
    trabajadores = page.get_by_role("table", name="Trabajadores informados en esos contratos")
    expect(trabajadores).to_contain_text(suyo.trabajadores.get().nss)
    _cabe_y_en_un_telefono_cada_contrato_es_una_tarjeta(page)
    expect(page.locator("main")).not_to_contain_text("Pedido 77 mantenimiento")
    expect(page.locator("main")).not_to_contain_text(RFC_FISICA)
    detalle = page.url
    with page.expect_download() as descarga:
        page.get_by_role("link", name="Constancia firmada por el portal (PDF)").click()
    with open(descarga.value.path(), "rb") as archivo:
        assert archivo.read(5) == b"%PDF-"

    # The contratista reads the accesses, then revokes after confirming.
    _menu(del_contratista, "Contratantes autorizados")
    del_contratista.get_by_role("link", name="Bitácora de accesos de tus contratantes").click()
    bitacora = del_contratista.get_by_role("table", name="Accesos de tus contratantes autorizados")
    expect(bitacora).to_contain_text("Ingreso con e.firma")
    expect(bitacora).to_contain_text(f"/contratante/informativas/{presentada.code}/")
    expect(bitacora).to_contain_text(f"Constancia-{presentada.folio_definitivo}-{RFC_CLIENTE}.pdf")
    _menu(del_contratista, "Contratantes autorizados")
    del_contratista.get_by_role("link", name=f"Revocar a {RFC_CLIENTE}").click()
    expect(del_contratista.get_by_role("heading", name="Revocar autorización")).to_be_visible()
    del_contratista.get_by_role("button", name="Sí, revocar").click()
    expect(del_contratista.get_by_text(f"Revocaste la autorización del RFC {RFC_CLIENTE}")).to_be_visible()
    assert not Autorizacion.objects.get(rfc_contratante=RFC_CLIENTE).vigente

    # The contratante is refused at once, in Spanish, and its next entry too.
    page.goto(detalle)
    expect(page.get_by_role("alert")).to_contain_text(services.MENSAJE_REVOCADA)
    expect(page.locator("main")).not_to_contain_text("OC 4500012345")
    page.context.clear_cookies()
    _ingresar_como_contratante(page, live_server.url, fiel_cliente)
    expect(page.get_by_role("alert").first).to_contain_text("Ningún contratista ha autorizado a tu RFC")
    del_contratista.context.close()


def test_a_company_that_is_contratista_and_contratante_enters_each_capacity_and_sees_only_its_pages(
    page: Page, live_server, contratista, otro_contratista, firma_lista, fiel
):
    # PEJJ800101AB6 names ESI920427886 as the contratante of a filing and authorises it.
    presentada = presentar_del_otro(
        otro_contratista,
        firma_lista,
        datos_contratante(contratista.rfc, razon_social="EMPRESA DE SERVICIOS INTEGRALES SA DE CV"),
    )
    services.autorizacion_otorgar(contratista=otro_contratista, rfc=contratista.rfc, usuario=otro_contratista.usuario)

    _ingresar_como_contratante(page, live_server.url, fiel)
    expect(page.get_by_role("heading", name="¿Cómo quieres entrar?")).to_be_visible()
    page.get_by_role("button", name="Entrar como contratante").click()

    expect(page.get_by_role("heading", name="Mis contratistas")).to_be_visible()
    expect(page.get_by_role("cell", name=presentada.folio_definitivo, exact=True)).to_be_visible()
    menu = page.get_by_role("navigation", name="Menú principal")
    expect(menu.get_by_role("link", name="Información del contratista")).to_have_count(0)
    expect(menu.get_by_role("link", name="Capturar informativa")).to_have_count(0)
    page.goto(live_server.url + "/informativas/")
    expect(page.get_by_text("Entraste como contratante")).to_be_visible()

    page.goto(live_server.url + "/contratante/")
    page.get_by_role("link", name="Entrar como contratista").click()
    page.get_by_role("button", name="Entrar como contratista").click()
    menu = page.get_by_role("navigation", name="Menú principal")
    expect(menu.get_by_role("link", name="Información del contratista")).to_be_visible()
    expect(menu.get_by_role("link", name="Mis contratistas")).to_have_count(0)
    _menu(page, "Contratantes autorizados")
    expect(page.get_by_role("heading", name="Contratantes autorizados")).to_be_visible()
    page.goto(live_server.url + "/contratante/")
    expect(page.get_by_role("heading", name="Acceso no permitido")).to_be_visible()
    expect(page.get_by_text(presentada.folio_definitivo)).to_have_count(0)
