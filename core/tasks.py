from __future__ import annotations

import datetime
import smtplib
from importlib import import_module

from celery import shared_task
from django.conf import settings
from django.utils import timezone

from . import services

# SMTP failures are retried with exponential backoff (5 s, 10 s, 20 s... at most ESPERA_MAXIMA s, each with
# jitter). An email queued or tried within ESPERA_MAXIMA, plus a margin for a busy worker, may still have its
# next retry scheduled: the periodic sweep leaves it to that retry.
ESPERA_MAXIMA = 600
SIN_REINTENTO_PENDIENTE = datetime.timedelta(seconds=ESPERA_MAXIMA + 60)


@shared_task(
    name="core.tasks.correo_enviar",
    bind=True,
    autoretry_for=(smtplib.SMTPException, OSError),
    retry_backoff=5,
    retry_backoff_max=ESPERA_MAXIMA,
    retry_jitter=True,
    max_retries=12,
)
def correo_enviar(self, correo_id: int) -> bool:
    return services.correo_enviar(correo_id=correo_id)


@shared_task(name="core.tasks.correos_enviar_pendientes")
def correos_enviar_pendientes() -> int:
    """Periodic sweep (Celery beat, every minute): queues the pending emails no send is under way for (the
    broker was down, or the retries ran out); one whose retry is still scheduled is left alone."""
    ids = services.correos_programar_pendientes(inactivos_desde=timezone.now() - SIN_REINTENTO_PENDIENTE)
    for correo_id in ids:
        correo_enviar.delay(correo_id)
    return len(ids)


@shared_task(name="core.tasks.sesiones_depurar")
def sesiones_depurar() -> None:
    """Nightly (Celery beat): deletes the expired sessions, as ``manage.py clearsessions`` does. An anonymous
    visitor of a public page that keeps state (the verification's and Validar's throttles, a restored draft)
    leaves a session row; without this the table only grows."""
    motor = import_module(settings.SESSION_ENGINE)
    motor.SessionStore.clear_expired()


@shared_task(name="core.tasks.ping")
def ping(valor: str) -> str:
    """Round trip used by the health check and the harness tests."""
    return f"pong:{valor}"
