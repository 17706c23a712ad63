"""Contratos en bloque on the real PostgreSQL of `make test`, from several connections at once: the folios of
cargas stored together are unique and each block consecutive, and one carga confirmed twice at the same moment
is stored once. Phase two runs here in threads while `make test`'s worker, which the confirmations queued it
to, runs it too: every carga is stored once whoever gets it first (a second delivery stores nothing)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from django.db import connection

from informativas.bloque import services
from informativas.captura import services as captura
from informativas.models import Contrato

from ..test_concurrencia import _en_hilos
from .test_bloque import _subir, libro

# Concurrent transactions blocking on row locks (select_for_update) of a real server: SQLite has no row
# locks (README, "The two configurations"); make run's configuration is left out, not skipped.
pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.solo_postgresql]
FILAS = 30


@pytest.fixture(autouse=True)
def solo_postgresql():
    if connection.vendor != "postgresql":
        pytest.skip("la concurrencia se prueba en PostgreSQL (make test)")


@pytest.fixture
def media(settings):
    """Where `make test`'s worker, which the uploads queue their phases to, reads them."""
    settings.MEDIA_ROOT = Path(os.environ["ICSOE_VAR_DIR"]) / "media"


def _carga(informativa, usuario, nombre: str):
    return _subir(informativa, usuario, libro([{"objeto": f"{nombre}-{i:02d}"} for i in range(FILAS)]))


def test_concurrent_confirmations_take_unique_consecutive_folio_blocks(
    informativa, contratista, otro_contratista, padron_sat, media
):
    otra = captura.informativa_crear(
        contratista=otro_contratista,
        anio=2026,
        cuatrimestre=1,
        tipo="NORMAL",
        usuario=otro_contratista.usuario,
    )
    cargas = [
        (_carga(informativa, contratista.usuario, "A1"), contratista.usuario),
        (_carga(informativa, contratista.usuario, "A2"), contratista.usuario),  # same informativa: its lock
        (_carga(otra, otro_contratista.usuario, "B"), otro_contratista.usuario),  # same folio series
    ]

    confirmadas, errores = _en_hilos(
        3, lambda i: services.bloque_confirmar(carga=cargas[i][0], usuario=cargas[i][1]).estatus
    )
    assert errores == [] and confirmadas == ["APLICANDO"] * 3
    resultados, errores = _en_hilos(3, lambda i: services.bloque_aplicar(carga_id=cargas[i][0].pk).guardados)

    assert errores == [] and resultados == [FILAS] * 3
    folios = dict(Contrato.objects.values_list("objeto", "folio"))
    assert len(folios) == 3 * FILAS and len(set(folios.values())) == 3 * FILAS
    for nombre in ("A1", "A2", "B"):
        numeros = [int(folios[f"{nombre}-{i:02d}"][4:]) for i in range(FILAS)]
        assert numeros == list(range(numeros[0], numeros[0] + FILAS)), nombre
    assert sorted(int(f[4:]) for f in folios.values()) == list(range(1, 3 * FILAS + 1))
    informativa.refresh_from_db()
    otra.refresh_from_db()
    assert (informativa.num_contratos, otra.num_contratos) == (2 * FILAS, FILAS)


def test_one_carga_confirmed_twice_at_once_is_stored_once(informativa, contratista, padron_sat, media):
    carga = _carga(informativa, contratista.usuario, "A")

    confirmadas, errores = _en_hilos(
        2, lambda i: services.bloque_confirmar(carga=carga, usuario=contratista.usuario).estatus
    )
    # The first to take the row's lock queues phase two at its commit; the second, waiting on that lock, may
    # already find it stored by the worker (30 rows take it a fraction of a second).
    assert errores == [] and "APLICANDO" in confirmadas and set(confirmadas) <= {"APLICANDO", "APLICADA"}
    resultados, errores = _en_hilos(2, lambda i: services.bloque_aplicar(carga_id=carga.pk).guardados)

    assert errores == [] and resultados == [FILAS, FILAS]
    assert Contrato.objects.count() == FILAS
    informativa.refresh_from_db()
    assert informativa.num_contratos == FILAS
