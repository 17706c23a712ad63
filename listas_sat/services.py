"""The SAT's lists: load a file (streamed, all or nothing, the previous load in force until the switch), answer
many RFCs in one query, and the «no verificado» rule (a list never loaded, or its last confirmed check of SAT's
current file older than ICSOE_LISTAS_SAT_DIAS_VERIFICACION days)."""

from __future__ import annotations

import datetime
import hashlib
import itertools
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import cast

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Field, Max
from django.utils import timezone

from core.errores import ErrorConMensaje

from . import lector
from .models import CargaLista, Coincidencia, Verificacion

LOTE = 5000
MAX_RECHAZOS_GUARDADOS = 1000


class CargaRechazada(ErrorConMensaje):
    """The file was refused; the previous load of its list stays in force."""


@dataclass
class ResultadoCarga:
    carga: CargaLista
    sin_cambios: bool = False

    @property
    def lista(self) -> str:
        return self.carga.lista


def sha256_de(ruta: Path) -> str:
    h = hashlib.sha256()
    with open(ruta, "rb") as f:
        while bloque := f.read(1024 * 1024):
            h.update(bloque)
    return h.hexdigest()


def carga_vigente(*, lista: str) -> CargaLista | None:
    return CargaLista.objects.filter(lista=lista, estado=CargaLista.Estado.VIGENTE).first()


def lista_importar(
    *,
    ruta: Path,
    origen: str = "",
    publicado: datetime.date | None = None,
    etag: str = "",
    last_modified: str = "",
    sha256: str = "",
) -> ResultadoCarga:
    """Loads one file of any of SAT's lists, recognised by its head. ``publicado`` is the file's publication
    date (the caller's, or the URL's Last-Modified): the cut date of art. 69, whose files state none.

    Raises CargaRechazada (the previous load stays in force) for a file that is not a list, lacks a column,
    or is smaller than half of the list's load in force. The same file as the one in force is not loaded again.
    """
    origen = origen or str(ruta)
    sha256 = sha256 or sha256_de(ruta)
    tamano = ruta.stat().st_size
    with open(ruta, "rb") as binario:
        try:
            lectura = lector.leer(binario)
        except lector.ArchivoNoReconocido as e:
            _verificacion(lista="", origen=origen, sha256=sha256, etag=etag, last_modified=last_modified, mensaje=e.mensaje)
            raise CargaRechazada(e.mensaje) from e
        anterior = carga_vigente(lista=lectura.lista)
        if anterior and anterior.sha256 == sha256:
            _verificacion(
                lista=lectura.lista, origen=origen, sha256=sha256, etag=etag, last_modified=last_modified,
                confirmada=True, carga=anterior,
            )
            return ResultadoCarga(anterior, sin_cambios=True)
        carga = CargaLista.objects.create(
            lista=lectura.lista, origen=origen[:500], sha256=sha256, tamano=tamano, codificacion=lectura.codificacion,
            **_corte(lectura, publicado),
        )
        if anterior and tamano * 2 < anterior.tamano:
            mensaje = (
                f"El archivo mide {tamano:,} bytes, menos de la mitad de la carga vigente ({anterior.tamano:,} bytes): "
                "no lo cargué y la carga vigente sigue en uso."
            )
            _terminar(carga, CargaLista.Estado.RECHAZADA, mensaje)
            _verificacion(lista=carga.lista, origen=origen, sha256=sha256, etag=etag, last_modified=last_modified, mensaje=mensaje)
            raise CargaRechazada(mensaje)
        try:
            with transaction.atomic():
                _guardar(carga, lectura.filas())
                _poner_en_vigor(carga)
        except Exception as e:
            _terminar(carga, CargaLista.Estado.FALLIDA, f"La carga falló y la anterior sigue en uso: {e}")
            raise
    _estadisticas_al_dia()
    _verificacion(
        lista=carga.lista, origen=origen, sha256=sha256, etag=etag, last_modified=last_modified, confirmada=True,
        cambio=True, carga=carga,
    )
    return ResultadoCarga(carga)


def _estadisticas_al_dia() -> None:
    """PostgreSQL's planner statistics after a load: without them it reckons a few hundred rows per load and
    reads every row of each load in force to screen 5,000 RFCs, instead of the (rfc, carga) index."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {connection.ops.quote_name(Coincidencia._meta.db_table)}")


def _corte(lectura: lector.Lectura, publicado: datetime.date | None) -> dict:
    if lectura.fecha_corte:
        return {"fecha_corte": lectura.fecha_corte, "fecha_corte_origen": CargaLista.OrigenCorte.EN_ARCHIVO}
    if publicado:
        return {"fecha_corte": publicado, "fecha_corte_origen": CargaLista.OrigenCorte.PUBLICACION}
    return {"fecha_corte": None, "fecha_corte_origen": CargaLista.OrigenCorte.SIN_FECHA}


def _terminar(carga: CargaLista, estado: str, mensaje: str = "") -> None:
    carga.estado = estado
    carga.mensaje = mensaje
    carga.terminada_en = timezone.now()
    carga.save(update_fields=["estado", "mensaje", "terminada_en", "updated_at"])


def _guardar(carga: CargaLista, filas: Iterator[lector.Fila | lector.Rechazo]) -> None:
    """Stores the hits in batches as they are read; one per RFC (the first row of each), suprimidos apart."""
    vistos: set[str] = set()
    leidas = suprimidos = rechazadas = guardados = 0
    rechazos: list[list] = []

    def hits() -> Iterator[Coincidencia]:
        nonlocal leidas, suprimidos, rechazadas
        for fila in filas:
            leidas += 1
            if isinstance(fila, lector.Rechazo):
                rechazadas += 1
                if len(rechazos) < MAX_RECHAZOS_GUARDADOS:
                    rechazos.append([fila.linea, fila.motivo])
                continue
            if fila.suprimido:
                suprimidos += 1
            elif fila.rfc in vistos:
                continue
            else:
                vistos.add(fila.rfc)
            yield _coincidencia(carga, fila)

    todas = hits()
    while lote := list(itertools.islice(todas, LOTE)):
        _insertar(lote)
        guardados += sum(1 for c in lote if not c.suprimido)
    carga.filas_leidas, carga.contribuyentes, carga.suprimidos = leidas, guardados, suprimidos
    carga.rechazadas, carga.rechazos = rechazadas, rechazos


def _coincidencia(carga: CargaLista, fila: lector.Fila) -> Coincidencia:
    return Coincidencia(
        carga_id=carga.pk, rfc=fila.rfc, nombre=fila.nombre, situacion=fila.situacion,
        tipo_persona=fila.tipo_persona[:20], fecha_publicacion=fila.fecha_publicacion,
        publicaciones=fila.publicaciones, oficio=fila.oficio, fecha_oficio=fila.fecha_oficio,
        suprimido=fila.suprimido,
    )


_CAMPOS = [
    "carga_id", "rfc", "nombre", "situacion", "tipo_persona", "fecha_publicacion", "publicaciones", "oficio",
    "fecha_oficio", "suprimido",
]


def _insertar(lote: list[Coincidencia]) -> None:
    if connection.vendor != "postgresql":
        Coincidencia.objects.bulk_create(lote, batch_size=1000)
        return
    opts = Coincidencia._meta
    columnas = ", ".join(connection.ops.quote_name(cast(Field, opts.get_field(c)).column) for c in _CAMPOS)
    sql = f"COPY {connection.ops.quote_name(opts.db_table)} ({columnas}) FROM STDIN"
    with connection.cursor() as cursor, cursor.cursor.copy(sql) as copia:
        for c in lote:
            copia.write_row((
                c.carga_id, c.rfc, c.nombre, c.situacion, c.tipo_persona, c.fecha_publicacion,
                json.dumps(c.publicaciones, ensure_ascii=False), c.oficio, c.fecha_oficio, c.suprimido,
            ))


def _poner_en_vigor(carga: CargaLista) -> None:
    """The switch: the list's previous load out of force and this one in, in the load's transaction."""
    anteriores = CargaLista.objects.select_for_update().filter(lista=carga.lista, estado=CargaLista.Estado.VIGENTE)
    anteriores.exclude(pk=carga.pk).update(estado=CargaLista.Estado.REEMPLAZADA, updated_at=timezone.now())
    carga.estado = CargaLista.Estado.VIGENTE
    carga.terminada_en = timezone.now()
    carga.save()


def _verificacion(
    *, lista: str, origen: str, sha256: str = "", etag: str = "", last_modified: str = "", confirmada: bool = False,
    cambio: bool = False, carga: CargaLista | None = None, mensaje: str = "",
) -> Verificacion:
    return Verificacion.objects.create(
        lista=lista, origen=origen[:500], sha256=sha256, etag=etag[:200], last_modified=last_modified[:100],
        confirmada=confirmada, cambio=cambio, carga=carga, mensaje=mensaje,
    )


def verificacion_registrar(
    *, lista: str, origen: str, confirmada: bool, sha256: str = "", etag: str = "", last_modified: str = "",
    mensaje: str = "",
) -> Verificacion:
    """A check of SAT's current file that did not load anything (the file did not change, or could not be had)."""
    return _verificacion(
        lista=lista, origen=origen, sha256=sha256, etag=etag, last_modified=last_modified, confirmada=confirmada,
        carga=carga_vigente(lista=lista) if lista else None, mensaje=mensaje,
    )


# ----------------------------------------------------------------------------------------------------------
# Screening
# ----------------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Hallazgo:
    lista: str
    nombre_lista: str
    rfc: str
    nombre: str
    situacion: str
    fecha_publicacion: datetime.date | None
    publicaciones: list[list[str]]
    oficio: str
    fecha_oficio: datetime.date | None
    fecha_corte: datetime.date | None
    fecha_corte_origen: str


@dataclass(frozen=True)
class NoVerificada:
    lista: str
    nombre_lista: str
    motivo: str


@dataclass
class Consulta:
    rfc: str
    hallazgos: list[Hallazgo] = field(default_factory=list)
    no_verificadas: list[NoVerificada] = field(default_factory=list)

    @property
    def estado(self) -> str:
        if self.hallazgos:
            return "coincidencias"
        return "no verificado" if self.no_verificadas else "sin coincidencias"


def listas_esperadas() -> list[str]:
    return list(settings.ICSOE_LISTAS_SAT_ESPERADAS)


def _vigentes() -> dict[int, tuple[str, datetime.date | None, str]]:
    """The loads in force: id -> (list, cut date, where the cut date comes from)."""
    return {
        pk: (lista, corte, origen)
        for pk, lista, corte, origen in CargaLista.objects.filter(estado=CargaLista.Estado.VIGENTE).values_list(
            "pk", "lista", "fecha_corte", "fecha_corte_origen"
        )
    }


def listas_no_verificadas(
    *, ahora: datetime.datetime | None = None, vigentes: dict[int, tuple[str, datetime.date | None, str]] | None = None
) -> list[NoVerificada]:
    """The lists whose answer cannot be trusted: never loaded, or not confirmed against SAT for too long."""
    ahora = ahora or timezone.now()
    limite = ahora - datetime.timedelta(days=settings.ICSOE_LISTAS_SAT_DIAS_VERIFICACION)
    en_vigor = {lista for lista, _, _ in (_vigentes() if vigentes is None else vigentes).values()}
    confirmadas = dict(
        Verificacion.objects.filter(confirmada=True).values("lista").annotate(ultima=Max("created_at"))
        .values_list("lista", "ultima")
    )
    resultado = []
    for lista in sorted(set(listas_esperadas()) | en_vigor):
        nombre = lector.nombre_lista(lista)
        if lista not in en_vigor:
            resultado.append(NoVerificada(lista, nombre, "la lista nunca se ha cargado"))
        elif (ultima := confirmadas.get(lista)) is None or ultima < limite:
            cuando = f"el {timezone.localtime(ultima):%d/%m/%Y}" if ultima else "nunca"
            resultado.append(NoVerificada(
                lista, nombre,
                f"no se ha confirmado el archivo vigente del SAT en más de "
                f"{settings.ICSOE_LISTAS_SAT_DIAS_VERIFICACION} días (última confirmación: {cuando})",
            ))
    return resultado


_COLUMNAS_HIT = ["carga_id", "rfc", "nombre", "situacion", "fecha_publicacion", "publicaciones", "oficio", "fecha_oficio"]


def _hits(rfcs: list[str], cargas: list[int]) -> Iterable[tuple]:
    """The hits of the RFCs in the given loads, in one query. On PostgreSQL the RFCs go as one array joined
    row by row to the (rfc, carga) index: with ``rfc IN (…5,000…)`` the planner scans the whole table."""
    if connection.vendor != "postgresql":
        return (
            Coincidencia.objects.filter(carga_id__in=cargas, suprimido=False, rfc__in=rfcs)
            .order_by().values_list(*_COLUMNAS_HIT)
        )
    q = connection.ops.quote_name
    columnas = ", ".join(f"c.{q(cast(Field, Coincidencia._meta.get_field(c)).column)}" for c in _COLUMNAS_HIT)
    sql = (
        f"SELECT {columnas} FROM unnest(%s::varchar[]) AS p(rfc) "
        f"JOIN {q(Coincidencia._meta.db_table)} c ON c.rfc = p.rfc "
        "WHERE c.carga_id = ANY(%s) AND NOT c.suprimido"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [rfcs, cargas])
        filas = cursor.fetchall()
    i = _COLUMNAS_HIT.index("publicaciones")
    return [(*f[:i], json.loads(f[i]) if isinstance(f[i], str) else f[i], *f[i + 1 :]) for f in filas]


def listas_consultar(*, rfcs: Iterable[str], ahora: datetime.datetime | None = None) -> dict[str, Consulta]:
    """Every RFC against every list in force: the hits of all the RFCs in one query (plus two small ones for
    the lists' state, whatever the number of RFCs). Answers a Consulta per RFC (upper case, trimmed), in the
    order given, its hits in the order of the lists' keys."""
    pedidos = list(dict.fromkeys(r.strip().upper() for r in rfcs if r and r.strip()))
    respuesta = {rfc: Consulta(rfc) for rfc in pedidos}
    vigentes = _vigentes()
    no_verificadas = listas_no_verificadas(ahora=ahora, vigentes=vigentes)
    for consulta in respuesta.values():
        consulta.no_verificadas = no_verificadas
    if not pedidos or not vigentes:
        return respuesta
    for carga_id, rfc, nombre, situacion, publicada, publicaciones, oficio, fecha_oficio in _hits(pedidos, list(vigentes)):
        lista, corte, origen = vigentes[carga_id]
        respuesta[rfc].hallazgos.append(Hallazgo(
            lista, lector.nombre_lista(lista), rfc, nombre, situacion, publicada, publicaciones, oficio, fecha_oficio,
            corte, origen,
        ))
    for consulta in respuesta.values():
        if len(consulta.hallazgos) > 1:
            consulta.hallazgos.sort(key=lambda h: h.lista)
    return respuesta
