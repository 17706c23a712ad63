"""The listado público of a month whose only filing is a Sin información: one row of its own. Apart from
test_listado.py, whose presented filing of the same contratista and month is signed once for the module."""

from __future__ import annotations

import datetime
import io

import pytest
from openpyxl import load_workbook

from informativas.listado import services

pytestmark = pytest.mark.django_db

MAYO = datetime.date(2026, 5, 1)


def _filas(contenido: bytes) -> list[list]:
    libro = load_workbook(io.BytesIO(contenido), read_only=True)
    return [list(fila) for fila in libro.worksheets[0].iter_rows(values_only=True)]


def test_a_filing_without_contratos_is_one_row_of_its_own(contratista, firma_lista):
    from informativas.captura import services as captura

    from ..conftest import firmar
    from .conftest import PRESENTADA_EL, presentar_el

    sin = captura.informativa_sin_informacion_declarar(
        contratista=contratista, anio=2026, cuatrimestre=1, usuario=contratista.usuario
    )
    sin = presentar_el(firmar(sin, firma_lista["fiel"], usuario=contratista.usuario), PRESENTADA_EL)

    filas = _filas(services.listado_construir(mes=MAYO).contenido)
    assert filas[1] == [
        contratista.razon_social, "Moral", None, None, None, None, None, None, 0,
        1, 2026, "Sin información", None, sin.folio_definitivo, datetime.datetime(2026, 5, 31, 23, 30),
    ]


