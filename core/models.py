from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models


class BaseModel(models.Model):
    """Creation and update times for every model of the portal."""

    created_at = models.DateTimeField("creado", auto_now_add=True)
    updated_at = models.DateTimeField("actualizado", auto_now=True)

    class Meta:
        abstract = True


class Correo(BaseModel):
    """Outbox: every email is written here in the same transaction as the action that causes it.

    A Celery task sends it after commit; a periodic sweep sends whatever is still pending (Redis or SMTP
    down), so no email is ever lost, and the row lock plus the status make sure none goes out twice.
    """

    class Estatus(models.TextChoices):
        PENDIENTE = "pendiente", "Pendiente"
        ENVIADO = "enviado", "Enviado"
        FALLIDO = "fallido", "Fallido"

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    para = models.EmailField("para")
    remitente = models.EmailField("remitente")
    asunto = models.CharField("asunto", max_length=255)
    cuerpo_texto = models.TextField("cuerpo (texto)")
    cuerpo_html = models.TextField("cuerpo (HTML)", blank=True)
    plantilla = models.CharField("plantilla", max_length=100)
    adjunto_nombre = models.CharField(max_length=255, blank=True)
    adjunto = models.FileField(upload_to="correo-adjuntos/%Y/%m/", blank=True)
    adjunto_tipo = models.CharField(max_length=100, blank=True)
    estatus = models.CharField(max_length=10, choices=Estatus.choices, default=Estatus.PENDIENTE, db_index=True)
    intentos = models.PositiveIntegerField(default=0)
    ultimo_error = models.TextField(blank=True)
    enviado_at = models.DateTimeField("enviado", null=True, blank=True)
    # When its sending was last queued or tried: while that is recent a retry may still be scheduled, and the
    # periodic sweep leaves it alone. Empty when queueing failed (the broker was down).
    programado_at = models.DateTimeField("envío programado o intentado", null=True, blank=True)
    # Values nobody reading the outbox may use (the token of a password link): never in the stored subject and
    # bodies, which hold a marker in their place (core.services.marcador_secreto); kept here encrypted with a key
    # derived from SECRET_KEY (core.cifrado) until the email is sent, then emptied, and the markers say
    # SECRETO_RETIRADO. So the admin and a backup show no usable link, pending or sent. The dev mailbox
    # (ICSOE_DEV_MAILBOX, DEBUG only) keeps what was sent, so `make run` shows working links.
    secretos = models.JSONField("valores retirados tras el envío", default=list, blank=True, editable=False)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "correo"
        verbose_name_plural = "correos (bandeja de salida)"

    def __str__(self) -> str:
        return f"{self.asunto} → {self.para}"


class Bitacora(models.Model):
    """Audit trail: one row per state change, written in the same transaction as the change."""

    creado = models.DateTimeField(auto_now_add=True, db_index=True)
    accion = models.CharField(max_length=100, db_index=True)
    usuario = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    objeto_tipo = models.CharField(max_length=100)
    objeto_id = models.CharField(max_length=64, db_index=True)
    datos = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-creado"]
        verbose_name = "entrada de bitácora"
        verbose_name_plural = "bitácora"

    def __str__(self) -> str:
        return f"{self.creado:%Y-%m-%d %H:%M} {self.accion}"
