from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models

from core.models import BaseModel

from ..models import LARGO_CODIGO, Informativa, codigo_verificacion_nuevo


class Expediente(BaseModel):
    """One contratante's expediente of one presented informativa: built once (``services.expediente_de``) and
    never rewritten, so that its files can be verified byte for byte, whatever is filed later."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    informativa = models.ForeignKey(Informativa, on_delete=models.PROTECT, related_name="expedientes")
    rfc_contratante = models.CharField("RFC del contratante", max_length=13)
    nombre_contratante = models.CharField("denominación o razón social / nombre del contratante", max_length=254)
    num_contratos = models.PositiveIntegerField("contratos")
    num_trabajadores = models.PositiveIntegerField("trabajadores")
    codigo_verificacion = models.CharField(
        "código de verificación", max_length=LARGO_CODIGO, unique=True, default=codigo_verificacion_nuevo,
        editable=False,
    )
    pdf = models.FileField("constancia (PDF)", upload_to="expedientes/%Y/%m/")
    pdf_sha256 = models.CharField("SHA-256 de la constancia", max_length=64)
    xlsx = models.FileField("contratos y trabajadores (Excel)", upload_to="expedientes/%Y/%m/")
    xlsx_sha256 = models.CharField("SHA-256 del Excel", max_length=64)
    manifiesto = models.FileField("manifiesto", upload_to="expedientes/%Y/%m/")
    manifiesto_sha256 = models.CharField("SHA-256 del manifiesto", max_length=64)
    # The portal certificate that sealed the constancia (verification trusts it only if the settings name it).
    portal_numero_certificado = models.CharField("número de certificado del portal", max_length=40)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name="generado por",
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "expediente de contratante"
        verbose_name_plural = "expedientes de contratantes"
        constraints = [
            models.UniqueConstraint(fields=["informativa", "rfc_contratante"], name="expediente_unico_por_contratante")
        ]
        # A constancia or its workbook checked by its bytes (the public verification).
        indexes = [
            models.Index(fields=["pdf_sha256"], name="expediente_pdf_sha256"),
            models.Index(fields=["xlsx_sha256"], name="expediente_xlsx_sha256"),
        ]

    def __str__(self) -> str:
        return f"Expediente {self.rfc_contratante} · {self.informativa.folio_definitivo}"

    @property
    def codigo_verificacion_mostrar(self) -> str:
        return "-".join(self.codigo_verificacion[i : i + 5] for i in range(0, len(self.codigo_verificacion), 5))
