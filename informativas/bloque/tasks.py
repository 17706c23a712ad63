"""Contratos en bloque tasks: ids in, one service call. Both phases run here, in the worker under its memory
ceiling, never in a web request; a failure marks the carga (with the rule's own message when it is one)
instead of leaving its page polling forever, and phase two's transaction has rolled back, so nothing was
half-stored."""

from __future__ import annotations

from functools import partial

from celery import shared_task
from django.core.exceptions import ValidationError

from .. import dos_fases
from . import services
from .models import CargaContratos


def _ejecutar(fase: str, carga_id: int) -> str:
    funcion = services.bloque_validar if fase == "validar" else services.bloque_aplicar
    return dos_fases.ejecutar_fase(
        partial(funcion, carga_id=carga_id),
        partial(services.bloque_fallo, carga_id=carga_id, fase=fase),
        mensaje_memoria=dos_fases.MENSAJE_MEMORIA,
    )


@shared_task(name="informativas.bloque.tasks.bloque_validar", throws=(ValidationError,))
def bloque_validar(carga_id: int) -> str:
    return _ejecutar("validar", carga_id)


@shared_task(name="informativas.bloque.tasks.bloque_aplicar", throws=(ValidationError,))
def bloque_aplicar(carga_id: int) -> str:
    return _ejecutar("aplicar", carga_id)


@shared_task(name="informativas.bloque.tasks.bloque_reanudar")
def bloque_reanudar() -> list[int]:
    """Periodic sweep (Celery beat): queues again the uploads never queued or left half-way by a lost worker."""
    return dos_fases.reanudar(CargaContratos, validar=bloque_validar, aplicar=bloque_aplicar)
