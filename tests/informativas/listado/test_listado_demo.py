"""The listado público of `make run`'s demo (issue 25, «Must show»): every month with a filing, opened back
with openpyxl, holds a row for each filing and not one RFC, NSS or CURP of the demo."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.core.management import call_command
from django.utils import timezone
from openpyxl import load_workbook

from contratistas.models import Contratista
from informativas.listado import services
from informativas.models import Contrato, Informativa, Trabajador

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(settings, tmp_path):
    """`cargar_demo` as `make run` runs it (tests/demo/conftest.py's settings)."""
    settings.DEBUG = True
    settings.ICSOE_HOY = "2026-11-20"
    settings.ICSOE_VAR_DIR = tmp_path / "var"
    settings.ICSOE_SIGNING_CERT = str(tmp_path / "var" / "sello-portal" / "portal.cer")
    settings.ICSOE_SIGNING_KEY = str(tmp_path / "var" / "sello-portal" / "portal.key")
    settings.MEDIA_ROOT = tmp_path / "media"
    call_command("cargar_demo", stdout=io.StringIO())


def test_the_demos_listado_has_its_contratos_and_no_rfc_nss_or_curp(demo):
    presentadas = Informativa.objects.filter(estatus__in=Informativa.ESTATUS_PRESENTADAS)
    meses = sorted({timezone.localdate(i.fecha_presentacion).replace(day=1) for i in presentadas})
    identificadores = (
        set(Contratista.objects.values_list("rfc", flat=True))
        | set(Contrato.objects.values_list("contratante_rfc", flat=True))
        | set(Trabajador.objects.values_list("nss", flat=True))
        | set(Trabajador.objects.values_list("curp", flat=True))
    )
    # The demo's presented filings are Sin información (one row each); its five contratistas' RFCs at least.
    assert meses and len(identificadores) >= 5

    filas_totales = 0
    for mes in meses:
        listado = services.listado_construir(mes=mes)
        hoja = load_workbook(io.BytesIO(listado.contenido), read_only=True).worksheets[0]
        filas = [list(fila) for fila in hoja.iter_rows(values_only=True)]
        assert filas[0] == services.ENCABEZADO and len(filas) - 1 == listado.filas
        filas_totales += listado.filas
        with zipfile.ZipFile(io.BytesIO(listado.contenido)) as paquete:
            crudo = "\n".join(paquete.read(n).decode("utf-8", "replace") for n in paquete.namelist())
        assert [dato for dato in identificadores if dato and dato in crudo] == [], mes
    contratos = Contrato.objects.filter(informativa__in=presentadas).count()
    sin_contratos = presentadas.exclude(contratos__isnull=False).count()
    assert filas_totales == contratos + sin_contratos > 0
