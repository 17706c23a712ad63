from __future__ import annotations

from django.db import models

from core.models import BaseModel


class ListadoPublico(BaseModel):
    """One month's published listado: written once, never rewritten (``services.listado_publicar``)."""

    mes = models.DateField("mes", unique=True, help_text="Primer día del mes de presentación.")
    archivo = models.FileField("archivo (Excel)", upload_to="listado-publico/")
    sha256 = models.CharField("SHA-256 del archivo", max_length=64)
    filas = models.PositiveIntegerField("filas")
    generado = models.DateTimeField("generado")

    class Meta:
        ordering = ["-mes"]
        verbose_name = "listado público"
        verbose_name_plural = "listados públicos"

    def __str__(self) -> str:
        return f"Listado público {self.mes:%Y-%m}"
