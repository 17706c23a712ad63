from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models

from core.models import BaseModel

from ..models import CargaMasiva, Informativa


class CargaContratos(BaseModel):
    """One uploaded Contratos en bloque workbook: phase one checks every row, phase two stores them."""

    Estatus = CargaMasiva.Estatus

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    informativa = models.ForeignKey(Informativa, on_delete=models.CASCADE, related_name="cargas_contratos")
    archivo = models.FileField("archivo", upload_to="contratos-bloque/%Y/%m/")
    nombre_archivo = models.CharField("nombre del archivo", max_length=255)
    estatus = models.CharField(
        max_length=10, choices=Estatus.choices, default=Estatus.RECIBIDA, db_index=True
    )
    total_filas = models.PositiveIntegerField("contratos en el archivo", default=0)
    aceptados = models.PositiveIntegerField("contratos aceptados", default=0)
    rechazados = models.PositiveIntegerField("contratos rechazados", default=0)
    guardados = models.PositiveIntegerField("contratos guardados", default=0)
    # [fila, columna, valor, mensaje]; a failure of the whole file goes to ``mensaje``.
    errores = models.JSONField("errores", default=list, blank=True)
    mensaje = models.TextField("mensaje", blank=True)
    # Phase one's accepted rows as the wizard's forms cleaned them (``guardado.FilaAceptada.como_json``):
    # phase two stores them without reading the workbook again.
    aceptadas = models.JSONField("contratos aceptados", default=list, blank=True, editable=False)
    archivo_rechazados = models.FileField(
        "filas rechazadas (Excel)", upload_to="contratos-bloque/rechazados/%Y/%m/", blank=True
    )
    creada_por = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    aplicada_at = models.DateTimeField("guardada", null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "carga de contratos en bloque"
        verbose_name_plural = "cargas de contratos en bloque"

    def __str__(self) -> str:
        return f"{self.nombre_archivo} ({self.get_estatus_display()})"
