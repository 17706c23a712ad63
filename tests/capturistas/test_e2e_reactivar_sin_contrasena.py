"""Reactivating a capturista who never set a password (issue 14): Alta -> Eliminar -> Activar through Chromium
sends a fresh activation link, which works; the old link says it was replaced by the newer one (issue 22)."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from capturistas.models import Relacion
from tests.capturistas.conftest import aceptar_terminos, dar_de_alta, ultima_liga

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _confirmar(page: Page, fila_texto: str, accion: str) -> None:
    page.get_by_role("row").filter(has_text=fila_texto).get_by_role("link", name=accion).click()
    page.get_by_role("button", name="Continuar").click()


def test_activar_sends_a_fresh_link_and_the_old_one_says_it_was_replaced(
    page: Page, live_server, settings, contratista, maria, entrar_como
):
    settings.ICSOE_BASE_URL = live_server.url
    aceptar_terminos(contratista.usuario)
    dar_de_alta(contratista, maria)
    liga_vieja = ultima_liga("maria@example.com")
    entrar_como(contratista.usuario)
    page.goto(live_server.url + "/usuarios/")

    _confirmar(page, maria.curp, "Eliminar")
    expect(page.get_by_text("Relación con el usuario en baja.")).to_be_visible()
    _confirmar(page, maria.curp, "Activar")

    expect(page.get_by_role("status")).to_contain_text(
        "Como aún no registra su contraseña, se le envió una nueva liga de activación a maria@example.com."
    )
    assert Relacion.objects.get(capturista__curp=maria.curp).estatus == Relacion.Estatus.REGISTRADA
    liga_nueva = ultima_liga("maria@example.com")
    assert liga_nueva != liga_vieja

    page.context.clear_cookies()
    page.goto(live_server.url + liga_vieja)
    expect(page.get_by_role("alert")).to_contain_text("se envió una liga más reciente")

    page.goto(live_server.url + liga_nueva)
    page.get_by_label("Contraseña nueva*:").fill("Tortuga-Azul-2026")
    page.get_by_label("Confirmar contraseña*:").fill("Tortuga-Azul-2026")
    page.get_by_role("button", name="Guardar Contraseña").click()
    expect(page.get_by_text("La contraseña se registró correctamente.")).to_be_visible()
