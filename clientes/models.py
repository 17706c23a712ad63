"""A contratista's authorisation for one contratante RFC to see what it filed about it (Lineamientos, numeral 7)."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone


class Autorizacion(models.Model):
    """The contratista authorised ``rfc_contratante`` (who, when) and may revoke it (who, when). A revoked row
    is kept as the record; authorising the RFC again makes a new row, so at most one is in force per pair."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    contratista = models.ForeignKey(
        "contratistas.Contratista", on_delete=models.CASCADE, related_name="autorizaciones_contratante"
    )
    rfc_contratante = models.CharField("RFC del contratante", max_length=13, db_index=True)
    nombre_contratante = models.CharField("nombre o razón social del contratante", max_length=254, blank=True)
    autorizada_por = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="autorizada por"
    )
    autorizada_en = models.DateTimeField("autorizada el", default=timezone.now)
    revocada_por = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="revocada por",
    )
    revocada_en = models.DateTimeField("revocada el", null=True, blank=True)

    class Meta:
        ordering = ["-autorizada_en", "-pk"]
        verbose_name = "autorización de contratante"
        verbose_name_plural = "autorizaciones de contratantes"
        constraints = [
            models.UniqueConstraint(
                fields=["contratista", "rfc_contratante"],
                condition=models.Q(revocada_en__isnull=True),
                name="autorizacion_contratante_vigente_unica",
            )
        ]

    def __str__(self) -> str:
        return f"{self.contratista} autoriza a {self.rfc_contratante}"

    @property
    def vigente(self) -> bool:
        return self.revocada_en is None
