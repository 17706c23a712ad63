from __future__ import annotations

from django.db import models


class AutoridadCertificadora(models.Model):
    """A CA added by IMSS staff (admin or `efirma confiar`), on top of the bundled SAT CAs."""

    nombre = models.CharField(max_length=255)
    certificado = models.BinaryField("certificado (DER)")
    huella_sha256 = models.CharField("huella SHA-256", max_length=64, unique=True)
    de_pruebas = models.BooleanField(
        "de pruebas", default=False, help_text="Sólo se confía en ella donde ICSOE_TRUST_TEST_CAS lo permite."
    )
    activa = models.BooleanField(default=True)
    agregada = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["nombre"]
        verbose_name = "autoridad certificadora"
        verbose_name_plural = "autoridades certificadoras"

    def __str__(self) -> str:
        return self.nombre


class CertificadoRevocado(models.Model):
    """Local revocation list, kept by staff: a revoked e.firma cannot log in or sign."""

    numero_certificado = models.CharField("número de certificado", max_length=20, unique=True)
    rfc = models.CharField("RFC", max_length=13, blank=True)
    motivo = models.CharField(max_length=255, blank=True)
    revocado = models.DateTimeField("fecha de revocación", auto_now_add=True)

    class Meta:
        ordering = ["-revocado"]
        verbose_name = "certificado revocado"
        verbose_name_plural = "certificados revocados"

    def __str__(self) -> str:
        return self.numero_certificado


class VersionConfianza(models.Model):
    """One row: a number raised by every change of the trusted CAs (admin, ``efirma confiar``). Each process
    keeps its parsed trust store while this number stays the same, and reads it again every few seconds
    (ICSOE_CONFIANZA_SEGUNDOS), so a change reaches every process whatever the cache is (locmem or none)."""

    version = models.PositiveBigIntegerField(default=0)

    class Meta:
        verbose_name = "versión de las autoridades de confianza"
        verbose_name_plural = "versión de las autoridades de confianza"

    def __str__(self) -> str:
        return f"Versión {self.version} de las autoridades de confianza"


class RetoEfirma(models.Model):
    """What the browser must sign with the e.firma: issued after "Validar" checked the certificate, used once.

    ``mensaje`` is the exact text to sign (a login challenge, or the cadena original at Firmar); ``datos``
    what the server reserved with it (at Firmar: informativa, folio, time of presentation). Tied to the
    session (a random token kept in it, stored here only as a hash) and to the certificate (its SHA-256), and
    valid until ``expira``. See docs/firma-en-navegador.md and firma/retos.py.
    """

    id = models.UUIDField(primary_key=True)
    proposito = models.CharField("propósito", max_length=20)
    sesion_sha256 = models.CharField("sesión (SHA-256)", max_length=64, db_index=True)
    # The client's address, hashed: each address and each session keep only a few live retos (retos.py).
    direccion_sha256 = models.CharField("dirección (SHA-256)", max_length=64, default="", db_index=True)
    certificado_sha256 = models.CharField("certificado (SHA-256)", max_length=64)
    mensaje = models.TextField("texto a firmar")
    datos = models.JSONField(default=dict, blank=True)
    emitido = models.DateTimeField(auto_now_add=True)
    expira = models.DateTimeField(db_index=True)

    class Meta:
        verbose_name = "reto de e.firma"
        verbose_name_plural = "retos de e.firma"

    def __str__(self) -> str:
        return f"{self.proposito} {self.id}"
