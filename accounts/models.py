from __future__ import annotations

import uuid

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models


class User(AbstractUser):
    """A person or company that logs in.

    ``username`` is the login key: the RFC for a contratista or a contratante (e.firma login), the CURP for a
    capturista (CURP + password), any name for IMSS staff.
    """

    class Rol(models.TextChoices):
        CONTRATISTA = "contratista", "Contratista"
        CAPTURISTA = "capturista", "Capturista"
        STAFF = "staff", "Personal IMSS"
        # An RFC that is only a contratante authorised by some contratista (clientes/): its own view, nothing
        # else. A contratista that is also a contratante keeps this one account and chooses per session.
        CONTRATANTE = "contratante", "Contratante"

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    rol = models.CharField("rol", max_length=12, choices=Rol.choices, default=Rol.CAPTURISTA)
    rfc = models.CharField("RFC", max_length=13, blank=True, db_index=True)
    curp = models.CharField("CURP", max_length=18, blank=True, db_index=True)
    nombre_completo = models.CharField("denominación o razón social / nombre completo", max_length=254, blank=True)

    objects = UserManager()

    class Meta:
        verbose_name = "usuario"
        verbose_name_plural = "usuarios"
        constraints = [
            models.UniqueConstraint(
                fields=["rfc"], condition=models.Q(rol="contratista"), name="usuario_contratista_rfc_unico"
            ),
            models.UniqueConstraint(
                fields=["curp"], condition=models.Q(rol="capturista"), name="usuario_capturista_curp_unico"
            ),
            models.UniqueConstraint(
                fields=["rfc"], condition=models.Q(rol="contratante"), name="usuario_contratante_rfc_unico"
            ),
        ]

    def __str__(self) -> str:
        return self.nombre_completo or self.username

    @property
    def es_contratista(self) -> bool:
        return self.rol == self.Rol.CONTRATISTA

    @property
    def es_capturista(self) -> bool:
        return self.rol == self.Rol.CAPTURISTA

    @property
    def clave(self) -> str:
        """The key shown in the Perfil strip: RFC for a contratista, CURP for a capturista."""
        return self.rfc or self.curp or self.username


class PersonaRenapo(models.Model):
    """Local stand-in for the RENAPO CURP registry: staff fill it in the admin or by CSV import."""

    curp = models.CharField("CURP", max_length=18, unique=True)
    nombres = models.CharField("nombre(s)", max_length=120)
    primer_apellido = models.CharField("primer apellido", max_length=120)
    segundo_apellido = models.CharField("segundo apellido", max_length=120, blank=True)

    class Meta:
        ordering = ["curp"]
        verbose_name = "persona (registro CURP)"
        verbose_name_plural = "personas (registro CURP)"

    def __str__(self) -> str:
        return f"{self.curp} · {self.nombre_completo}"

    @property
    def nombre_completo(self) -> str:
        return " ".join(p for p in (self.nombres, self.primer_apellido, self.segundo_apellido) if p)


class TerminosCondiciones(models.Model):
    """A version of the términos y condiciones; the newest active one must be accepted before working."""

    version = models.CharField("versión", max_length=20, unique=True)
    texto = models.TextField("texto")
    vigente_desde = models.DateTimeField("vigente desde")
    activo = models.BooleanField(default=True)

    class Meta:
        ordering = ["-vigente_desde"]
        verbose_name = "términos y condiciones"
        verbose_name_plural = "términos y condiciones"

    def __str__(self) -> str:
        return f"Versión {self.version}"


class AceptacionTerminos(models.Model):
    usuario = models.ForeignKey(User, on_delete=models.CASCADE, related_name="aceptaciones_terminos")
    terminos = models.ForeignKey(TerminosCondiciones, on_delete=models.PROTECT, related_name="aceptaciones")
    aceptado = models.DateTimeField("aceptado", auto_now_add=True)
    ip = models.GenericIPAddressField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["usuario", "terminos"], name="aceptacion_unica")]
        verbose_name = "aceptación de términos"
        verbose_name_plural = "aceptaciones de términos"

    def __str__(self) -> str:
        return f"{self.usuario} aceptó {self.terminos}"
