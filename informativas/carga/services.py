"""Carga masiva: upload, phase one (check every row), phase two (store the accepted rows, all or none).

Every operation that touches the informativa locks it first and writes its audit entry (see ../comun.py).
"""

from __future__ import annotations

import datetime
import logging
import tempfile
from functools import partial
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from .. import dos_fases, trabajadores
from ..comun import bloquear as _bloquear
from ..comun import informativa_totales_actualizar
from ..comun import registrar as _registrar
from ..comun import usuario_o_nada as _usuario
from ..models import CargaMasiva, Contrato, Informativa, Trabajador
from . import motor

if TYPE_CHECKING:
    from accounts.models import User

logger = logging.getLogger(__name__)

MENSAJE_CARGA_NO_VALIDADA = "La carga no está lista para guardarse."
MENSAJE_CARGA_SIN_ACEPTADOS = "El archivo no tiene registros aceptados para guardar."
MENSAJE_CARGA_ERROR = (
    "No fue posible procesar el archivo. Intenta de nuevo; si el problema persiste, repórtalo."
)


def _clave_progreso(carga_id: int) -> str:
    return f"informativas:carga:{carga_id}:progreso"


def carga_progreso(*, carga: CargaMasiva) -> int:
    """Progress while storing runs inside its transaction (the row is locked then), else the row's own."""
    if carga.estatus == CargaMasiva.Estatus.APLICANDO:
        return cache.get(_clave_progreso(carga.pk), carga.progreso)
    return carga.progreso


@transaction.atomic
def carga_crear(*, contrato: Contrato, archivo: UploadedFile, usuario: User) -> CargaMasiva:
    """Stores the uploaded file as a new carga and queues phase one once the upload commits. Only what needs
    no reading of the file is checked here (its size and extension): the worker opens it, under its memory
    ceiling (``icsoe.celery.limitar_memoria``), whatever its size."""
    informativa = _bloquear(contrato.informativa)
    tamano = archivo.size or 0
    if tamano > settings.ICSOE_CARGA_MAX_BYTES:
        raise ValidationError(motor.mensaje_tamano(), code="tamano")
    nombre = (archivo.name or "archivo.csv").rsplit("/", 1)[-1][:200]
    if not nombre.lower().endswith(motor.EXTENSIONES):
        raise ValidationError(motor.MENSAJE_EXTENSION, code="extension")
    carga = CargaMasiva(contrato=contrato, nombre_archivo=nombre, tamano=tamano, creada_por=_usuario(usuario))
    carga.archivo.save(f"{carga.code}{'.xlsx' if motor.es_xlsx(nombre) else '.csv'}", archivo, save=False)
    carga.full_clean()
    carga.save()
    _registrar(
        "carga.recibida", informativa, usuario, contrato=contrato.folio, archivo=nombre, carga=str(carga.code)
    )
    from . import tasks  # tasks.py imports this module

    transaction.on_commit(lambda: _encolar(tasks.carga_validar, carga))
    return carga


def carga_recibir(*, contrato: Contrato, archivo: UploadedFile, usuario: User) -> CargaMasiva:
    """ "Cargar archivo": stores the file and queues phase one; the carga comes back Recibida and its page
    shows the worker's progress (``carga_validar`` runs in the worker, never in the web request)."""
    return carga_crear(contrato=contrato, archivo=archivo, usuario=usuario)


def _encolar(tarea: Any, carga: CargaMasiva) -> None:
    # The broker is down: the carga is stored; the periodic sweep queues it later.
    dos_fases.encolar(
        tarea,
        carga,
        sin_broker=lambda: logger.warning(
            "No se pudo encolar %s de la carga %s; la reanudará el barrido periódico", dos_fases.nombre_corto(tarea), carga.pk
        ),
    )


CARGA_REANUDAR_TRAS = datetime.timedelta(minutes=2)


def cargas_reanudar(*, antiguedad: datetime.timedelta = CARGA_REANUDAR_TRAS) -> list[int]:
    """Periodic sweep: queues again every carga left half-way by a lost worker (killed, restarted, out of
    memory) or never queued (Redis was down), so a carga never stays "Guardando" forever.

    A carga being stored holds its row lock for its whole transaction, so one that can be locked
    (``skip_locked``) has no live task; a carga being checked touches ``updated_at`` with its progress. Both
    phases are safe to run again: checking starts over, and storing re-reads the file under the contract's
    lock and skips what is already stored, so a duplicate delivery stores nothing twice.
    """
    limite = timezone.now() - antiguedad
    with transaction.atomic():
        cargas = list(
            CargaMasiva.objects.select_for_update(skip_locked=True)
            .filter(estatus__in=CargaMasiva.EN_PROCESO, updated_at__lte=limite)
            .order_by("pk")[:100]
        )
        from . import tasks  # tasks.py imports this module

        for carga in cargas:
            tarea = tasks.carga_aplicar if carga.estatus == CargaMasiva.Estatus.APLICANDO else tasks.carga_validar
            logger.warning("Se reanuda la carga %s (%s)", carga.pk, carga.estatus)
            transaction.on_commit(partial(_encolar, tarea, carga))
    return [c.pk for c in cargas]


def _existentes(contrato_id: int) -> tuple[set[str], set[str]]:
    pares = Trabajador.objects.filter(contrato_id=contrato_id).values_list("nss", "curp")
    nss, curps = set(), set()
    for n, c in pares:
        nss.add(n)
        curps.add(c)
    return nss, curps


def _avance_fila(carga_id: int, estimado: int, desde: int, hasta: int, en_cache: bool):
    ultimo = {"pct": -1}

    def avance(procesadas: int) -> None:
        pct = min(hasta, desde + (hasta - desde) * procesadas // max(estimado, 1))
        if pct != ultimo["pct"]:
            ultimo["pct"] = pct
            if en_cache:
                cache.set(_clave_progreso(carga_id), pct, 3600)
            else:
                CargaMasiva.objects.filter(pk=carga_id).update(progreso=pct, updated_at=timezone.now())

    return avance


def carga_validar(*, carga_id: int) -> CargaMasiva:
    """Phase one: checks every row of the file and records the counts, every error (línea, columna, valor,
    motivo) and the rejected rows as a workbook. Writes no worker. Safe to run again (it starts over)."""
    with transaction.atomic():
        carga = (
            CargaMasiva.objects.select_for_update(of=("self",))
            .select_related("contrato__informativa")
            .get(pk=carga_id)
        )
        if carga.estatus not in (CargaMasiva.Estatus.RECIBIDA, CargaMasiva.Estatus.VALIDANDO):
            return carga
        carga.estatus, carga.progreso = CargaMasiva.Estatus.VALIDANDO, 1
        carga.save(update_fields=["estatus", "progreso", "updated_at"])
    try:
        # The stored file is read a block at a time while its rows are checked, never whole.
        with carga.archivo.open("rb") as archivo:
            estimado, filas = motor.leer(archivo, carga.nombre_archivo)
            nss, curps = _existentes(carga.contrato_id)
            resultado = motor.revisar(
                filas,
                nss_existentes=nss,
                curp_existentes=curps,
                avance=_avance_fila(carga.pk, estimado, 1, 95, en_cache=False),
            )
        if resultado.total == 0:
            raise motor.CargaEstructuraError(motor.MENSAJE_SIN_REGISTROS)
    except motor.CargaEstructuraError as error:
        return _carga_rechazar(carga, error.mensaje)
    with transaction.atomic():
        carga = (
            CargaMasiva.objects.select_for_update(of=("self",))
            .select_related("contrato__informativa")
            .get(pk=carga_id)
        )
        if carga.estatus != CargaMasiva.Estatus.VALIDANDO:
            return carga  # a second delivery of the task got here first; the user may have confirmed since
        carga.total_filas = resultado.total
        carga.aceptados = resultado.num_aceptadas
        carga.rechazados = resultado.num_rechazadas
        carga.errores = resultado.errores
        if resultado.rechazadas:
            carga.archivo_rechazados.save(
                f"rechazados-{carga.code}.xlsx", ContentFile(motor.libro_rechazados(resultado)), save=False
            )
        carga.estatus, carga.progreso = CargaMasiva.Estatus.VALIDADA, 100
        carga.save()
        _registrar(
            "carga.validada",
            carga.contrato.informativa,
            carga.creada_por,
            contrato=carga.contrato.folio,
            archivo=carga.nombre_archivo,
            aceptados=carga.aceptados,
            rechazados=carga.rechazados,
        )
    return carga


def _carga_rechazar(carga: CargaMasiva, mensaje: str) -> CargaMasiva:
    with transaction.atomic():
        carga = (
            CargaMasiva.objects.select_for_update(of=("self",))
            .select_related("contrato__informativa")
            .get(pk=carga.pk)
        )
        if carga.estatus != CargaMasiva.Estatus.VALIDANDO:
            return carga  # a second delivery of the task got here first
        carga.estatus, carga.mensaje, carga.progreso = CargaMasiva.Estatus.RECHAZADA, mensaje, 100
        carga.save(update_fields=["estatus", "mensaje", "progreso", "updated_at"])
        _registrar(
            "carga.rechazada",
            carga.contrato.informativa,
            carga.creada_por,
            contrato=carga.contrato.folio,
            archivo=carga.nombre_archivo,
            motivo=mensaje,
        )
    return carga


@transaction.atomic
def carga_confirmar(*, carga: CargaMasiva, usuario: User) -> CargaMasiva:
    """ "Confirmar carga": marks the carga Guardando and queues phase two (``carga_aplicar``, in the worker)."""
    _bloquear(carga.contrato.informativa)
    carga = CargaMasiva.objects.select_for_update().get(pk=carga.pk)
    if carga.estatus == CargaMasiva.Estatus.APLICADA or carga.estatus == CargaMasiva.Estatus.APLICANDO:
        return carga
    if carga.estatus != CargaMasiva.Estatus.VALIDADA:
        raise ValidationError(MENSAJE_CARGA_NO_VALIDADA, code="no_validada")
    if carga.aceptados == 0:
        raise ValidationError(MENSAJE_CARGA_SIN_ACEPTADOS, code="sin_aceptados")
    carga.estatus, carga.progreso, carga.aplicada_por = CargaMasiva.Estatus.APLICANDO, 0, _usuario(usuario)
    carga.save(update_fields=["estatus", "progreso", "aplicada_por", "updated_at"])
    from . import tasks  # tasks.py imports this module

    transaction.on_commit(lambda: _encolar(tasks.carga_aplicar, carga))
    return carga


def carga_aplicar(*, carga_id: int) -> CargaMasiva:
    """Phase two: stores every accepted row in one transaction (all of them or none).

    The work is done in two steps so the informativa is locked only while the rows are written:

    1. Without any lock: read the file again, gather the rows phase one accepted less those already in the
       contract, and turn them into Trabajador rows (names from the CURP registry) in a temporary file, a
       batch at a time (memory does not grow with the file). This is most of the time, and a wizard save in
       the same informativa, which takes the informativa's lock, must not wait behind it on the deadline day.
    2. In one transaction, taking the locks in the order every capture service takes them (informativa, then
       carga, then contrato, so nothing deadlocks): check the informativa is still in captura and the carga
       still confirmed, compare the rows with the contract as it is now (a worker captured by hand meanwhile
       is not duplicated; one deleted meanwhile lets its row in, as if the carga had been stored then), write
       them with COPY, and recount the totals.

    Running it twice stores nothing the second time (the status says it is done, and the unique constraints
    stand behind it).
    """
    carga = CargaMasiva.objects.select_related("contrato").get(pk=carga_id)
    if carga.estatus == CargaMasiva.Estatus.APLICADA:
        return carga
    with tempfile.SpooledTemporaryFile(max_size=PREPARADOS_EN_MEMORIA, mode="w+", newline="") as preparados:
        existentes = None
        if carga.estatus == CargaMasiva.Estatus.APLICANDO:
            existentes = _preparar(carga, preparados, _existentes(carga.contrato_id), desde=0, hasta=60)
        return _guardar(carga_id, preparados, existentes)


PREPARADOS_EN_MEMORIA = 1024 * 1024  # characters of prepared rows kept in memory (4 bytes each); then a file


def _preparar(
    carga: CargaMasiva, destino, existentes: tuple[set[str], set[str]], *, desde: int, hasta: int
) -> tuple[set[str], set[str]]:
    """Writes the rows to store to ``destino``, compared with ``existentes`` (the contract's NSS and CURPs),
    which it returns."""
    nss, curps = existentes
    with carga.archivo.open("rb") as archivo:
        estimado, filas = motor.leer(archivo, carga.nombre_archivo)
        aceptadas = motor.recorrer_aceptadas(
            filas,
            lineas_rechazadas={error[0] for error in carga.errores},
            nss_existentes=nss,
            curp_existentes=curps,
            resultado=motor.Resultado(),
            avance=_avance_fila(carga.pk, estimado, desde, hasta, en_cache=True),
        )
        trabajadores.preparar_registros(aceptadas, destino, contrato_id=carga.contrato_id, carga_id=carga.pk)
    return existentes


@transaction.atomic
def _guardar(carga_id: int, preparados, existentes: tuple[set[str], set[str]] | None) -> CargaMasiva:
    carga = CargaMasiva.objects.select_related("contrato").get(pk=carga_id)
    informativa = _bloquear(Informativa(pk=carga.contrato.informativa_id))
    carga = CargaMasiva.objects.select_for_update(of=("self",)).select_related("contrato").get(pk=carga_id)
    if carga.estatus == CargaMasiva.Estatus.APLICADA:
        return carga
    if carga.estatus != CargaMasiva.Estatus.APLICANDO:
        raise ValidationError(MENSAJE_CARGA_NO_VALIDADA, code="no_validada")
    contrato = Contrato.objects.select_for_update().get(pk=carga.contrato_id)
    nss, curps = _existentes(contrato.pk)
    if existentes is None or not (nss >= existentes[0] and curps >= existentes[1]):
        # A worker deleted since step 1 may let a row in now (or nothing was prepared): prepare them again,
        # under the locks this time.
        preparados.seek(0)
        preparados.truncate()
        _preparar(carga, preparados, (nss, curps), desde=0, hasta=60)
    # Else only additions since step 1 (the usual case, often none): the rows they now clash with are dropped.
    preparados.seek(0)
    guardados = trabajadores.guardar_preparados(
        preparados,
        nss_existentes=nss,
        curp_existentes=curps,
        avance=_avance_fila(carga.pk, max(carga.aceptados, 1), 60, 99, en_cache=True),
    )
    carga.estatus, carga.progreso, carga.guardados = CargaMasiva.Estatus.APLICADA, 100, guardados
    carga.aplicada_at = timezone.now()
    carga.save(update_fields=["estatus", "progreso", "guardados", "aplicada_at", "updated_at"])
    informativa_totales_actualizar(informativa=informativa)
    _registrar(
        "carga.aplicada",
        informativa,
        carga.aplicada_por,
        contrato=contrato.folio,
        archivo=carga.nombre_archivo,
        trabajadores=guardados,
    )
    transaction.on_commit(lambda: cache.delete(_clave_progreso(carga_id)))
    return carga


def carga_fallo(*, carga_id: int, fase: str, mensaje: str = "") -> None:
    """A task failed: the carga says so instead of spinning forever; nothing was stored. ``mensaje`` is the
    rule that refused it (for example, the informativa was sent to signing meanwhile); else a generic one."""
    if not mensaje:
        logger.exception("Falló la fase %s de la carga %s", fase, carga_id)
    dos_fases.fase_fallida(CargaMasiva, pk=carga_id, fase=fase, mensaje=mensaje or MENSAJE_CARGA_ERROR)


@transaction.atomic
def carga_cancelar(*, carga: CargaMasiva, usuario: User) -> CargaMasiva:
    informativa = _bloquear(carga.contrato.informativa)
    carga = dos_fases.por_cancelar(carga, mensaje="Sólo una carga validada y no guardada puede cancelarse.")
    carga.estatus = CargaMasiva.Estatus.CANCELADA
    carga.save(update_fields=["estatus", "updated_at"])
    _registrar(
        "carga.cancelada", informativa, usuario, contrato=carga.contrato.folio, archivo=carga.nombre_archivo
    )
    return carga


@transaction.atomic
def carga_trabajadores_eliminar(*, carga: CargaMasiva, usuario: User) -> int:
    """Undoes a stored carga: deletes the workers it added (those edited since keep their origin and go too)."""
    informativa = _bloquear(carga.contrato.informativa)
    borrados, _ = Trabajador.objects.filter(carga=carga).delete()
    informativa_totales_actualizar(informativa=informativa)
    _registrar(
        "carga.trabajadores_eliminados",
        informativa,
        usuario,
        contrato=carga.contrato.folio,
        archivo=carga.nombre_archivo,
        trabajadores=borrados,
    )
    return borrados
