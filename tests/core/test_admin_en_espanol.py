"""The IMSS staff's admin (issue 22): every app header in Spanish, the date and time widgets' messages in tú
(the project's djangojs.po over Django's admin JavaScript catalog), and a favicon at /favicon.ico."""

from __future__ import annotations

import re

import pytest
from django.contrib.staticfiles import finders

pytestmark = pytest.mark.django_db

def test_the_admin_index_has_no_english_app_header(client, staff):
    client.force_login(staff)

    respuesta = client.get("/admin/")

    nombres = [app["name"] for app in respuesta.context["app_list"]]
    assert "Usuarios, términos y registro CURP" in nombres and "Correos y bitácora" in nombres
    assert not [n for n in nombres if n.lower() in {"accounts", "core"}], nombres
    html = respuesta.content.decode()
    for etiqueta in ("Accounts", "Core", "ACCOUNTS", "CORE"):
        assert f">{etiqueta}<" not in html


def test_the_admin_javascript_catalog_speaks_in_tu(client, staff):
    client.force_login(staff)

    js = client.get("/admin/jsi18n/").content.decode()

    assert "Usted" not in js and "usted" not in js
    assert "Nota: vas %s horas adelante de la hora del servidor." in js
    assert "Nota: vas %s hora atr\\u00e1s de la hora del servidor." in js
    assert "Escribe en este cuadro para filtrar la lista de %s disponibles." in js
    # No widget message left in usted: "Elija", "Escriba", "Haga", "use el botón", "Ha seleccionado"...
    formas_usted = re.compile(r"\b(Elija|Escriba|Haga|haga|use el|Ha seleccionado|Tiene cambios|Deber\\u00e1)\b")
    assert formas_usted.findall(js) == []


def test_favicon_ico_is_served_on_every_page_including_the_admin(client):
    respuesta = client.get("/favicon.ico", follow=True)

    assert respuesta.status_code == 200
    assert respuesta.redirect_chain and respuesta.redirect_chain[0][1] == 302
    icono = b"".join(respuesta.streaming_content) if respuesta.streaming else respuesta.content
    with open(finders.find("img/favicon.svg"), "rb") as f:
        assert icono == f.read()


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
def test_an_admin_page_in_chromium_loads_with_no_404_and_in_spanish(page, live_server, staff, entrar_como):
    from playwright.sync_api import expect

    fallidas: list[str] = []
    page.on("response", lambda r: fallidas.append(f"{r.status} {r.url}") if r.status >= 400 else None)
    entrar_como(staff)

    page.goto(live_server.url + "/admin/informativas/informativa/")
    page.wait_for_load_state("networkidle")

    assert page.request.get(live_server.url + "/favicon.ico").status == 200
    expect(page.get_by_role("link", name="Correos y bitácora")).to_be_visible()
    assert fallidas == []
