"""Importar nómina tasks: ids in, one service call; a failure marks the import instead of leaving the page
polling forever (phase two's transaction has rolled back, so nothing was half-stored)."""

from __future__ import annotations

from celery import shared_task
from django.core.exceptions import ValidationError

from . import services


def _ejecutar(fase: str, importacion_id: int) -> str:
    funcion = services.nomina_validar if fase == "validar" else services.nomina_aplicar
    try:
        return funcion(importacion_id=importacion_id).estatus
    except ValidationError as error:
        services.nomina_fallo(importacion_id=importacion_id, fase=fase, mensaje=" ".join(error.messages))
        raise
    except Exception:
        services.nomina_fallo(importacion_id=importacion_id, fase=fase)
        raise


@shared_task(throws=(ValidationError,))
def nomina_validar(importacion_id: int) -> str:
    return _ejecutar("validar", importacion_id)


@shared_task(throws=(ValidationError,))
def nomina_aplicar(importacion_id: int) -> str:
    return _ejecutar("aplicar", importacion_id)
