"""The Celery worker killed (SIGKILL, worker and pool) while a carga masiva is being stored: nothing is
half-stored, and running it again (the periodic sweep, after the worker is back) completes it without a
duplicate worker."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.db.models import Count

from informativas.carga import services as carga_services
from informativas.carga import tasks
from informativas.models import CargaMasiva, Trabajador
from tests.informativas.datos import csv_trabajadores

from . import servicios

pytestmark = pytest.mark.django_db(transaction=True)

FILAS = 40_000


def _estatus(carga: CargaMasiva) -> str:
    return CargaMasiva.objects.values_list("estatus", flat=True).get(pk=carga.pk)


def test_a_carga_whose_worker_is_killed_while_storing_completes_when_run_again(
    contratista, contrato, base_de_datos
):
    archivo = SimpleUploadedFile("trabajadores.csv", csv_trabajadores(FILAS).encode(), content_type="text/csv")
    with transaction.atomic():
        carga = carga_services.carga_crear(contrato=contrato, archivo=archivo, usuario=contratista.usuario)
    assert carga.estatus == CargaMasiva.Estatus.RECIBIDA  # read by the worker, not here
    servicios.esperar(lambda: _estatus(carga) == CargaMasiva.Estatus.VALIDADA, timeout=180, que="carga validada")
    carga.refresh_from_db()
    assert (carga.aceptados, carga.rechazados) == (FILAS, 0)

    with transaction.atomic():
        carga = carga_services.carga_confirmar(carga=carga, usuario=contratista.usuario)
    assert carga.estatus == CargaMasiva.Estatus.APLICANDO
    # The task publishes its progress in the cache from inside its transaction: kill it there.
    servicios.esperar(
        lambda: cache.get(f"informativas:carga:{carga.pk}:progreso") is not None,
        timeout=60,
        que="la tarea de guardar empezó",
        cada=0.02,
    )
    servicios.celery_matar()
    try:
        assert not servicios.celery_activo()
        assert _estatus(carga) == CargaMasiva.Estatus.APLICANDO, "la tarea terminó antes de matar al worker"
        # Its transaction died with it: not one worker of the file is stored.
        assert Trabajador.objects.filter(contrato=contrato).count() == 0
    finally:
        servicios.celery_iniciar(base_de_datos=base_de_datos)

    # What Celery beat runs every minute (here without the usual two-minute grace).
    tasks.cargas_reanudar.delay(0)
    servicios.esperar(
        lambda: _estatus(carga) == CargaMasiva.Estatus.APLICADA, timeout=240, que="carga guardada", cada=0.5
    )

    carga.refresh_from_db()
    assert carga.guardados == FILAS
    trabajadores = Trabajador.objects.filter(contrato=contrato)
    assert trabajadores.count() == FILAS
    assert not trabajadores.values("nss").annotate(n=Count("pk")).filter(n__gt=1).exists()
    assert not trabajadores.values("curp").annotate(n=Count("pk")).filter(n__gt=1).exists()
    # The message the killed worker never acknowledged may still be delivered: it stores nothing again.
    assert tasks.carga_aplicar.delay(carga.pk).get(timeout=120) == CargaMasiva.Estatus.APLICADA
    assert tasks.cargas_reanudar.delay(0).get(timeout=60) == []
    assert Trabajador.objects.filter(contrato=contrato).count() == FILAS
