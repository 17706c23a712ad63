"""The two passes of `make test` select their tests by rule (tests/conftest.py): checked on pytest's own
collection, in a fresh process for each pass."""

from __future__ import annotations

import os
import subprocess
import sys

from tests.conftest import REPO

# A journey marked make_run, one that is not, a test of PostgreSQL's plan (solo_postgresql), a fault test
# (listed by folder), a file listed by name, and plain database tests.
ARCHIVOS = [
    "tests/informativas/captura/test_e2e_captura.py",
    "tests/informativas/test_selectors.py",
    "tests/faults/test_redis.py",
    "tests/firma/test_sat.py",
    "tests/plazos/test_reloj.py",
]
SOLO_EN_MAKE_RUN = '''
import pytest


@pytest.mark.solo_make_run
def test_solo_en_make_run():
    pass


def test_en_las_dos():
    pass
'''


def _selecciones(*pedidos: tuple[str | None, tuple[str, ...], tuple[str, ...]]) -> list[set[str]]:
    """Each (pass, paths, extra options)'s collection, in its own fresh process; the processes run at the same
    time (each is mostly interpreter and Django start-up), and the answers come back in the order asked."""
    procesos = []
    for pasada, rutas, conftest in pedidos:
        env = {k: v for k, v in os.environ.items() if k != "ICSOE_PASADA"}
        if pasada:
            env["ICSOE_PASADA"] = pasada
        procesos.append(subprocess.Popen(
            [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", *conftest, "--collect-only", "-q",
             "--rootdir", str(REPO), "-c", str(REPO / "pyproject.toml"), *rutas],
            cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        ))
    selecciones = []
    for proceso in procesos:
        try:
            salida, errores = proceso.communicate(timeout=300)
        except subprocess.TimeoutExpired:
            proceso.kill()
            raise
        assert proceso.returncode == 0, salida + errores
        selecciones.append({linea.split("[")[0] for linea in salida.splitlines() if "::" in linea})
    return selecciones


def _de(seleccion: set[str], archivo: str) -> set[str]:
    return {t.split("::", 1)[1] for t in seleccion if t.startswith(archivo)}


def test_the_make_run_pass_takes_the_database_tests_and_the_journeys_marked_make_run():
    primera, segunda = _selecciones(("postgresql", tuple(ARCHIVOS), ()), ("make_run", tuple(ARCHIVOS), ()))

    e2e = "tests/informativas/captura/test_e2e_captura.py"
    assert "test_a_large_carga_shows_its_progress_and_finishes_without_a_manual_reload" in _de(segunda, e2e)
    assert "test_a_second_normal_for_the_period_is_refused_in_the_browser" not in _de(segunda, e2e)
    assert _de(segunda, e2e) < _de(primera, e2e)
    selectors = "tests/informativas/test_selectors.py"
    plan = "test_a_contracts_page_is_read_from_its_own_index_never_by_walking_the_table"  # solo_postgresql
    assert "test_a_contracts_trabajadores_are_listed_in_capture_order" in _de(segunda, selectors)
    assert plan in _de(primera, selectors)
    assert _de(segunda, selectors) == _de(primera, selectors) - {plan}
    assert _de(segunda, "tests/faults/") == set() and _de(segunda, "tests/firma/test_sat.py") == set()
    assert _de(primera, "tests/faults/") and _de(primera, "tests/firma/test_sat.py")
    assert _de(segunda, "tests/plazos/test_reloj.py") == _de(primera, "tests/plazos/test_reloj.py") != set()


def test_a_test_marked_solo_make_run_runs_in_the_second_pass_only(tmp_path):
    (tmp_path / "test_solo.py").write_text(SOLO_EN_MAKE_RUN, encoding="utf-8")
    archivo = str(tmp_path / "test_solo.py")
    con_conftest = ("-p", "tests.conftest")  # the file is outside tests/: the suite's conftest as a plugin

    make_run, postgresql, ninguna = _selecciones(
        ("make_run", (archivo,), con_conftest), ("postgresql", (archivo,), con_conftest), (None, (archivo,), con_conftest)
    )

    assert _de(make_run, "") == {
        "test_solo_en_make_run",
        "test_en_las_dos",
    }
    assert _de(postgresql, "") == {"test_en_las_dos"}
    assert _de(ninguna, "") == {"test_en_las_dos"}
