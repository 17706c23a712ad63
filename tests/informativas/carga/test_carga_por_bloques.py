"""The carga masiva reads its stored file a block at a time and stores phase two a batch at a time, so a
process's memory does not grow with the file (bench/bench_carga_masiva.py prints it at 1,000 to 100,000 rows).
What the rows say is the same as when the file was read whole: encodings, errors and lines included."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from informativas import trabajadores
from informativas.captura import services
from informativas.carga import motor
from informativas.carga import services as carga_services
from informativas.models import CargaMasiva, Trabajador

from ..datos import csv_trabajadores, curp, nss
from ..fases import en_el_worker

pytestmark = pytest.mark.django_db


class ArchivoQueCuentaLecturas(io.BytesIO):
    """A real in-memory binary file that remembers the size of every read asked of it."""

    def __init__(self, datos: bytes) -> None:
        super().__init__(datos)
        self.lecturas: list[int | None] = []

    def read(self, size: int | None = -1) -> bytes:
        self.lecturas.append(size)
        return super().read(size)

    def read1(self, size: int = -1) -> bytes:
        self.lecturas.append(size)
        return super().read1(size)


def _filas(datos, nombre: str = "trabajadores.csv") -> list[tuple[int, list[str]]]:
    _, filas = motor.leer(datos, nombre)
    return list(filas)


def test_a_csv_is_read_from_the_open_file_in_blocks_with_the_same_rows_as_its_bytes():
    contenido = csv_trabajadores(4000).encode()  # about 150 KB: several blocks
    archivo = ArchivoQueCuentaLecturas(contenido)

    estimado, filas = motor.leer(archivo, "trabajadores.csv")
    leidas = list(filas)

    assert leidas == _filas(contenido)
    assert len(leidas) == 4000 and leidas[0] == (2, [nss(0), curp(0), "300.00"])
    assert estimado == contenido.count(b"\n") + 1
    # Never the whole file at once: every read asked for a block at most.
    assert archivo.lecturas and all(n is not None and 0 < n <= motor.BLOQUE_CSV for n in archivo.lecturas)
    assert not archivo.closed  # the caller's file: the caller closes it


def _hasta_el_limite_del_bloque(inicio: bytes) -> bytes:
    """Valid rows, then padding rows (rejected, short enough for the cell limit), so that ``inicio`` begins one
    byte before the end of the first block."""
    cuerpo = csv_trabajadores(1400).encode()
    falta = motor.BLOQUE_CSV - 1 - len(cuerpo)
    assert falta > 20
    relleno = []
    while falta > 0:
        largo = min(500, falta)
        if 0 < falta - largo < 6:
            largo -= 6
        relleno.append("9" * (largo - 5) + ",X,1\n")
        falta -= largo
    datos = cuerpo + "".join(relleno).encode()
    assert len(datos) == motor.BLOQUE_CSV - 1
    return datos + inicio


def test_an_accented_character_split_between_two_blocks_is_still_utf8():
    # "Ñ" is two bytes in UTF-8: the first ends the first block, the second starts the next one.
    datos = _hasta_el_limite_del_bloque("ÑANDÚ,X,1\n".encode())

    filas = _filas(datos)

    assert filas[-1][1] == ["ÑANDÚ", "X", "1"]  # not "Ã\x91ANDÃ\x9a": the file was UTF-8 all along


def test_a_latin1_byte_past_the_first_block_reads_the_whole_file_as_latin1():
    # Excel on Windows: the first 64 KB are plain ASCII, the first accent comes later.
    datos = _hasta_el_limite_del_bloque(b"") + "PEÑA,X,1\n".encode("latin-1")

    filas = _filas(datos)

    assert filas[0] == (2, [nss(0), curp(0), "300.00"])
    assert filas[-1][1] == ["PEÑA", "X", "1"]


def test_a_file_that_ends_half_way_through_a_utf8_character_is_read_as_latin1():
    datos = f"{nss(1)},{curp(1)},100.00\n{nss(2)},{curp(2)},100\xc3".encode("latin-1")

    assert _filas(datos)[-1][1] == [nss(2), curp(2), "100Ã"]


def test_a_file_bigger_than_the_limit_is_refused_before_any_row_is_read(settings):
    settings.ICSOE_CARGA_MAX_BYTES = 1000
    archivo = ArchivoQueCuentaLecturas(csv_trabajadores(100).encode())

    with pytest.raises(motor.CargaEstructuraError) as error:
        motor.leer(archivo, "trabajadores.csv")

    assert error.value.mensaje == motor.mensaje_tamano()
    assert sum(n for n in archivo.lecturas if n) <= motor.BLOQUE_CSV  # one block told


@pytest.mark.parametrize(
    ("datos", "mensaje"),
    [(b" \r\n\t\n", motor.MENSAJE_VACIO), (b"PK\x03\x04" + b"\x00" * 100, motor.MENSAJE_BINARIO)],
    ids=["en-blanco", "binario"],
)
def test_an_open_file_that_is_blank_or_binary_is_refused_whole(datos, mensaje):
    with pytest.raises(motor.CargaEstructuraError) as error:
        motor.leer(io.BytesIO(datos), "trabajadores.csv")

    assert error.value.mensaje == mensaje


def test_phase_two_stores_each_batch_before_reading_the_next_row(contrato, monkeypatch):
    monkeypatch.setattr(trabajadores, "LOTE", 10)
    guardados_al_leer = []

    def filas():
        for i in range(25):
            guardados_al_leer.append(Trabajador.objects.filter(contrato=contrato).count())
            yield trabajadores.Fila(nss(i), curp(i), Decimal("100.00"), linea=i + 1)

    assert trabajadores.insertar_trabajadores(filas(), contrato_id=contrato.pk, carga_id=None) == 25

    # Only one batch is ever held: rows 11 and 21 are read after the batch before them was stored.
    assert guardados_al_leer == [0] * 10 + [10] * 10 + [20] * 5
    assert sorted(contrato.trabajadores.values_list("nss", flat=True)) == sorted(nss(i) for i in range(25))


def test_a_carga_of_several_batches_stores_every_row_once_and_skips_one_captured_by_hand(
    contrato, capturista, monkeypatch
):
    monkeypatch.setattr(trabajadores, "LOTE", 7)
    carga = en_el_worker(carga_services.carga_recibir(
        contrato=contrato,
        archivo=SimpleUploadedFile("trabajadores.csv", csv_trabajadores(30).encode()),
        usuario=capturista,
    ))
    assert (carga.estatus, carga.aceptados) == (CargaMasiva.Estatus.VALIDADA, 30)
    services.trabajador_agregar(
        contrato=contrato, nss=nss(15), curp=curp(15), sbc=Decimal("1.00"), usuario=capturista
    )

    carga = en_el_worker(carga_services.carga_confirmar(carga=carga, usuario=capturista))

    assert (carga.estatus, carga.guardados, carga.progreso) == (CargaMasiva.Estatus.APLICADA, 29, 100)
    assert contrato.trabajadores.count() == 30
    assert contrato.trabajadores.filter(carga=carga).count() == 29
    assert contrato.trabajadores.get(nss=nss(15)).sbc == Decimal("1.00")  # the one captured by hand stays
    contrato.refresh_from_db()
    assert contrato.num_trabajadores == 30
