"""How the portal speaks, through Chromium (issue 14): the capturista login has one "forgot password" link;
Django's and allauth's stock messages say tú and name the field (the login, the password page, the admin
login, a number below its minimum)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.capturistas.conftest import aceptar_terminos, dar_de_alta, maria, ultima_liga  # noqa: F401 (fixture)
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.e2e, pytest.mark.solo_make_run, pytest.mark.django_db(transaction=True)]

USTED = re.compile(r"Su contraseña|Ha iniciado sesión|Asegúrese|Introduzca|introduza|Seleccione una|Inténtelo|ha indicado")


def _sin_usted(page: Page) -> None:
    assert not USTED.search(page.locator("body").inner_text()), page.locator("body").inner_text()


def test_the_capturista_login_has_one_forgot_password_link(page: Page, live_server):
    page.goto(live_server.url + "/acceso/")

    expect(page.get_by_role("link", name=re.compile("olvidado|olvidaste", re.I))).to_have_count(1)
    expect(page.get_by_role("link", name="¿Olvidaste tu contraseña?")).to_have_count(1)


def test_the_login_names_each_empty_field_and_speaks_as_tu(page: Page, live_server, capturista, settings):
    settings.ACCOUNT_RATE_LIMITS = {"login_failed": "1000/m/ip,1000/m/key"}
    page.goto(live_server.url + "/acceso/")

    page.get_by_role("button", name="Ingresar").click()

    expect(page.get_by_text("El campo «Usuario (CURP)» es obligatorio.")).to_be_visible()
    expect(page.get_by_text("El campo «Contraseña» es obligatorio.")).to_be_visible()
    expect(page.get_by_text("Este campo es obligatorio.")).to_have_count(0)

    page.get_by_label("Usuario (CURP)").fill(capturista.curp)
    page.get_by_label("Contraseña").fill("no-es-la-clave")
    page.get_by_role("button", name="Ingresar").click()
    expect(page.get_by_role("alert")).to_contain_text("El usuario (CURP) o la contraseña no son correctos.")
    _sin_usted(page)


def test_the_password_page_speaks_as_tu(page: Page, live_server, settings, contratista, maria):
    settings.ICSOE_BASE_URL = live_server.url
    aceptar_terminos(contratista.usuario)
    dar_de_alta(contratista, maria)
    page.goto(live_server.url + ultima_liga("maria@example.com"))
    expect(page.get_by_text("Tu contraseña no puede tener sólo números.")).to_be_visible()
    _sin_usted(page)

    page.get_by_label("Contraseña nueva*:").fill("12345678")
    page.get_by_label("Confirmar contraseña*:").fill("12345678")
    page.get_by_role("button", name="Guardar Contraseña").click()

    expect(page.get_by_text("Tu contraseña es muy común: elige otra.")).to_be_visible()
    _sin_usted(page)


def test_the_admin_login_speaks_as_tu(page: Page, live_server, staff):
    page.goto(live_server.url + "/admin/login/")
    page.get_by_label(re.compile("usuario", re.I)).fill(staff.username)
    page.get_by_label("Contraseña").fill(PASSWORD + "x")
    page.get_by_role("button", name=re.compile("Iniciar sesión|Identificarse")).click()

    expect(page.locator(".errornote")).to_contain_text("Escribe el")
    expect(page.locator(".errornote")).to_contain_text("y la contraseña correctos de una cuenta del personal")
    _sin_usted(page)
