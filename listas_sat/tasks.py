from __future__ import annotations

from celery import shared_task
from django.conf import settings

from . import actualizacion


@shared_task(name="listas_sat.tasks.listas_sat_actualizar")
def listas_sat_actualizar() -> int:
    """Celery beat, nightly: each URL of ICSOE_LISTAS_SAT_URLS checked (recorded even when unchanged) and
    loaded when it changed. Answers how many files were loaded. Off while the setting is empty."""
    return actualizacion.listas_actualizar(urls=list(settings.ICSOE_LISTAS_SAT_URLS))
