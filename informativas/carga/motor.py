"""Carga masiva engine: read a worker file (CSV or XLSX: NSS, CURP, SBC), check every row with the same
checks as the one-by-one capture, write the rejected rows to an Excel workbook, and hand the accepted ones over to be stored.

The services in services.py drive it (status, transactions, audit). Nothing here writes to the database: the
accepted rows are stored by ``informativas.trabajadores``, the same code that stores a nómina's workers.
"""

from __future__ import annotations

import codecs
import csv
import io
import unicodedata
import zipfile
import zlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import IO, cast

from django.conf import settings
from openpyxl import Workbook, load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from core.errores import ErrorConMensaje
from core.hojas import celda_segura
from core.identificadores import curp_error, normalizar, nss_error
from core.zip_seguro import ZipInseguroError

from ..trabajadores import Fila, errores_duplicado
from ..validators import sbc_convertir
from .limites import MENSAJE_CELDA, MENSAJE_CSV_ILEGIBLE, revisar_xlsx

COLUMNAS = ("NSS", "CURP", "SBC")
# The optional header, compared without case, accents, spaces or punctuation: "NSS,CURP,SBC", " nss , Curp ,
# S.B.C. " and the long names ("Número de Seguridad Social", "Salario Base de Cotización") are all the header.
ENCABEZADOS = (
    {"nss", "nonss", "numnss", "numeronss", "numerodeseguridadsocial", "numeroseguridadsocial"},
    {"curp", "clavecurp", "claveunicaderegistrodepoblacion"},
    {"sbc", "salariobasedecotizacion", "salariobasecotizacion", "salario", "salariodiario"},
)
EXTENSIONES = (".csv", ".txt", ".xlsx")

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

    ``datos`` is the file's bytes or the open file (binary, seekable). A CSV file is read a block at a time,
    never whole: the rows come one by one while the caller iterates, so the file must stay open until then.
    """
    if not nombre.lower().endswith(EXTENSIONES):
        raise CargaEstructuraError(MENSAJE_EXTENSION)
    archivo = io.BytesIO(datos) if isinstance(datos, bytes | bytearray) else datos
    if es_xlsx(nombre):
        archivo.seek(0)
        contenido = archivo.read(settings.ICSOE_CARGA_MAX_BYTES + 1)
        if len(contenido) > settings.ICSOE_CARGA_MAX_BYTES:
            raise CargaEstructuraError(mensaje_tamano())
        if not contenido.strip():
            raise CargaEstructuraError(MENSAJE_VACIO)
        return _leer_xlsx(contenido)
    return _leer_csv(archivo)


def _parece_binario(datos: bytes) -> bool:
    muestra = datos[:65536]
    if b"\x00" in muestra or muestra.startswith((b"PK\x03\x04", b"%PDF", b"\xd0\xcf\x11\xe0")):
        return True
    control = sum(1 for b in muestra if b < 32 and b not in (9, 10, 13))
    return control > len(muestra) // 100


# Blocks of this many bytes: the first is the sample that tells a binary file.
BLOQUE_CSV = 65536


@dataclass
class _ExamenCsv:
    tamano: int = 0
    lineas: int = 1
    con_contenido: bool = False
    muestra: bytes = b""
    utf8: bool = True


def _examinar_csv(archivo: IO[bytes]) -> _ExamenCsv:
    """One pass over the file a block at a time: its size, lines, whether it has anything but blanks, its
    first block, and whether all of it is UTF-8 (a multi-byte character split between blocks is still UTF-8).
    Stops early once the file is too big."""
    examen = _ExamenCsv()
    decodificador = codecs.getincrementaldecoder("utf-8-sig")()
    maximo = settings.ICSOE_CARGA_MAX_BYTES
    archivo.seek(0)
    while bloque := archivo.read(BLOQUE_CSV):
        if not examen.muestra:
            examen.muestra = bloque
        examen.tamano += len(bloque)
        if examen.tamano > maximo:
            return examen
        examen.lineas += bloque.count(b"\n")
        examen.con_contenido = examen.con_contenido or bool(bloque.strip())
        if examen.utf8:
            try:
                decodificador.decode(bloque)
            except UnicodeDecodeError:
                examen.utf8 = False
    if examen.utf8:
        try:
            decodificador.decode(b"", final=True)
        except UnicodeDecodeError:  # the file ends half-way through a character
            examen.utf8 = False
    return examen


def _leer_csv(archivo: IO[bytes]) -> tuple[int, Iterator[tuple[int, list[str]]]]:  # noqa: C901 - one guard per way a CSV file is unreadable, as the guide lists them
    examen = _examinar_csv(archivo)
    if examen.tamano > settings.ICSOE_CARGA_MAX_BYTES:
        raise CargaEstructuraError(mensaje_tamano())
    if not examen.con_contenido:
        raise CargaEstructuraError(MENSAJE_VACIO)
    if _parece_binario(examen.muestra):
        raise CargaEstructuraError(MENSAJE_BINARIO)
    # Excel on Windows saves CSV as Latin-1 (Windows-1252); every byte decodes, accents survive.
    codificacion = "utf-8-sig" if examen.utf8 else "latin-1"

    def lineas() -> Iterator[str]:
        archivo.seek(0)
        texto = io.TextIOWrapper(archivo, encoding=codificacion, newline="")
        try:
            yield from texto
        finally:
            if not archivo.closed:
                texto.detach()  # the caller's file stays open: it closes it

    def filas() -> Iterator[tuple[int, list[str]]]:
        primera = True
        linea = 0
        lector = csv.reader(lineas())
        maximo = settings.ICSOE_CARGA_MAX_CELDA
        while True:
            try:
                campos = next(lector)
            except StopIteration:
                return
            except csv.Error as error:
                # A field longer than the csv module's own limit (an unclosed quote swallows the rest of the
                # file into one field), or a NUL byte past the part _parece_binario samples.
                if "field larger than field limit" in str(error):
                    raise CargaEstructuraError(MENSAJE_CELDA.format(linea=linea + 1, maximo=maximo)) from None
                raise CargaEstructuraError(MENSAJE_CSV_ILEGIBLE.format(linea=linea + 1)) from None
            linea += 1
            if any(len(c) > maximo for c in campos):
                raise CargaEstructuraError(MENSAJE_CELDA.format(linea=linea, maximo=maximo))
            if not campos or all(not c.strip() for c in campos):
                continue
            if primera:
                primera = False
                if _es_encabezado(campos):
                    continue
            yield linea, campos

    return examen.lineas, filas()


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


def _leer_xlsx(datos: bytes) -> tuple[int, Iterator[tuple[int, list[str]]]]:
    if not datos.startswith(b"PK\x03\x04"):
        raise CargaEstructuraError(MENSAJE_XLSX)
    try:
        revisar_xlsx(datos)  # decompression bombs are refused here, before openpyxl inflates anything
    except ZipInseguroError as error:
        raise CargaEstructuraError(error.mensaje) from None
    try:
        libro = load_workbook(io.BytesIO(datos), read_only=True, data_only=True)
    except ERRORES_XLSX:
        raise CargaEstructuraError(MENSAJE_XLSX) from None
    hoja = libro.worksheets[0] if libro.worksheets else None
    if hoja is None:
        raise CargaEstructuraError(MENSAJE_XLSX)
    estimado = min(hoja.max_row or 1, settings.ICSOE_CARGA_MAX_FILAS)
    # The sheet's declared size ("A1:XFD1048576") is not trusted: openpyxl would pad every row to it.
    hoja.reset_dimensions()

    def filas() -> Iterator[tuple[int, list[str]]]:
        try:
            yield from _filas_xlsx(hoja)
        except ERRORES_XLSX:  # a damaged part of the zip shows only when its rows are read
            raise CargaEstructuraError(MENSAJE_XLSX) from None
        finally:
            libro.close()

    return estimado, filas()


# A damaged .xlsx fails inside zipfile, zlib or the XML parser, at opening or while its rows are read.
# What a damaged zip or sheet raises inside zipfile and openpyxl: NotImplementedError for an unknown zip version
# or compression method, RuntimeError for an entry flagged as encrypted.
ERRORES_XLSX = (InvalidFileException, zipfile.BadZipFile, zlib.error, EOFError, KeyError, OSError, ValueError,
                 SyntaxError, NotImplementedError, RuntimeError)


# Columns read per row: the layout has three, and a wider row is reported by its width up to this; more
# columns would only cost time (a cell in column XFD makes openpyxl build a 16,384-column row).
COLUMNAS_XLSX = 64


def _filas_xlsx(hoja) -> Iterator[tuple[int, list[str]]]:
    primera = True
    maximo = settings.ICSOE_CARGA_MAX_CELDA
    for linea, valores in enumerate(hoja.iter_rows(max_col=COLUMNAS_XLSX, values_only=True), 1):
        if all(v is None for v in valores):
            continue
        campos = [_texto_celda(v) for v in valores]
        if any(len(c) > maximo for c in campos):
            raise CargaEstructuraError(MENSAJE_CELDA.format(linea=linea, maximo=maximo))
        while campos and not campos[-1].strip():
            campos.pop()
        if not campos:
            continue
        if primera:
            primera = False
            if _es_encabezado(campos):
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
    libro = Workbook(write_only=True)
    hoja = libro.create_sheet("Rechazados")
    hoja.append(["NSS", "CURP", "SBC", "Línea", "Motivo"])
    for linea, campos, motivos in resultado.rechazadas:
        valores = campos[:3] if len(campos) == 3 else [",".join(campos), "", ""]
        hoja.append([celda_segura(v) for v in valores] + [linea, celda_segura(" ".join(motivos))])
    salida = io.BytesIO()
    libro.save(salida)
    return salida.getvalue()
