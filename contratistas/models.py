from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models

from core.models import BaseModel

from .validators import MENSAJE_CORREO_INVALIDO, CelularValidator, RegistroRepseValidator


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
    correo = models.EmailField("correo electrónico", blank=True, error_messages={"invalid": MENSAJE_CORREO_INVALIDO})
    celular = models.CharField("celular", max_length=10, blank=True, validators=[CelularValidator()])
    telefono_fijo = models.CharField("teléfono fijo", max_length=15, blank=True)
    datos_generales_completos = models.BooleanField("datos generales completos", default=False)
    domicilio_social_igual_fiscal = models.BooleanField(
        "¿El domicilio social del contratista es igual a su domicilio fiscal?", null=True, blank=True
    )
    domicilio_social = models.ForeignKey(
        "Domicilio", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name="domicilio social"
    )
    # Captured once by the contratista only when the SAT registry stand-in does not know its domicilio fiscal.
    domicilio_fiscal = models.ForeignKey(
        "Domicilio", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name="domicilio fiscal"
    )
    registro_repse = models.CharField(
        "número de registro REPSE", max_length=40, blank=True, validators=[RegistroRepseValidator()]
    )
    # Optional: without it the portal cannot tell the registration's expiry (contratistas.repse) and sends no
    # REPSE reminders; the page asks for it.
    repse_fecha_registro = models.DateField(
        "fecha de registro o última renovación REPSE", null=True, blank=True
    )
    # Reminders of the informativa's deadline (recordatorios/): on for the contratista's own email by default;
    # its active capturistas get them only when it chooses so.
    recordatorios_activos = models.BooleanField("recibir recordatorios de vencimiento", default=True)
    recordatorios_capturistas = models.BooleanField(
        "enviar los recordatorios también a mis capturistas activos", default=False
    )

    class Meta:
        ordering = ["razon_social"]
        verbose_name = "contratista"
        verbose_name_plural = "contratistas"

    def __str__(self) -> str:
        return f"{self.rfc} · {self.razon_social}"

    @property
    def es_persona_moral(self) -> bool:
        return self.tipo_persona == self.TipoPersona.MORAL


def _ruta_acuse_stps(instancia: AcuseStps, _nombre: str) -> str:
    # Never the user's file name: it could collide or carry path tricks; the original is kept in ``nombre``.
    return f"acuses_stps/{instancia.contratista.code}/{instancia.code}.pdf"


class AcuseStps(BaseModel):
    """The "Acuse de registro en padrón de la STPS" PDF of a contratista.

    An upload is stored first as pending (``vigente`` false) so the file survives a form that comes back with
    errors; "Guardar" makes it the contratista's one vigente acuse. Served only by an access-checked view.
    """

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    contratista = models.ForeignKey(Contratista, on_delete=models.CASCADE, related_name="acuses_stps")
    archivo = models.FileField(upload_to=_ruta_acuse_stps)
    nombre = models.CharField("nombre del archivo", max_length=255)
    tamano = models.PositiveIntegerField("tamaño (bytes)")
    sha256 = models.CharField("SHA-256", max_length=64)
    vigente = models.BooleanField(default=False)
    subido_por = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "acuse de registro STPS"
        verbose_name_plural = "acuses de registro STPS"
        constraints = [
            models.UniqueConstraint(
                fields=["contratista"], condition=models.Q(vigente=True), name="acuse_stps_un_vigente"
            )
        ]

    def __str__(self) -> str:
        return f"{self.contratista.rfc} · {self.nombre}"


class ContribuyenteSat(BaseModel):
    """Local stand-in for the SAT registry of contribuyentes: the razón social and domicilio fiscal of an RFC.

    Staff fill it in the admin or by CSV import. Used to show a contratista's domicilio fiscal read-only and
    to fill the razón social when a contratante's RFC is validated.
    """

    rfc = models.CharField("RFC", max_length=13, unique=True)
    razon_social = models.CharField("denominación o razón social / nombre", max_length=254)
    codigo_postal = models.CharField("código postal", max_length=5, blank=True)
    estado = models.CharField(max_length=100, blank=True)
    municipio = models.CharField("municipio o alcaldía", max_length=150, blank=True)
    colonia = models.CharField(max_length=200, blank=True)
    calle = models.CharField(max_length=200, blank=True)
    numero_exterior = models.CharField("número exterior", max_length=30, blank=True)
    numero_interior = models.CharField("número interior", max_length=30, blank=True)

    class Meta:
        ordering = ["rfc"]
        verbose_name = "contribuyente (registro SAT)"
        verbose_name_plural = "contribuyentes (registro SAT)"

    def __str__(self) -> str:
        return f"{self.rfc} · {self.razon_social}"


# ----------------------------------------------------------------------------------------------------------
# SEPOMEX catalog (Correos de México): estado -> municipio -> código postal -> asentamiento (colonia)
# ----------------------------------------------------------------------------------------------------------
class Estado(models.Model):
    """c_estado / d_estado of the SEPOMEX file (the INEGI state key)."""

    clave = models.CharField("clave INEGI", max_length=2, unique=True)
    nombre = models.CharField(max_length=100)

    class Meta:
        ordering = ["nombre"]
        verbose_name = "estado"
        verbose_name_plural = "estados"

    def __str__(self) -> str:
        return self.nombre


class Municipio(models.Model):
    """c_mnpio / D_mnpio (INEGI municipality key, unique within its estado)."""

    estado = models.ForeignKey(Estado, on_delete=models.CASCADE, related_name="municipios")
    clave = models.CharField("clave INEGI", max_length=3)
    nombre = models.CharField(max_length=150)

    class Meta:
        ordering = ["nombre"]
        verbose_name = "municipio"
        verbose_name_plural = "municipios"
        constraints = [models.UniqueConstraint(fields=["estado", "clave"], name="municipio_unico")]

    def __str__(self) -> str:
        return f"{self.nombre}, {self.estado}"


class CodigoPostal(models.Model):
    codigo = models.CharField("código postal", max_length=5, unique=True)
    municipio = models.ForeignKey(Municipio, on_delete=models.CASCADE, related_name="codigos_postales")
    ciudad = models.CharField(max_length=150, blank=True)

    class Meta:
        ordering = ["codigo"]
        verbose_name = "código postal"
        verbose_name_plural = "códigos postales"

    def __str__(self) -> str:
        return self.codigo


class Asentamiento(models.Model):
    """d_asenta (the colonia), keyed by id_asenta_cpcons within its código postal."""

    codigo_postal = models.ForeignKey(CodigoPostal, on_delete=models.CASCADE, related_name="asentamientos")
    clave = models.CharField("id_asenta_cpcons", max_length=6)
    nombre = models.CharField(max_length=200)
    tipo = models.CharField("tipo de asentamiento", max_length=60, blank=True)
    zona = models.CharField(max_length=20, blank=True)

    class Meta:
        ordering = ["nombre"]
        verbose_name = "asentamiento (colonia)"
        verbose_name_plural = "asentamientos (colonias)"
        constraints = [models.UniqueConstraint(fields=["codigo_postal", "clave"], name="asentamiento_unico")]

    def __str__(self) -> str:
        return self.nombre


class Domicilio(models.Model):
    """An address picked from the SEPOMEX catalog in the three steps of the guide (código postal and colonia,
    then the street, then review). Reused by the contratista's domicilio social and the contratantes."""

    asentamiento = models.ForeignKey(Asentamiento, on_delete=models.PROTECT, verbose_name="colonia")
    calle = models.CharField(max_length=200)
    numero_exterior = models.CharField("número/letra exterior", max_length=30, blank=True)
    sin_numero = models.BooleanField("sin número", default=False)
    numero_interior = models.CharField("número/letra interior", max_length=30, blank=True)
    entre_calle = models.CharField("entre calle", max_length=200, blank=True)
    y_calle = models.CharField("y la calle", max_length=200, blank=True)
    calle_posterior = models.CharField("calle posterior", max_length=200, blank=True)
    descripcion = models.CharField("descripción de la ubicación", max_length=500, blank=True)

    class Meta:
        verbose_name = "domicilio"
        verbose_name_plural = "domicilios"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(sin_numero=True) | ~models.Q(numero_exterior=""), name="domicilio_numero_exterior"
            )
        ]

    def __str__(self) -> str:
        numero = "S/N" if self.sin_numero else self.numero_exterior
        interior = f" int. {self.numero_interior}" if self.numero_interior else ""
        cp = self.asentamiento.codigo_postal
        return f"{self.calle} {numero}{interior}, {self.asentamiento}, C.P. {cp}, {cp.municipio}"
