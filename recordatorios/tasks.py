from __future__ import annotations

import time

from celery import shared_task
from django.core.cache import cache

from plazos import reloj

from . import repse, services

# The last run, for operations and for the test that walks the shared clock through a deadline: which "today"
# it used, when it started and ended (epoch seconds) and how many reminders it sent.
ULTIMA_CORRIDA = "recordatorios:ultima_corrida"


@shared_task(name="recordatorios.tasks.recordatorios_enviar")
def recordatorios_enviar() -> int:
    """Celery beat, every ICSOE_RECORDATORIOS_CADA seconds: the deadline reminders and the REPSE registration's
    reminders due today (plazos.reloj)."""
    inicio = time.time()
    hoy = reloj.hoy()
    resultado = services.recordatorios_enviar(hoy=hoy)
    repse_enviados = repse.recordatorios_repse_enviar(hoy=hoy)
    cache.set(
        ULTIMA_CORRIDA,
        {
            "hoy": resultado.hoy.isoformat(),
            "inicio": inicio,
            "fin": time.time(),
            "enviados": resultado.enviados,
            "repse": repse_enviados,
        },
        timeout=None,
    )
    return resultado.enviados + repse_enviados
