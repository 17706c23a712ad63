"""Races on the real PostgreSQL of `make test`: folios taken from many connections at once never repeat, two
simultaneous "Nueva informativa" of the same period leave exactly one, and phase two of a carga locks the
informativa only while it writes, with totals equal to a recount whatever happens meanwhile."""

from __future__ import annotations

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections

from informativas.captura import services
from informativas.carga import services as carga_services
from informativas.folios import folio_contrato
from informativas.models import Informativa

# Concurrent transactions blocking on row locks (select_for_update) of a real server: SQLite has no row
# locks (README, "The two configurations"); make run's configuration is left out, not skipped.
pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.solo_postgresql]


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


# ----------------------------------------------------------------------------------------------------------
# Phase two of a carga locks the informativa only while it writes (informativas/carga/services.py)
# ----------------------------------------------------------------------------------------------------------
def _carga_confirmada(contrato, usuario, filas: int, *, inicio: int = 0):
    """A carga of ``filas`` workers checked by phase one and confirmed (queued for phase two)."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from informativas.models import CargaMasiva

    from .datos import csv_trabajadores

    carga = carga_services.carga_crear(
        contrato=contrato,
        archivo=SimpleUploadedFile("t.csv", csv_trabajadores(filas, inicio=inicio).encode()),
        usuario=usuario,
    )
    carga = carga_services.carga_validar(carga_id=carga.pk)
    assert carga.aceptados == filas
    CargaMasiva.objects.filter(pk=carga.pk).update(estatus=CargaMasiva.Estatus.APLICANDO, aplicada_por=usuario)
    return carga


class _CargaEnDosPasos:
    """Runs phase two of a carga in a thread of its own (its own connection), holding it still right after it
    has prepared its rows and before it takes any lock, until ``seguir()``. The pause wraps the real
    ``trabajadores.preparar_registros``: the rows are prepared as always, the thread only waits before going on."""

    def __init__(self, monkeypatch, carga_id: int) -> None:
        from informativas import trabajadores

        self.preparada, self._seguir = threading.Event(), threading.Event()
        self.errores: list = []
        real = trabajadores.preparar_registros

        def preparar_y_esperar(*args, **kwargs):
            registros = real(*args, **kwargs)
            if threading.current_thread() is self.hilo:
                self.preparada.set()
                assert self._seguir.wait(30), "la prueba nunca dejó seguir a la carga"
            return registros

        monkeypatch.setattr(trabajadores, "preparar_registros", preparar_y_esperar)

        def correr() -> None:
            try:
                carga_services.carga_aplicar(carga_id=carga_id)
            except Exception as error:  # asserted by the tests
                self.errores.append(error)
            finally:
                connections.close_all()

        self.hilo = threading.Thread(target=correr)
        self.hilo.start()
        assert self.preparada.wait(30), "la carga no llegó a preparar sus filas"

    def seguir(self) -> None:
        self._seguir.set()
        self.hilo.join(30)


def _sin_esperar_candados():
    """A transaction that fails at once (lock_timeout) instead of waiting for a lock someone else holds."""
    from django.db import transaction

    class _Transaccion:
        def __enter__(self):
            self.atomica = transaction.atomic()
            self.atomica.__enter__()
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL lock_timeout = '1s'")

        def __exit__(self, *exc):
            return self.atomica.__exit__(*exc)

    return _Transaccion()


def _totales_como_recuento(informativa_id: int) -> None:
    from informativas.models import Contrato, Trabajador

    informativa = Informativa.objects.get(pk=informativa_id)
    assert informativa.num_trabajadores == Trabajador.objects.filter(contrato__informativa_id=informativa_id).count()
    assert informativa.num_contratos == Contrato.objects.filter(informativa_id=informativa_id).count()
    for contrato in Contrato.objects.filter(informativa_id=informativa_id):
        assert contrato.num_trabajadores == contrato.trabajadores.count(), contrato.folio


def test_a_wizard_save_does_not_wait_behind_a_carga_preparing_its_rows(monkeypatch, contrato, contratista):
    """On the deadline day a capturista saving a wizard step must not wait behind a carga masiva of the same
    informativa: phase two prepares its rows (most of its time) without the informativa's lock. Before, it held
    the lock from the start, and this save waited for the whole carga (here: failed after lock_timeout)."""
    from informativas.models import CargaMasiva

    carga = _carga_confirmada(contrato, contratista.usuario, 300)
    segundo_plano = _CargaEnDosPasos(monkeypatch, carga.pk)
    try:
        with _sin_esperar_candados():  # another connection, while the carga's thread is paused
            services.informativa_contratista_guardar(
                informativa=contrato.informativa, igual_fiscal=True, domicilio=None, usuario=contratista.usuario
            )
            services.informativa_contratos_declarados_guardar(
                informativa=contrato.informativa, numero=4, usuario=contratista.usuario
            )
    finally:
        segundo_plano.seguir()

    assert segundo_plano.errores == []
    carga.refresh_from_db()
    assert (carga.estatus, carga.guardados) == (CargaMasiva.Estatus.APLICADA, 300)
    assert Informativa.objects.get(pk=contrato.informativa_id).contratos_declarados == 4  # the save stands
    _totales_como_recuento(contrato.informativa_id)


def test_a_worker_captured_by_hand_while_the_carga_prepares_is_not_duplicated(monkeypatch, contrato, contratista):
    """The rows are compared with the contract again under its lock: one of the file's workers captured by
    hand meanwhile is stored once (the hand's), the other rows go in, and the totals are a recount."""
    from informativas.models import CargaMasiva

    from .conftest import agregar_trabajador
    from .datos import nss

    carga = _carga_confirmada(contrato, contratista.usuario, 50)
    segundo_plano = _CargaEnDosPasos(monkeypatch, carga.pk)
    try:
        agregar_trabajador(contrato, contratista.usuario, 7)  # the file's line 9 (worker 7), by hand
    finally:
        segundo_plano.seguir()

    assert segundo_plano.errores == []
    carga.refresh_from_db()
    assert (carga.estatus, carga.guardados) == (CargaMasiva.Estatus.APLICADA, 49)
    assert contrato.trabajadores.count() == 50
    assert contrato.trabajadores.get(carga__isnull=True).nss == nss(7)
    _totales_como_recuento(contrato.informativa_id)


def test_a_worker_deleted_while_the_carga_prepares_lets_its_row_in(monkeypatch, contrato, contratista):
    """A worker captured by hand after phase one clashes with a row of the file when phase two prepares; if it
    is deleted before the rows are written, the row goes in, as if the carga had been stored after."""
    from informativas.models import CargaMasiva, Trabajador

    from .conftest import agregar_trabajador

    carga = _carga_confirmada(contrato, contratista.usuario, 20)
    a_mano = agregar_trabajador(contrato, contratista.usuario, 3)
    segundo_plano = _CargaEnDosPasos(monkeypatch, carga.pk)
    try:
        services.trabajador_eliminar(trabajador=a_mano, usuario=contratista.usuario)
    finally:
        segundo_plano.seguir()

    assert segundo_plano.errores == []
    carga.refresh_from_db()
    assert (carga.estatus, carga.guardados) == (CargaMasiva.Estatus.APLICADA, 20)
    assert Trabajador.objects.filter(contrato=contrato, carga=carga).count() == 20
    _totales_como_recuento(contrato.informativa_id)


def test_an_informativa_sent_to_signing_while_the_carga_prepares_gets_none_of_its_rows(
    monkeypatch, contrato, contratista
):
    """The informativa's state is checked under its lock before anything is written: sent to signing while the
    carga prepared (its rules checked on the rows it had), it keeps exactly those rows."""
    carga = _carga_confirmada(contrato, contratista.usuario, 30)
    segundo_plano = _CargaEnDosPasos(monkeypatch, carga.pk)
    try:
        Informativa.objects.filter(pk=contrato.informativa_id).update(estatus=Informativa.Estatus.PENDIENTE_FIRMA)
    finally:
        segundo_plano.seguir()

    assert [e.code for e in segundo_plano.errores] == ["no_editable"]
    assert contrato.trabajadores.count() == 0
    _totales_como_recuento(contrato.informativa_id)


def test_two_cargas_of_one_informativa_stored_at_once_leave_totals_equal_to_a_recount(
    contrato, contratista, padron_sat
):
    """Two contracts of one informativa, a carga each, stored at the same moment from two connections: both
    write all their rows and the informativa's totals count them all."""
    from informativas.models import CargaMasiva

    from .conftest import datos_contratante

    otro = services.contrato_crear(
        informativa=contrato.informativa, contratante=datos_contratante(padron_sat.rfc), usuario=contratista.usuario
    )
    cargas = [
        _carga_confirmada(contrato, contratista.usuario, 400),
        _carga_confirmada(otro, contratista.usuario, 300, inicio=1000),
    ]
    resultados, errores = _en_hilos(2, lambda i: carga_services.carga_aplicar(carga_id=cargas[i].pk).guardados)

    assert errores == []
    assert sorted(resultados) == [300, 400]
    assert all(CargaMasiva.objects.get(pk=c.pk).estatus == CargaMasiva.Estatus.APLICADA for c in cargas)
    assert Informativa.objects.get(pk=contrato.informativa_id).num_trabajadores == 700
    _totales_como_recuento(contrato.informativa_id)
