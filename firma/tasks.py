from __future__ import annotations

from celery import shared_task

from . import retos


@shared_task(name="firma.tasks.retos_depurar")
def retos_depurar() -> int:
    """Periodic (Celery beat): deletes the expired e.firma retos (firma/retos.py)."""
    return retos.retos_depurar()
