"""In Chromium (issue 24, finding 6): /admin/login/ flooded from the browser's own address says, in Spanish,
how long to wait, and staff whose browser logged in before get in at once. Time is moved by hand
(core.throttle.reloj); the live server runs in this process, so it sees the same clock."""

from __future__ import annotations

import re

import pytest
from django.core.cache import cache
from playwright.sync_api import Page, expect

from accounts import services
from accounts.freno import COOKIE
from core import throttle
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

NAVEGADOR = "127.0.0.1"  # the live server sees Chromium at this address


class Reloj:
    def __init__(self) -> None:
        self.ahora = 1_750_000_000.0

    def __call__(self) -> float:
        return self.ahora


@pytest.fixture(autouse=True)
def reloj(monkeypatch):
    cache.clear()
    reloj = Reloj()
    monkeypatch.setattr(throttle, "reloj", reloj)
    yield reloj
    cache.clear()


def _ingresar(page: Page, url: str, usuario: str, password: str) -> None:
    page.goto(url + "/admin/login/")
    page.locator("#id_username").fill(usuario)
    page.locator("#id_password").fill(password)
    page.locator("input[type=submit]").click()


def test_staff_get_in_from_their_browser_while_admin_login_is_flooded_from_their_address(
    page: Page, live_server, staff, reloj
):
    _ingresar(page, live_server.url, staff.username, PASSWORD)
    expect(page.get_by_role("heading", name=re.compile("Administración del portal ICSOE"))).to_be_visible()
    dispositivo = [c for c in page.context.cookies() if c["name"] == COOKIE]
    page.context.clear_cookies()  # the session ends; the browser keeps its device cookie
    for _ in range(40):  # wrong passwords for the staff account, from this same address
        reloj.ahora += 0.2
        services.contrasena_fallo(cuenta=staff.username, ip=NAVEGADOR, dispositivo=None)

    _ingresar(page, live_server.url, staff.username, PASSWORD)  # without the cookie: one of the flood
    aviso = page.get_by_text(re.compile("Hubo varios intentos fallidos con este usuario desde tu conexión"))
    expect(aviso).to_be_visible()
    expect(aviso).to_contain_text(re.compile(r"Espera \d+ minutos? y vuelve a intentarlo\."))

    page.context.add_cookies(dispositivo)
    _ingresar(page, live_server.url, staff.username, PASSWORD)
    expect(page.get_by_role("heading", name=re.compile("Administración del portal ICSOE"))).to_be_visible()
