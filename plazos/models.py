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
