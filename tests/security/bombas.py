"""Real .xlsx files built part by part, to test and benchmark decompression bombs: a workbook whose
``xl/sharedStrings.xml`` holds one 300 MB string (the security review's 300 KB bomb), and honest workbooks with
shared strings (openpyxl's own writer only writes inline strings). Parts are streamed into the zip, so building
the bomb never holds its 300 MB in memory."""

from __future__ import annotations

import io
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


def _escribir_trozos(archivo: zipfile.ZipFile, nombre: str, trozos: Iterable[bytes]) -> None:
    info = zipfile.ZipInfo(nombre, date_time=(2026, 1, 1, 0, 0, 0))
    info.compress_type = zipfile.ZIP_DEFLATED
    with archivo.open(info, "w", force_zip64=False) as destino:
        for trozo in trozos:
            destino.write(trozo)


def xlsx_con_cadenas(filas: list[list[object]], *, cadena_gigante: int = 0) -> bytes:
    """A workbook whose text cells are shared strings. With ``cadena_gigante`` (bytes), the shared strings
    start with one string of that many "A"s, which the first cell of the sheet shows."""
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
        yield b"</sst>"

    salida = io.BytesIO()
    with zipfile.ZipFile(salida, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as archivo:
        _escribir_trozos(archivo, "[Content_Types].xml", [_TIPOS.encode()])
        _escribir_trozos(archivo, "_rels/.rels", [_RELS.encode()])
        _escribir_trozos(archivo, "xl/workbook.xml", [_LIBRO.encode()])
        _escribir_trozos(archivo, "xl/_rels/workbook.xml.rels", [_LIBRO_RELS.encode()])
        _escribir_trozos(archivo, "xl/worksheets/sheet1.xml", [_hoja(filas, cadenas).encode()])
        _escribir_trozos(archivo, "xl/sharedStrings.xml", sst())
    return salida.getvalue()


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
