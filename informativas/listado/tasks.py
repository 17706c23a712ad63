from __future__ import annotations

from celery import shared_task

from plazos import reloj

from . import services


@shared_task(name="informativas.listado.tasks.listado_publico_publicar")
def listado_publico_publicar() -> bool:
    """Celery beat, daily: in the first five business days of a month (plazos.reloj's today), the previous
    month's listado público, published once. Answers whether it published one now."""
    return services.listado_mes_anterior_publicar(hoy=reloj.hoy()) is not None
