"""Browser journeys through Debian's Chromium."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.conftest import PASSWORD

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_the_landing_page_and_the_admin_login_open_in_chromium(page: Page, live_server, staff):
    page.goto(live_server.url + "/")
    expect(page).to_have_title(re.compile("ICSOE"))
    expect(page.get_by_role("link", name="Ingresar con E.Firma")).to_be_visible()
    expect(page.get_by_role("link", name="Ingresar con Usuario y contraseña")).to_be_visible()

    page.goto(live_server.url + "/admin/")
    expect(page.get_by_text("ICSOE · Administración IMSS")).to_be_visible()
    page.fill("#id_username", "imss")
    page.fill("#id_password", PASSWORD)
    page.locator("input[type=submit]").click()
    expect(page.get_by_text("Administración del portal ICSOE")).to_be_visible()


def test_a_capturista_logs_in_with_curp_through_the_browser(page: Page, live_server, capturista):
    page.goto(live_server.url + "/")
    page.get_by_role("link", name="Ingresar con Usuario y contraseña").click()

    page.get_by_label("Usuario (CURP)").fill(capturista.curp)
    page.get_by_label("Contraseña").fill("mal")
    page.get_by_role("button", name="Ingresar").click()
    expect(page.get_by_role("alert")).to_contain_text("no son correctos")
    expect(page.get_by_label("Usuario (CURP)")).to_have_value(capturista.curp)

    page.get_by_label("Contraseña").fill(PASSWORD)
    page.get_by_role("button", name="Ingresar").click()
    expect(page.get_by_role("region", name="Perfil del usuario")).to_contain_text("Capturista")


def test_a_contratista_session_shows_the_administracion_menu(page: Page, live_server, contratista, entrar_como):
    entrar_como(contratista.usuario)

    page.goto(live_server.url + "/inicio/")

    expect(page.get_by_role("navigation", name="Menú principal")).to_contain_text("Alta de usuarios")
    expect(page.get_by_role("region", name="Perfil del usuario")).to_contain_text(contratista.rfc)
