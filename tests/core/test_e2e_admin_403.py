"""A refused admin request (issue 14, defect 22): its 403 page is drawn in the admin's layout, not the
contratista portal's; a 403 in the portal keeps the portal's layout."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_forged_admin_request_gets_its_403_in_the_admin_layout(page: Page, live_server, staff, entrar_como):
    entrar_como(staff)

    respuesta = page.goto(live_server.url + "/admin/informativas/informativa/add/")  # no "add" link: forged

    assert respuesta.status == 403
    expect(page.locator("#site-name")).to_contain_text("ICSOE · Administración IMSS")
    expect(page.get_by_role("heading", name="Acceso no permitido")).to_be_visible()
    expect(page.get_by_role("link", name="Regresar a la administración")).to_be_visible()
    expect(page.get_by_role("navigation", name="Menú principal")).to_have_count(0)


def test_a_403_in_the_portal_keeps_the_portal_layout(page: Page, live_server, capturista, contratista, entrar_como):
    entrar_como(capturista, contratista_code=str(contratista.code))

    respuesta = page.goto(live_server.url + "/usuarios/alta/")  # the contratista's own screen

    assert respuesta.status == 403
    expect(page.get_by_role("heading", name="Acceso no permitido")).to_be_visible()
    expect(page.locator("#site-name")).to_have_count(0)
