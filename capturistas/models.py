from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models

from contratistas.models import Contratista
from core.models import BaseModel


class Relacion(BaseModel):
    """A capturista working for a contratista. One person (User by CURP) may relate to several contratistas;
    baja and reactivation affect only this relation."""

    class Estatus(models.TextChoices):
        REGISTRADA = "registrada", "Registrada"
        ACTIVA = "activa", "Activa"
        BAJA = "baja", "Baja"

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    contratista = models.ForeignKey(Contratista, on_delete=models.CASCADE, related_name="relaciones")
    capturista = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="relaciones_capturista"
    )
    estatus = models.CharField(max_length=10, choices=Estatus.choices, default=Estatus.REGISTRADA, db_index=True)
    telefono = models.CharField("teléfono", max_length=15)
    correo = models.EmailField("correo electrónico")
    usuario_alta = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    fecha_baja = models.DateTimeField("fecha de baja", null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "relación contratista-capturista"
        verbose_name_plural = "relaciones contratista-capturista"
        constraints = [
            models.UniqueConstraint(fields=["contratista", "capturista"], name="relacion_unica"),
        ]

    def __str__(self) -> str:
        return f"{self.capturista} → {self.contratista}"
