"""What a portal process loads at start (issue 25: the expediente's memory). Every web worker and Celery worker
starts Django; a heavy package it rarely needs is imported where a function uses it, not by ``django.setup()``.
Checked in a fresh process, whose modules are its own, not this test session's."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from tests.conftest import REPO

# The S3 client of django-storages (boto3, botocore, s3transfer): only where ICSOE_S3_BUCKET chose it.
S3 = ["boto3", "botocore", "s3transfer", "storages.backends.s3"]
# The holiday calendars: only where a deadline is computed (plazos).
FESTIVOS = ["holidays"]
# The workbook reader and writer (with the lxml and Pillow openpyxl loads): only where a file is read or written.
LIBROS = ["openpyxl", "lxml", "lxml.etree"]


def _cargados(codigo: str, **env: str) -> set[str]:
    """The modules a fresh process has loaded after ``django.setup()`` and ``codigo``."""
    programa = (
        "import json, sys, django\n"
        "django.setup()\n"
        f"{codigo}\n"
        "print(json.dumps(sorted(sys.modules)))\n"
    )
    entorno = {**os.environ, "DJANGO_SETTINGS_MODULE": "icsoe.settings_test", **env}
    entorno.pop("ICSOE_S3_BUCKET", None)
    resultado = subprocess.run(
        [sys.executable, "-c", programa], cwd=REPO, env=entorno, capture_output=True, text=True, timeout=120
    )
    assert resultado.returncode == 0, resultado.stderr
    return set(json.loads(resultado.stdout.splitlines()[-1]))


def test_django_setup_loads_no_s3_client_holiday_calendar_or_workbook_library():
    cargados = _cargados("")

    assert not cargados & {*S3, *FESTIVOS, *LIBROS}, sorted(cargados & {*S3, *FESTIVOS, *LIBROS})


@pytest.mark.parametrize(
    "codigo",
    [
        pytest.param("import informativas.expediente.services", id="expediente"),
        pytest.param("import informativas.presentacion.descargas, core.almacen", id="descargas"),
    ],
)
def test_the_s3_client_and_the_holiday_calendar_are_not_loaded_by_the_expediente(codigo):
    cargados = _cargados(codigo)

    assert not cargados & {*S3, *FESTIVOS}, sorted(cargados & {*S3, *FESTIVOS})


def test_a_deadline_still_counts_the_federal_holidays():
    """The calendar, loaded where it is used: 16 September 2026 (a Wednesday) is not a business day."""
    cargados = _cargados(
        "import datetime\n"
        "from plazos.services import _festivos_federales\n"
        "assert datetime.date(2026, 9, 16) in _festivos_federales(2026)"
    )

    assert "holidays" in cargados


def test_the_s3_storage_is_still_found_by_its_dotted_path():
    cargados = _cargados(
        "from django.utils.module_loading import import_string\n"
        "from storages.backends.s3 import S3Storage\n"
        "assert issubclass(import_string('core.almacen.AlmacenS3'), S3Storage)"
    )

    assert "storages.backends.s3" in cargados


def test_a_web_worker_with_every_view_loaded_has_no_workbook_library():
    """A gunicorn worker loads the URLconf (every view and the services they import) on its first request; the
    workbooks are written where one is asked for."""
    cargados = _cargados("from django.urls import get_resolver\nget_resolver().url_patterns")

    assert any(m.startswith("informativas.presentacion.") for m in cargados)
    assert not cargados & {*S3, *FESTIVOS, *LIBROS}, sorted(cargados & {*S3, *FESTIVOS, *LIBROS})


def test_the_cells_rule_drops_what_openpyxl_refuses():
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    from core import hojas

    assert hojas.ILLEGAL_CHARACTERS_RE.pattern == ILLEGAL_CHARACTERS_RE.pattern
    assert hojas.celda_segura("a\x00b\x1fc\td") == "abc\td"
