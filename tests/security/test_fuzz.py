"""Property-based fuzzing (hypothesis) of what reads untrusted files: the carga masiva parser and the e.firma
loader. Whatever the bytes, the answer is a result or the module's own Spanish refusal: never another
exception (a 500), and a refused or half-bad carga stores no worker."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from firma import sat
from informativas.carga import motor
from informativas.carga import services as carga_services
from informativas.models import CargaMasiva, Trabajador
from tests.efirma_sat import FIEL_EKU
from tests.informativas.datos import csv_trabajadores, curp, nss

FUZZ = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
)
FUZZ_DB = settings(
    max_examples=10, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
)

VALIDA = csv_trabajadores(5).encode()

# A field is a valid value, an almost-valid one, or anything at all (formula text, quotes, separators...).
campo = st.one_of(
    st.sampled_from([nss(1), curp(1), "450.50", "", " ", "=1+1", '"', "0" * 11, "-3", "1e9", "NaN", "ñÑ"]),
    st.text(max_size=25),
)
fila = st.lists(campo, min_size=0, max_size=5)
csv_texto = st.lists(fila, max_size=25).map(
    lambda filas: "\n".join(",".join(f.replace("\n", " ") for f in campos) for campos in filas)
)


def _mutar(base: bytes, cambios: list[tuple[int, int]], corte: int | None) -> bytes:
    datos = bytearray(base)
    for posicion, valor in cambios:
        datos[posicion % len(datos)] = valor
    return bytes(datos[:corte] if corte else datos)


cambios = st.lists(st.tuples(st.integers(min_value=0), st.integers(0, 255)), max_size=8)
corte = st.one_of(st.none(), st.integers(min_value=1, max_value=4000))


def _revisar(datos: bytes, nombre: str):
    """The whole engine on a file: read it, check every row. A result or CargaEstructuraError, nothing else."""
    try:
        _, filas = motor.leer(datos, nombre)
        resultado = motor.revisar(filas, nss_existentes=set(), curp_existentes=set())
    except motor.CargaEstructuraError as error:
        assert error.mensaje
        return None
    assert resultado.num_aceptadas + resultado.num_rechazadas == resultado.total
    # Phase two reads the same bytes again and gathers exactly the rows phase one accepted.
    _, filas = motor.leer(datos, nombre)
    reunidas = motor.reunir_aceptadas(
        filas, lineas_rechazadas={r[0] for r in resultado.rechazadas}, nss_existentes=set(), curp_existentes=set()
    )
    assert not reunidas.rechazadas
    resultado.aceptadas = reunidas.aceptadas
    assert len(resultado.aceptadas) == resultado.num_aceptadas
    for linea, _, motivos in resultado.rechazadas:
        assert linea >= 1 and motivos and all(isinstance(m, str) and m for m in motivos)
    if resultado.rechazadas:
        assert motor.libro_rechazados(resultado).startswith(b"PK")
    return resultado


def _xlsx(filas: list[list]) -> bytes:
    libro = Workbook()
    hoja = libro.active
    for valores in filas:
        hoja.append(valores)
    salida = io.BytesIO()
    libro.save(salida)
    return salida.getvalue()


# ----------------------------------------------------------------------------------------------------------
# Carga masiva engine
# ----------------------------------------------------------------------------------------------------------
@FUZZ
@given(datos=st.binary(max_size=3000), nombre=st.sampled_from(["t.csv", "t.txt", "t.xlsx", "t.pdf"]))
def test_any_bytes_are_read_or_refused_with_a_spanish_message(datos, nombre):
    _revisar(datos, nombre)


@FUZZ
@given(texto=csv_texto, codificacion=st.sampled_from(["utf-8", "utf-8-sig", "latin-1"]))
def test_any_csv_text_is_checked_row_by_row(texto, codificacion):
    resultado = _revisar(texto.encode(codificacion, errors="replace"), "trabajadores.csv")
    if resultado is not None:
        for aceptada in resultado.aceptadas:
            assert len(aceptada.nss) == 11 and len(aceptada.curp) == 18


@FUZZ
@given(base=st.sampled_from([VALIDA, b"NSS,CURP,SBC\n" + VALIDA]), cambios=cambios, corte=corte)
def test_a_damaged_valid_csv_is_read_or_refused(base, cambios, corte):
    _revisar(_mutar(base, cambios, corte), "trabajadores.csv")


XLSX_VALIDO = _xlsx([["NSS", "CURP", "SBC"], [nss(1), curp(1), 450.5], [int(nss(2)), curp(2), "300"]])


@FUZZ
@given(cambios=cambios, corte=corte)
@example(cambios=[(152303, 64)], corte=None)  # a central directory asking for zip version 6.4
def test_a_damaged_xlsx_is_read_or_refused(cambios, corte):
    _revisar(_mutar(XLSX_VALIDO, cambios, corte), "trabajadores.xlsx")


celda = st.one_of(
    st.none(), st.integers(), st.floats(allow_nan=True), st.booleans(), st.text(max_size=20),
    st.sampled_from([nss(3), curp(3), "=HYPERLINK(\"x\")", "450.50"]),
)


@settings(max_examples=25, deadline=None)
@given(filas=st.lists(st.lists(celda, max_size=5), max_size=12))
def test_any_xlsx_cells_are_checked_row_by_row(filas):
    try:
        datos = _xlsx(filas)
    except Exception:  # openpyxl refuses to write some strings (control characters): not our parser
        return
    _revisar(datos, "trabajadores.xlsx")


# ----------------------------------------------------------------------------------------------------------
# Carga masiva service: refused or partly bad files store nothing
# ----------------------------------------------------------------------------------------------------------
@pytest.mark.django_db
@FUZZ_DB
@given(
    datos=st.one_of(
        csv_texto.map(str.encode),
        st.binary(max_size=500),
        st.builds(_mutar, st.just(VALIDA), cambios, corte),
    )
)
def test_the_carga_service_never_fails_unexpectedly_nor_half_stores(contrato, contratista, datos):
    antes = Trabajador.objects.filter(contrato=contrato).count()
    try:
        carga = carga_services.carga_crear(
            contrato=contrato, archivo=SimpleUploadedFile("t.csv", datos), usuario=contratista.usuario
        )
    except Exception as error:  # only the form-level refusals (empty file) may stop it here
        from django.core.exceptions import ValidationError

        assert isinstance(error, ValidationError), repr(error)
        return
    carga = carga_services.carga_validar(carga_id=carga.pk)

    assert carga.estatus in (CargaMasiva.Estatus.VALIDADA, CargaMasiva.Estatus.RECHAZADA)
    assert Trabajador.objects.filter(contrato=contrato).count() == antes  # phase one writes no worker
    if carga.estatus == CargaMasiva.Estatus.RECHAZADA:
        assert carga.mensaje
        return
    assert carga.aceptados + carga.rechazados == carga.total_filas
    if carga.aceptados:
        carga_services.carga_confirmar(carga=carga, usuario=contratista.usuario)  # queues phase two
        carga = carga_services.carga_aplicar(carga_id=carga.pk)  # what the worker runs
        assert carga.estatus == CargaMasiva.Estatus.APLICADA
        assert Trabajador.objects.filter(contrato=contrato).count() == antes + carga.aceptados


# ----------------------------------------------------------------------------------------------------------
# e.firma loader
# ----------------------------------------------------------------------------------------------------------
CER = FIEL_EKU.cer.read_bytes()
KEY = FIEL_EKU.key.read_bytes()


def _cargar_cer(datos: bytes) -> None:
    try:
        certificado = sat.cargar_certificado(datos)
    except sat.EfirmaError as error:
        assert error.mensaje and error.code in ("archivo_vacio", "certificado_ilegible")
        return
    assert certificado is not None


def _cargar_key(datos: bytes, password: str) -> None:
    try:
        sat.cargar_llave(datos, password)
    except sat.EfirmaError as error:
        assert error.mensaje and error.code in ("archivo_vacio", "contrasena_incorrecta", "llave_ilegible")


@FUZZ
@given(datos=st.binary(max_size=3000))
def test_any_bytes_as_a_certificate_load_or_are_refused(datos):
    _cargar_cer(datos)


@FUZZ
@given(cambios=cambios, corte=corte, pem=st.booleans())
def test_a_damaged_sat_certificate_loads_or_is_refused(cambios, corte, pem):
    datos = _mutar(CER, cambios, corte)
    if pem:
        import base64

        datos = b"-----BEGIN CERTIFICATE-----\n" + base64.encodebytes(datos) + b"-----END CERTIFICATE-----\n"
    _cargar_cer(datos)


@FUZZ
@given(datos=st.binary(max_size=3000), password=st.text(max_size=20))
def test_any_bytes_as_a_private_key_load_or_are_refused(datos, password):
    _cargar_key(datos, password)


@settings(max_examples=30, deadline=None)
@given(cambios=cambios, corte=corte, password=st.sampled_from([FIEL_EKU.password, "otra", ""]))
def test_a_damaged_sat_private_key_loads_or_is_refused(cambios, corte, password):
    _cargar_key(_mutar(KEY, cambios, corte), password)
