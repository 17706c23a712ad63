from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models

from core.models import BaseModel


class Contratista(BaseModel):
    """The provider of specialized services or works, identified by its RFC (from its e.firma)."""

    class TipoPersona(models.TextChoices):
        MORAL = "moral", "Persona moral"
        FISICA = "fisica", "Persona física"

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    usuario = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="contratista", verbose_name="usuario"
    )
    rfc = models.CharField("RFC", max_length=13, unique=True)
    razon_social = models.CharField("denominación o razón social / nombre completo", max_length=254)
    tipo_persona = models.CharField("tipo de persona", max_length=6, choices=TipoPersona.choices)
    correo = models.EmailField("correo electrónico", blank=True)
    celular = models.CharField("celular", max_length=10, blank=True)
    telefono_fijo = models.CharField("teléfono fijo", max_length=15, blank=True)
    datos_generales_completos = models.BooleanField("datos generales completos", default=False)

    class Meta:
        ordering = ["razon_social"]
        verbose_name = "contratista"
        verbose_name_plural = "contratistas"

    def __str__(self) -> str:
        return f"{self.rfc} · {self.razon_social}"

    @property
    def es_persona_moral(self) -> bool:
        return self.tipo_persona == self.TipoPersona.MORAL
