"""The one owner of reading an untrusted file: the carga masiva's CSV and XLSX, Contratos en bloque's workbook,
Importar nómina's ZIP of XML and the STPS acuse's PDF are read here and nowhere else (an import-linter
contract in pyproject.toml keeps openpyxl, zipfile, lxml and pypdf out of every other module that reads).

What it guarantees, before and while reading:

- a ZIP (an .xlsx, a ZIP of CFDI) is checked from its directories before anything inflates
  (``core.zip_seguro``: entries, methods, sizes, ratios, overlapping entries);
- a workbook's parts are found the way openpyxl finds them: ``[Content_Types].xml`` (itself capped and parsed
  with the hardened parser) names the shared strings and the sheets whatever their part names, the workbook's
  relationships name its sheets, and each part found so gets its cap (the shared strings, which openpyxl
  reads whole, the tightest);
- a workbook is read in openpyxl's read-only mode, row by row, at most ``max_columnas`` a row, and closed;
- every cell (XLSX) and field (CSV) is capped: a longer value refuses the file with its line, and what is
  kept of it for a message is its first characters and its length (``recortar``);
- XML is parsed with DTDs, entities and the network off, and one that declares a DOCTYPE is refused;
- a PDF's pages are counted by pypdf, any failure of it a ``LecturaError``.

Each importer words the refusals its own way from ``code`` (and ``linea``, ``columna``); the Spanish message
here is the generic one.
"""

from __future__ import annotations

import codecs
import csv
import dataclasses
import io
import posixpath
import zipfile
import zlib
from collections.abc import Generator, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache
from typing import IO, TYPE_CHECKING, Any

from django.core.files import File

from .errores import ErrorConMensaje
from .zip_seguro import MB, LimitesZip, ZipInseguroError, zip_abrir_revisado, zip_revisar_entradas

if TYPE_CHECKING:
    from lxml import etree

# lxml and openpyxl (which loads Pillow) are imported where a file is read, not with this module: every process
# imports it at start (contratistas.validators) and most never read a workbook or an XML (~12 MB).

# What a value kept for a message keeps: its first characters, then its length.
INICIO_RECORTE = 40


def recortar(valor: str, maximo: int = INICIO_RECORTE) -> str:
    """``valor`` when it has at most ``maximo`` characters; else its first ``maximo`` and its length:
    «AAAA…(1,048,576 caracteres)»."""
    if len(valor) <= maximo:
        return valor
    return f"{valor[:maximo]}…({len(valor):,} caracteres)"


class LecturaError(ErrorConMensaje):
    """The file is refused. ``code`` says why (``tamano``, ``vacio``, ``binario``, ``ilegible``, ``celda``,
    ``dtd``, ``xml``, ``pdf``, or a ``core.zip_seguro`` code); ``linea`` and ``columna`` (1-based) where in
    the file; ``largo`` and ``maximo`` the length that broke the cap; ``inicio`` the start of the value."""

    def __init__(
        self,
        mensaje: str,
        *,
        code: str,
        linea: int = 0,
        columna: int = 0,
        largo: int = 0,
        maximo: int = 0,
        inicio: str = "",
    ) -> None:
        super().__init__(mensaje)
        self.code = code
        self.linea = linea
        self.columna = columna
        self.largo = largo
        self.maximo = maximo
        self.inicio = inicio


def _celda_excedida(linea: int, columna: int, valor: str, maximo: int) -> LecturaError:
    return LecturaError(
        f"La línea {linea} tiene un valor de {len(valor):,} caracteres; el máximo es {maximo:,}.",
        code="celda",
        linea=linea,
        columna=columna,
        largo=len(valor),
        maximo=maximo,
        inicio=recortar(valor),
    )


# ----------------------------------------------------------------------------------------------------------
# XML
# ----------------------------------------------------------------------------------------------------------
@cache
def _parser() -> etree.XMLParser:
    from lxml import etree

    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
        collect_ids=False,
    )


MENSAJE_DTD = "El XML declara un DOCTYPE o entidades; por seguridad no se procesa."
MENSAJE_XML = "El archivo no es un XML bien formado."


def xml_raiz(datos: bytes) -> Any:
    """The root element of ``datos`` (an lxml element: ``tag``, ``get``, ``find``, ``iterfind``), parsed with
    DTDs, entities and the network off. LecturaError ``dtd`` for an XML that declares a DOCTYPE or entities
    (refused without being parsed when the bytes show it, and after parsing, unexpanded, in an encoding they
    do not), ``xml`` for one that is not well formed."""
    if b"<!DOCTYPE" in datos or b"<!ENTITY" in datos:
        raise LecturaError(MENSAJE_DTD, code="dtd")
    from lxml import etree

    try:
        raiz = etree.fromstring(datos, _parser())
    except etree.XMLSyntaxError:
        raise LecturaError(MENSAJE_XML, code="xml") from None
    if raiz.getroottree().docinfo.doctype:
        raise LecturaError(MENSAJE_DTD, code="dtd")
    return raiz


# ----------------------------------------------------------------------------------------------------------
# ZIP of files (Importar nómina)
# ----------------------------------------------------------------------------------------------------------
@dataclass
class ArchivoZip:
    """A ZIP checked by ``core.zip_seguro``, open for reading its entries one at a time."""

    _zip: zipfile.ZipFile

    def nombres(self) -> list[str]:
        """The entries worth reading: no folders, no macOS resource forks (in the archive's order)."""
        return [i.filename for i in self._infos()]

    def _infos(self) -> list[zipfile.ZipInfo]:
        return [i for i in self._zip.infolist() if not (i.is_dir() or i.filename.startswith("__MACOSX/"))]

    def entradas(self) -> Iterator[tuple[str, bytes]]:
        """(name, bytes) of each entry of ``nombres``, inflated one at a time. Each is at most its declared
        size, already checked: zipfile never returns more, and an entry whose data inflate to more fails its
        CRC check (ZipInseguroError ``ilegible``)."""
        try:
            for info in self._infos():
                with self._zip.open(info) as entrada:
                    yield info.filename, entrada.read()
        except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, RuntimeError):
            raise ZipInseguroError("El archivo no es un archivo ZIP válido.", code="ilegible") from None


def _sin_envoltorios(archivo: IO[bytes]) -> IO[bytes]:
    """The file object under Django's wrappers (a stored upload's FieldFile holds a File holding the open file):
    zipfile seeks, tells and reads a few times per entry, and each call through a wrapper costs more than the
    read itself on a ZIP of 100,000 small entries."""
    while isinstance(archivo, File) and archivo.file is not None:
        archivo = archivo.file
    return archivo


@contextmanager
def zip_abierto(archivo: IO[bytes], *, limites: LimitesZip) -> Iterator[ArchivoZip]:
    """The ZIP open for reading after ``core.zip_seguro`` checked its directories (the file is never read
    whole); ZipInseguroError with the first limit broken. Closed on leaving."""
    zf = zip_abrir_revisado(_sin_envoltorios(archivo), limites=limites)
    try:
        yield ArchivoZip(zf)
    finally:
        zf.close()


# ----------------------------------------------------------------------------------------------------------
# XLSX
# ----------------------------------------------------------------------------------------------------------
TIPO_CADENAS = "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"
TIPO_HOJA = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"
# The workbook's content types openpyxl looks for (xlsx, xlsm, xltx, xltm).
TIPOS_LIBRO = (
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
    "application/vnd.ms-excel.sheet.macroEnabled.main+xml",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.template.main+xml",
    "application/vnd.ms-excel.template.macroEnabled.main+xml",
)
RELACION_HOJA = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet"
RELACION_CADENAS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings"
MANIFIESTO = "[Content_Types].xml"
_NS_TIPOS = "{http://schemas.openxmlformats.org/package/2006/content-types}"
_NS_RELACIONES = "{http://schemas.openxmlformats.org/package/2006/relationships}"
# [Content_Types].xml and the workbook's relationships are read whole here: a real one is a few KB.
MAXIMO_INDICE = 1 * MB


# A damaged .xlsx fails inside zipfile, zlib or the XML parser, at opening or while its rows are read;
# NotImplementedError for an unknown zip version or compression method, RuntimeError for an entry flagged as
# encrypted.
@cache
def _errores_xlsx() -> tuple[type[BaseException], ...]:
    from lxml import etree
    from openpyxl.utils.exceptions import InvalidFileException

    return (
        InvalidFileException,
        zipfile.BadZipFile,
        zlib.error,
        EOFError,
        KeyError,
        OSError,
        ValueError,
        SyntaxError,
        NotImplementedError,
        RuntimeError,
        StopIteration,
        IndexError,
        etree.XMLSyntaxError,
    )


MENSAJE_XLSX = "El archivo no es un libro de Excel (.xlsx) válido."


@dataclass(frozen=True)
class LimitesXlsx:
    """``zip``: the container's limits (``por_entrada`` may cap parts by name); ``max_cadenas``: the shared
    strings part, found by its content type; ``max_hoja``: each sheet; ``max_celda``: characters a cell;
    ``max_columnas``: cells read a row (a cell in column XFD makes openpyxl build a 16,384-cell row)."""

    zip: LimitesZip
    max_cadenas: int
    max_hoja: int
    max_celda: int
    max_columnas: int = 64


def _ilegible() -> LecturaError:
    return LecturaError(MENSAJE_XLSX, code="ilegible")


def _leer_indice(zf: zipfile.ZipFile, nombre: str) -> Any | None:
    """The root of a small XML part read whole ([Content_Types].xml, a .rels), or None when it is missing."""
    try:
        info = zf.getinfo(nombre)
    except KeyError:
        return None
    if info.file_size > MAXIMO_INDICE:
        raise ZipInseguroError(
            f"El elemento «{nombre[:100]}» ocupa {info.file_size / MB:,.1f} MB al descomprimirse; el máximo es "
            f"{MAXIMO_INDICE / MB:,.1f} MB.",
            code="entrada",
            elemento=nombre,
            tamano=info.file_size,
            maximo=MAXIMO_INDICE,
        )
    try:
        return xml_raiz(zf.read(info))
    except (LecturaError, zipfile.BadZipFile, zlib.error, EOFError, OSError):
        # A damaged part (a header that names another file, a broken deflate stream): the workbook is unreadable.
        raise _ilegible() from None


def _destino(origen: str, destino: str) -> str:
    """A relationship's target as openpyxl resolves it (``get_dependents``): absolute without its slash, or
    relative to the folder of the part whose relationships name it."""
    if destino.startswith("/"):
        return destino[1:]
    return posixpath.normpath(posixpath.join(posixpath.dirname(origen), destino))


def _topes_por_parte(zf: zipfile.ZipFile, limites: LimitesXlsx) -> dict[str, int]:
    """{part name: its cap} for the parts openpyxl will find through [Content_Types].xml and the workbook's
    relationships, whatever their names."""
    manifiesto = _leer_indice(zf, MANIFIESTO)
    if manifiesto is None:
        raise _ilegible()
    topes: dict[str, int] = {}
    por_extension: dict[str, int] = {}
    tope_de = {TIPO_CADENAS: limites.max_cadenas, TIPO_HOJA: limites.max_hoja}
    libros = []
    for elemento in manifiesto:
        tipo = elemento.get("ContentType", "")
        if elemento.tag == f"{_NS_TIPOS}Override":
            parte = elemento.get("PartName", "").removeprefix("/")
            if tipo in tope_de:
                topes[parte] = min(topes.get(parte, tope_de[tipo]), tope_de[tipo])
            if tipo in TIPOS_LIBRO:
                libros.append(parte)
        elif elemento.tag == f"{_NS_TIPOS}Default" and tipo in tope_de:
            por_extension[elemento.get("Extension", "").lower()] = tope_de[tipo]
    for nombre in zf.namelist():
        extension = nombre.rsplit(".", 1)[-1].lower() if "." in nombre else ""
        if extension in por_extension:
            topes[nombre] = min(topes.get(nombre, por_extension[extension]), por_extension[extension])
    tope_de_relacion = {RELACION_CADENAS: limites.max_cadenas, RELACION_HOJA: limites.max_hoja}
    for libro in libros:
        carpeta, nombre = posixpath.split(libro)
        relaciones = _leer_indice(zf, posixpath.join(carpeta, "_rels", f"{nombre}.rels"))
        for relacion in relaciones if relaciones is not None else ():
            tope = tope_de_relacion.get(relacion.get("Type", ""))
            if tope is None or relacion.get("TargetMode") == "External":
                continue
            parte = _destino(libro, relacion.get("Target", ""))
            topes[parte] = min(topes.get(parte, tope), tope)
    return topes


def xlsx_revisar(datos: bytes | IO[bytes], *, limites: LimitesXlsx) -> None:
    """The workbook's container checked before anything of it inflates: ``core.zip_seguro``'s checks, then
    the caps of the parts found through [Content_Types].xml and the workbook's relationships. Raises
    ZipInseguroError (``ilegible`` for what is not a workbook)."""
    archivo = io.BytesIO(datos) if isinstance(datos, bytes | bytearray) else datos
    archivo.seek(0)
    with zip_abrir_revisado(archivo, limites=limites.zip) as zf:
        try:
            topes = _topes_por_parte(zf, limites)
        except LecturaError:
            raise ZipInseguroError(MENSAJE_XLSX, code="ilegible") from None
        por_parte = {**limites.zip.por_entrada}
        for parte, tope in topes.items():
            por_parte[parte] = min(por_parte.get(parte, tope), tope)
        zip_revisar_entradas(zf.infolist(), dataclasses.replace(limites.zip, por_entrada=por_parte))


@dataclass
class HojaXlsx:
    """The first sheet of a checked workbook: ``estimado`` (its declared rows, not trusted beyond a
    progress figure) and ``filas``, (line, cell values) read one row at a time; the workbook is closed when
    the rows are exhausted or the iterator is closed."""

    estimado: int
    filas: Generator[tuple[int, tuple[object, ...]], None, None]


def xlsx_hoja(datos: bytes | IO[bytes], *, limites: LimitesXlsx) -> HojaXlsx:
    """The first sheet of the workbook ``datos``, after ``xlsx_revisar``. Every cell value comes as openpyxl
    reads it (None, bool, int, float, datetime, str) and no string is longer than ``limites.max_celda``: a
    longer one raises LecturaError ``celda`` with its line and column, keeping only its start. ZipInseguroError
    when the container is refused; LecturaError ``ilegible`` when it is not a readable workbook."""
    archivo = io.BytesIO(datos) if isinstance(datos, bytes | bytearray) else datos
    xlsx_revisar(archivo, limites=limites)
    archivo.seek(0)
    from openpyxl import load_workbook

    try:
        libro = load_workbook(archivo, read_only=True, data_only=True)
    except _errores_xlsx():
        raise _ilegible() from None
    if not libro.worksheets:
        libro.close()
        raise _ilegible()
    hoja = libro.worksheets[0]
    try:
        estimado = hoja.max_row or 1
        # The sheet's declared size ("A1:XFD1048576") is not trusted: openpyxl would pad every row to it.
        hoja.reset_dimensions()
    except _errores_xlsx():
        libro.close()
        raise _ilegible() from None

    def filas() -> Generator[tuple[int, tuple[object, ...]], None, None]:
        maximo = limites.max_celda
        try:
            for linea, valores in enumerate(hoja.iter_rows(max_col=limites.max_columnas, values_only=True), 1):
                for columna, valor in enumerate(valores, 1):
                    if isinstance(valor, str) and len(valor) > maximo:
                        raise _celda_excedida(linea, columna, valor, maximo)
                yield linea, valores
        except _errores_xlsx():  # a damaged part of the zip shows only when its rows are read
            raise _ilegible() from None
        finally:
            libro.close()

    return HojaXlsx(estimado=estimado, filas=filas())


# ----------------------------------------------------------------------------------------------------------
# CSV
# ----------------------------------------------------------------------------------------------------------
# Blocks of this many bytes: the first is the sample that tells a binary file.
BLOQUE_CSV = 65536


@dataclass
class _ExamenCsv:
    tamano: int = 0
    lineas: int = 1
    con_contenido: bool = False
    muestra: bytes = b""
    utf8: bool = True


def _examinar_csv(archivo: IO[bytes], maximo: int) -> _ExamenCsv:
    """One pass over the file a block at a time: its size, lines, whether it has anything but blanks, its
    first block, and whether all of it is UTF-8 (a multi-byte character split between blocks is still UTF-8).
    Stops early once the file is too big."""
    examen = _ExamenCsv()
    decodificador = codecs.getincrementaldecoder("utf-8-sig")()
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


def parece_binario(datos: bytes) -> bool:
    """A NUL byte, a ZIP, PDF or OLE signature, or more than 1% control characters in the first 64 KB."""
    muestra = datos[:65536]
    if b"\x00" in muestra or muestra.startswith((b"PK\x03\x04", b"%PDF", b"\xd0\xcf\x11\xe0")):
        return True
    control = sum(1 for b in muestra if b < 32 and b not in (9, 10, 13))
    return control > len(muestra) // 100


def csv_filas(
    archivo: IO[bytes], *, max_bytes: int, max_celda: int
) -> tuple[int, Iterator[tuple[int, list[str]]]]:
    """(lines in the file, iterator of (line, fields)) of a CSV file, blank lines skipped. The file is read a
    block at a time, never whole, and must stay open while the rows are iterated. UTF-8 (with or without BOM),
    else Latin-1 (Excel on Windows saves CSV as Windows-1252; every byte decodes, accents survive).

    LecturaError ``tamano`` (over ``max_bytes``), ``vacio``, ``binario`` before any row; while iterating,
    ``celda`` (a field over ``max_celda`` characters) and ``ilegible`` (a line the csv module cannot read),
    each with its line."""
    examen = _examinar_csv(archivo, max_bytes)
    if examen.tamano > max_bytes:
        raise LecturaError(f"El archivo ocupa más de {max_bytes:,} bytes.", code="tamano", maximo=max_bytes)
    if not examen.con_contenido:
        raise LecturaError("El archivo está vacío.", code="vacio")
    if parece_binario(examen.muestra):
        raise LecturaError("El archivo no es un CSV de texto: parece un archivo binario.", code="binario")
    codificacion = "utf-8-sig" if examen.utf8 else "latin-1"
    return examen.lineas, _filas_csv(archivo, codificacion, max_celda)


def _lineas(archivo: IO[bytes], codificacion: str) -> Iterator[str]:
    archivo.seek(0)
    texto = io.TextIOWrapper(archivo, encoding=codificacion, newline="")
    try:
        yield from texto
    finally:
        if not archivo.closed:
            texto.detach()  # the caller's file stays open: it closes it


def _error_csv(error: csv.Error, linea: int, max_celda: int) -> LecturaError:
    # A field longer than the csv module's own limit (an unclosed quote swallows the rest of the file into one
    # field), or a NUL byte past the part parece_binario samples.
    if "field larger than field limit" in str(error):
        return LecturaError(
            f"La línea {linea} tiene un valor de más de {max_celda:,} caracteres.",
            code="celda",
            linea=linea,
            maximo=max_celda,
        )
    return LecturaError(f"La línea {linea} no se puede leer como CSV.", code="ilegible", linea=linea)


def _filas_csv(archivo: IO[bytes], codificacion: str, max_celda: int) -> Iterator[tuple[int, list[str]]]:
    linea = 0
    lector = csv.reader(_lineas(archivo, codificacion))
    while True:
        try:
            campos = next(lector)
        except StopIteration:
            return
        except csv.Error as error:
            raise _error_csv(error, linea + 1, max_celda) from None
        linea += 1
        for columna, campo in enumerate(campos, 1):
            if len(campo) > max_celda:
                raise _celda_excedida(linea, columna, campo, max_celda)
        if not campos or all(not c.strip() for c in campos):
            continue
        yield linea, campos



# ----------------------------------------------------------------------------------------------------------
# PDF
# ----------------------------------------------------------------------------------------------------------
def pdf_paginas(datos: bytes) -> int:
    """The number of pages pypdf finds in ``datos`` (the caller caps its size first). LecturaError ``pdf``
    when pypdf cannot read it."""
    # Imported here: pypdf is about 14 MB of every process that imported it, and only the STPS registration's
    # upload reads a PDF (the web processes that render acuses and expedientes never do).
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    try:
        return len(PdfReader(io.BytesIO(datos), strict=False).pages)
    # pypdf signals broken files with its own errors and, on some malformed structures, with these.
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, IndexError, RecursionError):
        raise LecturaError("El archivo PDF está dañado o no se puede leer.", code="pdf") from None

