"""The README reads in the order a newcomer needs: what the portal is, the two commands, production with
docker compose, where things are; anything else comes after."""

from __future__ import annotations

import re

from tests.conftest import REPO

ORDEN = ["Two commands", "Production with docker compose", "Where things are"]


def test_the_readme_starts_with_what_the_portal_is_then_the_sections_in_order():
    texto = (REPO / "README.md").read_text(encoding="utf-8")
    secciones = re.findall(r"^## (.+)$", texto, re.M)
    introduccion = texto[: texto.index("\n## ")]

    assert secciones[: len(ORDEN)] == ORDEN
    assert "ICSOE" in introduccion and "e.firma" in introduccion  # what the portal is and who uses it
    produccion = texto[texto.index("## Production with docker compose") : texto.index("## Where things are")]
    assert "docker compose up -d --build" in produccion
    dos_comandos = texto[texto.index("## Two commands") : texto.index("## Production with docker compose")]
    assert "make run" in dos_comandos and "make test" in dos_comandos


def test_every_path_in_where_things_are_exists():
    texto = (REPO / "README.md").read_text(encoding="utf-8")
    tabla = texto[texto.index("## Where things are") :].split("\n## ")[0]
    rutas = re.findall(r"^\| `([^`]+)`", tabla, re.M)

    assert len(rutas) >= 8
    assert [r for r in rutas if not (REPO / r).exists()] == []


def _vistas_del_mapa() -> set[str]:
    texto = (REPO / "README.md").read_text(encoding="utf-8")
    mapa = texto[texto.index("**From a URL to its code.**") :].split("\n\n")[1]
    return set(re.findall(r"^\| `([^`]+)`", mapa, re.M))


def _modulos_de_las_urls(patrones, urlconf: str) -> set[str]:
    """The file of each URL's view, or of the URL module that includes it when the view is not ours
    (allauth's pages under /cuenta/); the admin is left out (the map points to each app's admin.py)."""
    from django.urls import URLResolver

    modulos = set()
    for patron in patrones:
        if isinstance(patron, URLResolver):
            if patron.app_name == "admin":
                continue
            hijo = getattr(patron.urlconf_name, "__name__", patron.urlconf_name)  # include() imports the module
            modulos |= _modulos_de_las_urls(patron.url_patterns, hijo)
            continue
        modulo = getattr(patron.callback, "__module__", "") or ""
        if modulo.split(".")[0] not in {"icsoe", "core", "accounts", "contratistas", "capturistas", "informativas"}:
            modulo = urlconf
        modulos.add(modulo.replace(".", "/") + ".py")
    return modulos


def test_the_url_map_names_the_file_of_every_urls_views():
    from django.urls import get_resolver

    modulos = _modulos_de_las_urls(get_resolver().url_patterns, "icsoe.urls")
    assert "informativas/nomina/views.py" in modulos  # the walk reaches the capabilities' views
    assert sorted(modulos - _vistas_del_mapa()) == []
