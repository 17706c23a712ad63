from __future__ import annotations

from celery import shared_task

from . import services


@shared_task(name="contratistas.tasks.acuses_stps_pendientes_depurar")
def acuses_stps_pendientes_depurar() -> int:
    """Periodic (Celery beat): removes acuse STPS uploads left pending for more than 24 hours."""
    return services.acuses_stps_pendientes_depurar()
