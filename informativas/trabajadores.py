"""Trabajador rows: the row a capture, a carga or a nómina stores, the messages for an NSS or CURP already in
the contract or repeated, and the two ways rows are written (COPY on PostgreSQL, bulk_create elsewhere), in one
go (``insertar_trabajadores``) or prepared before the caller's locks and written under them
(``preparar_registros`` then ``guardar_preparados``).

Nothing here writes to the database except ``insertar_trabajadores`` and ``guardar_preparados``, which the caller
runs inside its transaction.
"""

from __future__ import annotations

import csv
import datetime
import itertools
import uuid
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import IO, Any, NamedTuple, cast

from django.db import connection
from django.db.models import Field
from django.utils import timezone

from accounts.renapo import personas_por_curp

from .models import Trabajador

LOTE = 5000

MENSAJE_NSS_REGISTRADO = "El NSS ya está registrado en este contrato."
MENSAJE_CURP_REGISTRADA = "La CURP ya está registrada en este contrato."
MENSAJE_NSS_REPETIDO = "El NSS está repetido en el archivo (línea {linea})."
MENSAJE_CURP_REPETIDA = "La CURP está repetida en el archivo (línea {linea})."


@dataclass(frozen=True)
class Fila:
    """A worker to store: its NSS, CURP and SBC, and the line of the file it came from (None: from no file)."""

    nss: str
    curp: str
    sbc: Decimal
    linea: int | None = None


def errores_duplicado(
    linea, nss, curp, nss_existentes, curp_existentes, nss_vistos, curp_vistos
) -> list[list]:
    """[línea, columna, valor, mensaje] for an NSS or CURP already in the contract (``*_existentes``) or earlier
    in the file (``*_vistos``: value → its line)."""
    errores = []
    if nss in nss_existentes:
        errores.append([linea, "NSS", nss, MENSAJE_NSS_REGISTRADO])
    elif nss in nss_vistos:
        errores.append([linea, "NSS", nss, MENSAJE_NSS_REPETIDO.format(linea=nss_vistos[nss])])
    if curp in curp_existentes:
        errores.append([linea, "CURP", curp, MENSAJE_CURP_REGISTRADA])
    elif curp in curp_vistos:
        errores.append([linea, "CURP", curp, MENSAJE_CURP_REPETIDA.format(linea=curp_vistos[curp])])
    return errores


# ----------------------------------------------------------------------------------------------------------
# Storing
# ----------------------------------------------------------------------------------------------------------
def nombres_por_curp(curps: list[str]) -> dict[str, tuple[str, str, str]]:
    """Names from the CURP registry (its batch lookup: one query per batch for the local registry)."""
    return {
        curp: (p.nombres, p.primer_apellido, p.segundo_apellido) for curp, p in personas_por_curp(curps).items()
    }


class Registro(NamedTuple):
    """A Trabajador row as the carga stores it (the field names are Trabajador's; COPY writes them in order)."""

    code: uuid.UUID
    created_at: datetime.datetime
    updated_at: datetime.datetime
    contrato_id: int
    nss: str
    curp: str
    sbc: Decimal
    nombre: str
    primer_apellido: str
    segundo_apellido: str
    origen: str
    carga_id: int | None


def insertar_trabajadores(
    filas: Iterable[Fila],
    *,
    contrato_id: int,
    carga_id: int | None,
    avance: Callable[[int], None] | None = None,
    origen: str = Trabajador.Origen.CARGA_MASIVA,
) -> int:
    """Inserts the rows in batches of LOTE as they come (a list, or a generator reading the file: only one batch
    is ever held); call inside the transaction that makes the carga all-or-nothing. Returns how many it stored.

    PostgreSQL gets a COPY (the same transaction, so still all-or-nothing; the unique constraints still
    apply); other databases get bulk_create.
    """
    guardados = 0
    for registros in _registros_por_lote(filas, contrato_id=contrato_id, carga_id=carga_id, origen=origen):
        if connection.vendor == "postgresql":
            _copiar(_como_texto(registros))
        else:
            Trabajador.objects.bulk_create([Trabajador(**r._asdict()) for r in registros], batch_size=1000)
        guardados += len(registros)
        if avance:
            avance(guardados)
    return guardados


def _registros_por_lote(
    filas: Iterable[Fila], *, contrato_id: int, carga_id: int | None, origen: str
) -> Iterator[list[Registro]]:
    """The rows as Trabajador rows (names from the CURP registry, one id each), LOTE at a time."""
    ahora = timezone.now()
    filas = iter(filas)
    while lote := list(itertools.islice(filas, LOTE)):
        nombres = nombres_por_curp([f.curp for f in lote])
        yield [
            Registro(
                uuid.uuid4(), ahora, ahora, contrato_id, f.nss, f.curp, f.sbc, *nombres.get(f.curp, ("", "", "")),
                origen, carga_id,
            )
            for f in lote
        ]


def _como_texto(registros: list[Registro]) -> list[tuple[str | int | None, ...]]:
    # COPY dumps a str fastest: each timestamp, id and amount is rendered once here, not per row by the driver.
    if not registros:
        return []
    ahora = registros[0].created_at.isoformat()
    return [
        (
            str(r.code),
            ahora,
            ahora,
            str(r.contrato_id),
            r.nss,
            r.curp,
            f"{r.sbc:f}",
            r.nombre,
            r.primer_apellido,
            r.segundo_apellido,
            r.origen,
            r.carga_id and str(r.carga_id),
        )
        for r in registros
    ]


def _copiar(registros: Sequence[Sequence[Any]]) -> None:
    opts = Trabajador._meta
    columnas = ", ".join(connection.ops.quote_name(cast(Field, opts.get_field(c)).column) for c in Registro._fields)
    sql = f"COPY {connection.ops.quote_name(opts.db_table)} ({columnas}) FROM STDIN"
    with connection.cursor() as cursor, cursor.cursor.copy(sql) as copia:
        for registro in registros:
            copia.write_row(registro)


# ----------------------------------------------------------------------------------------------------------
# Phase two in two steps (services.carga_aplicar): rows prepared before any lock, written under the locks
# ----------------------------------------------------------------------------------------------------------
_NSS, _CURP = Registro._fields.index("nss"), Registro._fields.index("curp")
_CREADO, _ACTUALIZADO = Registro._fields.index("created_at"), Registro._fields.index("updated_at")


def preparar_registros(
    filas: Iterable[Fila],
    destino: IO[str],
    *,
    contrato_id: int,
    carga_id: int | None,
    origen: str = Trabajador.Origen.CARGA_MASIVA,
) -> int:
    """Turns the rows into Trabajador rows (names from the CURP registry, ids, amounts as COPY text) and writes
    them to ``destino`` (CSV) a batch at a time, without writing to the database: everything of storing them
    but the writing, so a caller can do it before it takes its locks. Returns how many it wrote."""
    escritor = csv.writer(destino)
    preparados = 0
    for registros in _registros_por_lote(filas, contrato_id=contrato_id, carga_id=carga_id, origen=origen):
        escritor.writerows(("" if v is None else v for v in r) for r in _como_texto(registros))
        preparados += len(registros)
    return preparados


def guardar_preparados(
    origen: IO[str],
    *,
    nss_existentes: set[str],
    curp_existentes: set[str],
    avance: Callable[[int], None] | None = None,
) -> int:
    """Writes the rows ``preparar_registros`` left in ``origen`` a batch at a time, less those whose NSS or CURP
    is in the contract now, stamped with the time of writing; call inside the caller's transaction. Returns
    how many it stored."""
    ahora = timezone.now().isoformat()
    guardados = 0
    filas: Iterator[list[Any]] = (
        f for f in csv.reader(origen) if f[_NSS] not in nss_existentes and f[_CURP] not in curp_existentes
    )
    while lote := list(itertools.islice(filas, LOTE)):
        for fila in lote:
            fila[_CREADO] = fila[_ACTUALIZADO] = ahora
            fila[-1] = fila[-1] or None  # carga_id: NULL, not an empty text
        if connection.vendor == "postgresql":
            _copiar(lote)
        else:
            Trabajador.objects.bulk_create(
                [Trabajador(**dict(zip(Registro._fields, fila, strict=True))) for fila in lote], batch_size=1000
            )
        guardados += len(lote)
        if avance:
            avance(guardados)
    return guardados
