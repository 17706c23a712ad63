"""Informativa, its contratos (each with its contratante), their trabajadores, and the cargas masivas.

The signing issue (firma y presentación, acuses, complementarias) builds on these: ``informativa_origen``,
``folio_definitivo``, ``fecha_presentacion`` and the signature fields are here for it and stay empty in capture.
"""

from __future__ import annotations

import secrets
import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q

from contratistas.models import Contratista, Domicilio
from contratistas.validators import RegistroRepseValidator
from core.models import BaseModel

from .periodos import Periodo
from .validators import validar_curp, validar_nss, validar_sbc

MENSAJE_PRESENTADA_NO_SE_ELIMINA = (
    "Una informativa presentada no se elimina: solo una complementaria Sin efectos la deja sin efectos."
)


class InformativaQuerySet(models.QuerySet):
    def delete(self):
        """Refuses the whole deletion when any of the informativas is presented or replaced (bulk paths: the
        admin's, a shell's, a command's)."""
        cerradas = self.filter(estatus__in=Informativa.ESTATUS_PRESENTADAS)
        if cerradas.exists():
            raise models.ProtectedError(MENSAJE_PRESENTADA_NO_SE_ELIMINA, set(cerradas))
        return super().delete()


class Informativa(BaseModel):
    class Tipo(models.TextChoices):
        NORMAL = "NORMAL", "Normal"
        SIN_INFORMACION = "SIN_INFORMACION", "Sin información"
        CORRECCION = "CORRECCION", "Corrección"
        SIN_EFECTOS = "SIN_EFECTOS", "Sin efectos"
        ACTUALIZACION = "ACTUALIZACION", "Actualización"

    class Estatus(models.TextChoices):
        EN_CAPTURA = "EN_CAPTURA", "En captura"
        PENDIENTE_FIRMA = "PENDIENTE_FIRMA", "Pendiente de firma"
        PRESENTADA = "PRESENTADA", "Presentada"
        SUSTITUIDA = "SUSTITUIDA", "Sustituida"
        # Cancelled by a complementaria Sin efectos (its own state: it was not replaced by anything).
        DEJADA_SIN_EFECTOS = "SIN_EFECTOS", "Dejada sin efectos"

    class Cuatrimestre(models.IntegerChoices):
        PRIMERO = 1, "Primero"
        SEGUNDO = 2, "Segundo"
        TERCERO = 3, "Tercero"

    # The types that report contracts (and so go through the wizard); the others are a single declaration.
    TIPOS_CON_CONTRATOS = (Tipo.NORMAL, Tipo.CORRECCION, Tipo.ACTUALIZACION)
    # IMSS inconsistency #6: one of these per contratista and period, unless replaced (sustituida).
    TIPOS_UNICOS_POR_PERIODO = (Tipo.NORMAL, Tipo.SIN_INFORMACION)
    # Started from a presented informativa in "Modificar presentación" (DOF 5.6, 5.9).
    TIPOS_COMPLEMENTARIA = (Tipo.CORRECCION, Tipo.SIN_EFECTOS, Tipo.ACTUALIZACION)
    # Presented once, then taken out of force by a complementaria: their acuse stays verifiable.
    ESTATUS_SIN_VIGENCIA = (Estatus.SUSTITUIDA, Estatus.DEJADA_SIN_EFECTOS)
    # A filing once presented stays for good (replaced ones too): no path deletes it.
    ESTATUS_PRESENTADAS = (Estatus.PRESENTADA, Estatus.SUSTITUIDA, Estatus.DEJADA_SIN_EFECTOS)

    objects = InformativaQuerySet.as_manager()

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    contratista = models.ForeignKey(Contratista, on_delete=models.PROTECT, related_name="informativas")
    anio = models.PositiveSmallIntegerField("año")
    cuatrimestre = models.PositiveSmallIntegerField("cuatrimestre", choices=Cuatrimestre.choices)
    tipo = models.CharField("tipo de informativa", max_length=16, choices=Tipo.choices)
    informativa_origen = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="complementarias",
        verbose_name="informativa de origen",
    )
    estatus = models.CharField(
        "estatus", max_length=16, choices=Estatus.choices, default=Estatus.EN_CAPTURA, db_index=True
    )
    extemporanea = models.BooleanField("extemporánea", default=False)
    creada_por = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="creada por",
    )
    # "Contratista" tab: the filer's domicilio convencional for this informativa.
    domicilio_convencional_igual_fiscal = models.BooleanField(
        "¿El domicilio convencional es igual al domicilio fiscal?", null=True, blank=True
    )
    domicilio_convencional = models.ForeignKey(
        Domicilio,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="domicilio convencional",
    )
    # IMSS inconsistency #7 compares this declared number with the contracts captured.
    contratos_declarados = models.PositiveIntegerField(
        "número de contratos celebrados", null=True, blank=True
    )
    enviada_a_firma_at = models.DateTimeField("enviada a firma", null=True, blank=True)
    # "Contratos relacionados" and "Total de trabajadores" as the bandeja and the consultas list them: kept by
    # the services that add or remove contratos and trabajadores, so that listing informativas never counts
    # workers (one informativa may have 100,000).
    num_contratos = models.PositiveIntegerField("contratos relacionados", default=0, editable=False)
    num_trabajadores = models.PositiveIntegerField("total de trabajadores", default=0, editable=False)
    # Filled by the signing issue.
    folio_definitivo = models.CharField("folio definitivo", max_length=20, blank=True)
    # The folio its first "Validar" reserved (folios.folio_informativa_reservar): every later Validar signs the
    # same one, and Firmar makes it folio_definitivo; so Validar cannot burn the shared series.
    folio_reservado = models.CharField("folio reservado", max_length=20, blank=True, editable=False)
    fecha_presentacion = models.DateTimeField("fecha de presentación", null=True, blank=True)
    firmada_por_rfc = models.CharField("RFC del firmante", max_length=13, blank=True)
    numero_certificado = models.CharField("número de certificado", max_length=20, blank=True)
    cadena_original = models.TextField("cadena original", blank=True)
    firma_b64 = models.TextField("firma (base64)", blank=True)

    class Meta:
        ordering = ["-anio", "-cuatrimestre", "-created_at"]
        verbose_name = "informativa"
        verbose_name_plural = "informativas"
        constraints = [
            models.UniqueConstraint(
                fields=["contratista", "anio", "cuatrimestre"],
                condition=Q(tipo__in=["NORMAL", "SIN_INFORMACION"])
                & ~Q(estatus__in=["SUSTITUIDA", "SIN_EFECTOS"]),
                name="informativa_unica_por_periodo",
                violation_error_message="Ya existe una informativa Normal o Sin información para ese periodo.",
            ),
            # A period has at most one filing in force: a presented Normal, Sin información, Corrección or
            # Actualización not yet replaced or cancelled. A presented Sin efectos is final but in force of
            # nothing: after it the period has none.
            models.UniqueConstraint(
                fields=["contratista", "anio", "cuatrimestre"],
                condition=Q(estatus="PRESENTADA") & ~Q(tipo="SIN_EFECTOS"),
                name="informativa_vigente_unica_por_periodo",
                violation_error_message="El periodo ya tiene una informativa vigente.",
            ),
            models.CheckConstraint(condition=Q(cuatrimestre__in=[1, 2, 3]), name="informativa_cuatrimestre"),
            models.UniqueConstraint(
                fields=["folio_definitivo"],
                condition=~Q(folio_definitivo=""),
                name="informativa_folio_definitivo_unico",
            ),
        ]
        indexes = [models.Index(fields=["contratista", "anio", "cuatrimestre"])]

    def __str__(self) -> str:
        return f"{self.get_tipo_display()} {self.periodo} · {self.contratista.rfc}"

    def delete(self, *args, **kwargs):
        """A presented (or replaced) informativa is evidence: refused, whoever asks. The row is read again, so
        an object loaded before it was signed cannot slip through."""
        if type(self).objects.filter(pk=self.pk, estatus__in=self.ESTATUS_PRESENTADAS).exists():
            raise models.ProtectedError(MENSAJE_PRESENTADA_NO_SE_ELIMINA, {self})
        return super().delete(*args, **kwargs)

    @property
    def periodo(self) -> Periodo:
        return Periodo(self.anio, self.cuatrimestre)

    @property
    def con_contratos(self) -> bool:
        return self.tipo in self.TIPOS_CON_CONTRATOS

    @property
    def editable(self) -> bool:
        return self.estatus == self.Estatus.EN_CAPTURA

    @property
    def es_complementaria(self) -> bool:
        return self.tipo in self.TIPOS_COMPLEMENTARIA

    @property
    def vigente(self) -> bool:
        """The period's filing in force: presented, neither replaced nor cancelled, and not a Sin efectos
        (which is final and leaves the period with none in force). Only this one may be modified."""
        return self.estatus == self.Estatus.PRESENTADA and self.tipo != self.Tipo.SIN_EFECTOS

    @property
    def estatus_texto(self) -> str:
        """The state as the Consulta lists it: a presented filing says whether it is the one in force."""
        if self.vigente:
            return "Presentada (vigente)"
        return self.get_estatus_display()

    @property
    def tipo_informativa(self) -> str:
        """The acuses' "Tipo de informativa" column: Normal, Sin información or Complementaria."""
        return "Complementaria" if self.es_complementaria else self.get_tipo_display()

    @property
    def tipo_complementaria(self) -> str:
        """The acuses' "Tipo de complementaria" column: Corrección, Sin efectos, Actualización or empty."""
        return self.get_tipo_display() if self.es_complementaria else ""


class Contrato(BaseModel):
    """One contract celebrated in the period, with its contratante (client) as the "Contratante" tab
    captures it and its own folio."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    informativa = models.ForeignKey(Informativa, on_delete=models.CASCADE, related_name="contratos")
    # A contract keeps its folio across the complementarias that copy it, so the folio is unique within one
    # informativa (contrato_folio_unico_por_informativa), not across them.
    folio = models.CharField("folio del contrato", max_length=20, db_index=True)
    # Contratante
    contratante_rfc = models.CharField("RFC del contratante", max_length=13)
    contratante_razon_social = models.CharField("denominación o razón social / nombre", max_length=254)
    contratante_en_padron = models.BooleanField("razón social del padrón del SAT", default=False)
    contratante_rfc_confirmado = models.BooleanField(
        "RFC confirmado pese al dígito verificador", default=False
    )
    contratante_correo = models.EmailField("correo electrónico")
    contratante_celular = models.CharField("celular", max_length=10)
    contratante_telefono_fijo = models.CharField("teléfono fijo", max_length=10, blank=True)
    domicilio_social_igual_fiscal = models.BooleanField(
        "¿El domicilio social es igual al domicilio fiscal?", null=True, blank=True
    )
    domicilio_social = models.ForeignKey(
        Domicilio,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="domicilio social",
    )
    domicilio_convencional_igual_fiscal = models.BooleanField(
        "¿El domicilio convencional es igual al domicilio fiscal?", null=True, blank=True
    )
    domicilio_convencional = models.ForeignKey(
        Domicilio,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="domicilio convencional",
    )
    # Contrato
    objeto = models.TextField("objeto del contrato", blank=True)
    registro_repse = models.CharField(
        "folio del registro REPSE", max_length=40, blank=True, validators=[RegistroRepseValidator()]
    )
    servicio = models.TextField("descripción del servicio u obra especializado", blank=True)
    fecha_inicio = models.DateField("fecha de inicio", null=True, blank=True)
    fecha_termino = models.DateField("fecha de término", null=True, blank=True)
    # Its workers as every page of the wizard shows them (tabs, Resumen, rule 4): kept with the informativa's
    # totals by the services, so that opening a step never counts a contract of 100,000 workers.
    num_trabajadores = models.PositiveIntegerField("trabajadores", default=0, editable=False)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = "contrato"
        verbose_name_plural = "contratos"
        constraints = [
            models.UniqueConstraint(
                fields=["informativa", "folio"],
                name="contrato_folio_unico_por_informativa",
                violation_error_message="El folio del contrato ya existe en esta informativa.",
            ),
            models.CheckConstraint(
                condition=Q(fecha_termino__isnull=True)
                | Q(fecha_inicio__isnull=True)
                | Q(fecha_termino__gte=models.F("fecha_inicio")),
                name="contrato_termino_posterior_inicio",
                violation_error_message="La fecha de término no puede ser anterior a la fecha de inicio.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.folio} · {self.contratante_rfc}"

    @property
    def contratante_persona_moral(self) -> bool:
        return len(self.contratante_rfc) == 12

    @property
    def contratante_completo(self) -> bool:
        if not (
            self.contratante_rfc
            and self.contratante_razon_social
            and self.contratante_correo
            and self.contratante_celular
        ):
            return False
        if self.contratante_persona_moral and self.domicilio_social_igual_fiscal is None:
            return False
        return self.domicilio_convencional_igual_fiscal is not None

    @property
    def contrato_completo(self) -> bool:
        return bool(self.objeto and self.registro_repse and self.servicio and self.fecha_inicio)


class SubidaDosFases(BaseModel):
    """What every two-phase upload (carga masiva, Importar nómina, Contratos en bloque) keeps the same way:
    its status through check, confirm or cancel, who uploaded it and when it was stored."""

    class Estatus(models.TextChoices):
        RECIBIDA = "RECIBIDA", "Recibida"
        VALIDANDO = "VALIDANDO", "Validando"
        VALIDADA = "VALIDADA", "Validada"
        APLICANDO = "APLICANDO", "Guardando"
        APLICADA = "APLICADA", "Guardada"
        RECHAZADA = "RECHAZADA", "Rechazada"
        CANCELADA = "CANCELADA", "Cancelada"

    EN_PROCESO = (Estatus.RECIBIDA, Estatus.VALIDANDO, Estatus.APLICANDO)

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    nombre_archivo = models.CharField("nombre del archivo", max_length=255)
    estatus = models.CharField(
        max_length=10, choices=Estatus.choices, default=Estatus.RECIBIDA, db_index=True
    )
    mensaje = models.TextField("mensaje", blank=True)
    creada_por = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    aplicada_at = models.DateTimeField("guardada", null=True, blank=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{self.nombre_archivo} ({self.get_estatus_display()})"

    @property
    def en_proceso(self) -> bool:
        return self.estatus in self.EN_PROCESO


class CargaMasiva(SubidaDosFases):
    """One uploaded worker file for one contract: phase one checks every row, phase two (on confirmation)
    stores the accepted rows all at once."""

    contrato = models.ForeignKey(Contrato, on_delete=models.CASCADE, related_name="cargas")
    archivo = models.FileField("archivo", upload_to="cargas/%Y/%m/")
    tamano = models.PositiveBigIntegerField("tamaño (bytes)", default=0)
    tarea_id = models.CharField("id de la tarea", max_length=64, blank=True)
    progreso = models.PositiveSmallIntegerField("progreso (%)", default=0)
    total_filas = models.PositiveIntegerField("registros en el archivo", default=0)
    aceptados = models.PositiveIntegerField("registros aceptados", default=0)
    rechazados = models.PositiveIntegerField("registros rechazados", default=0)
    guardados = models.PositiveIntegerField("trabajadores guardados", default=0)
    # Every problem found: [línea, columna, valor, mensaje]; a structural failure goes to ``mensaje``.
    errores = models.JSONField("errores", default=list, blank=True)
    archivo_rechazados = models.FileField(
        "registros rechazados (Excel)", upload_to="cargas/rechazados/%Y/%m/", blank=True
    )
    aplicada_por = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "carga masiva"
        verbose_name_plural = "cargas masivas"


class Trabajador(BaseModel):
    class Origen(models.TextChoices):
        INDIVIDUAL = "INDIVIDUAL", "Captura individual"
        CARGA_MASIVA = "CARGA_MASIVA", "Carga masiva"
        NOMINA = "NOMINA", "Importación de nómina (CFDI)"

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    # Indexed by trabajador_contrato_orden below, whose first column it is.
    contrato = models.ForeignKey(Contrato, on_delete=models.CASCADE, related_name="trabajadores", db_index=False)
    nss = models.CharField("NSS", max_length=11, validators=[validar_nss])
    curp = models.CharField("CURP", max_length=18, validators=[validar_curp])
    sbc = models.DecimalField("SBC", max_digits=12, decimal_places=2, validators=[validar_sbc])
    nombre = models.CharField("nombre(s)", max_length=120, blank=True)
    primer_apellido = models.CharField("primer apellido", max_length=120, blank=True)
    segundo_apellido = models.CharField("segundo apellido", max_length=120, blank=True)
    origen = models.CharField(max_length=12, choices=Origen.choices, default=Origen.INDIVIDUAL)
    carga = models.ForeignKey(
        CargaMasiva, on_delete=models.SET_NULL, null=True, blank=True, related_name="trabajadores"
    )

    class Meta:
        ordering = ["pk"]
        verbose_name = "trabajador"
        verbose_name_plural = "trabajadores"
        # A contract's trabajadores listed 50 at a time in capture order (selectors.trabajadores_de).
        indexes = [models.Index(fields=["contrato", "created_at", "id"], name="trabajador_contrato_orden")]
        constraints = [
            models.UniqueConstraint(
                fields=["contrato", "nss"],
                name="trabajador_nss_unico_por_contrato",
                violation_error_message="El NSS ya está registrado en este contrato.",
            ),
            models.UniqueConstraint(
                fields=["contrato", "curp"],
                name="trabajador_curp_unica_por_contrato",
                violation_error_message="La CURP ya está registrada en este contrato.",
            ),
            models.CheckConstraint(condition=Q(sbc__gt=0), name="trabajador_sbc_positivo"),
        ]

    def __str__(self) -> str:
        return f"{self.nss} · {self.curp}"

    @property
    def nombre_completo(self) -> str:
        return " ".join(p for p in (self.nombre, self.primer_apellido, self.segundo_apellido) if p)


# The acuse's verification code: 20 characters of Crockford's base32 (100 random bits), printed on the acuse in
# groups of five and put in its QR. Without it /verificar-acuse/ shows nothing, so folios, being sequential,
# cannot be enumerated.
ALFABETO_CODIGO = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
LARGO_CODIGO = 20


def codigo_verificacion_nuevo() -> str:
    return "".join(secrets.choice(ALFABETO_CODIGO) for _ in range(LARGO_CODIGO))


class Acuse(BaseModel):
    """The acuse de presentación of one presented informativa (DESIGN.md, "Integrity of what is filed").

    The cadena original, the contratista's sello, the folio and the date live on the informativa; here are
    the facts frozen at signing (RFC and razón social as they were, counts, the SHA-256 of the canonical
    content, the catalog names of its colonias), the contratista's certificate (to check its sello later), the
    portal's counter-sellos with the portal certificate that made them, and the PDF rendered once, with its
    SHA-256. Written once by ``presentacion.informativa_firmar``; never updated.
    """

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    informativa = models.OneToOneField(Informativa, on_delete=models.PROTECT, related_name="acuse")
    version = models.CharField("versión de la cadena original", max_length=4)
    rfc = models.CharField("RFC", max_length=13)
    razon_social = models.CharField("denominación o razón social / nombre", max_length=254)
    num_contratos = models.PositiveIntegerField("contratos relacionados")
    num_trabajadores = models.PositiveIntegerField("total de trabajadores")
    contenido_sha256 = models.CharField("SHA-256 del contenido", max_length=64)
    certificado = models.BinaryField("certificado de la e.firma (DER)")
    sello_portal = models.TextField("sello digital del portal (base64)")
    portal_numero_certificado = models.CharField("número de certificado del portal", max_length=40)
    # The portal certificate that sealed this acuse, so a rotation of the portal's key keeps it verifiable.
    # Verification trusts it only when it is one the portal's settings name (acuses.certificados_portal).
    portal_certificado = models.BinaryField("certificado del sello del portal (DER)", blank=True, default=b"")
    # The SEPOMEX text of every colonia the content names, as it was at signing ({asentamiento id: {codigo_postal,
    # colonia}}): part of the signed content, so a later catalog re-import cannot change what was filed.
    colonias = models.JSONField("colonias al firmar (SEPOMEX)", default=dict, blank=True)
    pdf = models.FileField("acuse (PDF)", upload_to="acuses/%Y/%m/")
    pdf_sha256 = models.CharField("SHA-256 del PDF", max_length=64)
    sello_pdf = models.TextField("sello del portal sobre el PDF (base64)")
    codigo_verificacion = models.CharField(
        "código de verificación", max_length=LARGO_CODIGO, unique=True, default=codigo_verificacion_nuevo,
        editable=False,
    )

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["pdf_sha256"], name="acuse_pdf_sha256")]  # a PDF checked by its bytes
        verbose_name = "acuse de presentación"
        verbose_name_plural = "acuses de presentación"

    def __str__(self) -> str:
        return f"Acuse {self.informativa.folio_definitivo}"

    @property
    def codigo_verificacion_mostrar(self) -> str:
        """The code as printed on the acuse: groups of five."""
        return "-".join(self.codigo_verificacion[i : i + 5] for i in range(0, len(self.codigo_verificacion), 5))


class FolioContador(models.Model):
    """The last number given in one folio series (for example ``A25P`` or ``N25``); see folios.py."""

    serie = models.CharField(max_length=12, unique=True)
    ultimo = models.PositiveBigIntegerField(default=0)

    class Meta:
        verbose_name = "contador de folios"
        verbose_name_plural = "contadores de folios"

    def __str__(self) -> str:
        return f"{self.serie}: {self.ultimo}"


from .bloque.models import CargaContratos  # noqa: E402, F401
from .contratantes.models import Contratante  # noqa: E402, F401
from .listado.models import ListadoPublico  # noqa: E402, F401
from .nomina.models import ImportacionNomina  # noqa: E402, F401  (its own sub-package; registered here)


class ConfirmacionListaSat(BaseModel):
    """The user's explicit confirmation that it knows a contratante is «Definitivo» in the SAT's list of
    art. 69-B: asked once per contratante RFC per informativa (at the Contratante tab or at Firmar)."""

    informativa = models.ForeignKey(
        Informativa, on_delete=models.CASCADE, related_name="confirmaciones_lista_sat", verbose_name="informativa"
    )
    rfc = models.CharField("RFC del contratante", max_length=13)
    lista = models.CharField("lista", max_length=40)
    situacion = models.CharField("situación", max_length=60)
    fecha_corte = models.DateField("fecha de corte de la carga consultada", null=True, blank=True)
    usuario = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="usuario"
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "confirmación de contratante en lista del SAT"
        verbose_name_plural = "confirmaciones de contratantes en listas del SAT"
        constraints = [
            models.UniqueConstraint(fields=["informativa", "rfc"], name="informativas_confirmacion_lista_sat_unica")
        ]

    def __str__(self) -> str:
        return f"{self.rfc} · {self.situacion} · {self.informativa_id}"
from .expediente.models import Expediente  # noqa: E402, F401
