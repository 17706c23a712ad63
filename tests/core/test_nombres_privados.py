"""No module of the portal imports another module's private names (``_name``): a helper two modules share is
public in one of them, or lives in a shared module. ruff's rule for this (PLC2701) is preview-only in the
pinned ruff and lets a package's modules import each other's private names, which this check does not."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]

APPS = ("icsoe", "core", "firma", "accounts", "contratistas", "capturistas", "informativas", "plazos", "recordatorios", "demo")


def _modulos() -> list[Path]:
    return sorted(p for app in APPS for p in (REPO / app).rglob("*.py") if "migrations" not in p.parts)


def _nombre(ruta: Path) -> str:
    partes = ruta.relative_to(REPO).with_suffix("").parts
    return ".".join(partes[:-1] if partes[-1] == "__init__" else partes)


def _origen(ruta: Path, nodo: ast.ImportFrom) -> str:
    """The absolute name of the module a ``from … import`` reads, relative imports resolved."""
    if not nodo.level:
        return nodo.module or ""
    paquete = _nombre(ruta).split(".")
    if ruta.name != "__init__.py":
        paquete = paquete[:-1]
    base = paquete[: len(paquete) - (nodo.level - 1)]
    return ".".join([*base, nodo.module] if nodo.module else base)


def _privados_importados(ruta: Path) -> list[str]:
    propio = _nombre(ruta)
    hallados = []
    for nodo in ast.walk(ast.parse(ruta.read_text(encoding="utf-8"))):
        if not isinstance(nodo, ast.ImportFrom):
            continue
        origen = _origen(ruta, nodo)
        if origen.split(".")[0] not in APPS or origen == propio:
            continue
        for alias in nodo.names:
            if alias.name.startswith("_") and not alias.name.startswith("__"):
                hallados.append(f"{ruta.relative_to(REPO)}:{nodo.lineno}: {alias.name} from {origen}")
    return hallados


def test_no_module_imports_another_modules_private_names():
    assert _modulos(), "no module found: the app list is wrong"
    hallados = [h for ruta in _modulos() for h in _privados_importados(ruta)]
    assert hallados == []


@pytest.mark.parametrize(
    ("codigo", "esperado"),
    [
        ("from informativas.captura.views import _paso\n", ["_paso from informativas.captura.views"]),
        ("from .views import _paso\n", ["_paso from informativas.carga.views"]),
        ("from ..vistas_comunes import _x\n", ["_x from informativas.vistas_comunes"]),
        ("from informativas.carga.motor import _leer_csv\n", []),  # its own private name
        ("from informativas.carga.views import paso_url, __version__\n", []),
        ("from django.utils import _os\n", []),  # not ours
    ],
)
def test_the_check_sees_absolute_and_relative_imports_of_private_names(tmp_path, monkeypatch, codigo, esperado):
    raiz = tmp_path / "informativas" / "carga"
    raiz.mkdir(parents=True)
    modulo = raiz / "motor.py"
    modulo.write_text(codigo, encoding="utf-8")
    monkeypatch.setattr(f"{__name__}.REPO", tmp_path)
    assert [h.split(": ", 1)[1] for h in _privados_importados(modulo)] == esperado
