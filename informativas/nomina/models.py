from __future__ import annotations

from django.conf import settings
from django.db import models

from ..models import Contrato, Informativa, SubidaDosFases


class ImportacionNomina(SubidaDosFases):
    """One ZIP of payroll CFDIs imported into an informativa (whole) or into one contrato: phase one reads
    and checks every CFDI and keeps the plan (workers, problems, per-contrato counts); phase two, on
    confirmation, stores the new workers of each contrato all at once."""

    informativa = models.ForeignKey(
        Informativa, on_delete=models.CASCADE, related_name="importaciones_nomina"
    )
    contrato = models.ForeignKey(
        Contrato, on_delete=models.CASCADE, null=True, blank=True, related_name="importaciones_nomina"
    )
    archivo = models.FileField("archivo (ZIP)", upload_to="nomina/%Y/%m/")
    tamano = models.PositiveBigIntegerField("tamaño (bytes)", default=0)
    tarea_id = models.CharField("id de la tarea", max_length=64, blank=True)
    progreso = models.PositiveSmallIntegerField("progreso (%)", default=0)
    archivos = models.PositiveIntegerField("archivos en el ZIP", default=0)
    cfdis_nomina = models.PositiveIntegerField("CFDI de nómina del periodo", default=0)
    num_trabajadores = models.PositiveIntegerField("trabajadores distintos", default=0)
    # [archivo, campo, valor, mensaje]; a failure of the whole ZIP goes to ``mensaje``.
    errores = models.JSONField("problemas", default=list, blank=True)
    # The plan of phase one: the workers (nss, curp, sbc, fecha, archivo, sub, valores).
    trabajadores = models.JSONField("trabajadores leídos", default=list, blank=True)
    # {rfc: [contrato code, ...]}: the contratos that receive each contratante's workers (the user's pick).
    asignacion = models.JSONField("contratos elegidos por contratante", default=dict, blank=True)
    archivo_rechazados = models.FileField(
        "problemas (Excel)", upload_to="nomina/rechazados/%Y/%m/", blank=True
    )
    guardados = models.PositiveIntegerField("trabajadores guardados", default=0)
    aplicada_por = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "importación de nómina (CFDI)"
        verbose_name_plural = "importaciones de nómina (CFDI)"

    @property
    def es_zip(self) -> bool:
        """Whether one .zip was uploaded (loose XML files are packed into a ZIP named after them)."""
        return self.nombre_archivo.lower().endswith(".zip")
