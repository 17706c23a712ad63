"""IMSS staff reaching the portal's pages (the admin's «Ver el sitio») see a menu with only what they may open:
no Informativa group (every page of it answers 403 to them; the make run crawl found those six links), and
a link back to the admin."""

from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.django_db


def _ligas_del_menu(client) -> list[str]:
    pagina = client.get("/inicio/").content.decode()
    menu = re.search(r'<nav class="menu" aria-label="Menú principal">(.*?)</nav>', pagina, re.S).group(1)
    return re.findall(r'href="([^"]+)"', menu)


def test_staff_menu_links_only_pages_staff_may_open(client, staff):
    client.force_login(staff)

    ligas = _ligas_del_menu(client)

    assert ligas == ["/inicio/", "/admin/"]
    for liga in ligas:
        assert client.get(liga).status_code == 200


def test_a_capturista_still_sees_the_informativa_group(client, capturista):
    client.force_login(capturista)

    ligas = _ligas_del_menu(client)

    assert "/informativas/" in ligas and "/informativas/tablero/" in ligas and "/admin/" not in ligas
