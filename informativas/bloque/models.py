from __future__ import annotations

from django.conf import settings
from django.db import models

from ..models import Informativa, SubidaDosFases


class CargaContratos(SubidaDosFases):
    """One uploaded Contratos en bloque workbook: phase one checks every row, phase two stores them."""

    informativa = models.ForeignKey(Informativa, on_delete=models.CASCADE, related_name="cargas_contratos")
    archivo = models.FileField("archivo", upload_to="contratos-bloque/%Y/%m/")
    # Both phases run in the worker (tasks.py); db_default lets the previous release insert rows while hosts roll.
    tarea_id = models.CharField("id de la tarea", max_length=64, blank=True, default="", db_default="")
    progreso = models.PositiveSmallIntegerField("progreso (%)", default=0, db_default=0)
    total_filas = models.PositiveIntegerField("contratos en el archivo", default=0)
    aceptados = models.PositiveIntegerField("contratos aceptados", default=0)
    rechazados = models.PositiveIntegerField("contratos rechazados", default=0)
    guardados = models.PositiveIntegerField("contratos guardados", default=0)
    # [fila, columna, valor, mensaje]; a failure of the whole file goes to ``mensaje``.
    errores = models.JSONField("errores", default=list, blank=True)
    # Phase one's accepted rows as the wizard's forms cleaned them (``guardado.FilaAceptada.como_json``):
    # phase two stores them without reading the workbook again.
    aceptadas = models.JSONField("contratos aceptados", default=list, blank=True, editable=False)
    # The distinct RFCs of the accepted rows, kept by phase one: the summary screens them against the SAT's lists
    # (one query) without reading ``aceptadas``. Null on a carga checked before they were kept.
    contratantes_rfc = models.JSONField("RFC de los contratantes aceptados", null=True, blank=True, editable=False)
    archivo_rechazados = models.FileField(
        "filas rechazadas (Excel)", upload_to="contratos-bloque/rechazados/%Y/%m/", blank=True
    )
    # Who confirmed: phase two, in the worker, stores the contratos and the audit in their name.
    aplicada_por = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "carga de contratos en bloque"
        verbose_name_plural = "cargas de contratos en bloque"
