"""Every bulk importer reads its upload only through core.lector_seguro (second security review, findings 1
to 3), and each bomb of the review is planted in each importer:

- cells pointing at one 1 MB shared string (Contratos en bloque kept every copy in its error rows: +829 MB
  at 40 rows): refused by the cell cap, the message shows only the value's first characters and its length;
- 60 MB of shared strings under another part name (``xl/cadenas.xml``, found by openpyxl through
  ``[Content_Types].xml``, passed the 16 MB cap by name): refused before anything is inflated;
- 150 central-directory entries over one compressed stream (1.5 GB from a 190 KB ZIP on an interpreter
  without the CVE-2024-0450 check): refused before anything is inflated, whatever the Python release.

Peak memory is measured with tracemalloc where the bomb is refused before inflating: nothing big is ever
allocated."""

from __future__ import annotations

import io
import tracemalloc
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from informativas.bloque import services as bloque
from informativas.carga import motor
from informativas.models import CargaContratos
from informativas.nomina import cfdi
from informativas.nomina import services as nomina
from tests.informativas.datos import curp, nss
from tests.informativas.nomina.conftest import un_cfdi, zip_de

from .bombas import (
    MB,
    poco_comprimible,
    xlsx_cadenas_renombradas,
    xlsx_con_cadenas,
    zip_nomina_solapado,
    zip_solapado,
)

# 1 MB that compresses about 8 to 1, as the review's (589 KB for 40 rows): the ratio check does not see it.
GIGANTE = poco_comprimible(MB).decode()
CARGA = [["NSS", "CURP", "SBC"], [nss(1), curp(1), 450.5], [nss(2), curp(2), "300"]]

# File reading, no database: the same on either configuration, so once, in the first pass (as security/test_bombas.py)
SOLO_ARCHIVOS = pytest.mark.solo_postgresql


@pytest.fixture
def zipfile_sin_parche(monkeypatch):
    """An interpreter without the CVE-2024-0450 fix: zipfile no longer knows where each entry must end, so
    entries sharing one stream are inflated once each. The portal's own check must not depend on it. (An
    interpreter without the fix, such as 3.11.7, has no ``_end_offset``: nothing to turn off.)"""
    if "_end_offset" not in zipfile.ZipInfo.__slots__:
        return
    original = zipfile.ZipFile._RealGetContents

    def sin_limite(self):
        original(self)
        for info in self.filelist:
            info._end_offset = None

    monkeypatch.setattr(zipfile.ZipFile, "_RealGetContents", sin_limite)


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def _pico_mb(funcion) -> float:
    """Peak of Python's allocations while ``funcion`` runs, in MB."""
    tracemalloc.start()
    try:
        funcion()
    finally:
        _, pico = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    return pico / MB


def _leer_carga(datos: bytes, nombre: str = "trabajadores.xlsx"):
    _, filas = motor.leer(datos, nombre)
    return motor.revisar(filas, nss_existentes=set(), curp_existentes=set())


def _carga_rechazada(datos: bytes, nombre: str = "trabajadores.xlsx") -> str:
    with pytest.raises(motor.CargaEstructuraError) as error:
        _leer_carga(datos, nombre)
    return error.value.mensaje


# ----------------------------------------------------------------------------------------------------------
# Carga masiva (XLSX and CSV)
# ----------------------------------------------------------------------------------------------------------
@SOLO_ARCHIVOS
def test_carga_xlsx_cells_pointing_at_one_1mb_shared_string_are_refused_by_the_cell_cap():
    filas = [["NSS", "CURP", "SBC"]] + [[nss(i), GIGANTE, GIGANTE] for i in range(1, 11)]
    mensaje = _carga_rechazada(xlsx_con_cadenas(filas))
    assert mensaje.startswith("La línea 2 tiene un valor de más de 1,000 caracteres.")
    assert len(mensaje) < 300


@SOLO_ARCHIVOS
def test_carga_csv_fields_of_1mb_are_refused_by_the_cell_cap():
    lineas = ["NSS,CURP,SBC"] + [f"{nss(i)},{GIGANTE},300" for i in range(1, 11)]
    mensaje = _carga_rechazada("\n".join(lineas).encode(), "trabajadores.csv")
    assert mensaje.startswith("La línea 2 tiene un valor de más de 1,000 caracteres.")
    assert len(mensaje) < 300


@SOLO_ARCHIVOS
def test_carga_xlsx_shared_strings_under_another_name_are_refused_before_inflating():
    datos = xlsx_cadenas_renombradas(CARGA)
    assert len(datos) < 15 * MB
    mensajes = []
    pico = _pico_mb(lambda: mensajes.append(_carga_rechazada(datos)))
    assert "«xl/cadenas.xml» ocupa 60 MB al descomprimirse; el máximo es 16 MB" in mensajes[0]
    assert mensajes[0].startswith("El libro de Excel no se procesa:")
    assert pico < 5, f"{pico:.1f} MB allocated: the part was inflated"


@SOLO_ARCHIVOS
@pytest.mark.usefixtures("zipfile_sin_parche")
def test_carga_xlsx_overlapping_entries_are_refused_before_inflating():
    datos = zip_solapado(xlsx_con_cadenas(CARGA), "xl/worksheets/sheet1.xml", 150)
    mensajes = []
    pico = _pico_mb(lambda: mensajes.append(_carga_rechazada(datos)))
    assert "elementos superpuestos, parece una bomba de descompresión" in mensajes[0]
    assert pico < 5


# ----------------------------------------------------------------------------------------------------------
# Contratos en bloque
# ----------------------------------------------------------------------------------------------------------
def _fila_bloque(**valores: str) -> list[object]:
    base = {campo: "" for _, campo in bloque.COLUMNAS}
    base.update(rfc="CLI010101AB5", correo="compras@cliente.mx", celular="5511112222", objeto="OC 1")
    base.update(servicio="Limpieza", fecha_inicio="01/02/2026", **valores)
    return [base[campo] for _, campo in bloque.COLUMNAS]


def _bloque_validar(informativa, usuario, datos: bytes) -> CargaContratos:
    carga = bloque.bloque_crear(
        informativa=informativa, archivo=SimpleUploadedFile("contratos.xlsx", datos), usuario=usuario
    )
    return bloque.bloque_validar(carga_id=carga.pk)


@pytest.mark.django_db
def test_bloque_cells_pointing_at_one_1mb_shared_string_leave_a_small_result(informativa, contratista):
    encabezado = [t for t, _ in bloque.COLUMNAS]
    si_no = {
        "confirmar_rfc": GIGANTE,
        "domicilio_social_igual_fiscal": GIGANTE,
        "domicilio_convencional_igual_fiscal": GIGANTE,
    }
    datos = xlsx_con_cadenas([encabezado] + [_fila_bloque(**si_no) for _ in range(40)])
    assert len(datos) < 1.2 * MB
    carga = _bloque_validar(informativa, contratista.usuario, datos)
    guardado = len(carga.mensaje) + len(str(carga.errores)) + len(str(carga.aceptadas))
    assert guardado < 2000, f"{guardado:,} characters kept of the bomb"
    assert carga.estatus == CargaContratos.Estatus.RECHAZADA
    assert "1,048,576 caracteres" in carga.mensaje and "el máximo es 1,000" in carga.mensaje
    assert not carga.archivo_rechazados


@pytest.mark.django_db
def test_bloque_values_kept_in_error_rows_are_cut_to_their_first_characters(informativa, contratista):
    largo = "X" * 900  # under the cell cap: the row is checked, and its errors keep only the start
    encabezado = [t for t, _ in bloque.COLUMNAS]
    filas = [_fila_bloque(confirmar_rfc=largo, **{"social-asentamiento": largo}) for _ in range(5)]
    carga = _bloque_validar(informativa, contratista.usuario, xlsx_con_cadenas([encabezado, *filas]))
    assert carga.estatus == CargaContratos.Estatus.VALIDADA and carga.rechazados == 5
    valores = [e[2] for e in carga.errores]
    assert any(v.endswith("X…(900 caracteres)") for v in valores)
    assert max(len(v) for v in valores) < 120


@pytest.mark.django_db
def test_bloque_shared_strings_under_another_name_are_refused_before_inflating(
    informativa, contratista, settings
):
    datos = xlsx_cadenas_renombradas([[t for t, _ in bloque.COLUMNAS], _fila_bloque()])
    carga = _bloque_validar(informativa, contratista.usuario, datos)
    assert carga.estatus == CargaContratos.Estatus.RECHAZADA
    assert "«xl/cadenas.xml» ocupa 60 MB al descomprimirse; el máximo es 16 MB" in carga.mensaje
    pico = _pico_mb(lambda: list(_leer_bloque_rechazado(datos)))
    assert pico < 5


def _leer_bloque_rechazado(datos: bytes):
    with pytest.raises(bloque.BloqueError):
        yield from bloque.leer(datos)


@pytest.mark.django_db
@pytest.mark.usefixtures("zipfile_sin_parche")
def test_bloque_overlapping_entries_are_refused_before_inflating(informativa, contratista):
    encabezado = [t for t, _ in bloque.COLUMNAS]
    datos = zip_solapado(xlsx_con_cadenas([encabezado, _fila_bloque()]), "xl/worksheets/sheet1.xml", 150)
    carga = _bloque_validar(informativa, contratista.usuario, datos)
    assert carga.estatus == CargaContratos.Estatus.RECHAZADA
    assert "elementos superpuestos, parece una bomba de descompresión" in carga.mensaje


# ----------------------------------------------------------------------------------------------------------
# Importar nómina
# ----------------------------------------------------------------------------------------------------------
@SOLO_ARCHIVOS
@pytest.mark.usefixtures("zipfile_sin_parche")
def test_nomina_overlapping_entries_are_refused_before_inflating():
    datos = zip_nomina_solapado(150)
    assert len(datos) < 200 * 1024
    errores = []

    def leer() -> None:
        try:
            list(cfdi.cfdis_del_zip(io.BytesIO(datos), limites=nomina.limites()))
        except cfdi.NominaEstructuraError as error:
            errores.append(error.mensaje)

    pico = _pico_mb(leer)
    assert errores and "elementos superpuestos, parece una bomba de descompresión" in errores[0]
    assert pico < 5, f"{pico:.1f} MB allocated: the entries were inflated"


@SOLO_ARCHIVOS
def test_nomina_1mb_attribute_values_are_kept_only_as_their_first_characters():
    """A CFDI's attribute plays the 1 MB shared string's part: what is kept of it (and shown in a problem)
    is its start and its length."""
    xml = un_cfdi(0)
    inicio = xml.index(b'Curp="') + 6
    fin = xml.index(b'"', inicio)
    gigante = xml[:inicio] + GIGANTE.encode() + xml[fin:]
    datos = zip_de({f"n{i}.xml": gigante for i in range(40)})
    leidos = list(cfdi.cfdis_del_zip(io.BytesIO(datos), limites=nomina.limites()))
    assert len(leidos) == 40
    for leido in leidos:
        assert isinstance(leido, cfdi.Cfdi)
        assert leido.curp.endswith("…(1,048,576 caracteres)") and len(leido.curp) < 150
