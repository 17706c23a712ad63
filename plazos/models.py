"""The días inhábiles IMSS publishes each year, added by staff in the admin (CFF art. 12, last paragraphs)."""

from __future__ import annotations

from django.db import models

from core.models import BaseModel


class DiaInhabil(BaseModel):
    fecha = models.DateField("fecha", unique=True)
    motivo = models.CharField("motivo", max_length=200, help_text="Por ejemplo, el acuerdo del IMSS que lo publica.")

    class Meta:
        ordering = ["-fecha"]
        verbose_name = "día inhábil"
        verbose_name_plural = "días inhábiles"

    def __str__(self) -> str:
        return f"{self.fecha:%d/%m/%Y} · {self.motivo}"


class RelojPrueba(models.Model):
    """The test clock: one row whose date, while set, is "today" for every process of the portal (web, Celery
    worker and beat alike), so that a test or a demo can move the date of the deadlines and reminders.

    Read only when the ICSOE_RELOJ_PRUEBA setting is on (tests, demos; `check --deploy` refuses it): with it
    off, no query is made and the row, if any, is ignored. Kept in the database, never in a process's memory,
    because the beat that decides, the worker that sends and the page that answers are different processes."""

    UNICA = 1

    id = models.PositiveSmallIntegerField(primary_key=True, default=UNICA, editable=False)
    hoy = models.DateField("fecha de hoy del reloj de prueba")
    updated_at = models.DateTimeField("actualizado", auto_now=True)

    class Meta:
        verbose_name = "reloj de prueba"
        verbose_name_plural = "reloj de prueba"
        constraints = [models.CheckConstraint(condition=models.Q(id=1), name="reloj_prueba_una_fila")]

    def __str__(self) -> str:
        return f"Hoy es {self.hoy:%d/%m/%Y} (reloj de prueba)"
