"""Checks a ZIP archive (an .xlsx, a ZIP of CFDI) before anything decompresses it: a decompression bomb is
refused from the archive's directories alone, in a few milliseconds and without inflating a byte.

What is checked, in this order:

- the end-of-central-directory record, read by hand before ``zipfile`` builds an object per entry, so an
  archive that declares millions of entries is refused before it costs memory;
- the number of entries;
- each entry's compression method (stored or deflate only: bzip2 and LZMA inflate a whole compressed chunk
  in one call, which ``zipfile`` cannot bound; deflate it bounds);
- each entry's declared uncompressed size (a general cap, and caps per entry name, such as
  ``xl/sharedStrings.xml``, which openpyxl reads whole into memory);
- each entry's compression ratio, for entries big enough for the ratio to matter;
- the sum of the declared uncompressed sizes (entries that share compressed bytes count once per entry);
- overlapping entries: each entry's local header and compressed data must end before the next entry's local
  header (and the last before the central directory). Entries that share a local header, or whose data hold
  another entry's header, let a small archive inflate one stream many times (150 entries over one 175 KB
  stream inflate 1.5 GB); some Python releases refuse them (CVE-2024-0450) and others do not, so the rule is
  ours, independent of the interpreter's patch level. It reads 30 bytes per entry, the local headers.

The declared sizes can be trusted afterwards because ``zipfile`` enforces them while reading: it never
returns more than an entry's declared size, and an entry whose data inflate to more (or less) fails its CRC
check with ``BadZipFile``. So after ``zip_revisar`` passes, reading every entry costs at most the declared
total.

Two ways in, one rule: ``zip_revisar`` takes the archive's bytes (a workbook already in memory);
``zip_abrir_revisado`` and ``zip_revisar_archivo`` take an open binary file or a path and read only the end
record and the central directory (seek and read), so a 300 MB ZIP of CFDIs is never held in memory. Each
refusal carries its facts (``elemento``, ``tamano``, ``maximo``) besides its message, for a caller that words
it its own way (the payroll import).
"""

from __future__ import annotations

import io
import os
import struct
import zipfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import IO

from .errores import ErrorConMensaje

MB = 1024 * 1024

# End of central directory (22 bytes + a comment of up to 65,535) and its ZIP64 counterparts.
_FIRMA_FIN = b"PK\x05\x06"
_FIRMA_LOCALIZADOR_64 = b"PK\x06\x07"
_FIRMA_FIN_64 = b"PK\x06\x06"
_TAMANO_FIN = 22
_MAXIMO_COMENTARIO = 65535


@dataclass(frozen=True)
class LimitesZip:
    """What an archive may hold. ``por_entrada`` caps named entries below ``max_entrada`` (exact names)."""

    max_entradas: int = 1000
    max_total: int = 100 * MB
    max_entrada: int = 64 * MB
    max_razon: int = 100
    # The ratio is judged only for entries that inflate to at least this many bytes: a 2 KB styles.xml that
    # compresses 150 to 1 is no threat, and small entries are bounded by this size anyway.
    razon_desde: int = 1 * MB
    por_entrada: Mapping[str, int] = field(default_factory=dict)
    metodos: tuple[int, ...] = (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED)


class ZipInseguroError(ErrorConMensaje):
    """The archive is refused. ``code`` says which check (``ilegible``, ``entradas``, ``cifrado``, ``metodo``,
    ``entrada``, ``razon``, ``total``, ``solapadas``); ``mensaje`` is the Spanish sentence to show; ``elemento`` (the entry's
    name), ``tamano`` (its size, the ratio, or the count that broke the limit) and ``maximo`` (the limit) are
    the facts behind it."""

    def __init__(
        self, mensaje: str, *, code: str, elemento: str = "", tamano: float = 0, maximo: int = 0
    ) -> None:
        super().__init__(mensaje)
        self.code = code
        self.elemento = elemento
        self.tamano = tamano
        self.maximo = maximo


MENSAJE_ILEGIBLE = "El archivo no es un archivo ZIP válido."


def _mb(valor: int) -> str:
    return f"{valor / MB:,.1f} MB" if valor < 10 * MB else f"{valor / MB:,.0f} MB"


Lector = Callable[[int, int], bytes]  # (offset, length) -> at most that many bytes from there


def _entradas_declaradas(leer: Lector, tamano: int) -> int:
    """The entry count of the end-of-central-directory record (ZIP64 when the classic one overflows), read
    from the archive's last 64 KB and, for ZIP64, two small records."""
    inicio_cola = max(0, tamano - (_TAMANO_FIN + _MAXIMO_COMENTARIO))
    cola = leer(inicio_cola, tamano - inicio_cola)
    posicion = cola.rfind(_FIRMA_FIN)
    if posicion < 0 or len(cola) - posicion < _TAMANO_FIN:
        raise ZipInseguroError(MENSAJE_ILEGIBLE, code="ilegible")
    _, _, _, _, total, tamano_directorio, _, _ = struct.unpack(
        "<4s4H2LH", cola[posicion : posicion + _TAMANO_FIN]
    )
    if total != 0xFFFF and tamano_directorio != 0xFFFFFFFF:
        return total
    # ZIP64: a 20-byte locator right before the classic record points at the ZIP64 record.
    inicio_fin = inicio_cola + posicion
    localizador = leer(inicio_fin - 20, 20) if inicio_fin >= 20 else b""
    if len(localizador) != 20 or not localizador.startswith(_FIRMA_LOCALIZADOR_64):
        raise ZipInseguroError(MENSAJE_ILEGIBLE, code="ilegible")
    (desplazamiento,) = struct.unpack("<Q", localizador[8:16])
    registro = leer(desplazamiento, 56) if desplazamiento < tamano else b""
    if len(registro) != 56 or not registro.startswith(_FIRMA_FIN_64):
        raise ZipInseguroError(MENSAJE_ILEGIBLE, code="ilegible")
    (total_64,) = struct.unpack("<Q", registro[32:40])
    return total_64


def _demasiadas(cuenta: int, limites: LimitesZip) -> None:
    if cuenta > limites.max_entradas:
        raise ZipInseguroError(
            f"El archivo contiene {cuenta:,} elementos comprimidos; el máximo es {limites.max_entradas:,}.",
            code="entradas",
            tamano=cuenta,
            maximo=limites.max_entradas,
        )


_ERRORES_ZIPFILE = (
    zipfile.BadZipFile,
    zipfile.LargeZipFile,
    NotImplementedError,
    ValueError,
    OSError,
    EOFError,
)


def zip_revisar(datos: bytes, *, limites: LimitesZip) -> list[zipfile.ZipInfo]:
    """Checks the archive against ``limites`` and returns its entries; ZipInseguroError (with a Spanish
    message) when it must not be opened. Reads only the archive's directories: nothing is decompressed."""
    _demasiadas(_entradas_declaradas(lambda inicio, n: datos[inicio : inicio + n], len(datos)), limites)
    try:
        with zipfile.ZipFile(io.BytesIO(datos)) as archivo:
            entradas = archivo.infolist()
            inicio_directorio = archivo.start_dir
    except _ERRORES_ZIPFILE:
        raise ZipInseguroError(MENSAJE_ILEGIBLE, code="ilegible") from None
    _revisar_entradas(entradas, limites)
    _revisar_solapes(entradas, lambda inicio, n: datos[inicio : inicio + n], inicio_directorio)
    return entradas


def zip_abrir_revisado(
    archivo: IO[bytes] | str | os.PathLike[str], *, limites: LimitesZip
) -> zipfile.ZipFile:
    """``zip_revisar`` of an open binary file (seekable) or a path, streaming: only the end record and the
    central directory are read. Returns the archive open for reading its entries (the caller closes it; a file
    object passed in stays open), or raises ZipInseguroError."""
    if isinstance(archivo, str | os.PathLike):
        with open(archivo, "rb") as f:
            _demasiadas(_entradas_declaradas(_lector(f), _tamano(f)), limites)
    else:
        _demasiadas(_entradas_declaradas(_lector(archivo), _tamano(archivo)), limites)
        archivo.seek(0)
    try:
        zf = zipfile.ZipFile(archivo)
    except _ERRORES_ZIPFILE:
        raise ZipInseguroError(MENSAJE_ILEGIBLE, code="ilegible") from None
    try:
        _revisar_entradas(zf.infolist(), limites)
        _revisar_solapes(zf.infolist(), _lector(zf.fp) if zf.fp else _sin_datos, zf.start_dir)
    except ZipInseguroError:
        zf.close()
        raise
    return zf


def zip_revisar_archivo(
    archivo: IO[bytes] | str | os.PathLike[str], *, limites: LimitesZip
) -> list[zipfile.ZipInfo]:
    """``zip_revisar`` of an open binary file or a path, without reading the archive into memory."""
    with zip_abrir_revisado(archivo, limites=limites) as zf:
        return zf.infolist()


def _tamano(f: IO[bytes]) -> int:
    return f.seek(0, os.SEEK_END)


def _lector(f: IO[bytes]) -> Lector:
    def leer(inicio: int, n: int) -> bytes:
        if inicio < 0:
            return b""
        f.seek(inicio)
        return f.read(n)

    return leer


def _sin_datos(inicio: int, n: int) -> bytes:
    return b""


_FIRMA_LOCAL = b"PK\x03\x04"
_TAMANO_LOCAL = 30


def _revisar_solapes(entradas: list[zipfile.ZipInfo], leer: Lector, inicio_directorio: int) -> None:
    """Every entry's local header and compressed data, in the order of their offsets, end before the next
    entry's local header starts, and the last before the central directory: no two entries share bytes."""
    fin_anterior, nombre_anterior = -1, ""
    for entrada in sorted(entradas, key=lambda e: e.header_offset):
        cabecera = leer(entrada.header_offset, _TAMANO_LOCAL)
        if len(cabecera) != _TAMANO_LOCAL or not cabecera.startswith(_FIRMA_LOCAL):
            raise ZipInseguroError(MENSAJE_ILEGIBLE, code="ilegible")
        if entrada.header_offset < fin_anterior:
            _solapadas(entrada.filename, nombre_anterior)
        largo_nombre, largo_extra = struct.unpack("<2H", cabecera[26:30])
        fin_anterior = entrada.header_offset + _TAMANO_LOCAL + largo_nombre + largo_extra + entrada.compress_size
        nombre_anterior = entrada.filename
    if fin_anterior > inicio_directorio:
        _solapadas(nombre_anterior, "el directorio del archivo")


def _solapadas(nombre: str, otro: str) -> None:
    raise ZipInseguroError(
        f"El elemento «{nombre[:100]}» comparte sus datos comprimidos con «{otro[:100]}»: el archivo tiene "
        "elementos superpuestos, parece una bomba de descompresión y no se procesa.",
        code="solapadas",
        elemento=nombre,
    )


def zip_revisar_entradas(entradas: list[zipfile.ZipInfo], limites: LimitesZip) -> None:
    """The checks of ``zip_revisar`` on entries already listed (a caller that learned more caps per entry
    from the archive's own index, as a workbook's [Content_Types].xml, checks them again)."""
    _revisar_entradas(entradas, limites)


def _revisar_entradas(entradas: list[zipfile.ZipInfo], limites: LimitesZip) -> None:
    _demasiadas(len(entradas), limites)  # the end record undercounted: believe the directory
    total = 0
    for entrada in entradas:
        nombre = entrada.filename[:100]
        if entrada.flag_bits & 0x1:
            raise ZipInseguroError(
                f"El elemento «{nombre}» está protegido con contraseña.",
                code="cifrado",
                elemento=entrada.filename,
            )
        if entrada.compress_type not in limites.metodos:
            raise ZipInseguroError(
                f"El elemento «{nombre}» usa un método de compresión que no se admite.",
                code="metodo",
                elemento=entrada.filename,
            )
        maximo = min(limites.por_entrada.get(entrada.filename, limites.max_entrada), limites.max_entrada)
        if entrada.file_size > maximo:
            raise ZipInseguroError(
                f"El elemento «{nombre}» ocupa {_mb(entrada.file_size)} al descomprimirse; el máximo es "
                f"{_mb(maximo)}.",
                code="entrada",
                elemento=entrada.filename,
                tamano=entrada.file_size,
                maximo=maximo,
            )
        razon = entrada.file_size / max(entrada.compress_size, 1)
        if entrada.file_size >= limites.razon_desde and razon > limites.max_razon:
            raise ZipInseguroError(
                f"El elemento «{nombre}» se expande {razon:,.0f} veces al descomprimirse (el máximo es "
                f"{limites.max_razon:,}): parece una bomba de descompresión y no se procesa.",
                code="razon",
                elemento=entrada.filename,
                tamano=razon,
                maximo=limites.max_razon,
            )
        total += entrada.file_size
        if total > limites.max_total:
            raise ZipInseguroError(
                f"El contenido del archivo ocupa más de {_mb(limites.max_total)} al descomprimirse.",
                code="total",
                tamano=total,
                maximo=limites.max_total,
            )
