"""The throttle's messages in Chromium (issue 13 finding 3, issue 14 defect 13): when an address must wait, the
e.firma login and the CURP login say how long and what to do, never blame the person for other people's
failures, and let them in once the short wait is over. Time is moved by hand (core.throttle.reloj); the live
server runs in this process, so it sees the same clock."""

from __future__ import annotations

import importlib
import re

import pytest
from django.core.cache import cache
from django.utils import timezone
from playwright.sync_api import Page, expect

from accounts.models import TerminosCondiciones
from contratistas.freno_efirma import EFIRMA_POR_DIRECCION
from core import throttle
from tests.conftest import PASSWORD
from tests.efirma_sat import FIEL_EKU

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


def test_the_efirma_login_under_a_flood_from_its_network_says_to_wait_and_then_lets_the_person_in(
    page: Page, live_server, reloj
):
    migracion = importlib.import_module("accounts.migrations.0002_terminos_iniciales")
    TerminosCondiciones.objects.get_or_create(
        version="1.0", defaults={"texto": migracion.TEXTO, "vigente_desde": timezone.now(), "activo": True}
    )
    # Other people behind the same address have failed past the budget (as a flood would).
    for _ in range(EFIRMA_POR_DIRECCION.presupuesto + 1):
        throttle.fallo_registrar(claves=[(EFIRMA_POR_DIRECCION, NAVEGADOR)])

    page.goto(live_server.url + "/acceso/efirma/")
    page.get_by_label("RFC").fill(FIEL_EKU.rfc)
    page.get_by_label("Certificado").set_input_files(str(FIEL_EKU.cer))
    page.get_by_label(re.compile(r"^Llave privada")).set_input_files(str(FIEL_EKU.key))
    page.get_by_label("Contraseña de la Llave privada").fill(FIEL_EKU.password)
    page.get_by_role("button", name="Ingresar").click()

    aviso = page.get_by_text(re.compile("muchos intentos fallidos de e.firma desde tu red"))
    expect(aviso).to_be_visible()
    expect(aviso).to_contain_text("pueden ser de otras personas que comparten tu conexión")
    expect(aviso).to_contain_text("espera 2 segundos y vuelve a intentarlo; tu e.firma no está bloqueada.")
    expect(page.get_by_label("RFC")).to_have_value(FIEL_EKU.rfc)  # what was typed is kept

    reloj.ahora += 2
    page.get_by_label("Certificado").set_input_files(str(FIEL_EKU.cer))
    page.get_by_label(re.compile(r"^Llave privada")).set_input_files(str(FIEL_EKU.key))
    page.get_by_label("Contraseña de la Llave privada").fill(FIEL_EKU.password)
    page.get_by_role("button", name="Ingresar").click()
    expect(page.get_by_role("heading", name="Términos y condiciones")).to_be_visible()


def _ingresar(page: Page, url: str, curp: str, password: str) -> None:
    page.goto(url + "/acceso/")
    page.get_by_label("Usuario (CURP)").fill(curp)
    page.get_by_label("Contraseña").fill(password)
    page.get_by_role("button", name="Ingresar").click()


def test_the_capturista_gets_in_at_once_from_its_own_browser_while_its_curp_is_guessed_behind_its_address(
    page: Page, live_server, capturista, reloj
):
    """Issue 24, finding 5: the browser it logged in from before keeps a device cookie, so guesses from its
    own address (an office's NAT, or an attacker next to it) and from elsewhere never make it wait."""
    from accounts import services
    from accounts.freno import COOKIE

    _ingresar(page, live_server.url, capturista.curp, PASSWORD)
    expect(page.get_by_role("link", name="Seleccionar Contratista")).to_be_visible()
    dispositivo = [c for c in page.context.cookies() if c["name"] == COOKIE]
    assert dispositivo and dispositivo[0]["httpOnly"]
    page.context.clear_cookies()  # the session ends; the browser keeps its device cookie
    page.context.add_cookies(dispositivo)
    for n in range(40):  # others keep guessing, from this browser's address and from others
        reloj.ahora += 1
        services.contrasena_fallo(cuenta=capturista.curp, ip=NAVEGADOR if n % 2 else f"192.0.2.{n}", dispositivo=None)

    _ingresar(page, live_server.url, capturista.curp, PASSWORD)

    expect(page.get_by_role("link", name="Seleccionar Contratista")).to_be_visible()


def test_the_curp_login_after_a_mistype_during_an_attack_says_it_is_not_locked_and_lets_the_owner_in(
    page: Page, live_server, capturista, reloj
):
    from accounts import services

    for n in range(services.CUENTA.presupuesto + 6):  # others, from other addresses, at the pace allowed
        reloj.ahora += 30
        services.contrasena_fallo(cuenta=capturista.curp, ip=f"192.0.2.{n + 1}", dispositivo=None)

    _ingresar(page, live_server.url, capturista.curp, "Contrasena-Segura-2026")  # a mistype: this address failed
    expect(page.get_by_text(re.compile("no son correctos"))).to_be_visible()
    page.get_by_label("Contraseña").fill(PASSWORD)
    page.get_by_role("button", name="Ingresar").click()

    aviso = page.get_by_text(re.compile("no necesariamente tuyos"))
    expect(aviso).to_be_visible()
    expect(aviso).to_contain_text("espera 30 segundos y vuelve a intentarlo; tu cuenta no está bloqueada.")
    expect(page.get_by_label("Usuario (CURP)")).to_have_value(capturista.curp)

    reloj.ahora += 30
    page.get_by_label("Contraseña").fill(PASSWORD)
    page.get_by_role("button", name="Ingresar").click()
    expect(page.get_by_role("link", name="Seleccionar Contratista")).to_be_visible()
