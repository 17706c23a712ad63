"""In Chromium: a capturista's account pages. allauth's email page is gone ("Página no encontrada"), and the
password change asks for the current password: a wrong one changes nothing, the right one does."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.conftest import PASSWORD

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

NUEVA = "Nueva-Clave-Segura-2026"


def test_the_email_page_is_gone_and_the_password_change_needs_the_current_password(
    page: Page, live_server, capturista, contratista, entrar_como
):
    entrar_como(capturista, contratista_code=str(contratista.code))

    for ruta in ("/cuenta/email/", "/cuenta/password/set/", "/cuenta/reauthenticate/"):
        respuesta = page.goto(live_server.url + ruta)
        assert respuesta.status == 404
        expect(page.get_by_role("heading", name="Página no encontrada")).to_be_visible()

    page.goto(live_server.url + "/cuenta/password/change/")
    page.locator('input[name=oldpassword]').fill("no-es-la-mia")
    page.locator('input[name=password1]').fill(NUEVA)
    page.locator('input[name=password2]').fill(NUEVA)
    with page.expect_navigation():
        page.locator("form [type=submit]").last.click()
    expect(page.locator('input[name=oldpassword]')).to_be_visible()  # the form again, with its error
    expect(page.get_by_text("Escribe tu contraseña actual: la que usas para ingresar.")).to_be_visible()
    capturista.refresh_from_db()
    assert capturista.check_password(PASSWORD)

    page.locator('input[name=oldpassword]').fill(PASSWORD)
    page.locator('input[name=password1]').fill(NUEVA)
    page.locator('input[name=password2]').fill(NUEVA)
    with page.expect_navigation():
        page.locator("form [type=submit]").last.click()
    expect(page.get_by_text("Contraseña cambiada con éxito.")).to_be_visible()
    capturista.refresh_from_db()
    assert capturista.check_password(NUEVA)
