"""Carga masiva tasks: ids in, one service call. A failure marks the carga (with the rule's own message when
it is one, such as an informativa sent to signing meanwhile) instead of leaving the page polling forever; the
transaction of phase two has rolled back, so nothing was half-stored.

The registered names stay those of the module they were first defined in (``informativas.tasks.*``): messages
already queued, and the beat schedule, keep finding them."""

from __future__ import annotations

import datetime
from functools import partial

from celery import shared_task
from django.core.exceptions import ValidationError

from .. import dos_fases
from . import services

MENSAJE_MEMORIA = dos_fases.MENSAJE_MEMORIA


def _ejecutar(fase: str, carga_id: int) -> str:
    funcion = services.carga_validar if fase == "validar" else services.carga_aplicar
    # MemoryError: the worker child's address-space ceiling (ICSOE_WORKER_MEMORIA_MAX) stopped the task: the
    # file needs more memory than a carga may take. The frames holding it are gone by the time it is marked.
    return dos_fases.ejecutar_fase(
        partial(funcion, carga_id=carga_id),
        partial(services.carga_fallo, carga_id=carga_id, fase=fase),
        mensaje_memoria=MENSAJE_MEMORIA,
    )


@shared_task(name="informativas.tasks.carga_validar", throws=(ValidationError,))
def carga_validar(carga_id: int) -> str:
    return _ejecutar("validar", carga_id)


@shared_task(name="informativas.tasks.carga_aplicar", throws=(ValidationError,))
def carga_aplicar(carga_id: int) -> str:
    return _ejecutar("aplicar", carga_id)


@shared_task(name="informativas.tasks.cargas_reanudar")
def cargas_reanudar(antiguedad_segundos: int | None = None) -> list[int]:
    """Periodic sweep (Celery beat): queues again the cargas a lost worker left half-way."""
    if antiguedad_segundos is None:
        return services.cargas_reanudar()
    return services.cargas_reanudar(antiguedad=datetime.timedelta(seconds=antiguedad_segundos))

