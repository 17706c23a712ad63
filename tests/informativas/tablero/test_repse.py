"""Issue 26 on the board for firms: each contratista's REPSE expiry in its own column («sin fecha» when it gave
no registration date), and the filter «REPSE vence en N días» (a registration already lapsed counts too: it is
the most urgent), the table still read in one query."""

from __future__ import annotations

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from contratistas.models import Contratista
from informativas.tablero.services import tablero_de
from tests.conftest import sin_reloj_de_prueba

from .conftest import HOY_TABLERO

pytestmark = pytest.mark.django_db

D = datetime.date
URL = "/informativas/tablero/"


@pytest.fixture
def fechas(despacho):
    """A expires on 15 Mar 2027 (64 days after the board's today), B on 20 Jan 2027 (10 days), C has no date."""
    Contratista.objects.filter(pk=despacho.a.pk).update(repse_fecha_registro=D(2024, 3, 15))
    Contratista.objects.filter(pk=despacho.b.pk).update(repse_fecha_registro=D(2024, 1, 20))
    return despacho


def _vencimientos(tablero) -> dict[str, tuple[datetime.date | None, str]]:
    return {f.rfc: (f.repse.vence, f.repse.estado) for f in tablero.filas}


def test_each_row_carries_its_repse_expiry_or_none(fechas):
    tablero = tablero_de(capturista=fechas.capturista, hoy=HOY_TABLERO)

    assert _vencimientos(tablero) == {
        fechas.a.rfc: (D(2027, 3, 15), "en_ventana"),
        fechas.b.rfc: (D(2027, 1, 20), "en_ventana"),
        fechas.c.rfc: (None, "sin_fecha"),
    }


def test_repse_vence_en_keeps_the_rows_expiring_within_the_days_or_already_lapsed(fechas):
    def rfcs(n: int) -> set[str]:
        return {f.rfc for f in tablero_de(capturista=fechas.capturista, hoy=HOY_TABLERO, repse_vence_en=n).filas}

    assert rfcs(9) == set()
    assert rfcs(10) == {fechas.b.rfc}
    assert rfcs(64) == {fechas.a.rfc, fechas.b.rfc}
    Contratista.objects.filter(pk=fechas.c.pk).update(repse_fecha_registro=D(2023, 12, 1))  # lapsed 1 Dec 2026
    assert rfcs(0) == {fechas.c.rfc}
    tablero = tablero_de(capturista=fechas.capturista, hoy=HOY_TABLERO, repse_vence_en=10)
    assert tablero.total == 3  # still counts every contratista served


def test_repse_vence_en_and_the_state_filter_must_both_match(fechas):
    from .conftest import borrador

    borrador(fechas.a, 2026, 3, hoy=HOY_TABLERO)
    filas = tablero_de(capturista=fechas.capturista, hoy=HOY_TABLERO, estado="borrador", repse_vence_en=10).filas
    assert filas == []
    filas = tablero_de(capturista=fechas.capturista, hoy=HOY_TABLERO, estado="borrador", repse_vence_en=64).filas
    assert [f.rfc for f in filas] == [fechas.a.rfc]


def test_the_board_with_the_repse_filter_is_still_one_query_for_its_table(fechas):
    with CaptureQueriesContext(connection) as consultas:
        tablero_de(capturista=fechas.capturista, hoy=HOY_TABLERO, repse_vence_en=30)

    sqls = [c["sql"] for c in consultas.captured_queries]
    assert len(sqls) == 2
    assert sum('"informativas_informativa"' in sql for sql in sqls) == 1


@pytest.fixture
def cliente(client, fechas, settings):
    settings.ICSOE_HOY = HOY_TABLERO.isoformat()
    client.force_login(fechas.capturista)
    return client


def test_the_page_has_the_repse_column_and_the_filter(cliente, fechas):
    cliente.get(URL)
    with CaptureQueriesContext(connection) as consultas:
        html = cliente.get(URL).content.decode()
    assert len(sin_reloj_de_prueba(consultas)) == 4  # as without the column: session, user, table, días inhábiles

    assert '<th scope="col">Registro REPSE</th>' in html
    assert "Vence el 20/01/2027" in html and "Vence el 15/03/2027" in html
    assert re.search(r'data-repse="sin_fecha"[^>]*>sin fecha<', html)
    assert "REPSE vence en N días" in html

    filtrado = cliente.get(URL, {"repse_vence_en": "10"}).content.decode()
    assert fechas.b.razon_social in filtrado
    assert fechas.a.razon_social not in filtrado and fechas.c.razon_social not in filtrado
    assert "1 de 3 contratistas coincide con los filtros." in filtrado


def test_a_wrong_number_of_days_for_repse_is_explained_and_the_board_not_filtered(cliente, fechas):
    html = cliente.get(URL, {"repse_vence_en": "-3"}).content.decode()

    assert "Escribe un número de días de 0 en adelante." in html
    assert all(c.razon_social in html for c in (fechas.a, fechas.b, fechas.c))
