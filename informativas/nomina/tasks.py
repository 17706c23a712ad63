"""Importar nómina tasks: ids in, one service call; a failure marks the import instead of leaving the page
polling forever (phase two's transaction has rolled back, so nothing was half-stored)."""

from __future__ import annotations

from functools import partial

from celery import shared_task
from django.core.exceptions import ValidationError

from .. import dos_fases
from . import services
from .models import ImportacionNomina


def _ejecutar(fase: str, importacion_id: int) -> str:
    funcion = services.nomina_validar if fase == "validar" else services.nomina_aplicar
    return dos_fases.ejecutar_fase(
        partial(funcion, importacion_id=importacion_id),
        partial(services.nomina_fallo, importacion_id=importacion_id, fase=fase),
        mensaje_memoria=dos_fases.MENSAJE_MEMORIA,
    )


@shared_task(name="informativas.nomina.tasks.nomina_validar", throws=(ValidationError,))
def nomina_validar(importacion_id: int) -> str:
    return _ejecutar("validar", importacion_id)


@shared_task(name="informativas.nomina.tasks.nomina_aplicar", throws=(ValidationError,))
def nomina_aplicar(importacion_id: int) -> str:
    return _ejecutar("aplicar", importacion_id)


@shared_task(name="informativas.nomina.tasks.nomina_reanudar")
def nomina_reanudar() -> list[int]:
    """Periodic sweep (Celery beat): queues again the uploads never queued or left half-way by a lost worker."""
    return dos_fases.reanudar(ImportacionNomina, validar=nomina_validar, aplicar=nomina_aplicar)
