"""A reminder sent: one row per contratista, period and kind, claimed before its emails are queued."""

from __future__ import annotations

from django.db import models

from contratistas.models import Contratista
from core.models import BaseModel


class Recordatorio(BaseModel):
    """The claim of one reminder. Its unique constraint is what makes each reminder go out at most once: the
    row is inserted in the same transaction that queues the emails in the outbox, so a retry, a beat restart
    or a second beat running by mistake finds it taken and sends nothing (and a rolled-back run leaves no
    claim behind)."""

    class Tipo(models.TextChoices):
        DIEZ_DIAS = "D10", "10 días antes del vencimiento"
        TRES_DIAS = "D3", "3 días antes del vencimiento"
        UN_DIA = "D1", "1 día antes del vencimiento"
        VENCIDO = "VENCIDO", "El día siguiente al vencimiento"

    contratista = models.ForeignKey(Contratista, on_delete=models.CASCADE, related_name="recordatorios")
    anio = models.PositiveSmallIntegerField("año")
    cuatrimestre = models.PositiveSmallIntegerField("cuatrimestre")
    tipo = models.CharField("recordatorio", max_length=8, choices=Tipo.choices)
    fecha_limite = models.DateField("fecha límite")
    hoy = models.DateField("fecha en que se envió")
    destinatarios = models.JSONField("destinatarios", default=list, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "recordatorio enviado"
        verbose_name_plural = "recordatorios enviados"
        constraints = [
            models.UniqueConstraint(
                fields=["contratista", "anio", "cuatrimestre", "tipo"], name="recordatorio_una_vez"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.contratista.rfc} · {self.anio}-{self.cuatrimestre} · {self.get_tipo_display()}"


class RecordatorioRepse(BaseModel):
    """The claim of one reminder of the REPSE registration's expiry (contratistas.repse), as ``Recordatorio``:
    unique by contratista, expiry date and kind, so each goes out once per registration and a renewal (a new
    date, a new expiry) starts a new series."""

    class Tipo(models.TextChoices):
        D90 = "D90", "90 días antes del vencimiento del REPSE"
        D60 = "D60", "60 días antes del vencimiento del REPSE"
        D30 = "D30", "30 días antes del vencimiento del REPSE"
        D7 = "D7", "7 días antes del vencimiento del REPSE"
        VENCIDO = "VENCIDO", "El día siguiente al vencimiento del REPSE"

    contratista = models.ForeignKey(Contratista, on_delete=models.CASCADE, related_name="recordatorios_repse")
    vence = models.DateField("vencimiento del registro REPSE")
    tipo = models.CharField("recordatorio", max_length=8, choices=Tipo.choices)
    hoy = models.DateField("fecha en que se envió")
    destinatarios = models.JSONField("destinatarios", default=list, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "recordatorio REPSE enviado"
        verbose_name_plural = "recordatorios REPSE enviados"
        constraints = [
            models.UniqueConstraint(fields=["contratista", "vence", "tipo"], name="recordatorio_repse_una_vez"),
        ]

    def __str__(self) -> str:
        return f"{self.contratista.rfc} · vence {self.vence.isoformat()} · {self.get_tipo_display()}"
