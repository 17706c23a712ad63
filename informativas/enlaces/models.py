from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models

from core.models import BaseModel


class EnlaceExpediente(BaseModel):
    """A link the contratista (or its capturista) gives one contratante to its expediente of one filing.

    Keyed to the filing and the contratante's RFC: it reaches that expediente only, and keeps showing it when a
    later filing replaces the informativa. Only the SHA-256 of its random token is kept (the token has 256
    bits, so a plain hash is enough; it is shown once, when the link is made); ``code`` names the link in the
    contratista's own pages."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    informativa = models.ForeignKey(
        "informativas.Informativa", on_delete=models.PROTECT, related_name="enlaces", verbose_name="informativa"
    )
    rfc_contratante = models.CharField("RFC del contratante", max_length=13)
    nombre_contratante = models.CharField("denominación o razón social / nombre del contratante", max_length=254)
    token_hash = models.CharField("SHA-256 de la liga", max_length=64, unique=True, editable=False)
    vigencia_dias = models.PositiveSmallIntegerField("vigencia (días)")
    expira_at = models.DateTimeField("vence")
    creado_por = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="creada por"
    )
    creado_por_nombre = models.CharField("nombre de quien la creó", max_length=254)
    correo = models.EmailField("enviada por correo a", blank=True)
    revocado_at = models.DateTimeField("revocada", null=True, blank=True)
    revocado_por_nombre = models.CharField("nombre de quien la revocó", max_length=254, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = "liga al expediente de un contratante"
        verbose_name_plural = "ligas a expedientes de contratantes"
        indexes = [models.Index(fields=["informativa", "rfc_contratante"], name="enlace_informativa_rfc")]

    def __str__(self) -> str:
        return f"Liga {self.rfc_contratante} · {self.informativa_id}"


class AccesoEnlace(models.Model):
    """One request that reached a link whose token matched: when, from where, what it asked, and whether it
    was answered (a link expired or revoked is refused, and the refusal is recorded too)."""

    class Recurso(models.TextChoices):
        PAGINA = "PAGINA", "Página del expediente"
        PDF = "PDF", "Constancia (PDF)"
        XLSX = "XLSX", "Excel (XLSX)"
        MANIFIESTO = "MANIFIESTO", "Manifiesto"

    enlace = models.ForeignKey(EnlaceExpediente, on_delete=models.CASCADE, related_name="accesos")
    momento = models.DateTimeField("fecha y hora", auto_now_add=True)
    ip = models.GenericIPAddressField("dirección IP", null=True, blank=True)
    recurso = models.CharField("consulta", max_length=12, choices=Recurso.choices, default=Recurso.PAGINA)
    atendido = models.BooleanField("mostrado", default=True)

    class Meta:
        ordering = ["-momento", "-pk"]
        verbose_name = "acceso a una liga de expediente"
        verbose_name_plural = "accesos a ligas de expediente"

    def __str__(self) -> str:
        return f"{self.enlace_id} · {self.momento:%Y-%m-%d %H:%M} · {self.ip}"
