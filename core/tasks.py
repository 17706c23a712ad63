from __future__ import annotations

import smtplib

from celery import shared_task

from . import services


@shared_task(
    bind=True,
    autoretry_for=(smtplib.SMTPException, OSError),
    retry_backoff=5,
    retry_backoff_max=600,
    retry_jitter=True,
    max_retries=12,
)
def correo_enviar(self, correo_id: int) -> bool:
    return services.correo_enviar(correo_id=correo_id)


@shared_task
def correos_enviar_pendientes() -> int:
    """Periodic sweep: queue every email still pending (the broker was down, or retries ran out)."""
    ids = services.correos_pendientes_ids()
    for correo_id in ids:
        correo_enviar.delay(correo_id)
    return len(ids)


@shared_task
def ping(valor: str) -> str:
    """Round trip used by the health check and the harness tests."""
    return f"pong:{valor}"
