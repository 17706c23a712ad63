"""Contratista operations."""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import DatabaseError, transaction
from django.db.models.functions import Upper
from django.utils import timezone

from accounts.models import User
from core.identificadores import rfc_error
from core.services import bitacora_registrar

from . import sepomex
from .domicilio import domicilio_guardar
from .models import AcuseStps, Contratista, ContribuyenteSat
from .validators import validar_pdf

if TYPE_CHECKING:
    from accounts.models import User


def tipo_persona_por_rfc(rfc: str) -> str:
    """12 characters: persona moral; 13: persona física."""
    return Contratista.TipoPersona.MORAL if len(rfc) == 12 else Contratista.TipoPersona.FISICA


@transaction.atomic
def contratista_obtener_o_crear(*, rfc: str, razon_social: str, curp: str | None = None) -> Contratista:
    """Returns the contratista of this RFC, creating it (and its login user) on its first e.firma login.

    The RFC and name come from the certificate, which is authoritative.
    """
    rfc = rfc.strip().upper()
    existente = Contratista.objects.select_related("usuario").filter(rfc=rfc).first()
    if existente:
        return existente
    usuario, _ = User.objects.get_or_create(
        username=rfc,
        defaults={
            "rol": User.Rol.CONTRATISTA,
            "rfc": rfc,
            "curp": curp or "",
            "nombre_completo": razon_social,
        },
    )
    if usuario.rol == User.Rol.CONTRATANTE:
        # An RFC that entered first as a contratante (clientes/) keeps its one account and becomes a contratista.
        usuario.rol = User.Rol.CONTRATISTA
    usuario.set_unusable_password()
    usuario.save(update_fields=["rol", "password"])
    contratista = Contratista.objects.create(
        usuario=usuario, rfc=rfc, razon_social=razon_social, tipo_persona=tipo_persona_por_rfc(rfc)
    )
    bitacora_registrar(accion="contratistas.contratista.creado", objeto=contratista, usuario=usuario)
    return contratista


def contribuyente_buscar(*, rfc: str) -> ContribuyenteSat | None:
    """Looks an RFC up in the SAT stand-in registry; None when it is not there."""
    return ContribuyenteSat.objects.filter(rfc=rfc.strip().upper()).first()


def contribuyentes_por_rfc(*, rfcs: Iterable[str]) -> dict[str, ContribuyenteSat]:
    """``contribuyente_buscar`` for many RFCs in one query: RFC (upper case) -> its registry entry."""
    claves = {r.strip().upper() for r in rfcs if r and r.strip()}
    return {c.rfc: c for c in ContribuyenteSat.objects.filter(rfc__in=claves)} if claves else {}


def contribuyentes_por_razon_social(*, nombres: Iterable[str]) -> dict[str, list[ContribuyenteSat]]:
    """For ``contribuyente_con_razon_social`` over many names in one query: the name (spaces collapsed, upper
    case) -> the registry's taxpayers with that name (any case), in the order that function picks them."""
    claves = {" ".join(n.split()).upper() for n in nombres if n and n.strip()}
    if not claves:
        return {}
    encontrados: dict[str, list[ContribuyenteSat]] = {}
    filas = ContribuyenteSat.objects.annotate(_nombre=Upper("razon_social")).filter(_nombre__in=claves)
    for c in filas.order_by(*(ContribuyenteSat._meta.ordering or ["pk"])):
        encontrados.setdefault(c._nombre, []).append(c)
    return encontrados


def contribuyente_con_razon_social(*, razon_social: str, excepto_rfc: str) -> ContribuyenteSat | None:
    """The registry's taxpayer, other than ``excepto_rfc``, whose name is ``razon_social`` (any case): a name
    filled from the registry for one RFC and left in place when the RFC was changed."""
    nombre = " ".join(razon_social.split())
    if not nombre:
        return None
    otros = ContribuyenteSat.objects.exclude(rfc=excepto_rfc.strip().upper())
    return otros.filter(razon_social__iexact=nombre).first()


# ----------------------------------------------------------------------------------------------------------
# Datos generales: contact data, domicilio fiscal (read-only or captured once), domicilio social, acuse STPS
# ----------------------------------------------------------------------------------------------------------
MENSAJE_GUARDADO = "Los datos generales del contratista se guardaron exitosamente."
MENSAJE_ACUSE_REQUERIDO = "Adjunta el acuse de registro en padrón de la STPS (PDF)."
MENSAJE_DOMICILIO_SOCIAL = "Ubica el domicilio social del contratista."
MENSAJE_DOMICILIO_FISCAL = "Captura el domicilio fiscal del contratista."
MENSAJE_PREGUNTA_SOCIAL = "Indica si el domicilio social es igual al domicilio fiscal."
# Required on "Guardar" (the guide's asterisks), with the form's wording.
OBLIGATORIOS = {
    "correo": "Captura el correo electrónico.",
    "celular": "Captura el celular.",
    "registro_repse": "Captura el número de registro REPSE.",
}
# An upload not saved with the datos generales within this time is discarded with its file.
VIGENCIA_ACUSE_PENDIENTE = timedelta(hours=24)


@dataclass
class DomicilioFiscal:
    """What the page shows as the domicilio fiscal, wherever it came from."""

    origen: str  # "sat" (the SAT registry stand-in) or "capturado" (typed once by the contratista)
    codigo_postal: str
    estado: str
    municipio: str
    colonia: str
    calle: str
    numero_exterior: str
    numero_interior: str


def domicilio_fiscal_de(*, contratista: Contratista) -> DomicilioFiscal | None:
    """The contratista's domicilio fiscal: the SAT registry's when it knows it, else the one the contratista
    captured; None when there is none yet (the page then asks for it once)."""
    padron = contribuyente_buscar(rfc=contratista.rfc)
    if padron and padron.codigo_postal:
        return DomicilioFiscal(
            origen="sat",
            codigo_postal=padron.codigo_postal,
            estado=padron.estado,
            municipio=padron.municipio,
            colonia=padron.colonia,
            calle=padron.calle,
            numero_exterior=padron.numero_exterior,
            numero_interior=padron.numero_interior,
        )
    d = contratista.domicilio_fiscal
    if d is None:
        return None
    a = d.asentamiento
    cp = a.codigo_postal
    return DomicilioFiscal(
        origen="capturado",
        codigo_postal=cp.codigo,
        estado=cp.municipio.estado.nombre,
        municipio=cp.municipio.nombre,
        colonia=a.nombre,
        calle=d.calle,
        numero_exterior="S/N" if d.sin_numero else d.numero_exterior,
        numero_interior=d.numero_interior,
    )


@dataclass
class DatosGenerales:
    correo: str
    celular: str
    registro_repse: str
    telefono_fijo: str = ""
    domicilio_social_igual_fiscal: bool | None = None
    domicilio_social: dict[str, Any] | None = None  # domicilio.CAMPOS_DOMICILIO, asentamiento an Asentamiento
    domicilio_fiscal: dict[str, Any] | None = None
    repse_fecha_registro: date | None = None


def _borrar_archivo_al_confirmar(acuse: AcuseStps) -> None:
    nombre, storage = acuse.archivo.name, acuse.archivo.storage
    transaction.on_commit(lambda: storage.delete(nombre))


def _descartar_pendientes(contratista: Contratista, *, excepto: AcuseStps | None = None) -> None:
    pendientes = contratista.acuses_stps.filter(vigente=False)
    if excepto is not None:
        pendientes = pendientes.exclude(pk=excepto.pk)
    for pendiente in pendientes:
        _borrar_archivo_al_confirmar(pendiente)
        pendiente.delete()


def acuse_stps_vigente(*, contratista: Contratista) -> AcuseStps | None:
    return contratista.acuses_stps.filter(vigente=True).first()


def acuse_stps_pendiente(*, contratista: Contratista, code: str | None) -> AcuseStps | None:
    """A not yet saved upload of this contratista named by the form (anything else is ignored)."""
    try:
        code_uuid = uuid.UUID(str(code))
    except ValueError:
        return None
    return contratista.acuses_stps.filter(code=code_uuid, vigente=False).first()


@transaction.atomic
def acuse_stps_subir(*, contratista: Contratista, archivo: UploadedFile, usuario: User) -> AcuseStps:
    """Stores an uploaded acuse as pending: it becomes the contratista's acuse when the datos generales are
    saved, and it spares the user choosing the file again when the form comes back with other errors.
    A contratista keeps at most one pending upload."""
    contenido = validar_pdf(archivo)
    _descartar_pendientes(contratista)
    acuse = AcuseStps(
        contratista=contratista,
        nombre=Path(archivo.name or "acuse.pdf").name[:255],
        tamano=len(contenido),
        sha256=hashlib.sha256(contenido).hexdigest(),
        vigente=False,
        subido_por=usuario if getattr(usuario, "is_authenticated", False) else None,
    )
    acuse.archivo.save(f"{acuse.code}.pdf", ContentFile(contenido), save=False)
    try:
        acuse.full_clean()
        acuse.save()
    except (ValidationError, DatabaseError):
        acuse.archivo.storage.delete(acuse.archivo.name)
        raise
    return acuse



@transaction.atomic
def datos_generales_guardar(  # noqa: C901 - the all-or-nothing save checks each part of the form in one transaction
    *, contratista: Contratista, datos: DatosGenerales, acuse_pendiente: AcuseStps | None, usuario: User
) -> Contratista:
    """"Guardar" of the Información del contratista: contact data, domicilio social (personas morales), the
    domicilio fiscal when the SAT registry does not know it (captured once), the registro REPSE and the acuse
    STPS, all or nothing. Raises ValidationError (a dict by field) without changing anything."""
    contratista = Contratista.objects.select_for_update().get(pk=contratista.pk)
    antes = {
        c: getattr(contratista, c)
        for c in ("correo", "celular", "telefono_fijo", "registro_repse", "repse_fecha_registro")
    }
    antes["domicilio_social_igual_fiscal"] = contratista.domicilio_social_igual_fiscal
    contratista.correo = datos.correo.strip().lower()
    contratista.celular = datos.celular
    contratista.telefono_fijo = datos.telefono_fijo
    contratista.registro_repse = datos.registro_repse.strip().upper()
    contratista.repse_fecha_registro = datos.repse_fecha_registro
    errores: dict[str, Any] = {}
    try:  # the model's own checks (celular of 10 digits, registro REPSE, email) before anything is written
        contratista.clean_fields(exclude=["usuario", "domicilio_social", "domicilio_fiscal"])
    except ValidationError as error:
        errores.update(error.message_dict)
    errores.update({campo: m for campo, m in OBLIGATORIOS.items() if not getattr(contratista, campo)})

    cambios: list[str] = []
    anterior_social = contratista.domicilio_social
    if contratista.es_persona_moral:
        if datos.domicilio_social_igual_fiscal is None:
            errores["domicilio_social_igual_fiscal"] = MENSAJE_PREGUNTA_SOCIAL
        elif not datos.domicilio_social_igual_fiscal and not datos.domicilio_social:
            errores["domicilio_social_igual_fiscal"] = MENSAJE_DOMICILIO_SOCIAL
        contratista.domicilio_social_igual_fiscal = datos.domicilio_social_igual_fiscal
    else:  # the domicilio social applies only to personas morales (ICSOE FAQ)
        contratista.domicilio_social_igual_fiscal = None

    fiscal_requerido = domicilio_fiscal_de(contratista=contratista) is None
    if fiscal_requerido and not datos.domicilio_fiscal:
        errores["domicilio_fiscal"] = MENSAJE_DOMICILIO_FISCAL

    vigente = acuse_stps_vigente(contratista=contratista)
    if acuse_pendiente is not None:
        # Locked, and read again: it must still be this contratista's pending upload (the sweep of old
        # uploads may have removed it).
        acuse_pendiente = (
            contratista.acuses_stps.select_for_update().filter(pk=acuse_pendiente.pk, vigente=False).first()
        )
    if acuse_pendiente is None and vigente is None:
        errores["acuse"] = MENSAJE_ACUSE_REQUERIDO
    if errores:
        raise ValidationError(errores)

    if contratista.es_persona_moral and contratista.domicilio_social_igual_fiscal is False:
        contratista.domicilio_social = domicilio_guardar(actual=anterior_social, datos=datos.domicilio_social)
        cambios.append("domicilio_social")
    else:
        contratista.domicilio_social = None
    if fiscal_requerido:
        contratista.domicilio_fiscal = domicilio_guardar(actual=None, datos=datos.domicilio_fiscal)
        cambios.append("domicilio_fiscal")
    if acuse_pendiente is not None:
        if vigente is not None:
            _borrar_archivo_al_confirmar(vigente)
            vigente.delete()
        acuse_pendiente.vigente = True
        acuse_pendiente.save(update_fields=["vigente", "updated_at"])
        cambios.append("acuse_stps")
    _descartar_pendientes(contratista, excepto=acuse_pendiente)

    contratista.datos_generales_completos = True
    contratista.full_clean(exclude=["usuario"])
    contratista.save()
    if anterior_social is not None and contratista.domicilio_social is None:
        anterior_social.delete()
    cambios += [c for c, v in antes.items() if getattr(contratista, c) != v]
    bitacora_registrar(
        accion="contratistas.contratista.datos_generales_guardados",
        objeto=contratista,
        usuario=usuario,
        datos={"campos": sorted(set(cambios)), "acuse_sha256": acuse_pendiente.sha256 if acuse_pendiente else None},
    )
    return contratista


@transaction.atomic
def acuses_stps_pendientes_depurar(*, ahora: datetime | None = None) -> int:
    """Deletes the acuse uploads never made vigente by a "Guardar" within VIGENCIA_ACUSE_PENDIENTE, and their
    files once the deletion commits (Celery beat runs it). Returns how many were removed."""
    limite = (ahora or timezone.now()) - VIGENCIA_ACUSE_PENDIENTE
    viejos = AcuseStps.objects.select_for_update(skip_locked=True).filter(vigente=False, created_at__lt=limite)
    total = 0
    for acuse in viejos:
        _borrar_archivo_al_confirmar(acuse)
        acuse.delete()
        total += 1
    return total


@transaction.atomic
def acuse_stps_eliminar(*, contratista: Contratista, usuario: User) -> AcuseStps | None:
    """"Eliminar": removes the contratista's acuse STPS; its datos generales are incomplete until a new one is
    saved. Returns the removed acuse (already deleted) or None when there was none."""
    contratista = Contratista.objects.select_for_update().get(pk=contratista.pk)
    vigente = acuse_stps_vigente(contratista=contratista)
    if vigente is None:
        return None
    _borrar_archivo_al_confirmar(vigente)
    vigente.delete()
    contratista.datos_generales_completos = False
    contratista.save(update_fields=["datos_generales_completos", "updated_at"])
    bitacora_registrar(
        accion="contratistas.acuse_stps.eliminado",
        objeto=contratista,
        usuario=usuario,
        datos={"nombre": vigente.nombre, "sha256": vigente.sha256},
    )
    return vigente


def acuse_stps_visible(*, usuario: User, code: Any) -> AcuseStps | None:
    """An acuse STPS the user may read: its own contratista's, or any for IMSS staff. Capturistas never."""
    try:
        code_uuid = uuid.UUID(str(code))
    except ValueError:
        return None
    acuses = AcuseStps.objects.select_related("contratista").filter(code=code_uuid)
    if getattr(usuario, "is_staff", False):
        return acuses.first()
    if getattr(usuario, "es_contratista", False):
        return acuses.filter(contratista__usuario=usuario).first()
    return None


# ----------------------------------------------------------------------------------------------------------
# SEPOMEX catalog
# ----------------------------------------------------------------------------------------------------------
def sepomex_importar(*, contenido: bytes) -> sepomex.ResultadoImportacion:
    """Imports the SEPOMEX catalog (TXT or XML): every row checked first, then one bulk upsert transaction.
    Raises sepomex.SepomexError (nothing written) when the file is malformed."""
    return sepomex.guardar(sepomex.leer(contenido))


# ----------------------------------------------------------------------------------------------------------
# SAT registry stand-in (staff load it in the admin or from a CSV)
# ----------------------------------------------------------------------------------------------------------
COLUMNAS_CONTRIBUYENTES = (
    "rfc",
    "razon_social",
    "codigo_postal",
    "estado",
    "municipio",
    "colonia",
    "calle",
    "numero_exterior",
    "numero_interior",
)


@transaction.atomic
def contribuyentes_importar_csv(*, texto: str) -> int:
    """Creates or updates ContribuyenteSat rows from a UTF-8 CSV with a header naming COLUMNAS_CONTRIBUYENTES
    (only rfc and razon_social are required). All rows are checked first; any error raises ValidationError
    listing them and writes nothing. Returns how many rows were loaded."""
    import csv
    import io

    lector = csv.DictReader(io.StringIO(texto.lstrip("\ufeff")))
    faltan = [c for c in ("rfc", "razon_social") if c not in (lector.fieldnames or [])]
    if faltan:
        raise ValidationError(f"Al encabezado del CSV le faltan columnas: {', '.join(faltan)}.")
    errores, filas = [], []
    for numero, fila in enumerate(lector, start=2):
        datos = {c: (fila.get(c) or "").strip() for c in COLUMNAS_CONTRIBUYENTES}
        datos["rfc"] = datos["rfc"].upper()
        if mensaje := rfc_error(datos["rfc"]):
            errores.append(f"Fila {numero}: {mensaje}")
            continue
        if not datos["razon_social"]:
            errores.append(f"Fila {numero}: la razón social es obligatoria.")
            continue
        filas.append(datos)
    if errores:
        raise ValidationError(errores)
    for datos in filas:
        rfc = datos.pop("rfc")
        contribuyente = ContribuyenteSat.objects.filter(rfc=rfc).first() or ContribuyenteSat(rfc=rfc)
        for campo, valor in datos.items():
            setattr(contribuyente, campo, valor)
        contribuyente.full_clean()
        contribuyente.save()
    return len(filas)


# ----------------------------------------------------------------------------------------------------------
# Recordatorios de vencimiento: on or off, and whether the active capturistas get them too
# ----------------------------------------------------------------------------------------------------------
MENSAJE_RECORDATORIOS_GUARDADO = "Se guardó tu preferencia de recordatorios."


@transaction.atomic
def recordatorios_configurar(*, contratista: Contratista, activos: bool, capturistas: bool, usuario: User) -> Contratista:
    """The reminders of the informativa's deadline (recordatorios/): sent to the contratista's email when
    ``activos``, and also to its active capturistas when ``capturistas`` (ignored while they are off). Saved
    apart from the datos generales: turning them off never asks for the rest of the page."""
    contratista = Contratista.objects.select_for_update().get(pk=contratista.pk)
    antes = {"activos": contratista.recordatorios_activos, "capturistas": contratista.recordatorios_capturistas}
    contratista.recordatorios_activos = activos
    contratista.recordatorios_capturistas = capturistas
    contratista.save(update_fields=["recordatorios_activos", "recordatorios_capturistas", "updated_at"])
    bitacora_registrar(
        accion="contratistas.contratista.recordatorios",
        objeto=contratista,
        usuario=usuario,
        datos={"antes": antes, "despues": {"activos": activos, "capturistas": capturistas}},
    )
    return contratista
