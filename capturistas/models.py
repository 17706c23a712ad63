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
    # The name RENAPO gave for the CURP when this contratista validated it (Consulta and Exportar excel).
    nombres = models.CharField("nombre(s)", max_length=120, blank=True)
    primer_apellido = models.CharField("primer apellido", max_length=120, blank=True)
    segundo_apellido = models.CharField("segundo apellido", max_length=120, blank=True)
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


class Liga(BaseModel):
    """A link emailed to a capturista to create (activación) or reset (recuperación) the password.

    Only a SHA-256 of the random token is stored. A link works once, for 24 hours, and only while it is the
    newest one of its user: issuing another link, or registering a password, invalidates every open one.
    """

    class Tipo(models.TextChoices):
        ACTIVACION = "activacion", "Activación"
        RECUPERACION = "recuperacion", "Recuperación de contraseña"

    class Motivo(models.TextChoices):
        REENVIO = "reenvio", "Se envió una liga más reciente"
        CONTRASENA = "contrasena", "La contraseña ya se registró con otra liga"
        CORREO = "correo", "Cambió el correo electrónico del usuario"
        BAJA = "baja", "El usuario ya no tiene relaciones vigentes"

    usuario = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="ligas_contrasena"
    )
    relacion = models.ForeignKey(
        Relacion, on_delete=models.SET_NULL, null=True, blank=True, related_name="ligas"
    )
    tipo = models.CharField(max_length=12, choices=Tipo.choices)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    para = models.EmailField("enviada a")
    expira_at = models.DateTimeField("vence")
    usada_at = models.DateTimeField("usada", null=True, blank=True)
    invalidada_at = models.DateTimeField("invalidada", null=True, blank=True)
    motivo_invalidacion = models.CharField(max_length=10, choices=Motivo.choices, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "liga de contraseña"
        verbose_name_plural = "ligas de contraseña"
        indexes = [models.Index(fields=["usuario", "usada_at", "invalidada_at"], name="liga_abiertas_idx")]

    def __str__(self) -> str:
        return f"{self.get_tipo_display()} · {self.usuario} · {self.created_at:%Y-%m-%d %H:%M}"
