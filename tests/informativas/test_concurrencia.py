"""Races on the real PostgreSQL of `make test`: folios taken from many connections at once never repeat, and
two simultaneous "Nueva informativa" of the same period leave exactly one."""

from __future__ import annotations

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections

from informativas.captura import services
from informativas.carga import services as carga_services
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


def _esperar_a_que_alguien_espere_un_candado(segundos: float = 10) -> None:
    import time

    fin = time.monotonic() + segundos
    with connection.cursor() as cursor:
        while time.monotonic() < fin:
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity"
                " WHERE wait_event_type = 'Lock' AND datname = current_database()"
            )
            if cursor.fetchone()[0]:
                return
            time.sleep(0.05)
    raise AssertionError("nadie quedó esperando el candado de la informativa")


def test_storing_a_carga_waits_for_the_informativa_before_it_locks_the_carga_or_the_contrato(
    contrato, contratista
):
    """Every capture service locks the informativa, then the contrato. Phase two of a carga takes its locks in
    the same order: while someone captures in the informativa, it waits holding nothing of its carga or its
    contrato (taking those first is how a carga and a capture in one contract deadlock each other)."""
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.db import transaction

    from informativas.models import CargaMasiva, Contrato

    from .datos import csv_trabajadores

    carga = carga_services.carga_crear(
        contrato=contrato,
        archivo=SimpleUploadedFile("t.csv", csv_trabajadores(3).encode()),
        usuario=contratista.usuario,
    )
    carga = carga_services.carga_validar(carga_id=carga.pk)
    CargaMasiva.objects.filter(pk=carga.pk).update(estatus=CargaMasiva.Estatus.APLICANDO)  # confirmed, queued
    capturando, terminar = threading.Event(), threading.Event()
    errores: list = []

    def captura() -> None:  # a capture service holding the informativa's lock
        try:
            with transaction.atomic():
                Informativa.objects.select_for_update().get(pk=contrato.informativa_id)
                capturando.set()
                terminar.wait(20)
        finally:
            connections.close_all()

    def trabajador_celery() -> None:
        try:
            capturando.wait(20)
            carga_services.carga_aplicar(carga_id=carga.pk)
        except Exception as error:  # asserted below
            errores.append(error)
        finally:
            connections.close_all()

    hilos = [threading.Thread(target=captura), threading.Thread(target=trabajador_celery)]
    for hilo in hilos:
        hilo.start()
    try:
        capturando.wait(20)
        _esperar_a_que_alguien_espere_un_candado()
        with transaction.atomic():  # NOWAIT: raises at once if phase two already holds either row
            CargaMasiva.objects.select_for_update(nowait=True).get(pk=carga.pk)
            Contrato.objects.select_for_update(nowait=True).get(pk=contrato.pk)
    finally:
        terminar.set()
        for hilo in hilos:
            hilo.join()

    assert errores == []
    carga.refresh_from_db()
    assert (carga.estatus, carga.guardados) == (CargaMasiva.Estatus.APLICADA, 3)
    assert contrato.trabajadores.count() == 3
