"""informativas' templates and tests mirror its sub-packages: a capability's pages live in
templates/informativas/<sub-package>/ and its tests in tests/informativas/<sub-package>/; only what several
capabilities share stays at the top."""

from __future__ import annotations

from tests.conftest import REPO

SUBPAQUETES = {p.parent.name for p in (REPO / "informativas").glob("*/__init__.py")} - {"management", "migrations"}

# Fragments included by the pages of more than one capability.
# The fragments several capabilities include (fragment_progreso: the carga's, nómina's and bloque's progress;
# fragment_listas_sat: the SAT lists' hits, at the Contratante tab's Validar, Firmar and the catálogo;
# fragment_listas_sat_resumen: the hits and the «Definitivo» checkboxes of the bloque's and nómina's summaries).
PLANTILLAS_COMPARTIDAS = {
    "fragment_contratante_contratos.html",
    "fragment_contratos_resumen.html",
    "fragment_fila_informativa.html",
    "fragment_listas_sat.html",
    "fragment_listas_sat_resumen.html",
    "fragment_paginacion.html",
    "fragment_pdf_estilos.html",
    "fragment_progreso.html",
}


def test_templates_of_informativas_mirror_its_sub_packages():
    raiz = REPO / "templates" / "informativas"
    carpetas = {p.name for p in raiz.iterdir() if p.is_dir()}
    sueltas = {p.name for p in raiz.glob("*.html")}

    assert carpetas <= SUBPAQUETES
    assert {"captura", "carga", "presentacion", "tablero"} <= carpetas
    assert sueltas == PLANTILLAS_COMPARTIDAS


def test_tests_of_informativas_mirror_its_sub_packages():
    raiz = REPO / "tests" / "informativas"
    carpetas = {p.name for p in raiz.iterdir() if p.is_dir() and (p / "__init__.py").exists()}

    assert carpetas <= SUBPAQUETES
    assert {"captura", "carga", "presentacion"} <= carpetas
