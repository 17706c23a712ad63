"""Races on the real PostgreSQL of `make test`: folios taken from many connections at once never repeat, and
two simultaneous "Nueva informativa" of the same period leave exactly one."""

from __future__ import annotations

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections

from informativas import services
from informativas.folios import folio_contrato
from informativas.models import Informativa

pytestmark = pytest.mark.django_db(transaction=True)


def _en_hilos(n: int, trabajo) -> list:
    resultados: list = []
    errores: list = []
    barrera = threading.Barrier(n)

    def correr(i: int) -> None:
        try:
            barrera.wait()
            resultados.append(trabajo(i))
        except Exception as error:  # collected and asserted on by the test
            errores.append(error)
        finally:
            connections.close_all()

    hilos = [threading.Thread(target=correr, args=(i,)) for i in range(n)]
    for hilo in hilos:
        hilo.start()
    for hilo in hilos:
        hilo.join()
    return [resultados, errores]


@pytest.fixture(autouse=True)
def solo_postgresql():
    if connection.vendor != "postgresql":
        pytest.skip("la concurrencia se prueba en PostgreSQL (make test)")


def test_folios_taken_concurrently_are_all_different():
    resultados, errores = _en_hilos(
        8, lambda i: [folio_contrato(anio=2026, cuatrimestre=2) for _ in range(25)]
    )

    folios = [f for lote in resultados for f in lote]
    assert errores == []
    assert len(folios) == 200
    assert len(set(folios)) == 200
    assert max(folios) == "A26S0000200"


def test_two_simultaneous_normals_for_one_period_leave_exactly_one(contratista):
    resultados, errores = _en_hilos(
        4,
        lambda i: (
            services.informativa_crear(
                contratista=contratista, anio=2025, cuatrimestre=1, tipo="NORMAL", usuario=contratista.usuario
            ).pk
        ),
    )

    assert len(resultados) == 1
    assert len(errores) == 3
    assert all(
        isinstance(e, ValidationError) and "Ya existe una informativa" in e.messages[0] for e in errores
    )
    assert Informativa.objects.count() == 1
