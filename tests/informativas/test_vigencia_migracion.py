"""The migration that gave the filings cancelled by a Sin efectos their own state (issue 14). A transactional
test (it migrates back and forth), so apart from test_vigencia.py, whose presented Normal lives in a transaction
open for the whole module."""

from __future__ import annotations

import pytest

from informativas import vigencia
from informativas.models import Informativa


@pytest.mark.django_db(transaction=True)
def test_the_migration_gives_the_filings_cancelled_by_a_sin_efectos_their_own_state(contratista):
    """Data filed before this change: a Normal cancelled by a Sin efectos was stored as Sustituida, and two
    contracts of one informativa could not share a folio. The migration moves the first to Dejada sin efectos
    and leaves a filing replaced by a Corrección as it was."""
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    antes = [("informativas", "0012_registro_repse_formato")]
    executor = MigrationExecutor(connection)
    # Forward to the latest migration of every app, not to the one under test: a database left behind would
    # lack the columns later migrations add, for every test that runs after this one.
    despues = executor.loader.graph.leaf_nodes()
    executor.migrate(antes)
    try:
        viejo = MigrationExecutor(connection).loader.project_state(antes).apps.get_model("informativas", "Informativa")
        periodo = {"contratista_id": contratista.pk, "anio": 2025}

        def crear(cuatrimestre, tipo, estatus, folio, origen=None):
            return viejo.objects.create(
                **periodo, cuatrimestre=cuatrimestre, tipo=tipo, estatus=estatus, folio_definitivo=folio,
                informativa_origen=origen,
            )

        cancelada = crear(1, "NORMAL", "SUSTITUIDA", "N250000001")
        crear(1, "SIN_EFECTOS", "PRESENTADA", "SE250000001", cancelada)
        sustituida = crear(2, "NORMAL", "SUSTITUIDA", "N250000002")
        correccion = crear(2, "CORRECCION", "SUSTITUIDA", "C250000001", sustituida)
        crear(2, "SIN_EFECTOS", "PRESENTADA", "SE250000002", correccion)
    finally:
        MigrationExecutor(connection).migrate(despues)

    estatus = dict(Informativa.objects.values_list("folio_definitivo", "estatus"))
    assert estatus == {
        "N250000001": "SIN_EFECTOS",
        "SE250000001": "PRESENTADA",
        "N250000002": "SUSTITUIDA",  # replaced by the Corrección: still Sustituida
        "C250000001": "SIN_EFECTOS",
        "SE250000002": "PRESENTADA",
    }
    assert vigencia.vigente_del_periodo(contratista_id=contratista.pk, anio=2025, cuatrimestre=2) is None


