"""Contratos en bloque: the template, phase one (every row through the wizard's ContratanteForm and
ContratoForm and the Contrato tab's rules, with the workbook's lookups done once up front, ``consultas.py``;
errors by row and column; nothing stored but the carga) and phase two (the accepted rows stored at once as
``contrato_crear`` and ``contrato_actualizar`` would store them, ``guardado.py``, in one transaction: all or
none)."""

from __future__ import annotations

import datetime
import logging
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from contratistas.models import Asentamiento, Contratista
from contratistas.services import contribuyentes_por_rfc
from core import lector_seguro
from core.errores import ErrorConMensaje
from core.hojas import celda_segura, libro_xlsx
from core.lector_seguro import LecturaError, recortar
from core.zip_seguro import ZipInseguroError

from .. import comun, cribado, dos_fases
from ..captura import services as captura
from ..carga import motor
from ..carga.limites import limites_xlsx
from ..contratantes.models import Contratante
from ..models import Informativa
from . import guardado
from .consultas import Consultas, ContratanteFilaForm, ContratoFilaForm
from .guardado import FilaAceptada
from .models import CargaContratos

if TYPE_CHECKING:
    from accounts.models import User

logger = logging.getLogger(__name__)

# (column header, form field). Domicilio columns map to the prefixed domicilio form fields.
COLUMNAS: list[tuple[str, str]] = [
    ("RFC del contratante", "rfc"),
    ("Denominación o razón social / Nombre", "razon_social"),
    ("Confirmo el RFC aunque su dígito verificador no coincida (Sí/No)", "confirmar_rfc"),
    ("Correo electrónico", "correo"),
    ("Celular", "celular"),
    ("Teléfono fijo", "telefono_fijo"),
    ("¿Domicilio social igual al fiscal? (Sí/No, sólo persona moral)", "domicilio_social_igual_fiscal"),
    ("Domicilio social: código postal", "social-codigo_postal"),
    ("Domicilio social: colonia", "social-asentamiento"),
    ("Domicilio social: calle", "social-calle"),
    ("Domicilio social: número exterior", "social-numero_exterior"),
    ("Domicilio social: número interior", "social-numero_interior"),
    ("¿Domicilio convencional igual al fiscal? (Sí/No)", "domicilio_convencional_igual_fiscal"),
    ("Domicilio convencional: código postal", "convencional-codigo_postal"),
    ("Domicilio convencional: colonia", "convencional-asentamiento"),
    ("Domicilio convencional: calle", "convencional-calle"),
    ("Domicilio convencional: número exterior", "convencional-numero_exterior"),
    ("Domicilio convencional: número interior", "convencional-numero_interior"),
    ("Objeto del contrato", "objeto"),
    ("Folio del registro REPSE", "registro_repse"),
    ("Descripción del servicio u obra especializado", "servicio"),
    ("Fecha de inicio (dd/mm/aaaa)", "fecha_inicio"),
    ("Fecha de término (dd/mm/aaaa, opcional)", "fecha_termino"),
]
COLUMNA_DE = {campo: titulo for titulo, campo in COLUMNAS}
MAX_FILAS = 10_000

MENSAJE_EXTENSION = "Sube la plantilla de contratos en bloque como libro de Excel (.xlsx)."
MENSAJE_XLSX = "El archivo no es un libro de Excel (.xlsx) válido."
MENSAJE_ENCABEZADO = (
    "La primera fila no es el encabezado de la plantilla: descarga la plantilla y úsala tal cual."
)
MENSAJE_SIN_FILAS = "La plantilla no tiene contratos."
MENSAJE_FILAS = (
    f"La plantilla tiene más de {MAX_FILAS:,} contratos. Divide la información en varios archivos."
)
MENSAJE_COLONIA = "La colonia no existe en ese código postal del catálogo de SEPOMEX."
MENSAJE_SI_NO = "Escribe Sí o No."
MENSAJE_NO_VALIDADA = "La carga no está lista para guardarse."
MENSAJE_SIN_ACEPTADOS = "La plantilla no tiene contratos aceptados para guardar."
MENSAJE_ERROR = "No fue posible procesar la plantilla. Intenta de nuevo; si el problema persiste, repórtalo."


class BloqueError(ErrorConMensaje):
    """The template as a whole cannot be read: ``mensaje`` says why."""


def plantilla(filas: list[list[str]] | None = None) -> bytes:
    """The template: the header and ``filas``, or one example row (to be replaced)."""
    encabezado = [t for t, _ in COLUMNAS]
    if filas:
        return libro_xlsx("Contratos", encabezado, ([celda_segura(v) for v in f] for f in filas), encabezado_en_negritas=True)
    ejemplo = [
        "CLI010101AB5",
        "CLIENTE EJEMPLO SA DE CV",
        "No",
        "compras@cliente.mx",
        "5511112222",
        "",
        "Sí",
        "",
        "",
        "",
        "",
        "",
        "Sí",
        "",
        "",
        "",
        "",
        "",
        "OC 4500012345 limpieza",
        "AR12345/2021",
        "Limpieza industrial",
        "01/02/2026",
        "",
    ]
    return libro_xlsx("Contratos", encabezado, [ejemplo], encabezado_en_negritas=True)


def _si_no_texto(valor: bool | None) -> str:
    return "" if valor is None else ("Sí" if valor else "No")


def plantilla_de_contratantes(*, contratista: Contratista, rfcs: list[str]) -> bytes:
    """The template with a row per RFC (contratantes with no contrato yet, as Importar nómina names them):
    each one's contratante columns from the catálogo where it has an entry, else the razón social of the SAT
    registry; the contrato's columns are left for the user."""
    rfcs = list(dict.fromkeys(r.strip().upper() for r in rfcs if r.strip()))[:MAX_FILAS]
    entradas = {c.rfc: c for c in Contratante.objects.filter(contratista=contratista, rfc__in=rfcs)}
    padron = contribuyentes_por_rfc(rfcs=[r for r in rfcs if r not in entradas])
    colonias = dict(
        Asentamiento.objects.filter(
            pk__in=[
                d.get("asentamiento")
                for c in entradas.values()
                for d in (c.domicilio_social, c.domicilio_convencional)
                if d and d.get("asentamiento")
            ]
        ).values_list("pk", "nombre")
    )
    columna = {campo: i for i, (_, campo) in enumerate(COLUMNAS)}
    filas = []
    for rfc in rfcs:
        fila = [""] * len(COLUMNAS)
        fila[columna["rfc"]] = rfc
        entrada = entradas.get(rfc)
        if entrada is None:
            fila[columna["razon_social"]] = padron[rfc].razon_social if rfc in padron else ""
            filas.append(fila)
            continue
        valores = {
            "razon_social": entrada.razon_social,
            "confirmar_rfc": "Sí" if entrada.rfc_confirmado else "No",
            "correo": entrada.correo,
            "celular": entrada.celular,
            "telefono_fijo": entrada.telefono_fijo,
            "domicilio_social_igual_fiscal": _si_no_texto(entrada.domicilio_social_igual_fiscal),
            "domicilio_convencional_igual_fiscal": _si_no_texto(entrada.domicilio_convencional_igual_fiscal),
        }
        for prefijo, domicilio in (("social", entrada.domicilio_social), ("convencional", entrada.domicilio_convencional)):
            for campo, valor in (domicilio or {}).items():
                if campo == "asentamiento":
                    valor = colonias.get(valor, "")
                if f"{prefijo}-{campo}" in columna:
                    valores[f"{prefijo}-{campo}"] = str(valor or "")
        for campo, valor in valores.items():
            fila[columna[campo]] = valor
        filas.append(fila)
    return plantilla(filas)


# ----------------------------------------------------------------------------------------------------------
# Reading
# ----------------------------------------------------------------------------------------------------------
def _texto(valor: object) -> str:
    if valor is None:
        return ""
    if isinstance(valor, datetime.datetime | datetime.date):
        return f"{valor:%d/%m/%Y}"
    if isinstance(valor, float) and valor.is_integer():
        return str(int(valor))
    return str(valor).strip()


MENSAJE_CELDA = (
    "La fila {fila} tiene en la columna «{columna}» un valor de {largo:,} caracteres (el máximo es {maximo:,}): "
    "«{inicio}». Revisa que uses la plantilla tal cual."
)


def leer(datos: bytes) -> Iterator[tuple[int, list[str]]]:
    """(row number, cells as text) of every non-blank row after the header, read by ``core.lector_seguro``
    (the workbook's ZIP checked for bombs first, with the carga masiva's limits; the rows streamed; a cell
    over the carga masiva's cap refuses the workbook, naming only the value's start and length)."""
    try:
        hoja = lector_seguro.xlsx_hoja(datos, limites=limites_xlsx())
        filas = hoja.filas
        encabezado = [_texto(v) for v in next(filas, (0, ()))[1]]
        if encabezado[: len(COLUMNAS)] != [t for t, _ in COLUMNAS]:
            filas.close()
            raise BloqueError(MENSAJE_ENCABEZADO)
        for numero, valores in filas:
            celdas = [_texto(v) for v in valores][: len(COLUMNAS)]
            if any(celdas):
                yield numero, celdas + [""] * (len(COLUMNAS) - len(celdas))
    except ZipInseguroError as error:
        mensaje = MENSAJE_XLSX if error.code == "ilegible" else f"El libro de Excel no se procesa: {error.mensaje}"
        raise BloqueError(mensaje) from None
    except LecturaError as error:
        if error.code != "celda":
            raise BloqueError(MENSAJE_XLSX) from None
        columna = COLUMNAS[error.columna - 1][0] if error.columna <= len(COLUMNAS) else f"{error.columna}"
        raise BloqueError(
            MENSAJE_CELDA.format(
                fila=error.linea, columna=columna, largo=error.largo, maximo=error.maximo, inicio=error.inicio
            )
        ) from None


# ----------------------------------------------------------------------------------------------------------
# Checking one row with the wizard's forms
# ----------------------------------------------------------------------------------------------------------
# What an error row keeps of a value: its first characters and, when longer, its length.
VALOR_EN_ERROR = 80


def _valor_en_error(datos: dict[str, Any], campo: str) -> str:
    return recortar(str(datos.get(campo, "")), VALOR_EN_ERROR)


def _si_no(valor: str) -> str | None:
    v = valor.strip().lower().replace("í", "i")
    return {"si": "si", "no": "no", "": ""}.get(v)


def _datos_fila(celdas: list[str], errores: list[list], consultas: Consultas) -> dict[str, Any]:
    datos: dict[str, Any] = {}
    for (titulo, campo), valor in zip(COLUMNAS, celdas, strict=True):
        if campo in ("confirmar_rfc", "domicilio_social_igual_fiscal", "domicilio_convencional_igual_fiscal"):
            convertido = _si_no(valor)
            if convertido is None:
                errores.append([titulo, recortar(valor, VALOR_EN_ERROR), MENSAJE_SI_NO])
                continue
            valor = ("on" if convertido == "si" else "") if campo == "confirmar_rfc" else convertido
        datos[campo] = valor
    for prefijo in ("social", "convencional"):
        cp, colonia = datos.get(f"{prefijo}-codigo_postal", ""), datos.get(f"{prefijo}-asentamiento", "")
        if colonia:
            asentamiento = consultas.colonia(cp, colonia)
            if asentamiento is None and datos.get(f"domicilio_{prefijo}_igual_fiscal") == "no":
                errores.append(
                    [COLUMNA_DE[f"{prefijo}-asentamiento"], recortar(colonia, VALOR_EN_ERROR), MENSAJE_COLONIA]
                )
            datos[f"{prefijo}-asentamiento"] = asentamiento.pk if asentamiento else ""
    return datos


def consultas_de(filas: list[tuple[int, list[str]]]) -> Consultas:
    """The registry and catalog lookups of every row, done once (four queries for the whole workbook)."""
    columna = {campo: i for i, (_, campo) in enumerate(COLUMNAS)}
    return Consultas.para(
        rfcs=[c[columna["rfc"]] for _, c in filas],
        nombres=[c[columna["razon_social"]] for _, c in filas],
        codigos_postales=[
            c[columna[f"{prefijo}-codigo_postal"]] for _, c in filas for prefijo in ("social", "convencional")
        ],
    )


def revisar_fila(
    celdas: list[str], *, informativa: Informativa, consultas: Consultas | None = None
) -> tuple[list[list], Any, dict | None]:
    """([columna, valor, mensaje] of every problem, the contratante data, the contrato data). ``consultas``:
    the workbook's lookups (``consultas_de``); looked up for this row alone when not given."""
    if consultas is None:
        consultas = consultas_de([(0, celdas)])
    errores: list[list] = []
    datos = _datos_fila(celdas, errores, consultas)
    contratante = ContratanteFilaForm(datos, contratista=informativa.contratista, consultas=consultas)
    valido = contratante.todo_valido()
    contrato = ContratoFilaForm(datos, contrato=consultas.contrato_vacio(informativa), consultas=consultas)
    valido = contrato.is_valid() and valido
    domicilios = [f for f in contratante.domicilios.values() if f is not None]
    for form in [contratante, *domicilios, contrato]:
        for campo, mensajes in form.errors.items():
            nombre = form.add_prefix(campo)
            for mensaje in mensajes:
                errores.append([COLUMNA_DE.get(nombre, "Fila"), _valor_en_error(datos, nombre), mensaje])
    if contratante.is_valid():
        # The razón social typed for an RFC the registry does not know must not be another RFC's there
        # (captura.contratante_razon_social_revisar, which contrato_crear applies).
        d = contratante.cleaned_data
        rfc, razon_social = d["rfc"], d["razon_social"].strip().upper()
        if not consultas.contribuyente(rfc) and (
            otro := consultas.otro_con_razon_social(razon_social=razon_social, rfc=rfc)
        ):
            valido = False
            errores.append(
                [
                    COLUMNA_DE["razon_social"],
                    _valor_en_error(datos, "razon_social"),
                    captura.MENSAJE_RAZON_SOCIAL_DE_PADRON.format(otro=otro.rfc, rfc=rfc),
                ]
            )
    if contrato.is_valid():
        d = contrato.cleaned_data
        for campo, mensaje in captura.contrato_errores(
            periodo=informativa.periodo,
            servicio=d["servicio"],
            fecha_inicio=d["fecha_inicio"],
            fecha_termino=d["fecha_termino"],
        ).items():
            errores.append([COLUMNA_DE[campo], _valor_en_error(datos, campo), mensaje])
    if errores or not valido:
        return errores, None, None
    return [], contratante.datos(), contrato.cleaned_data


# ----------------------------------------------------------------------------------------------------------
# The two phases
# ----------------------------------------------------------------------------------------------------------
@transaction.atomic
def bloque_crear(*, informativa: Informativa, archivo: UploadedFile, usuario: User) -> CargaContratos:
    """Stores the uploaded workbook as a new carga and queues phase one once the upload commits. Only what
    needs no reading of the file is checked here (its extension and size): the worker opens it, under its
    memory ceiling (``icsoe.celery.limitar_memoria``), whatever its size."""
    informativa = comun.bloquear(informativa)
    nombre = (archivo.name or "").rsplit("/", 1)[-1][:200]
    if not nombre.lower().endswith(".xlsx"):
        raise ValidationError(MENSAJE_EXTENSION, code="extension")
    if archivo.size > settings.ICSOE_CARGA_MAX_BYTES:
        raise ValidationError(motor.mensaje_tamano(), code="tamano")
    carga = CargaContratos(
        informativa=informativa, nombre_archivo=nombre, creada_por=comun.usuario_o_nada(usuario)
    )
    carga.archivo.save(f"{carga.code}.xlsx", archivo, save=False)
    carga.save()
    comun.registrar("bloque.recibida", informativa, usuario, archivo=nombre)
    from . import tasks  # tasks.py imports this module

    transaction.on_commit(lambda: _encolar(tasks.bloque_validar, carga))
    return carga


def bloque_recibir(*, informativa: Informativa, archivo: UploadedFile, usuario: User) -> CargaContratos:
    """ "Cargar plantilla": stores the workbook and queues phase one; the carga comes back Recibida and its
    page shows the worker's progress (``bloque_validar`` runs in the worker, never in the web request)."""
    return bloque_crear(informativa=informativa, archivo=archivo, usuario=usuario)


def _encolar(tarea: Any, carga: CargaContratos) -> None:
    # The broker is down: the carga is stored and stays as it is; the user uploads it again later.
    dos_fases.encolar(
        tarea,
        carga,
        sin_broker=lambda: logger.warning(
            "No se pudo encolar %s de la carga de contratos %s", dos_fases.nombre_corto(tarea), carga.pk
        ),
    )


def _leer_archivo(carga: CargaContratos) -> bytes:
    with carga.archivo.open("rb") as f:
        return f.read()


AVANCE_CADA = 500  # rows between two progress updates: a small workbook writes none, 10,000 rows write 20


def _avance(carga_id: int, total: int, desde: int, hasta: int):
    """Records the progress of phase one on the carga's row every AVANCE_CADA rows (not one query a row)."""

    def avance(hechas: int) -> None:
        if hechas % AVANCE_CADA == 0:
            pct = min(hasta, desde + (hasta - desde) * hechas // max(total, 1))
            CargaContratos.objects.filter(pk=carga_id).update(progreso=pct, updated_at=timezone.now())

    return avance


def bloque_validar(*, carga_id: int) -> CargaContratos:
    """Phase one, in the worker: every row checked, every problem by row and column, the rejected rows as a
    workbook, the accepted ones kept (as the forms cleaned them) for phase two. Safe to run again (it starts
    over while the carga is Recibida or Validando; a carga past that is left as it is)."""
    with transaction.atomic():
        carga = CargaContratos.objects.select_for_update().get(pk=carga_id)
        if carga.estatus not in (CargaContratos.Estatus.RECIBIDA, CargaContratos.Estatus.VALIDANDO):
            return carga
        carga.estatus, carga.progreso = CargaContratos.Estatus.VALIDANDO, 1
        carga.save(update_fields=["estatus", "progreso", "updated_at"])
    carga = CargaContratos.objects.select_related("informativa__contratista").get(pk=carga_id)
    informativa = carga.informativa
    errores, rechazadas, aceptadas, filas = [], [], [], []
    try:
        for fila in leer(_leer_archivo(carga)):
            filas.append(fila)
            if len(filas) > MAX_FILAS:
                raise BloqueError(MENSAJE_FILAS)
        if not filas:
            raise BloqueError(MENSAJE_SIN_FILAS)
    except BloqueError as error:
        return _rechazar(carga, error.mensaje)
    avance = _avance(carga.pk, len(filas), 1, 95)
    consultas = consultas_de(filas)
    for hechas, (numero, celdas) in enumerate(filas, 1):
        problemas, contratante, datos_contrato = revisar_fila(celdas, informativa=informativa, consultas=consultas)
        if problemas:
            errores += [[numero, *p] for p in problemas]
            rechazadas.append((numero, celdas, [p[2] for p in problemas]))
        else:
            assert datos_contrato is not None  # a row without problems always has its contrato's data
            aceptadas.append(FilaAceptada(fila=numero, contratante=contratante, contrato=datos_contrato).como_json())
        avance(hechas)
    with transaction.atomic():
        carga = CargaContratos.objects.select_for_update().get(pk=carga_id)
        if carga.estatus != CargaContratos.Estatus.VALIDANDO:
            return carga  # a second delivery of the task got here first; the user may have confirmed since
        total = len(filas)
        carga.total_filas, carga.rechazados = total, len(rechazadas)
        carga.aceptados = total - len(rechazadas)
        carga.errores = errores
        carga.aceptadas = aceptadas
        carga.contratantes_rfc = _rfcs_de(aceptadas)
        if rechazadas:
            carga.archivo_rechazados.save(
                f"rechazados-{carga.code}.xlsx", ContentFile(_libro_rechazados(rechazadas)), save=False
            )
        carga.estatus, carga.progreso = CargaContratos.Estatus.VALIDADA, 100
        carga.save()
        comun.registrar(
            "bloque.validada",
            informativa,
            carga.creada_por,
            archivo=carga.nombre_archivo,
            aceptados=carga.aceptados,
            rechazados=carga.rechazados,
        )
    return carga


def _rfcs_de(aceptadas: list[dict[str, Any]]) -> list[str]:
    return list(dict.fromkeys(fila["contratante"]["rfc"] for fila in aceptadas))


def bloque_listas_sat(*, carga: CargaContratos) -> cribado.Resumen:
    """The contratantes of the accepted rows screened against the SAT's lists, in one call (one query for the
    hits, whatever the number of rows): what the summary shows before phase two and what confirming asks."""
    rfcs = carga.contratantes_rfc
    if rfcs is None:  # checked before the RFCs were kept: read from the accepted rows
        rfcs = _rfcs_de(CargaContratos.objects.values_list("aceptadas", flat=True).get(pk=carga.pk))
    return cribado.resumen_de(informativa=carga.informativa, rfcs=rfcs)


def _rechazar(carga: CargaContratos, mensaje: str) -> CargaContratos:
    CargaContratos.objects.filter(pk=carga.pk, estatus=CargaContratos.Estatus.VALIDANDO).update(
        estatus=CargaContratos.Estatus.RECHAZADA, mensaje=mensaje, progreso=100, updated_at=timezone.now()
    )
    return CargaContratos.objects.get(pk=carga.pk)


def bloque_fallo(*, carga_id: int, fase: str, mensaje: str = "") -> None:
    """A task failed: the carga says so instead of its page waiting forever; nothing was stored. ``mensaje`` is
    the rule that refused it (for example, the informativa was sent to signing meanwhile); else a generic one."""
    if not mensaje:
        logger.exception("Falló la fase %s de la carga de contratos %s", fase, carga_id)
    dos_fases.fase_fallida(CargaContratos, pk=carga_id, fase=fase, mensaje=mensaje or MENSAJE_ERROR)


def _libro_rechazados(rechazadas: list[tuple[int, list[str], list[str]]]) -> bytes:
    filas = (
        [celda_segura(c) for c in celdas] + [numero, celda_segura(" ".join(motivos))]
        for numero, celdas, motivos in rechazadas
    )
    return libro_xlsx("Rechazados", [t for t, _ in COLUMNAS] + ["Fila", "Motivo"], filas)


def _aceptadas(carga: CargaContratos, informativa: Informativa) -> list[FilaAceptada]:
    """Phase one's accepted rows; a carga checked before they were kept has its workbook checked again."""
    if carga.aceptadas:
        return guardado.filas_de_json(carga.aceptadas)
    rechazadas = {e[0] for e in carga.errores}
    filas = [(n, c) for n, c in leer(_leer_archivo(carga)) if n not in rechazadas]
    consultas = consultas_de(filas)
    aceptadas = []
    for numero, celdas in filas:
        problemas, contratante, datos_contrato = revisar_fila(celdas, informativa=informativa, consultas=consultas)
        if not problemas:
            assert datos_contrato is not None  # a row without problems always has its contrato's data
            aceptadas.append(FilaAceptada(fila=numero, contratante=contratante, contrato=datos_contrato))
    return aceptadas


@transaction.atomic
def bloque_confirmar(
    *, carga: CargaContratos, usuario: User, listas_sat_confirmados: Iterable[str] = ()
) -> CargaContratos:
    """ "Confirmar carga": marks the carga Guardando and queues phase two (``bloque_aplicar``, in the worker).
    A contratante «Definitivo» in 69-B not yet confirmed in the informativa must be among
    ``listas_sat_confirmados`` (the summary's checkboxes): stored as Validar stores it, else nothing is queued.
    Confirming twice queues nothing twice."""
    informativa = comun.bloquear(carga.informativa)
    carga = CargaContratos.objects.select_for_update().get(pk=carga.pk)
    if carga.estatus in (CargaContratos.Estatus.APLICADA, CargaContratos.Estatus.APLICANDO):
        return carga
    if carga.estatus != CargaContratos.Estatus.VALIDADA:
        raise ValidationError(MENSAJE_NO_VALIDADA, code="no_validada")
    if carga.aceptados == 0:
        raise ValidationError(MENSAJE_SIN_ACEPTADOS, code="sin_aceptados")
    cribado.confirmaciones_exigir(
        informativa=informativa, rfcs=carga.contratantes_rfc or _rfcs_de(carga.aceptadas),
        marcados=listas_sat_confirmados, usuario=usuario, antes_de="confirmar la carga",
    )
    carga.estatus, carga.progreso, carga.mensaje = CargaContratos.Estatus.APLICANDO, 0, ""
    carga.aplicada_por = comun.usuario_o_nada(usuario)
    carga.save(update_fields=["estatus", "progreso", "mensaje", "aplicada_por", "updated_at"])
    from . import tasks  # tasks.py imports this module

    transaction.on_commit(lambda: _encolar(tasks.bloque_aplicar, carga))
    return carga


@transaction.atomic
def bloque_aplicar(*, carga_id: int) -> CargaContratos:
    """Phase two, in the worker: every accepted row becomes a contrato, all at once
    (``guardado.contratos_crear``), in one transaction. A row that no longer passes (its colonia left the
    SEPOMEX catalog, or its typed razón social is now another RFC's in the SAT registry) is skipped and counted.
    Running it twice stores nothing twice (the status says it is done)."""
    carga = CargaContratos.objects.get(pk=carga_id)
    if carga.estatus == CargaContratos.Estatus.APLICADA:
        return carga
    informativa = comun.bloquear(Informativa(pk=carga.informativa_id))
    carga = CargaContratos.objects.select_for_update(of=("self",)).select_related("aplicada_por").get(pk=carga_id)
    if carga.estatus == CargaContratos.Estatus.APLICADA:
        return carga
    if carga.estatus != CargaContratos.Estatus.APLICANDO:
        raise ValidationError(MENSAJE_NO_VALIDADA, code="no_validada")
    usuario = carga.aplicada_por
    filas = _aceptadas(carga, informativa)
    consultas = Consultas.para(
        rfcs=[f.contratante.rfc for f in filas],
        nombres=[f.contratante.razon_social for f in filas],
        codigos_postales=[],
    )
    filas = guardado.vigentes(filas, consultas=consultas)
    contratos = guardado.contratos_crear(informativa=informativa, filas=filas, consultas=consultas, usuario=usuario)
    carga.estatus, carga.progreso, carga.guardados, carga.aplicada_at = (
        CargaContratos.Estatus.APLICADA,
        100,
        len(contratos),
        timezone.now(),
    )
    carga.aceptadas = []  # stored now as contratos: the copy is not kept
    carga.save(update_fields=["estatus", "progreso", "guardados", "aplicada_at", "aceptadas", "updated_at"])
    comun.registrar(
        "bloque.aplicada",
        informativa,
        usuario,
        archivo=carga.nombre_archivo,
        contratos=len(contratos),
        folios=f"{contratos[0].folio} a {contratos[-1].folio}" if contratos else "",
    )
    return carga


@transaction.atomic
def bloque_cancelar(*, carga: CargaContratos, usuario: User) -> CargaContratos:
    informativa = comun.bloquear(carga.informativa)
    carga = dos_fases.por_cancelar(carga, mensaje="Sólo una carga validada y no guardada puede cancelarse.")
    carga.estatus, carga.aceptadas = CargaContratos.Estatus.CANCELADA, []
    carga.save(update_fields=["estatus", "aceptadas", "updated_at"])
    comun.registrar("bloque.cancelada", informativa, usuario, archivo=carga.nombre_archivo)
    return carga
