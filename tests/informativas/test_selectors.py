"""The read-side queries the busiest pages page through."""

from __future__ import annotations

import pytest
from django.db import connection

from informativas.captura import services
from informativas.selectors import (
    contratantes_de,
    contratos_del_contratante,
    trabajadores_de,
    trabajadores_del_contratante,
)

from .conftest import agregar_trabajador, datos_contratante

pytestmark = pytest.mark.django_db


def test_a_contracts_trabajadores_are_listed_in_capture_order(contrato, contratista):
    capturados = [agregar_trabajador(contrato, contratista.usuario, i) for i in (7, 3, 5)]

    assert list(trabajadores_de(contrato)) == capturados


# PostgreSQL's query plan (SET LOCAL enable_*, EXPLAIN's node names): SQLite's planner is another program.
@pytest.mark.solo_postgresql
def test_a_contracts_page_is_read_from_its_own_index_never_by_walking_the_table(contrato, contratista):
    """Ordered by id, PostgreSQL could walk the primary key and skip every other contract's rows (it assumes
    a contract's rows are spread over the table): 8 ms for the first page of a recent contract with 400,000
    rows in the table, growing with it; from the index, 0.2 ms. The test's table is tiny, so the planner is
    told to avoid what it would only choose for a tiny table (a sequential or bitmap scan, a sort): the
    ordering must then be served by that index, with no primary key walk."""
    agregar_trabajador(contrato, contratista.usuario, 1)
    sql, params = trabajadores_de(contrato)[:50].query.sql_with_params()
    with connection.cursor() as cursor:
        for plan_de_tabla_chica in ("enable_seqscan", "enable_bitmapscan", "enable_sort"):
            cursor.execute(f"SET LOCAL {plan_de_tabla_chica} = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(fila[0] for fila in cursor.fetchall())

    assert "trabajador_contrato_orden" in plan, plan
    assert "Sort" not in plan and "pkey" not in plan, plan


def test_a_contratantes_contratos_and_trabajadores_never_include_another_contratantes(contrato, contratista):
    fisica = "GODE561231GR8"
    otro = services.contrato_crear(
        informativa=contrato.informativa,
        contratante=datos_contratante(fisica, razon_social="ERNESTO GODINEZ DIAZ"),
        usuario=contratista.usuario,
    )
    suyos = [agregar_trabajador(contrato, contratista.usuario, i) for i in (1, 2)]
    ajeno = agregar_trabajador(otro, contratista.usuario, 3)
    informativa = contrato.informativa

    por_rfc = {c.rfc: (c.num_contratos, c.num_trabajadores) for c in contratantes_de(informativa)}
    assert por_rfc == {contrato.contratante_rfc: (1, 2), fisica: (1, 1)}
    assert list(contratos_del_contratante(informativa=informativa, rfc=contrato.contratante_rfc)) == [contrato]
    assert list(trabajadores_del_contratante(informativa=informativa, rfc=contrato.contratante_rfc)) == suyos
    assert list(trabajadores_del_contratante(informativa=informativa, rfc=fisica)) == [ajeno]
