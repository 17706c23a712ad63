"""Carga masiva engine: read a worker file (CSV or XLSX: NSS, CURP, SBC), check every row with the same
checks as the one-by-one capture, write the rejected rows to an Excel workbook, and hand the accepted ones over to be stored.

The services in services.py drive it (status, transactions, audit). Nothing here writes to the database: the
accepted rows are stored by ``informativas.trabajadores``, the same code that stores a nómina's workers.
"""

from __future__ import annotations

import io
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import IO, cast

from django.conf import settings

from core import lector_seguro
from core.errores import ErrorConMensaje
from core.hojas import celda_segura, libro_xlsx
from core.identificadores import curp_error, normalizar, nss_error
from core.lector_seguro import LecturaError
from core.zip_seguro import ZipInseguroError

from ..trabajadores import Fila, errores_duplicado
from ..validators import sbc_convertir
from .limites import MENSAJE_CELDA, MENSAJE_CSV_ILEGIBLE, MENSAJE_XLSX_EXCEDE, limites_xlsx

COLUMNAS = ("NSS", "CURP", "SBC")
# The optional header, compared without case, accents, spaces or punctuation: "NSS,CURP,SBC", " nss , Curp ,
# S.B.C. " and the long names ("Número de Seguridad Social", "Salario Base de Cotización") are all the header.
ENCABEZADOS = (
    {"nss", "nonss", "numnss", "numeronss", "numerodeseguridadsocial", "numeroseguridadsocial"},
    {"curp", "clavecurp", "claveunicaderegistrodepoblacion"},
    {"sbc", "salariobasedecotizacion", "salariobasecotizacion", "salario", "salariodiario"},
)
EXTENSIONES = (".csv", ".txt", ".xlsx")
# A CSV file is read a block of this many bytes at a time (``core.lector_seguro``).
BLOQUE_CSV = lector_seguro.BLOQUE_CSV

MENSAJE_VACIO = "El archivo está vacío."
MENSAJE_SIN_REGISTROS = "El archivo no contiene registros de trabajadores."
MENSAJE_BINARIO = (
    "El archivo no es un CSV de texto: parece un archivo binario. Guarda la información como CSV "
    "(delimitado por comas) o como libro de Excel (.xlsx)."
)
MENSAJE_XLSX = "El archivo no es un libro de Excel (.xlsx) válido."
MENSAJE_EXTENSION = "El archivo debe ser .csv o .xlsx."
MENSAJE_COLUMNAS = "La línea tiene {n} columnas; se esperaban 3: NSS, CURP y SBC."


def mensaje_tamano() -> str:
    return f"El archivo excede el tamaño máximo permitido de {settings.ICSOE_CARGA_MAX_BYTES / 1024 / 1024:g} MB."


def mensaje_filas() -> str:
    return (
        f"El archivo tiene más de {settings.ICSOE_CARGA_MAX_FILAS:,} registros. Divide la información en "
        "varios archivos."
    )


class CargaEstructuraError(ErrorConMensaje):
    """The file as a whole cannot be read (empty, binary, too big, too many rows): nothing is checked further."""


@dataclass
class Resultado:
    total: int = 0
    aceptadas: list[Fila] = field(default_factory=list)
    num_aceptadas: int = 0
    # [línea, columna, valor, mensaje]
    errores: list[list] = field(default_factory=list)
    # (línea, valores tal cual, motivos)
    rechazadas: list[tuple[int, list[str], list[str]]] = field(default_factory=list)

    @property
    def num_rechazadas(self) -> int:
        return len(self.rechazadas)


# ----------------------------------------------------------------------------------------------------------
# Reading
# ----------------------------------------------------------------------------------------------------------
def es_xlsx(nombre: str) -> bool:
    return nombre.lower().endswith(".xlsx")


def leer(datos: bytes | IO[bytes], nombre: str) -> tuple[int, Iterator[tuple[int, list[str]]]]:
    """Returns (estimated rows, iterator of (line number, fields as text)) with blank lines skipped and the
    optional header dropped. Raises CargaEstructuraError for a file that cannot be read at all.

    ``datos`` is the file's bytes or the open file (binary, seekable). The file is read by
    ``core.lector_seguro`` (the one owner of reading an untrusted file): a CSV a block at a time, never whole,
    an XLSX row by row after its container is checked; the rows come one by one while the caller iterates,
    so the file must stay open until then.
    """
    if not nombre.lower().endswith(EXTENSIONES):
        raise CargaEstructuraError(MENSAJE_EXTENSION)
    archivo = io.BytesIO(datos) if isinstance(datos, bytes | bytearray) else datos
    try:
        if es_xlsx(nombre):
            estimado, filas = _leer_xlsx(archivo)
        else:
            estimado, filas = lector_seguro.csv_filas(
                archivo, max_bytes=settings.ICSOE_CARGA_MAX_BYTES, max_celda=settings.ICSOE_CARGA_MAX_CELDA
            )
    except (LecturaError, ZipInseguroError) as error:
        raise _error_de_lectura(error) from None
    return estimado, _sin_encabezado(_mensajes_de_lectura(filas))


def _error_de_lectura(error: LecturaError | ZipInseguroError) -> CargaEstructuraError:
    """The carga's wording of a refusal of ``core.lector_seguro``."""
    if isinstance(error, ZipInseguroError):
        if error.code == "ilegible":
            return CargaEstructuraError(MENSAJE_XLSX)
        return CargaEstructuraError(MENSAJE_XLSX_EXCEDE.format(detalle=error.mensaje))
    mensajes = {
        "tamano": mensaje_tamano(),
        "vacio": MENSAJE_VACIO,
        "binario": MENSAJE_BINARIO,
        "celda": MENSAJE_CELDA.format(linea=error.linea, maximo=settings.ICSOE_CARGA_MAX_CELDA),
        "ilegible": MENSAJE_CSV_ILEGIBLE.format(linea=error.linea) if error.linea else MENSAJE_XLSX,
    }
    return CargaEstructuraError(mensajes.get(error.code, error.mensaje))


def _mensajes_de_lectura(filas: Iterator[tuple[int, list[str]]]) -> Iterator[tuple[int, list[str]]]:
    try:
        yield from filas
    except (LecturaError, ZipInseguroError) as error:
        raise _error_de_lectura(error) from None


def _sin_encabezado(filas: Iterator[tuple[int, list[str]]]) -> Iterator[tuple[int, list[str]]]:
    """The rows less the first when it is the header."""
    for linea, campos in filas:
        if not _es_encabezado(campos):
            yield linea, campos
        break
    yield from filas


def _clave_encabezado(valor: str) -> str:
    sin_acentos = unicodedata.normalize("NFKD", valor).encode("ascii", "ignore").decode()
    return "".join(c for c in sin_acentos.lower() if c.isalnum())


def _es_encabezado(campos: list[str]) -> bool:
    """The first row is the header only when it names the three columns in order; any other first row is
    data, checked like the rest (a first worker with an empty or mistyped NSS is reported, not skipped)."""
    return len(campos) == len(ENCABEZADOS) and all(
        _clave_encabezado(valor) in nombres for valor, nombres in zip(campos, ENCABEZADOS, strict=True)
    )


def _texto_celda(valor: object) -> str:
    if valor is None:
        return ""
    if isinstance(valor, bool):
        return str(valor)
    if isinstance(valor, int):
        return str(valor)
    if isinstance(valor, float):
        return str(int(valor)) if valor.is_integer() else repr(valor)
    return str(valor)


def _leer_xlsx(archivo: IO[bytes]) -> tuple[int, Iterator[tuple[int, list[str]]]]:
    """The workbook is read from the open file as openpyxl needs its parts (the file is never held whole)."""
    tamano = archivo.seek(0, io.SEEK_END)
    if tamano > settings.ICSOE_CARGA_MAX_BYTES:
        raise CargaEstructuraError(mensaje_tamano())
    archivo.seek(0)
    if not archivo.read(4).startswith(b"PK\x03\x04"):
        archivo.seek(0)
        vacio = all(not bloque.strip() for bloque in iter(lambda: archivo.read(BLOQUE_CSV), b""))
        raise CargaEstructuraError(MENSAJE_VACIO if vacio else MENSAJE_XLSX)
    hoja = lector_seguro.xlsx_hoja(archivo, limites=limites_xlsx())
    return min(hoja.estimado, settings.ICSOE_CARGA_MAX_FILAS), _filas_xlsx(hoja.filas)


def _filas_xlsx(filas: Iterator[tuple[int, tuple[object, ...]]]) -> Iterator[tuple[int, list[str]]]:
    for linea, valores in filas:
        if all(v is None for v in valores):
            continue
        campos = [_texto_celda(v) for v in valores]
        while campos and not campos[-1].strip():
            campos.pop()
        if not campos:
            continue
        # Excel drops an NSS's leading zeros when the cell is a number: put them back.
        if isinstance(valores[0], int | float) and campos[0].isdigit():
            campos[0] = campos[0].zfill(11)
        yield linea, campos


# ----------------------------------------------------------------------------------------------------------
# Checking
# ----------------------------------------------------------------------------------------------------------
def revisar(
    filas: Iterable[tuple[int, list[str]]],
    *,
    nss_existentes: set[str],
    curp_existentes: set[str],
    avance: Callable[[int], None] | None = None,
) -> Resultado:
    """Checks every row (phase one). A row is accepted when its three fields are valid and neither its NSS nor
    its CURP is already in the contract or earlier in the file; phase two gathers the accepted rows."""
    resultado = Resultado()
    nss_vistos: dict[str, int] = {}
    curp_vistos: dict[str, int] = {}
    maximo = settings.ICSOE_CARGA_MAX_FILAS
    for linea, campos in filas:
        resultado.total += 1
        if resultado.total > maximo:
            raise CargaEstructuraError(mensaje_filas())
        if avance and resultado.total % 2000 == 0:
            avance(resultado.total)
        errores = _errores_fila(linea, campos)
        if not errores:
            nss, curp = normalizar(campos[0]), normalizar(campos[1])
            errores = errores_duplicado(
                linea, nss, curp, nss_existentes, curp_existentes, nss_vistos, curp_vistos
            )
            if not errores:
                nss_vistos[nss] = linea
                curp_vistos[curp] = linea
                resultado.num_aceptadas += 1
                continue
        resultado.errores.extend(errores)
        resultado.rechazadas.append((linea, campos, [e[3] for e in errores]))
    return resultado


def recorrer_aceptadas(
    filas: Iterable[tuple[int, list[str]]],
    *,
    lineas_rechazadas: set[int],
    nss_existentes: set[str],
    curp_existentes: set[str],
    resultado: Resultado,
    avance: Callable[[int], None] | None = None,
) -> Iterator[Fila]:
    """Phase two, one row at a time: yields the rows phase one accepted, less any that now clash with a worker
    captured by hand since (recorded in ``resultado`` as it goes), without ever holding them all.

    The stored file cannot change between the phases, so the row checks (NSS, CURP, SBC, repeats inside the
    file) are not run again: only the contract may have changed, and it is compared under the caller's lock.
    """
    for linea, campos in filas:
        resultado.total += 1
        if avance and resultado.total % 2000 == 0:
            avance(resultado.total)
        if linea in lineas_rechazadas:
            continue
        nss, curp = normalizar(campos[0]), normalizar(campos[1])
        if errores := errores_duplicado(linea, nss, curp, nss_existentes, curp_existentes, {}, {}):
            resultado.errores.extend(errores)
            resultado.rechazadas.append((linea, campos, [e[3] for e in errores]))
            continue
        resultado.num_aceptadas += 1
        yield Fila(nss, curp, cast(Decimal, sbc_convertir(campos[2])[0]), linea)  # a valid SBC: rejects were skipped


def reunir_aceptadas(
    filas: Iterable[tuple[int, list[str]]],
    *,
    lineas_rechazadas: set[int],
    nss_existentes: set[str],
    curp_existentes: set[str],
    avance: Callable[[int], None] | None = None,
) -> Resultado:
    """``recorrer_aceptadas`` with the accepted rows gathered in ``resultado.aceptadas`` (small files, tests)."""
    resultado = Resultado()
    resultado.aceptadas = list(
        recorrer_aceptadas(
            filas,
            lineas_rechazadas=lineas_rechazadas,
            nss_existentes=nss_existentes,
            curp_existentes=curp_existentes,
            resultado=resultado,
            avance=avance,
        )
    )
    return resultado


def _errores_fila(linea: int, campos: list[str]) -> list[list]:
    if len(campos) != 3:
        return [[linea, "Columnas", ",".join(campos)[:200], MENSAJE_COLUMNAS.format(n=len(campos))]]
    errores = []
    nss, curp, sbc = normalizar(campos[0]), normalizar(campos[1]), campos[2].strip()
    if mensaje := nss_error(nss):
        errores.append([linea, "NSS", campos[0][:60], mensaje])
    if mensaje := curp_error(curp):
        errores.append([linea, "CURP", campos[1][:60], mensaje])
    if mensaje := sbc_convertir(sbc)[1]:
        errores.append([linea, "SBC", campos[2][:60], mensaje])
    return errores


# ----------------------------------------------------------------------------------------------------------
# Rejected rows workbook
# ----------------------------------------------------------------------------------------------------------
def libro_rechazados(resultado: Resultado) -> bytes:
    filas = (
        [*(celda_segura(v) for v in (campos[:3] if len(campos) == 3 else [",".join(campos), "", ""])),
         linea, celda_segura(" ".join(motivos))]
        for linea, campos, motivos in resultado.rechazadas
    )
    return libro_xlsx("Rechazados", ["NSS", "CURP", "SBC", "Línea", "Motivo"], filas)
