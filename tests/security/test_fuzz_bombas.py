"""Property-based tests (hypothesis) with decompression bombs: archives of any shape, the review's bomb damaged
byte by byte or lying about its sizes. Whatever the archive, the engine answers with a result or its Spanish
refusal, and reading it never holds more than a bounded amount of memory (traced with tracemalloc)."""

from __future__ import annotations

import io
import tracemalloc
import warnings
import zipfile

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from core.zip_seguro import LimitesZip, ZipInseguroError, zip_revisar
from informativas.carga import motor

from .bombas import MB, bomba_300mb, con_tamano_declarado, xlsx_con_cadenas

FUZZ = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
# What reading one upload may hold at its peak, whatever it is (Python allocations, as tracemalloc sees them).
PICO_MAXIMO = 64 * MB

NOMBRES = ["xl/sharedStrings.xml", "xl/worksheets/sheet1.xml", "xl/workbook.xml", "[Content_Types].xml", "x/y.bin"]
METODOS = [zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED, zipfile.ZIP_BZIP2, zipfile.ZIP_LZMA]
LIMITES = LimitesZip(max_entradas=5, max_total=3 * MB, max_entrada=2 * MB, razon_desde=256 * 1024,
                     por_entrada={"xl/sharedStrings.xml": 1 * MB})

entrada = st.tuples(
    st.sampled_from(NOMBRES),
    st.integers(min_value=0, max_value=3 * MB),
    st.sampled_from([b"A", b"\0", b"<si><t>x</t></si>", b"0123456789abcdef"]),
    st.sampled_from(METODOS),
)


def _archivo(entradas) -> bytes:
    salida = io.BytesIO()
    with warnings.catch_warnings(), zipfile.ZipFile(salida, "w") as archivo:
        warnings.simplefilter("ignore", UserWarning)  # repeated names are part of the fuzzing
        for nombre, tamano, patron, metodo in entradas:
            contenido = (patron * (tamano // len(patron) + 1))[:tamano]
            archivo.writestr(zipfile.ZipInfo(nombre), contenido, compress_type=metodo)
    return salida.getvalue()


def _con_pico(funcion):
    tracemalloc.start()
    try:
        resultado = funcion()
    finally:
        _, pico = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    return resultado, pico


def _leer(datos: bytes):
    try:
        _, filas = motor.leer(datos, "trabajadores.xlsx")
        return motor.revisar(filas, nss_existentes=set(), curp_existentes=set())
    except motor.CargaEstructuraError as error:
        assert error.mensaje
        return error


@FUZZ
@given(entradas=st.lists(entrada, max_size=7))
def test_any_archive_passes_every_limit_or_is_refused_by_one(entradas):
    datos = _archivo(entradas)
    try:
        aceptadas = zip_revisar(datos, limites=LIMITES)
    except ZipInseguroError as error:
        assert error.code in ("entradas", "metodo", "entrada", "razon", "total") and error.mensaje
        return
    assert len(aceptadas) <= LIMITES.max_entradas
    assert sum(e.file_size for e in aceptadas) <= LIMITES.max_total
    with zipfile.ZipFile(io.BytesIO(datos)) as archivo:
        for info in aceptadas:
            assert info.compress_type in LIMITES.metodos
            assert info.file_size <= LIMITES.por_entrada.get(info.filename, LIMITES.max_entrada)
            assert info.file_size < LIMITES.razon_desde or info.file_size <= 100 * max(info.compress_size, 1)
            assert len(archivo.read(info)) == info.file_size


@FUZZ
@given(entradas=st.lists(entrada, max_size=7))
def test_any_archive_uploaded_as_xlsx_is_read_or_refused_within_bounded_memory(entradas):
    datos = _archivo(entradas)  # built outside the trace: writing LZMA alone takes about 90 MB
    resultado, pico = _con_pico(lambda: _leer(datos))
    assert isinstance(resultado, motor.CargaEstructuraError | motor.Resultado)
    assert pico < PICO_MAXIMO


cambios = st.lists(st.tuples(st.integers(min_value=0), st.integers(0, 255)), max_size=6)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cambios=cambios, corte=st.one_of(st.none(), st.integers(min_value=1, max_value=400_000)))
def test_the_bomb_damaged_anywhere_is_refused_within_bounded_memory(cambios, corte):
    datos = bytearray(bomba_300mb())
    for posicion, valor in cambios:
        datos[posicion % len(datos)] = valor
    datos = bytes(datos[:corte] if corte else datos)
    resultado, pico = _con_pico(lambda: _leer(datos))
    assert isinstance(resultado, motor.CargaEstructuraError)  # never read as a list of workers
    assert pico < PICO_MAXIMO


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(declarado=st.integers(min_value=0, max_value=2**32 - 1))
@example(declarado=16 * MB)  # right at the shared strings' cap: inflated up to it, then the CRC fails
def test_the_bomb_lying_about_its_size_is_refused_within_bounded_memory(declarado):
    mentirosa = con_tamano_declarado(bomba_300mb(), "xl/sharedStrings.xml", declarado)
    resultado, pico = _con_pico(lambda: _leer(mentirosa))
    assert isinstance(resultado, motor.CargaEstructuraError)
    assert pico < PICO_MAXIMO


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tamano=st.integers(min_value=0, max_value=4000), repeticiones=st.integers(min_value=1, max_value=50))
def test_long_and_many_shared_strings_are_capped_per_cell_or_read(tamano, repeticiones):
    filas = [["NSS", "CURP", "SBC"], *[[f"{i:011d}", "Z" * tamano + str(i), 1] for i in range(repeticiones)]]
    datos = xlsx_con_cadenas(filas)
    resultado, pico = _con_pico(lambda: _leer(datos))
    if tamano + 2 > 1000:
        assert isinstance(resultado, motor.CargaEstructuraError)
        assert "tiene un valor de más de 1,000 caracteres" in resultado.mensaje
    else:
        assert isinstance(resultado, motor.Resultado) and resultado.total == repeticiones
    assert pico < PICO_MAXIMO
