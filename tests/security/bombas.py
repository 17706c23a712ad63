"""Real .xlsx files built part by part, to test and benchmark decompression bombs: a workbook whose
``xl/sharedStrings.xml`` holds one 300 MB string (the security review's 300 KB bomb), and honest workbooks with
shared strings (openpyxl's own writer only writes inline strings). Parts are streamed into the zip, so building
the bomb never holds its 300 MB in memory."""

from __future__ import annotations

import io
import os
import struct
import zipfile
from collections.abc import Iterable
from xml.sax.saxutils import escape

MB = 1024 * 1024

_TIPOS = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>
<Default Extension="xml" ContentType="application/xml"/>
<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>
<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>
<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>
</Types>"""
_RELS = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>
</Relationships>"""
_LIBRO = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">
<sheets><sheet name="Trabajadores" sheetId="1" r:id="rId1"/></sheets></workbook>"""
_LIBRO_RELS = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>
<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>
</Relationships>"""
_SST_INICIO = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'


def _columna(indice: int) -> str:
    return "ABCDEFGHIJKLMNOPQRSTUVWXYZ"[indice]


def _hoja(filas: list[list[object]], cadenas: dict[str, int]) -> str:
    partes = [
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
    ]
    for r, fila in enumerate(filas, 1):
        celdas = []
        for c, valor in enumerate(fila):
            ref = f"{_columna(c)}{r}"
            if isinstance(valor, str):
                celdas.append(f'<c r="{ref}" t="s"><v>{cadenas[valor]}</v></c>')
            else:
                celdas.append(f'<c r="{ref}"><v>{valor}</v></c>')
        partes.append(f'<row r="{r}">{"".join(celdas)}</row>')
    partes.append("</sheetData></worksheet>")
    return "".join(partes)


def _escribir_trozos(archivo: zipfile.ZipFile, nombre: str, trozos: Iterable[bytes], nivel: int = 9) -> None:
    info = zipfile.ZipInfo(nombre, date_time=(2026, 1, 1, 0, 0, 0))
    info.compress_type = zipfile.ZIP_DEFLATED
    info._compresslevel = nivel  # what ZipFile.open(info, "w") compresses with (zlib's default when None)
    with archivo.open(info, "w", force_zip64=False) as destino:
        for trozo in trozos:
            destino.write(trozo)


def xlsx_con_cadenas(
    filas: list[list[object]],
    *,
    cadena_gigante: int = 0,
    parte_cadenas: str = "xl/sharedStrings.xml",
    relleno: int = 0,
    nivel: int = 9,
) -> bytes:
    """A workbook whose text cells are shared strings. With ``cadena_gigante`` (bytes), the shared strings
    start with one string of that many "A"s, which the first cell of the sheet shows. ``parte_cadenas`` names
    the shared strings part (openpyxl finds it through ``[Content_Types].xml``, whatever its name);
    ``relleno`` (bytes) adds that much of strings no cell shows, that compress only about 8 to 1 (random
    A and B), so the ratio check does not see them."""
    cadenas: dict[str, int] = {}
    if cadena_gigante:
        cadenas["\0gigante"] = 0
        filas = [["\0gigante"], *filas]
    for fila in filas:
        for valor in fila:
            if isinstance(valor, str) and valor not in cadenas:
                cadenas[valor] = len(cadenas)

    def sst() -> Iterable[bytes]:
        yield _SST_INICIO.encode()
        for valor in cadenas:
            if valor == "\0gigante":
                yield b"<si><t>"
                bloque = b"A" * MB
                restante = cadena_gigante
                while restante > 0:
                    yield bloque[: min(MB, restante)]
                    restante -= MB
                yield b"</t></si>"
            else:
                yield f"<si><t>{escape(valor)}</t></si>".encode()
        trozo = poco_comprimible(MB)
        for _ in range(relleno // MB):
            yield b"<si><t>" + trozo + b"</t></si>"
        yield b"</sst>"

    salida = io.BytesIO()
    with zipfile.ZipFile(salida, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=nivel) as archivo:
        tipos = _TIPOS.replace('PartName="/xl/sharedStrings.xml"', f'PartName="/{parte_cadenas}"')
        rels = _LIBRO_RELS.replace('Target="sharedStrings.xml"', f'Target="{parte_cadenas.removeprefix("xl/")}"')
        _escribir_trozos(archivo, "[Content_Types].xml", [tipos.encode()])
        _escribir_trozos(archivo, "_rels/.rels", [_RELS.encode()])
        _escribir_trozos(archivo, "xl/workbook.xml", [_LIBRO.encode()])
        _escribir_trozos(archivo, "xl/_rels/workbook.xml.rels", [rels.encode()])
        _escribir_trozos(archivo, "xl/worksheets/sheet1.xml", [_hoja(filas, cadenas).encode()])
        _escribir_trozos(archivo, parte_cadenas, sst(), nivel)
    return salida.getvalue()


def poco_comprimible(tamano: int) -> bytes:
    """``tamano`` random A and B: one bit of entropy a byte, so deflate gets about 8 to 1 and no more."""
    return os.urandom(tamano).translate(bytes(65 + (b & 1) for b in range(256)))


_RENOMBRADAS: dict[str, bytes] = {}


def xlsx_cadenas_renombradas(filas: list[list[object]]) -> bytes:
    """The review's second finding: ``filas`` (honest ones) and 60 MB of shared strings no cell shows, in
    ``xl/cadenas.xml`` (named so by ``[Content_Types].xml``), a 13 MB upload (under the carga's 15 MB). Built once per process
    when ``filas`` are the same (a few seconds)."""
    clave = repr(filas)
    if clave not in _RENOMBRADAS:
        _RENOMBRADAS[clave] = xlsx_con_cadenas(
            filas, parte_cadenas="xl/cadenas.xml", relleno=60 * MB, nivel=1
        )
    return _RENOMBRADAS[clave]


def zip_solapado(datos: bytes, nombre: str, copias: int) -> bytes:
    """The archive with the central-directory entry of ``nombre`` repeated until ``copias`` entries point at
    its one local header and compressed stream (the review's third finding: 150 entries over one stream)."""
    fin = datos.rfind(b"PK\x05\x06")
    entradas, tamano_directorio, inicio_directorio = struct.unpack("<H2L", datos[fin + 10 : fin + 20])
    directorio = datos[inicio_directorio : inicio_directorio + tamano_directorio]
    registros, posicion = [], 0
    while posicion < len(directorio):
        largos = struct.unpack("<3H", directorio[posicion + 28 : posicion + 34])
        largo = 46 + sum(largos)
        registros.append(directorio[posicion : posicion + largo])
        posicion += largo
    elegido = next(r for r in registros if r[46 : 46 + len(nombre.encode())] == nombre.encode())
    nuevo = b"".join(registros) + elegido * (copias - 1)
    total = entradas + copias - 1
    cola = b"PK\x05\x06" + struct.pack("<4H2LH", 0, 0, total, total, len(nuevo), inicio_directorio, 0)
    return datos[:inicio_directorio] + nuevo + cola


def zip_nomina_solapado(copias: int = 150) -> bytes:
    """A payroll ZIP of one 10 MB XML deflated to about 175 KB (its ratio, about 60 to 1, passes the check),
    which ``copias`` central-directory entries all point at: 1.5 GB inflated from under 200 KB."""
    cuerpo = b"".join(os.urandom(12).hex().encode() + b"A" * 1000 for _ in range(10 * MB // 1024))
    xml = b'<?xml version="1.0" encoding="UTF-8"?><a>' + cuerpo[: 10 * MB - 100] + b"</a>"
    salida = io.BytesIO()
    with zipfile.ZipFile(salida, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archivo:
        archivo.writestr("nomina.xml", xml)
    return zip_solapado(salida.getvalue(), "nomina.xml", copias)


_BOMBA: bytes | None = None


def bomba_300mb() -> bytes:
    """The security review's bomb: about 300 KB that hold one 300 MB string in xl/sharedStrings.xml (built
    once per process, about a second)."""
    global _BOMBA
    if _BOMBA is None:
        _BOMBA = xlsx_con_cadenas([], cadena_gigante=300 * MB)
    return _BOMBA


def con_tamano_declarado(datos: bytes, nombre: str, tamano: int) -> bytes:
    """The same archive with the uncompressed size of ``nombre`` rewritten in its central directory (and local
    header): a bomb that lies about its size, so only the reading can find out."""
    datos = bytearray(datos)
    with zipfile.ZipFile(io.BytesIO(bytes(datos))) as archivo:
        info = archivo.getinfo(nombre)
    # Local header: uncompressed size at offset 22.
    datos[info.header_offset + 22 : info.header_offset + 26] = tamano.to_bytes(4, "little")
    # Central directory entry: find it by its name after the signature; uncompressed size at offset 24.
    inicio = bytes(datos).rfind(b"PK\x01\x02", 0, bytes(datos).rfind(nombre.encode()) + 1)
    while inicio >= 0:
        largo = int.from_bytes(datos[inicio + 28 : inicio + 30], "little")
        if bytes(datos[inicio + 46 : inicio + 46 + largo]) == nombre.encode():
            datos[inicio + 24 : inicio + 28] = tamano.to_bytes(4, "little")
            break
        inicio = bytes(datos).rfind(b"PK\x01\x02", 0, inicio)
    return bytes(datos)
