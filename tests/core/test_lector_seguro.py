"""core.lector_seguro, the one reader of an untrusted file, and the overlapping-entry check of core.zip_seguro:
each rule on a small file built for it (the importers' bombs are in tests/security/test_lector_seguro.py)."""

from __future__ import annotations

import io
import struct
import zipfile

import pytest
from django.core.files import File

from core.lector_seguro import (
    LecturaError,
    LimitesXlsx,
    csv_filas,
    pdf_paginas,
    recortar,
    xlsx_hoja,
    xlsx_revisar,
    xml_raiz,
    zip_abierto,
)
from core.zip_seguro import LimitesZip, ZipInseguroError, zip_revisar, zip_revisar_archivo
from tests.security.bombas import MB, poco_comprimible, xlsx_con_cadenas, zip_solapado

LIMITES = LimitesXlsx(zip=LimitesZip(), max_cadenas=1 * MB, max_hoja=2 * MB, max_celda=1000)


def _zip(entradas: dict[str, bytes]) -> bytes:
    salida = io.BytesIO()
    with zipfile.ZipFile(salida, "w", zipfile.ZIP_DEFLATED) as archivo:
        for nombre, datos in entradas.items():
            archivo.writestr(nombre, datos)
    return salida.getvalue()


def _con_tamano_comprimido(datos: bytes, nombre: str, tamano: int) -> bytes:
    """The archive with the compressed size of ``nombre`` in its central directory rewritten: its data now
    reach into the next entry's local header (the overlap of a quoted-header bomb)."""
    salida = bytearray(datos)
    inicio = datos.find(b"PK\x01\x02")
    while inicio >= 0:
        largo = int.from_bytes(salida[inicio + 28 : inicio + 30], "little")
        if bytes(salida[inicio + 46 : inicio + 46 + largo]) == nombre.encode():
            salida[inicio + 20 : inicio + 24] = struct.pack("<L", tamano)
            break
        inicio = datos.find(b"PK\x01\x02", inicio + 4)
    return bytes(salida)


# ----------------------------------------------------------------------------------------------------------
# Overlapping entries (core.zip_seguro)
# ----------------------------------------------------------------------------------------------------------
def test_entries_sharing_one_local_header_are_refused_from_the_directories():
    datos = zip_solapado(_zip({"a.xml": b"<a/>" * 1000, "b.xml": b"<b/>"}), "a.xml", 150)
    with pytest.raises(ZipInseguroError) as error:
        zip_revisar(datos, limites=LimitesZip())
    assert error.value.code == "solapadas" and error.value.elemento == "a.xml"
    assert "elementos superpuestos, parece una bomba de descompresión y no se procesa" in error.value.mensaje


def test_an_entry_whose_data_reach_into_the_next_local_header_is_refused(tmp_path):
    original = _zip({"a.xml": b"<a/>" * 1000, "b.xml": b"<b/>" * 1000})
    with zipfile.ZipFile(io.BytesIO(original)) as archivo:
        a = archivo.getinfo("a.xml")
    datos = _con_tamano_comprimido(original, "a.xml", a.compress_size + 40)
    ruta = tmp_path / "solapado.zip"
    ruta.write_bytes(datos)
    for revisar in (lambda: zip_revisar(datos, limites=LimitesZip()), lambda: zip_revisar_archivo(ruta, limites=LimitesZip())):
        with pytest.raises(ZipInseguroError) as error:
            revisar()
        assert error.value.code == "solapadas"
    # The untouched archive passes, from bytes and from a path.
    assert len(zip_revisar(original, limites=LimitesZip())) == 2
    ruta.write_bytes(original)
    assert len(zip_revisar_archivo(ruta, limites=LimitesZip())) == 2


def test_the_last_entry_may_not_reach_into_the_central_directory():
    original = _zip({"a.xml": b"<a/>" * 1000})
    with zipfile.ZipFile(io.BytesIO(original)) as archivo:
        a = archivo.getinfo("a.xml")
    with pytest.raises(ZipInseguroError) as error:
        zip_revisar(_con_tamano_comprimido(original, "a.xml", a.compress_size + 10), limites=LimitesZip())
    assert error.value.code == "solapadas"


# ----------------------------------------------------------------------------------------------------------
# A workbook's parts, found as openpyxl finds them
# ----------------------------------------------------------------------------------------------------------
def test_the_shared_strings_cap_follows_the_content_type_not_the_name():
    honesto = xlsx_con_cadenas([["NSS", "CURP"]], parte_cadenas="xl/otra.xml")
    xlsx_revisar(honesto, limites=LIMITES)
    grande = xlsx_con_cadenas([["NSS", "CURP"]], parte_cadenas="xl/otra.xml", relleno=2 * MB, nivel=1)
    with pytest.raises(ZipInseguroError) as error:
        xlsx_revisar(grande, limites=LIMITES)
    assert (error.value.code, error.value.elemento, error.value.maximo) == ("entrada", "xl/otra.xml", 1 * MB)


def test_a_sheet_named_only_by_the_workbooks_relationships_gets_the_sheet_cap():
    datos = xlsx_con_cadenas([["NSS"]])
    with zipfile.ZipFile(io.BytesIO(datos)) as archivo:
        partes = {i.filename: archivo.read(i) for i in archivo.infolist()}
    # The sheet leaves [Content_Types].xml (openpyxl finds it through xl/_rels/workbook.xml.rels anyway).
    partes["[Content_Types].xml"] = partes["[Content_Types].xml"].replace(
        b'<Override PartName="/xl/worksheets/sheet1.xml"', b'<Override PartName="/xl/nada.xml"'
    )
    relleno = b"<!--" + poco_comprimible(3 * MB) + b"-->"
    partes["xl/worksheets/sheet1.xml"] = partes["xl/worksheets/sheet1.xml"].replace(b"<sheetData>", relleno + b"<sheetData>")
    with pytest.raises(ZipInseguroError) as error:
        xlsx_revisar(_zip(partes), limites=LIMITES)
    assert (error.value.elemento, error.value.maximo) == ("xl/worksheets/sheet1.xml", 2 * MB)


def test_a_huge_or_doctype_content_types_part_is_refused_unparsed():
    datos = xlsx_con_cadenas([["NSS"]])
    with zipfile.ZipFile(io.BytesIO(datos)) as archivo:
        partes = {i.filename: archivo.read(i) for i in archivo.infolist()}
    enorme = {**partes, "[Content_Types].xml": partes["[Content_Types].xml"] + b" " * (2 * MB)}
    with pytest.raises(ZipInseguroError) as error:
        xlsx_revisar(_zip(enorme), limites=LIMITES)
    assert error.value.elemento == "[Content_Types].xml"
    risas = b'<?xml version="1.0"?><!DOCTYPE t [<!ENTITY a "aaaaaaaaaa">]><Types>&a;</Types>'
    with pytest.raises(ZipInseguroError) as error:
        xlsx_revisar(_zip({**partes, "[Content_Types].xml": risas}), limites=LIMITES)
    assert error.value.code == "ilegible"
    with pytest.raises(ZipInseguroError) as error:
        xlsx_revisar(_zip({k: v for k, v in partes.items() if k != "[Content_Types].xml"}), limites=LIMITES)
    assert error.value.code == "ilegible"


# ----------------------------------------------------------------------------------------------------------
# Rows and cells
# ----------------------------------------------------------------------------------------------------------
def test_a_cell_over_the_cap_refuses_the_sheet_keeping_only_its_start_and_length():
    hoja = xlsx_hoja(xlsx_con_cadenas([["NSS", "CURP"], ["1", "B" * 5000]]), limites=LIMITES)
    assert next(hoja.filas)[1][:3] == ("NSS", "CURP", None)  # padded to max_columnas, as openpyxl does
    with pytest.raises(LecturaError) as error:
        next(hoja.filas)
    e = error.value
    assert (e.code, e.linea, e.columna, e.largo, e.maximo) == ("celda", 2, 2, 5000, 1000)
    assert e.inicio == "B" * 40 + "…(5,000 caracteres)"


def test_rows_are_read_at_most_max_columnas_wide():
    fila = [str(i) for i in range(26)]
    hoja = xlsx_hoja(xlsx_con_cadenas([fila]), limites=LimitesXlsx(
        zip=LimitesZip(), max_cadenas=MB, max_hoja=MB, max_celda=10, max_columnas=5
    ))
    assert list(hoja.filas) == [(1, ("0", "1", "2", "3", "4"))]


def test_a_csv_field_over_the_cap_is_refused_with_its_line_and_column():
    datos = io.BytesIO(b"a,b\n\n1," + b"x" * 2000 + b"\n")
    lineas, filas = csv_filas(datos, max_bytes=MB, max_celda=1000)
    assert lineas == 4 and next(filas) == (1, ["a", "b"])
    with pytest.raises(LecturaError) as error:
        next(filas)
    assert (error.value.code, error.value.linea, error.value.columna) == ("celda", 3, 2)


def test_recortar_keeps_the_start_and_the_length():
    assert recortar("corto") == "corto"
    assert recortar("A" * 1_048_576) == "A" * 40 + "…(1,048,576 caracteres)"
    assert recortar("X" * 100, 80) == "X" * 80 + "…(100 caracteres)"


def test_xml_with_a_doctype_is_refused_and_entities_are_never_expanded():
    with pytest.raises(LecturaError) as error:
        xml_raiz(b'<?xml version="1.0"?><!DOCTYPE a [<!ENTITY b "c">]><a>&b;</a>')
    assert error.value.code == "dtd"
    utf16 = '<?xml version="1.0" encoding="UTF-16"?><!DOCTYPE a><a/>'.encode("utf-16")
    with pytest.raises(LecturaError) as error:
        xml_raiz(utf16)
    assert error.value.code == "dtd"
    assert xml_raiz(b"<a x='1'/>").get("x") == "1"


def test_a_damaged_pdf_is_a_lectura_error():
    with pytest.raises(LecturaError) as error:
        pdf_paginas(b"%PDF-1.7\n garbage")
    assert error.value.code == "pdf"


class _FileContado(File):
    """Django's File (a stored upload's FieldFile is one) counting how often its wrapped file is reached."""

    usos = 0

    @property
    def file(self):
        _FileContado.usos += 1
        return self.__dict__["_abierto"]

    @file.setter
    def file(self, valor):
        self.__dict__["_abierto"] = valor


def test_a_stored_upload_is_read_through_its_open_file_not_djangos_wrappers(tmp_path):
    """zipfile seeks, tells and reads a few times an entry, and the overlap check reads each local header: through
    a FieldFile's wrappers every such call costs more than the read itself on a ZIP of 100,000 CFDIs (issue 23).
    The reader unwraps the file once, whatever the number of entries."""
    entradas = {f"n{i}.xml": f"<n{i}/>".encode() for i in range(200)}
    ruta = tmp_path / "n.zip"
    ruta.write_bytes(_zip(entradas))
    _FileContado.usos = 0
    with ruta.open("rb") as abierto, zip_abierto(_FileContado(abierto), limites=LimitesZip()) as zf:
        assert dict(zf.entradas()) == entradas
    assert _FileContado.usos < 10
