"""Importar nómina (CFDI): receive the ZIP, phase one (read and check every CFDI, plan each contrato's
workers, nothing stored), the user's pick of contratos per contratante, and phase two (store the new workers
of every contrato at once, all or none).

The carga masiva's rules are the ones used: its identifier checks (through ``revision``), its duplicate
messages, its rejected-rows workbook escaping, its batch insert with the CURP registry's names, the
informativa lock, audit and totals of ``informativas.comun``.
"""

from __future__ import annotations

import io
import logging
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile, File
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from contratistas.services import contribuyentes_por_rfc
from core.hojas import celda_segura, libro_xlsx

from .. import comun, cribado, dos_fases
from ..captura import services as captura
from ..captura.forms import ContratanteForm
from ..contratantes import services as catalogo
from ..contratantes.models import Contratante
from ..models import Contrato, Informativa, Trabajador
from ..trabajadores import Fila, insertar_trabajadores
from . import cfdi as lector
from . import revision as rev
from .models import ImportacionNomina

if TYPE_CHECKING:
    from accounts.models import User

logger = logging.getLogger(__name__)

MENSAJE_EXTENSION = "Sube un archivo .zip con los XML de nómina, o uno o varios archivos .xml."
MENSAJE_SIN_ARCHIVO = "Selecciona el ZIP o los XML de nómina."
MENSAJE_SIN_CATALOGO = (
    "{rfc} no está en el catálogo de contratantes: captura su contratante en la pestaña Contratante o en "
    "Contratos en bloque."
)
MENSAJE_CATALOGO_INCOMPLETO = "Su entrada del catálogo de contratantes está incompleta ({errores})."
MENSAJE_NO_VALIDADA = "La importación no está lista para guardarse."
MENSAJE_NADA_QUE_GUARDAR = "La importación no tiene trabajadores para guardar."
MENSAJE_ELEGIR = "Elige al menos un contrato para los trabajadores de {rfc}."
MENSAJE_XML_GRANDE = "El archivo {nombre} excede el tamaño máximo de {max:g} MB por XML."
MENSAJE_ERROR = "No fue posible procesar el ZIP. Intenta de nuevo; si el problema persiste, repórtalo."


def limites() -> lector.Limites:
    return lector.Limites(
        entrada=settings.ICSOE_NOMINA_MAX_ENTRADA,
        total=settings.ICSOE_NOMINA_MAX_DESCOMPRIMIDO,
        razon=settings.ICSOE_NOMINA_MAX_RAZON,
        entradas=settings.ICSOE_NOMINA_MAX_ARCHIVOS,
    )


def mensaje_tamano() -> str:
    return f"El ZIP excede el tamaño máximo permitido de {settings.ICSOE_NOMINA_MAX_BYTES / 2**20:g} MB."


def _registrar(accion: str, informativa: Informativa, usuario: User | None, **datos: Any) -> None:
    comun.registrar(f"nomina.{accion}", informativa, usuario, **datos)


# ----------------------------------------------------------------------------------------------------------
# Upload
# ----------------------------------------------------------------------------------------------------------
def _como_zip(archivos: list[UploadedFile]) -> tuple[File, str, int]:
    """One .zip as it came, or several .xml packed into one ZIP (so both take the same path)."""
    if len(archivos) == 1 and (archivos[0].name or "").lower().endswith(".zip"):
        return archivos[0], (archivos[0].name or "").rsplit("/", 1)[-1][:200], archivos[0].size or 0
    salida = io.BytesIO()
    with zipfile.ZipFile(salida, "w", zipfile.ZIP_DEFLATED) as zf:
        for archivo in archivos:
            nombre = (archivo.name or "").rsplit("/", 1)[-1]
            if not nombre.lower().endswith(".xml"):
                raise ValidationError(MENSAJE_EXTENSION, code="extension")
            if archivo.size > settings.ICSOE_NOMINA_MAX_ENTRADA:
                raise ValidationError(
                    MENSAJE_XML_GRANDE.format(nombre=nombre, max=settings.ICSOE_NOMINA_MAX_ENTRADA / 2**20),
                    code="tamano",
                )
            zf.writestr(nombre[:200], archivo.read())
    nombre = (archivos[0].name or "") if len(archivos) == 1 else f"{len(archivos)} archivos XML"
    return ContentFile(salida.getvalue()), nombre[:200], salida.tell()


@transaction.atomic
def nomina_crear(
    *, informativa: Informativa, archivos: list[UploadedFile], usuario: User, contrato: Contrato | None = None
) -> ImportacionNomina:
    """Stores the upload as a new import and queues phase one once the upload commits. Only what needs no
    reading of the ZIP is checked here (sizes, extensions): the worker opens it, under its memory ceiling
    (``icsoe.celery.limitar_memoria``), whatever its size."""
    informativa = comun.bloquear(informativa)
    if not archivos:
        raise ValidationError(MENSAJE_SIN_ARCHIVO, code="sin_archivo")
    if sum(a.size or 0 for a in archivos) > settings.ICSOE_NOMINA_MAX_BYTES:
        raise ValidationError(mensaje_tamano(), code="tamano")
    if len(archivos) == 1 and not (archivos[0].name or "").lower().endswith((".zip", ".xml")):
        raise ValidationError(MENSAJE_EXTENSION, code="extension")
    contenido, nombre, tamano = _como_zip(archivos)
    importacion = ImportacionNomina(
        informativa=informativa,
        contrato=contrato,
        nombre_archivo=nombre,
        tamano=tamano,
        creada_por=comun.usuario_o_nada(usuario),
    )
    importacion.archivo.save(f"{importacion.code}.zip", contenido, save=False)
    importacion.full_clean()
    importacion.save()
    _registrar("recibida", informativa, usuario, archivo=nombre, contrato=contrato.folio if contrato else "")
    from . import tasks  # tasks.py imports this module

    transaction.on_commit(lambda: _encolar(tasks.nomina_validar, importacion))
    return importacion


def nomina_recibir(
    *, informativa: Informativa, archivos: list[UploadedFile], usuario: User, contrato: Contrato | None = None
) -> ImportacionNomina:
    """ "Importar": stores the upload and queues phase one; the import comes back Recibida and its page shows
    the worker's progress (``nomina_validar`` runs in the worker, never in the web request)."""
    return nomina_crear(informativa=informativa, archivos=archivos, usuario=usuario, contrato=contrato)


def _encolar(tarea: Any, importacion: ImportacionNomina) -> None:
    # The broker is down: nothing is lost, the user uploads again or retries later.
    dos_fases.encolar(
        tarea,
        importacion,
        sin_broker=lambda: logger.warning(
            "No se pudo encolar %s de la importación %s", dos_fases.nombre_corto(tarea), importacion.pk
        ),
    )


# ----------------------------------------------------------------------------------------------------------
# Phase one
# ----------------------------------------------------------------------------------------------------------
def _contratos(informativa_id: int) -> list[Contrato]:
    """The informativa's contratos in the order a nómina fills them, with what its plan reads of each."""
    return list(
        Contrato.objects.filter(informativa_id=informativa_id)
        .order_by("created_at", "pk")
        .only("pk", "code", "folio", "contratante_rfc")
    )


def _destinos(contratos: list[Contrato]) -> list[rev.ContratoDestino]:
    return [rev.ContratoDestino(str(c.code), c.folio, c.contratante_rfc) for c in contratos]


AVANCE_PASO = 5  # percentage points between two progress updates of phase one: 20 UPDATEs whatever the ZIP
AVANCE_LEIDO = 95  # the percentage once every CFDI is read; the plan and the problems workbook take the rest


class AvanceLectura:
    """Phase one's percentage on the import's row while the ZIP is read: the number of entries comes from the
    central directory (``contar``) before any is inflated, and every ``AVANCE_PASO`` points of them one
    ``.update()`` records it (never one a CFDI). Only a row still Validando is touched."""

    def __init__(self, importacion_id: int) -> None:
        self.importacion_id = importacion_id
        self.total = 0
        self.progreso = 1
        self.siguiente = 0  # the entries read at which the next step is due; 0 until counted

    def contar(self, total: int) -> None:
        self.total = total
        self._programar()

    def _programar(self) -> None:
        meta = min(self.progreso + AVANCE_PASO, AVANCE_LEIDO)
        self.siguiente = -(-(meta - 1) * self.total // (AVANCE_LEIDO - 1))  # the first count that reaches it

    def __call__(self, leidos: int) -> None:
        if not self.total or leidos < self.siguiente or self.progreso >= AVANCE_LEIDO:
            return
        self.progreso = min(AVANCE_LEIDO, 1 + (AVANCE_LEIDO - 1) * leidos // self.total)
        ImportacionNomina.objects.filter(
            pk=self.importacion_id, estatus=ImportacionNomina.Estatus.VALIDANDO
        ).update(progreso=self.progreso, updated_at=timezone.now())
        self._programar()


def nomina_revisar(*, archivo, informativa: Informativa, avance: AvanceLectura | None = None) -> rev.Revision:
    """Reads and checks every CFDI of the ZIP (an open binary file): the part the benchmark times."""
    return rev.revisar_cfdis(
        lector.cfdis_del_zip(archivo, limites=limites(), al_contar=avance.contar if avance else None),
        emisor_rfc=informativa.contratista.rfc,
        periodo=informativa.periodo,
        avance=avance,
    )


def nomina_validar(*, importacion_id: int) -> ImportacionNomina:
    """Phase one: reads the ZIP, keeps the plan and every problem, writes the problems workbook. Stores no
    worker. Safe to run again (it starts over)."""
    with transaction.atomic():
        importacion = ImportacionNomina.objects.select_for_update().get(pk=importacion_id)
        if importacion.estatus not in (
            ImportacionNomina.Estatus.RECIBIDA,
            ImportacionNomina.Estatus.VALIDANDO,
        ):
            return importacion
        importacion.estatus, importacion.progreso = ImportacionNomina.Estatus.VALIDANDO, 1
        importacion.save(update_fields=["estatus", "progreso", "updated_at"])
    informativa = Informativa.objects.select_related("contratista").get(pk=importacion.informativa_id)
    try:
        with importacion.archivo.open("rb") as archivo:
            revision = nomina_revisar(
                archivo=archivo, informativa=informativa, avance=AvanceLectura(importacion.pk)
            )
    except lector.NominaEstructuraError as error:
        return _rechazar(importacion, error.mensaje)
    trabajadores = [t.como_dict() for t in revision.trabajadores.values()]
    destinos = _destinos(_contratos(informativa.pk))
    elegido = str(importacion.contrato.code) if importacion.contrato else None
    asignacion = rev.asignar(trabajadores, contratos=destinos, contrato_elegido=elegido)
    with transaction.atomic():
        importacion = ImportacionNomina.objects.select_for_update().get(pk=importacion_id)
        if importacion.estatus != ImportacionNomina.Estatus.VALIDANDO:
            return importacion  # a second delivery of the task got here first; the user may have confirmed since
        importacion.archivos = revision.archivos
        importacion.cfdis_nomina = revision.cfdis_nomina
        importacion.num_trabajadores = len(trabajadores)
        importacion.trabajadores = trabajadores
        importacion.errores = revision.problemas + asignacion.problemas
        # By default each contratante's workers go to its first contrato; the user may pick others.
        importacion.asignacion = {rfc: codes[:1] for rfc, codes in asignacion.candidatos.items()}
        if importacion.errores:
            importacion.archivo_rechazados.save(
                f"problemas-{importacion.code}.xlsx",
                ContentFile(libro_problemas(importacion.errores)),
                save=False,
            )
        importacion.estatus, importacion.progreso = ImportacionNomina.Estatus.VALIDADA, 100
        importacion.save()
        _registrar(
            "validada",
            informativa,
            importacion.creada_por,
            archivo=importacion.nombre_archivo,
            trabajadores=len(trabajadores),
        )
    return importacion


def _rechazar(importacion: ImportacionNomina, mensaje: str) -> ImportacionNomina:
    with transaction.atomic():
        importacion = ImportacionNomina.objects.select_for_update().get(pk=importacion.pk)
        importacion.estatus, importacion.mensaje, importacion.progreso = (
            ImportacionNomina.Estatus.RECHAZADA,
            mensaje,
            100,
        )
        importacion.save(update_fields=["estatus", "mensaje", "progreso", "updated_at"])
        _registrar(
            "rechazada",
            importacion.informativa,
            importacion.creada_por,
            archivo=importacion.nombre_archivo,
            motivo=mensaje,
        )
    return importacion


def nomina_fallo(*, importacion_id: int, fase: str, mensaje: str = "") -> None:
    """A task failed: the import says so instead of spinning forever; nothing was stored."""
    if not mensaje:
        logger.exception("Falló la fase %s de la importación de nómina %s", fase, importacion_id)
    dos_fases.fase_fallida(ImportacionNomina, pk=importacion_id, fase=fase, mensaje=mensaje or MENSAJE_ERROR)


def libro_problemas(errores: list[list[str]]) -> bytes:
    """The problems as an Excel workbook: Archivo, Campo, Valor, Motivo (cells escaped like the carga's)."""
    return libro_xlsx(
        "Problemas", ["Archivo", "Campo", "Valor", "Motivo"], ([celda_segura(v) for v in fila] for fila in errores)
    )


# ----------------------------------------------------------------------------------------------------------
# What the user sees before confirming
# ----------------------------------------------------------------------------------------------------------
@dataclass
class ResumenContrato:
    code: str
    folio: str
    contratante_rfc: str
    recibe: bool
    candidatos: int  # workers placed with its contratante
    contrato_id: int
    nuevos: int = 0
    registrados: int = 0
    problemas: list[list[str]] = field(default_factory=list)
    indices_nuevos: list[int] = field(default_factory=list)  # the workers it would store (``nuevos`` of them)


@dataclass
class Resumen:
    contratos: list[ResumenContrato]
    staff: list[dict]
    elecciones: dict[str, list[ResumenContrato]]  # contratantes with several contratos
    problemas_cruce: list[list[str]]

    @property
    def nuevos(self) -> int:
        return sum(c.nuevos for c in self.contratos if c.recibe)


def _existentes(contrato_ids: list[int]) -> dict[int, tuple[set[str], set[str], set[tuple[str, str]]]]:
    existentes: dict[int, tuple[set[str], set[str], set[tuple[str, str]]]] = {
        pk: (set(), set(), set()) for pk in contrato_ids
    }
    for contrato_id, nss, curp in Trabajador.objects.filter(contrato_id__in=contrato_ids).values_list(
        "contrato_id", "nss", "curp"
    ):
        n, c, p = existentes[contrato_id]
        n.add(nss)
        c.add(curp)
        p.add((nss, curp))
    return existentes


def nomina_resumen(*, importacion: ImportacionNomina) -> Resumen:
    """Per contrato: the workers it would receive (new, already there, conflicting), with the user's pick."""
    contratos = _contratos(importacion.informativa_id)
    elegido = str(importacion.contrato.code) if importacion.contrato else None
    trabajadores = importacion.trabajadores
    asignacion = rev.asignar(trabajadores, contratos=_destinos(contratos), contrato_elegido=elegido)
    existentes = _existentes([c.pk for c in contratos])
    resumenes = []
    problemas = []
    for contrato in contratos:
        code = str(contrato.code)
        if code not in asignacion.por_contrato or (elegido and code != elegido):
            continue
        indices = asignacion.por_contrato[code]
        if not indices and not elegido:
            continue
        recibe = bool(elegido) or code in importacion.asignacion.get(contrato.contratante_rfc, [])
        nss, curps, pares = existentes[contrato.pk]
        cruce = rev.cruzar(
            trabajadores,
            indices,
            folio=contrato.folio,
            nss_existentes=nss,
            curp_existentes=curps,
            pares_existentes=pares,
        )
        resumen = ResumenContrato(
            code=code,
            folio=contrato.folio,
            contratante_rfc=contrato.contratante_rfc,
            recibe=recibe,
            candidatos=len(indices),
            contrato_id=contrato.pk,
            nuevos=len(cruce.nuevos),
            registrados=cruce.registrados,
            problemas=cruce.problemas,
            indices_nuevos=cruce.nuevos,
        )
        resumenes.append(resumen)
        if recibe:
            problemas += cruce.problemas
    elecciones: dict[str, list[ResumenContrato]] = {}
    for r in resumenes:
        if len(asignacion.candidatos.get(r.contratante_rfc, [])) > 1:
            elecciones.setdefault(r.contratante_rfc, []).append(r)
    return Resumen(resumenes, [trabajadores[i] for i in asignacion.staff], elecciones, problemas)


@transaction.atomic
def nomina_asignar(*, importacion: ImportacionNomina, rfc: str, contratos: list[str], usuario: User) -> None:
    """The user's pick of which contrato(s) receive the workers of one contratante with several contratos."""
    informativa = comun.bloquear(importacion.informativa)
    importacion = ImportacionNomina.objects.select_for_update().get(pk=importacion.pk)
    if importacion.estatus != ImportacionNomina.Estatus.VALIDADA:
        raise ValidationError(MENSAJE_NO_VALIDADA, code="no_validada")
    validos = {
        str(c)
        for c in Contrato.objects.filter(informativa=informativa, contratante_rfc=rfc).values_list(
            "code", flat=True
        )
    }
    elegidos = [c for c in contratos if c in validos]
    if rfc not in importacion.asignacion or not elegidos:
        raise ValidationError(MENSAJE_ELEGIR.format(rfc=rfc), code="elegir")
    importacion.asignacion[rfc] = elegidos
    importacion.save(update_fields=["asignacion", "updated_at"])
    folios = list(Contrato.objects.filter(code__in=elegidos).values_list("folio", flat=True))
    _registrar(
        "asignada", informativa, usuario, archivo=importacion.nombre_archivo, rfc=rfc, contratos=folios
    )


# ----------------------------------------------------------------------------------------------------------
# Contratantes of the ZIP with no contrato in the informativa
# ----------------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class ContratanteSinContrato:
    rfc: str
    trabajadores: int  # workers of the ZIP placed (fully or in part) with it
    razon_social: str  # from the catálogo, else the SAT registry, else ""
    en_catalogo: bool


def _rfcs_con_contrato(importacion: ImportacionNomina) -> set[str]:
    return set(
        Contrato.objects.filter(informativa_id=importacion.informativa_id).values_list("contratante_rfc", flat=True)
    )


def nomina_contratantes_sin_contrato(*, importacion: ImportacionNomina) -> list[ContratanteSinContrato]:
    """Every RfcLabora of the ZIP that no contrato of the informativa has as contratante, with how many of its
    workers it holds, in the order the ZIP first names them."""
    if importacion.contrato_id:
        return []
    con_contrato = _rfcs_con_contrato(importacion)
    cuenta: dict[str, int] = {}
    for t in importacion.trabajadores:
        for rfc in dict.fromkeys(s[0] for s in t["sub"]):
            if rfc not in con_contrato:
                cuenta[rfc] = cuenta.get(rfc, 0) + 1
    if not cuenta:
        return []
    del_catalogo = dict(
        Contratante.objects.filter(
            contratista_id=importacion.informativa.contratista_id, rfc__in=cuenta
        ).values_list("rfc", "razon_social")
    )
    padron = contribuyentes_por_rfc(rfcs=[r for r in cuenta if r not in del_catalogo])
    return [
        ContratanteSinContrato(
            rfc,
            n,
            del_catalogo.get(rfc) or (padron[rfc].razon_social if rfc in padron else ""),
            rfc in del_catalogo,
        )
        for rfc, n in cuenta.items()
    ]


def _contratantes_rfc(trabajadores: list[dict]) -> list[str]:
    """Every RfcLabora of the ZIP, in the order it first names them."""
    return list(dict.fromkeys(s[0] for t in trabajadores for s in t["sub"]))


def nomina_listas_sat(*, importacion: ImportacionNomina) -> cribado.Resumen:
    """The contratantes of the ZIP screened against the SAT's lists, in one call (one query for the hits,
    whatever their number): what the summary shows before phase two and what confirming asks."""
    return cribado.resumen_de(
        informativa=importacion.informativa, rfcs=_contratantes_rfc(importacion.trabajadores)
    )


def nomina_pendiente_de_revisar(*, importacion: ImportacionNomina) -> bool:
    """A contratante of the ZIP got a contrato after phase one ran: reviewing the ZIP again assigns its workers."""
    if importacion.contrato_id or importacion.estatus != ImportacionNomina.Estatus.VALIDADA:
        return False
    rfcs = {s[0] for t in importacion.trabajadores for s in t["sub"]}
    return bool((rfcs & _rfcs_con_contrato(importacion)) - set(importacion.asignacion))


def nomina_por_revisar(*, informativa: Informativa) -> ImportacionNomina | None:
    """The latest import of the whole informativa waiting for its contratantes' contratos, if one now has them
    (Contratos en bloque sends the user back to it)."""
    ultima = (
        ImportacionNomina.objects.filter(
            informativa=informativa, contrato__isnull=True, estatus=ImportacionNomina.Estatus.VALIDADA
        )
        .order_by("-created_at")
        .first()
    )
    return ultima if ultima and nomina_pendiente_de_revisar(importacion=ultima) else None


def nomina_contratos_crear(
    *, importacion: ImportacionNomina, rfcs: list[str], usuario: User
) -> tuple[list[Contrato], dict[str, str]]:
    """A contrato for each of ``rfcs`` (contratantes of the ZIP with none), its contratante taken from the
    catálogo through the Contratante tab's own form and rules; then phase one runs again on the same ZIP so
    their workers find them. Returns the contratos made and, by RFC, why the others were not."""
    informativa = importacion.informativa
    pendientes = {c.rfc for c in nomina_contratantes_sin_contrato(importacion=importacion)}
    creados: list[Contrato] = []
    fallidos: dict[str, str] = {}
    for rfc in dict.fromkeys(r.strip().upper() for r in rfcs):
        if rfc not in pendientes:
            continue
        guardado = catalogo.contratante_buscar(contratista=informativa.contratista, rfc=rfc)
        if guardado is None:
            fallidos[rfc] = MENSAJE_SIN_CATALOGO.format(rfc=rfc)
            continue
        datos = {**catalogo.contratante_como_formulario(contratante=guardado), "razon_social_rfc": rfc}
        form = ContratanteForm(datos, contratista=informativa.contratista)
        try:
            if not form.todo_valido():
                errores = "; ".join(str(e) for lista in form.errors.values() for e in lista)
                raise ValidationError(MENSAJE_CATALOGO_INCOMPLETO.format(errores=errores))
            creados.append(captura.contrato_crear(informativa=informativa, contratante=form.datos(), usuario=usuario))
        except ValidationError as error:
            fallidos[rfc] = " ".join(error.messages)
    if creados:
        nomina_revisar_de_nuevo(importacion=importacion, usuario=usuario)
    return creados, fallidos


@transaction.atomic
def _nomina_reiniciar(*, importacion: ImportacionNomina, usuario: User) -> ImportacionNomina:
    comun.bloquear(importacion.informativa)
    importacion = ImportacionNomina.objects.select_for_update().get(pk=importacion.pk)
    if importacion.estatus != ImportacionNomina.Estatus.VALIDADA:
        raise ValidationError(MENSAJE_NO_VALIDADA, code="no_validada")
    importacion.estatus, importacion.progreso, importacion.mensaje = ImportacionNomina.Estatus.RECIBIDA, 0, ""
    importacion.archivo_rechazados = None
    importacion.save(update_fields=["estatus", "progreso", "mensaje", "archivo_rechazados", "updated_at"])
    _registrar("revisada_de_nuevo", importacion.informativa, usuario, archivo=importacion.nombre_archivo)
    from . import tasks  # tasks.py imports this module

    transaction.on_commit(lambda: _encolar(tasks.nomina_validar, importacion))
    return importacion


def nomina_revisar_de_nuevo(*, importacion: ImportacionNomina, usuario: User) -> ImportacionNomina:
    """Phase one again, in the worker, on the ZIP already stored (after contratos were added): nothing is
    uploaded twice. The import comes back Recibida."""
    return _nomina_reiniciar(importacion=importacion, usuario=usuario)


# ----------------------------------------------------------------------------------------------------------
# Phase two
# ----------------------------------------------------------------------------------------------------------
@transaction.atomic
def nomina_confirmar(
    *, importacion: ImportacionNomina, usuario: User, listas_sat_confirmados: Iterable[str] = ()
) -> ImportacionNomina:
    """ "Confirmar importación": marks the import Guardando and queues phase two (``nomina_aplicar``, in the
    worker). A contratante of the ZIP «Definitivo» in 69-B not yet confirmed in the informativa must be among
    ``listas_sat_confirmados`` (the summary's checkboxes): stored as Validar stores it, else nothing is queued."""
    informativa = comun.bloquear(importacion.informativa)
    importacion = ImportacionNomina.objects.select_for_update().get(pk=importacion.pk)
    if importacion.estatus in (ImportacionNomina.Estatus.APLICADA, ImportacionNomina.Estatus.APLICANDO):
        return importacion
    if importacion.estatus != ImportacionNomina.Estatus.VALIDADA:
        raise ValidationError(MENSAJE_NO_VALIDADA, code="no_validada")
    if not importacion.num_trabajadores:
        raise ValidationError(MENSAJE_NADA_QUE_GUARDAR, code="vacia")
    cribado.confirmaciones_exigir(
        informativa=informativa, rfcs=_contratantes_rfc(importacion.trabajadores),
        marcados=listas_sat_confirmados, usuario=usuario, antes_de="confirmar la importación",
    )
    importacion.estatus, importacion.progreso = ImportacionNomina.Estatus.APLICANDO, 0
    importacion.aplicada_por = comun.usuario_o_nada(usuario)
    importacion.save(update_fields=["estatus", "progreso", "aplicada_por", "updated_at"])
    from . import tasks  # tasks.py imports this module

    transaction.on_commit(lambda: _encolar(tasks.nomina_aplicar, importacion))
    return importacion


@transaction.atomic
def nomina_aplicar(*, importacion_id: int) -> ImportacionNomina:
    """Phase two: under the informativa's lock, each receiving contrato gets the workers it does not have yet
    (all contratos or none). Running it again stores nothing twice: the status says it is done, a worker
    already in a contrato with the same NSS and CURP is skipped, and the unique constraints stand behind it."""
    importacion = ImportacionNomina.objects.get(pk=importacion_id)
    if importacion.estatus == ImportacionNomina.Estatus.APLICADA:
        return importacion
    informativa = comun.bloquear(Informativa(pk=importacion.informativa_id))
    importacion = ImportacionNomina.objects.select_for_update().get(pk=importacion_id)
    if importacion.estatus == ImportacionNomina.Estatus.APLICADA:
        return importacion
    if importacion.estatus != ImportacionNomina.Estatus.APLICANDO:
        raise ValidationError(MENSAJE_NO_VALIDADA, code="no_validada")
    list(Contrato.objects.select_for_update().filter(informativa_id=informativa.pk).values_list("pk"))
    # The plan the summary showed, computed again under the lock: the contratos cannot change while it is held.
    resumen = nomina_resumen(importacion=importacion)
    trabajadores = importacion.trabajadores
    guardados = 0
    for r in resumen.contratos:
        if not r.recibe:
            continue
        filas = [
            Fila(trabajadores[i]["nss"], trabajadores[i]["curp"], Decimal(trabajadores[i]["sbc"]))
            for i in r.indices_nuevos
        ]
        guardados += insertar_trabajadores(
            filas, contrato_id=r.contrato_id, carga_id=None, origen=Trabajador.Origen.NOMINA
        )
    importacion.estatus, importacion.progreso, importacion.guardados = (
        ImportacionNomina.Estatus.APLICADA,
        100,
        guardados,
    )
    importacion.aplicada_at = timezone.now()
    importacion.save(update_fields=["estatus", "progreso", "guardados", "aplicada_at", "updated_at"])
    comun.informativa_totales_actualizar(informativa=informativa)
    _registrar(
        "aplicada",
        informativa,
        importacion.aplicada_por,
        archivo=importacion.nombre_archivo,
        trabajadores=guardados,
    )
    return importacion


@transaction.atomic
def nomina_cancelar(*, importacion: ImportacionNomina, usuario: User) -> ImportacionNomina:
    informativa = comun.bloquear(importacion.informativa)
    importacion = dos_fases.por_cancelar(
        importacion, mensaje="Sólo una importación revisada y no guardada puede cancelarse."
    )
    importacion.estatus = ImportacionNomina.Estatus.CANCELADA
    importacion.save(update_fields=["estatus", "updated_at"])
    _registrar("cancelada", informativa, usuario, archivo=importacion.nombre_archivo)
    return importacion
