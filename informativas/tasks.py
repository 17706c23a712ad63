"""Carga masiva tasks: ids in, one service call. An unexpected error marks the carga instead of leaving the
page polling forever; the transaction of phase two has rolled back, so nothing was half-stored."""

from __future__ import annotations

from celery import shared_task
from django.core.exceptions import ValidationError

from . import services


@shared_task(throws=(ValidationError,))
def carga_validar(carga_id: int) -> str:
    try:
        return services.carga_validar(carga_id=carga_id).estatus
    except Exception:
        services.carga_fallo(carga_id=carga_id, fase="validar")
        raise


@shared_task(throws=(ValidationError,))
def carga_aplicar(carga_id: int) -> str:
    try:
        return services.carga_aplicar(carga_id=carga_id).estatus
    except Exception:
        services.carga_fallo(carga_id=carga_id, fase="aplicar")
        raise
