"""core.zip_seguro on an open file or a path: the same checks and messages as on bytes (one rule), reading
only the archive's end record and central directory, never its compressed data."""

from __future__ import annotations

import io
import os
import zipfile

import pytest

from core.zip_seguro import LimitesZip, ZipInseguroError, zip_abrir_revisado, zip_revisar, zip_revisar_archivo
from tests.archivos import ArchivoQueCuenta

MB = 1024 * 1024
LIMITES = LimitesZip(max_entradas=5, max_total=3 * MB, max_entrada=2 * MB, razon_desde=256 * 1024)


def _zip(entradas: list[tuple[str, bytes, int]]) -> bytes:
    salida = io.BytesIO()
    with zipfile.ZipFile(salida, "w") as zf:
        for nombre, datos, metodo in entradas:
            zf.writestr(nombre, datos, compress_type=metodo)
    return salida.getvalue()


def _cifrado() -> bytes:
    datos = bytearray(_zip([("a.xml", b"<a/>", zipfile.ZIP_DEFLATED)]))
    for firma, desplazamiento in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        i = datos.find(firma)
        datos[i + desplazamiento] |= 0x1
    return bytes(datos)


CASOS = {
    "ilegible": b"no es un zip",
    "entradas": _zip([(f"{i}.xml", b"", zipfile.ZIP_STORED) for i in range(6)]),
    "metodo": _zip([("a.xml", b"<a/>", zipfile.ZIP_BZIP2)]),
    "entrada": _zip([("grande.bin", os.urandom(2 * MB + 1), zipfile.ZIP_STORED)]),
    "razon": _zip([("bomba.xml", b"\0" * MB, zipfile.ZIP_DEFLATED)]),
    "total": _zip([(f"{i}.bin", os.urandom(MB + 1), zipfile.ZIP_STORED) for i in range(3)]),
    "cifrado": _cifrado(),
}


@pytest.mark.parametrize("code", list(CASOS))
def test_a_file_or_a_path_is_refused_as_its_bytes_are(code, tmp_path):
    datos = CASOS[code]
    with pytest.raises(ZipInseguroError) as en_memoria:
        zip_revisar(datos, limites=LIMITES)
    ruta = tmp_path / "a.zip"
    ruta.write_bytes(datos)
    for archivo in (io.BytesIO(datos), ruta, str(ruta)):
        with pytest.raises(ZipInseguroError) as error:
            zip_revisar_archivo(archivo, limites=LIMITES)
        assert (error.value.code, error.value.mensaje) == (code, en_memoria.value.mensaje)
    assert en_memoria.value.code == code


def test_each_refusal_carries_its_facts():
    with pytest.raises(ZipInseguroError) as error:
        zip_revisar_archivo(io.BytesIO(CASOS["entrada"]), limites=LIMITES)
    assert (error.value.elemento, error.value.tamano, error.value.maximo) == (
        "grande.bin",
        2 * MB + 1,
        2 * MB,
    )
    with pytest.raises(ZipInseguroError) as error:
        zip_revisar_archivo(io.BytesIO(CASOS["razon"]), limites=LIMITES)
    assert error.value.elemento == "bomba.xml" and error.value.tamano > 100 and error.value.maximo == 100
    assert "está protegido con contraseña" in _refusal(CASOS["cifrado"]).mensaje


def _refusal(datos: bytes) -> ZipInseguroError:
    with pytest.raises(ZipInseguroError) as error:
        zip_revisar_archivo(io.BytesIO(datos), limites=LIMITES)
    return error.value


def test_only_the_directories_are_read_never_the_compressed_data():
    datos = _zip([(f"{i}.bin", os.urandom(600 * 1024), zipfile.ZIP_STORED) for i in range(4)])
    archivo = ArchivoQueCuenta(datos)
    entradas = zip_revisar_archivo(archivo, limites=LIMITES)
    assert [e.filename for e in entradas] == ["0.bin", "1.bin", "2.bin", "3.bin"]
    assert len(datos) > 2 * MB and archivo.leidos < 70 * 1024  # the last 64 KB and the directory
    # A refused archive is refused from as little.
    grande = ArchivoQueCuenta(CASOS["entrada"])
    with pytest.raises(ZipInseguroError):
        zip_revisar_archivo(grande, limites=LIMITES)
    assert grande.leidos < 70 * 1024


def test_the_archive_comes_back_open_for_reading_and_a_file_passed_in_stays_open():
    datos = _zip([("a.xml", b"<a/>", zipfile.ZIP_DEFLATED)])
    archivo = io.BytesIO(datos)
    with zip_abrir_revisado(archivo, limites=LIMITES) as zf:
        assert zf.read("a.xml") == b"<a/>"
    assert not archivo.closed


def test_a_zip64_directory_is_counted_from_its_own_record(tmp_path):
    ruta = tmp_path / "muchos.zip"
    with zipfile.ZipFile(ruta, "w") as zf:
        for i in range(70_000):  # more than the classic record's 65,535: ZIP64
            zf.writestr(f"{i}.xml", b"")
    with pytest.raises(ZipInseguroError) as error:
        zip_revisar_archivo(ruta, limites=LimitesZip(max_entradas=69_999))
    assert error.value.code == "entradas" and error.value.tamano == 70_000
    assert len(zip_revisar_archivo(ruta, limites=LimitesZip(max_entradas=70_000))) == 70_000
