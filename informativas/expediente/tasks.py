"""The expediente's build in the worker, for a contratante too large to build in a web request
(``services.expediente_pedir``)."""

from __future__ import annotations

from celery import shared_task
from django.contrib.auth import get_user_model

from ..models import Informativa
from . import services


@shared_task(name="informativas.expediente.tasks.expediente_construir")
def expediente_construir(informativa_id: int, rfc: str, usuario_id: int | None) -> str:
    """Builds and stores it (once: a second delivery finds it stored). Answers its verification code; a failure
    is recorded for the pages that wait for it (MemoryError included: the child's RLIMIT_AS)."""
    informativa = Informativa.objects.get(pk=informativa_id)
    usuario = get_user_model().objects.filter(pk=usuario_id).first() if usuario_id else None
    try:
        return services.expediente_de(informativa=informativa, rfc=rfc, usuario=usuario).codigo_verificacion
    except Exception:
        services.expediente_fallo_registrar(informativa_id=informativa_id, rfc=rfc)
        raise
