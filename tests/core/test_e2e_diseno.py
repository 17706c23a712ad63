"""The layout as users see it in Chromium: tables that show their actions (1280 px and 390 px), the menu that
folds on a phone without JavaScript, the favicon, the fonts shipped with the portal, the notice that this is
not the IMSS site, and the warning before the session expires that keeps what was typed.

Screenshots of the bandeja, the consulta de usuarios and the wizard at both widths are written to
ICSOE_CAPTURAS_DIR when it is set (docs/capturas/ holds the ones in the repository), else to a temporary folder.
"""

from __future__ import annotations

import os
import re
import time
from pathlib import Path

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from accounts.models import User
from capturistas.models import Relacion
from tests.informativas.conftest import (  # noqa: F401  (fixtures)
    contratista,
    contrato,
    hoy_fijo,
    informativa,
    padron_sat,
    trabajador,
)

pytestmark = [pytest.mark.e2e, pytest.mark.solo_make_run, pytest.mark.django_db(transaction=True)]


def _capturistas(contratista, n: int) -> None:
    from tests.informativas.datos import curp

    for i in range(n):
        usuario = User.objects.create_user(
            username=curp(300 + i), password=None, rol=User.Rol.CAPTURISTA, curp=curp(300 + i),
            nombre_completo=f"CAPTURISTA DE PRUEBA NÚMERO {i} CON NOMBRE LARGO", email=f"capturista{i}@example.com",
        )
        Relacion.objects.create(
            contratista=contratista, capturista=usuario, estatus=Relacion.Estatus.REGISTRADA, telefono="5512345678",
            correo=f"capturista.con.correo.largo{i}@empresa-de-servicios.example.com", usuario_alta=contratista.usuario,
        )


def _acciones_visibles(page: Page, tabla: str, ancho: int) -> list[str]:
    """The table's links and buttons that are outside the screen (none should be)."""
    return page.evaluate(
        """([sel, ancho]) => [...document.querySelectorAll(sel + ' a, ' + sel + ' button')]
            .filter(e => { const r = e.getBoundingClientRect(); return r.width === 0 || r.left < 0 || r.right > ancho; })
            .map(e => e.textContent.trim())""",
        [tabla, ancho],
    )


def _capturas() -> Path | None:
    return Path(os.environ["ICSOE_CAPTURAS_DIR"]) if os.environ.get("ICSOE_CAPTURAS_DIR") else None


@pytest.mark.parametrize("ancho", [1280, 390])
def test_tables_show_every_action_without_scrolling_sideways(
    page: Page, live_server, contratista, trabajador, entrar_como, ancho, tmp_path
):
    _capturistas(contratista, 3)
    informativa = trabajador.contrato.informativa
    entrar_como(contratista.usuario)
    page.set_viewport_size({"width": ancho, "height": 900})
    carpeta = _capturas() or tmp_path

    page.goto(live_server.url + reverse("capturistas:consulta"))
    caja = page.locator(".tabla-envoltura").first
    assert caja.evaluate("e => e.scrollWidth <= e.clientWidth + 1"), "la tabla de usuarios se desborda"
    assert _acciones_visibles(page, "table[aria-label='Usuarios capturistas']", ancho) == []
    fila = page.locator("table[aria-label='Usuarios capturistas'] tbody tr").first
    for accion in ("Editar", "Enviar email", "Eliminar"):
        boton = fila.get_by_role("link", name=accion).or_(fila.get_by_role("button", name=accion))
        boton.scroll_into_view_if_needed()
        expect(boton).to_be_in_viewport()
        assert page.evaluate("() => window.scrollX") == 0
    page.screenshot(path=str(carpeta / f"consulta-usuarios-{ancho}.png"), full_page=True)

    page.goto(live_server.url + reverse("informativas:bandeja"))
    assert page.locator(".tabla-envoltura").first.evaluate("e => e.scrollWidth <= e.clientWidth + 1")
    assert _acciones_visibles(page, "#bandeja", ancho) == []
    capturar = page.locator(f'#bandeja tr[data-informativa="{informativa.code}"]').get_by_role("link", name="Capturar")
    capturar.scroll_into_view_if_needed()
    expect(capturar).to_be_in_viewport()
    page.screenshot(path=str(carpeta / f"bandeja-{ancho}.png"), full_page=True)

    page.goto(live_server.url + reverse("informativas:paso_contrato", args=[informativa.code, trabajador.contrato.code, "trabajadores"]))
    assert _acciones_visibles(page, "#trabajadores", ancho) == []
    page.screenshot(path=str(carpeta / f"asistente-trabajadores-{ancho}.png"), full_page=True)
    page.goto(live_server.url + reverse("informativas:paso", args=[informativa.code, "contratante"]))
    page.screenshot(path=str(carpeta / f"asistente-contratante-{ancho}.png"), full_page=True)


@pytest.mark.parametrize("javascript", [True, False])
def test_on_a_phone_the_menu_is_folded_and_opens_without_javascript(browser, live_server, contratista, javascript):
    from django.conf import settings
    from django.test import Client

    cliente = Client()
    cliente.force_login(contratista.usuario)
    contexto = browser.new_context(viewport={"width": 390, "height": 844}, java_script_enabled=javascript)
    contexto.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cliente.cookies[settings.SESSION_COOKIE_NAME].value, "url": live_server.url}])
    page = contexto.new_page()
    try:
        page.goto(live_server.url + reverse("informativas:bandeja"))
        menu = page.get_by_role("navigation", name="Menú principal")
        expect(menu.get_by_role("link", name="Capturar informativa")).to_be_hidden()
        expect(page.get_by_role("heading", name="Informativas en captura")).to_be_in_viewport()
        page.locator("summary", has_text="Menú").click()
        expect(menu.get_by_role("link", name="Capturar informativa")).to_be_visible()
        menu.get_by_role("link", name="Consulta de informativas").click()
        expect(page.get_by_role("heading", name="Consulta de informativas")).to_be_visible()

        page.set_viewport_size({"width": 1280, "height": 900})
        page.reload()
        expect(page.locator("summary", has_text="Menú")).to_be_hidden()
        expect(menu.get_by_role("link", name="Capturar informativa")).to_be_visible()
    finally:
        contexto.close()


def test_every_page_has_its_favicon_fonts_and_the_not_official_notice(page: Page, live_server):
    fallidas = []
    page.on("response", lambda r: fallidas.append(r.url) if r.status >= 400 else None)
    page.goto(live_server.url + "/")
    page.wait_for_load_state("networkidle")
    assert fallidas == []
    icono = page.locator("link[rel=icon]").get_attribute("href")
    assert page.request.get(live_server.url + icono).status == 200
    expect(page.locator("html")).to_have_attribute("lang", "es-MX")
    expect(page.get_by_text("no es el sitio oficial del IMSS").first).to_be_visible()
    fuentes = page.evaluate(
        "async () => { await document.fonts.ready; return [...document.fonts].filter(f => f.status === 'loaded').map(f => f.family + ' ' + f.weight); }"
    )
    assert any("Noto Sans" in f for f in fuentes) and any("Montserrat" in f for f in fuentes), fuentes
    radio = page.locator(".boton").first.evaluate("e => getComputedStyle(e).borderTopLeftRadius")
    assert radio == "4px"


def test_the_wizard_shows_no_developer_text_and_styles_the_contratista_data(
    page: Page, live_server, contratista, informativa, entrar_como
):
    entrar_como(contratista.usuario)
    page.goto(live_server.url + reverse("informativas:paso", args=[informativa.code, "contratista"]))
    expect(page.get_by_text("Sin JavaScript")).to_have_count(0)
    datos = page.locator("dl.datos")
    assert datos.evaluate("e => getComputedStyle(e).display") == "grid"
    assert datos.locator("dd").first.evaluate("e => getComputedStyle(e).marginLeft") == "0px"
    # The "*" of a required question stays on the line of its last word, even in a narrow column
    page.set_viewport_size({"width": 390, "height": 844})
    pregunta = page.locator(".campo__pregunta").first
    lineas = pregunta.evaluate(
        "e => { const r = document.createRange(); r.selectNodeContents(e); const rects = [...r.getClientRects()];"
        " const t = e.textContent; const fin = document.createRange(); const n = e.firstChild;"
        " fin.setStart(n, t.length - 1); fin.setEnd(n, t.length); const a = fin.getBoundingClientRect();"
        " fin.setStart(n, t.length - 3); fin.setEnd(n, t.length - 2); const b = fin.getBoundingClientRect();"
        " return Math.abs(a.top - b.top); }"
    )
    assert lineas < 2, "el * quedó en otra línea"


def test_the_session_warns_before_it_expires_and_seguir_trabajando_keeps_it(
    page: Page, live_server, contratista, informativa, entrar_como, settings
):
    settings.SESSION_COOKIE_AGE = 12
    settings.ICSOE_SESION_AVISO = 6
    entrar_como(contratista.usuario)
    page.goto(live_server.url + reverse("informativas:paso", args=[informativa.code, "contratante"]))
    page.locator("#id_correo").fill("compras@cliente.mx")
    dialogo = page.get_by_role("dialog", name="Tu sesión está por expirar")
    expect(dialogo).to_be_visible(timeout=12_000)
    expect(dialogo.get_by_role("button", name="Seguir trabajando")).to_be_focused()
    dialogo.get_by_role("button", name="Seguir trabajando").click()
    expect(dialogo).to_be_hidden()
    time.sleep(8)  # past the first expiry: the keep-alive renewed the session on the server
    assert page.request.get(live_server.url + reverse("informativas:bandeja"), max_redirects=0).status == 200
    expect(page.locator("#id_correo")).to_have_value("compras@cliente.mx")


def test_when_the_session_expires_what_was_typed_comes_back_after_logging_in_again(
    page: Page, live_server, contratista, informativa, entrar_como, settings
):
    settings.SESSION_COOKIE_AGE = 6
    settings.ICSOE_SESION_AVISO = 3
    entrar_como(contratista.usuario)
    url = live_server.url + reverse("informativas:paso", args=[informativa.code, "contratante"])
    page.goto(url)
    page.locator("#id_rfc").fill("CLI010101AB5")
    page.locator("#id_correo").fill("compras@cliente.mx")
    expirada = page.get_by_role("dialog").get_by_role("heading", name="Tu sesión expiró")
    expect(expirada).to_be_visible(timeout=12_000)
    # The page's timer and the server's expiry are counted from two clocks a moment apart: wait until the
    # server has dropped the session too (bounded), so the link really leads to the login.
    bandeja = live_server.url + reverse("informativas:bandeja")
    for _ in range(50):
        if page.request.get(bandeja, max_redirects=0).status == 302:
            break
        time.sleep(0.2)
    page.get_by_role("link", name="Ingresar de nuevo").click()
    expect(page).to_have_url(re.compile(r"/acceso/"))

    settings.SESSION_COOKIE_AGE = 3600
    entrar_como(contratista.usuario)
    page.goto(url)
    expect(page.locator("#id_correo")).to_have_value("compras@cliente.mx")
    expect(page.locator("#id_rfc")).to_have_value("CLI010101AB5")
    expect(page.get_by_text("Recuperamos lo que habías capturado")).to_be_visible()
    page.reload()  # restored once, then forgotten
    expect(page.get_by_text("Recuperamos lo que habías capturado")).to_be_hidden()
