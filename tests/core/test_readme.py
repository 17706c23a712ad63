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
