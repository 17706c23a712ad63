from __future__ import annotations

import uuid

from django.db import models

from contratistas.models import Contratista
from core.models import BaseModel


class Contratante(BaseModel):
    """One client of a contratista, as its last saved contrato captured it."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    contratista = models.ForeignKey(Contratista, on_delete=models.CASCADE, related_name="contratantes")
    rfc = models.CharField("RFC", max_length=13)
    razon_social = models.CharField("denominación o razón social / nombre", max_length=254)
    rfc_confirmado = models.BooleanField("RFC confirmado pese al dígito verificador", default=False)
    correo = models.EmailField("correo electrónico")
    celular = models.CharField("celular", max_length=10)
    telefono_fijo = models.CharField("teléfono fijo", max_length=10, blank=True)
    domicilio_social_igual_fiscal = models.BooleanField(null=True, blank=True)
    domicilio_convencional_igual_fiscal = models.BooleanField(null=True, blank=True)
    # The domicilio form's fields (codigo_postal, asentamiento id, calle, ...), to fill the Contratante tab.
    domicilio_social = models.JSONField("domicilio social", default=dict, blank=True)
    domicilio_convencional = models.JSONField("domicilio convencional", default=dict, blank=True)

    class Meta:
        ordering = ["razon_social", "rfc"]
        verbose_name = "contratante (catálogo)"
        verbose_name_plural = "catálogo de contratantes"
        constraints = [
            models.UniqueConstraint(
                fields=["contratista", "rfc"], name="contratante_rfc_unico_por_contratista"
            )
        ]

    def __str__(self) -> str:
        return f"{self.rfc} · {self.razon_social}"
