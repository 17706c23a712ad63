"""One owner for Trabajador rows (issue 23): the row, the messages for an NSS or CURP already there or repeated,
and the two ways rows are written (COPY on PostgreSQL, bulk_create elsewhere), shared by captura, carga and
nómina."""

from __future__ import annotations

from decimal import Decimal

import pytest

from informativas import trabajadores
from informativas.models import Trabajador

from .datos import curp, nss


def test_a_row_from_no_file_has_no_line():
    fila = trabajadores.Fila(nss(1), curp(1), Decimal("452.37"))

    assert fila.linea is None
    assert trabajadores.Fila(nss(1), curp(1), Decimal("452.37"), linea=7).linea == 7


def test_an_nss_or_curp_already_in_the_contract_or_earlier_in_the_file_is_reported_with_its_message():
    errores = trabajadores.errores_duplicado(
        9, nss(1), curp(2), {nss(1)}, set(), {}, {curp(2): 4}
    )

    assert errores == [
        [9, "NSS", nss(1), "El NSS ya está registrado en este contrato."],
        [9, "CURP", curp(2), "La CURP está repetida en el archivo (línea 4)."],
    ]


@pytest.mark.django_db
def test_rows_of_a_nomina_are_stored_without_a_line_with_their_origin(contrato):
    filas = [trabajadores.Fila(nss(i), curp(i), Decimal("100.50")) for i in range(3)]

    guardados = trabajadores.insertar_trabajadores(
        filas, contrato_id=contrato.pk, carga_id=None, origen=Trabajador.Origen.NOMINA
    )

    assert guardados == 3
    assert sorted(contrato.trabajadores.values_list("nss", "curp", "sbc", "origen", "carga")) == sorted(
        (nss(i), curp(i), Decimal("100.50"), Trabajador.Origen.NOMINA, None) for i in range(3)
    )
