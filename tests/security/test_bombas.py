"""No upload can exhaust memory (security review, finding 1): the 300 KB .xlsx whose xl/sharedStrings.xml
holds one 300 MB string took a worker to 3.7 GB. Now every .xlsx is checked from its zip directory before
openpyxl opens it, every cell is capped, and each worker child has an address-space ceiling."""

from __future__ import annotations

import io
import os
import subprocess
import sys
import textwrap
import zipfile
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from core.zip_seguro import LimitesZip, ZipInseguroError, zip_revisar
from informativas.carga import motor, services
from informativas.models import CargaMasiva, Trabajador
from tests.conftest import requiere_servicios
from tests.informativas.conftest import cliente_capturista  # noqa: F401
from tests.informativas.datos import csv_trabajadores, curp, nss

from .bombas import MB, bomba_300mb, con_tamano_declarado, xlsx_con_cadenas

REPO = Path(__file__).resolve().parents[2]


def _leer_todo(datos: bytes, nombre: str = "trabajadores.xlsx"):
    _, filas = motor.leer(datos, nombre)
    return motor.revisar(filas, nss_existentes=set(), curp_existentes=set())


def _zip(entradas: list[tuple[str, bytes, int]]) -> bytes:
    salida = io.BytesIO()
    with zipfile.ZipFile(salida, "w") as archivo:
        for nombre, contenido, metodo in entradas:
            archivo.writestr(zipfile.ZipInfo(nombre), contenido, compress_type=metodo)
    return salida.getvalue()


VALIDO = [["NSS", "CURP", "SBC"], [nss(1), curp(1), 450.5], [nss(2), curp(2), "300"]]


# ----------------------------------------------------------------------------------------------------------
# The review's bomb, reproduced
# ----------------------------------------------------------------------------------------------------------
def test_the_300kb_bomb_is_what_the_review_describes():
    bomba = bomba_300mb()
    with zipfile.ZipFile(io.BytesIO(bomba)) as archivo:
        cadenas = archivo.getinfo("xl/sharedStrings.xml")
    assert len(bomba) < 400 * 1024
    assert cadenas.file_size > 300 * MB
    assert cadenas.compress_size < 400 * 1024
    # The same construction with a small string is an honest workbook that the engine reads.
    honesto = xlsx_con_cadenas(VALIDO)
    assert _leer_todo(honesto).num_aceptadas == 2


def test_the_engine_refuses_the_bomb_from_its_zip_directory_with_a_spanish_message():
    with pytest.raises(motor.CargaEstructuraError) as error:
        _leer_todo(bomba_300mb())
    assert error.value.mensaje.startswith("El libro de Excel no se procesa: El elemento «xl/sharedStrings.xml» ocupa")
    assert "el máximo es 16.0 MB" in error.value.mensaje or "el máximo es 16 MB" in error.value.mensaje


def test_reading_the_bomb_fits_in_a_process_capped_at_512_mb():
    """The attack itself, in a real process whose address space is capped as a worker child's is: before the
    zip checks, openpyxl inflated the 300 MB string (and its copies) and the process died of MemoryError."""
    guion = textwrap.dedent(
        """
        import django, resource, sys
        django.setup()
        from icsoe.celery import limitar_memoria
        from informativas.carga import motor
        from tests.security.bombas import bomba_300mb
        bomba = bomba_300mb()
        limitar_memoria(512 * 1024 * 1024)
        try:
            _, filas = motor.leer(bomba, "bomba.xlsx")
            motor.revisar(filas, nss_existentes=set(), curp_existentes=set())
        except motor.CargaEstructuraError as error:
            print("RECHAZADO:", error.mensaje)
        except MemoryError:
            print("SIN MEMORIA")
            sys.exit(3)
        """
    )
    entorno = {**os.environ, "DJANGO_SETTINGS_MODULE": "icsoe.settings_test", "PYTHONPATH": str(REPO)}
    salida = subprocess.run(
        [sys.executable, "-c", guion], cwd=REPO, env=entorno, capture_output=True, text=True, timeout=120
    )
    assert salida.returncode == 0, salida.stdout + salida.stderr
    assert "RECHAZADO: El libro de Excel no se procesa" in salida.stdout


@pytest.mark.django_db
def test_the_bomb_uploaded_is_stored_unopened_and_refused_by_the_workers_phase_one(contrato, contratista):
    """The upload request never opens the file (not even its zip directory): the worker's phase one refuses
    it, with its Spanish message, before openpyxl inflates anything; no worker is stored."""
    from tests.informativas.fases import en_el_worker

    carga = services.carga_recibir(
        contrato=contrato, archivo=SimpleUploadedFile("bomba.xlsx", bomba_300mb()), usuario=contratista.usuario
    )
    assert (carga.estatus, carga.total_filas) == (CargaMasiva.Estatus.RECIBIDA, 0)

    carga = en_el_worker(carga)
    assert carga.estatus == CargaMasiva.Estatus.RECHAZADA
    assert "xl/sharedStrings.xml" in carga.mensaje and carga.mensaje.startswith("El libro de Excel no se procesa")
    assert not Trabajador.objects.exists()


@pytest.mark.django_db
def test_the_bomb_posted_on_the_carga_page_shows_the_message_on_the_cargas_page(cliente_capturista, contrato):
    from tests.informativas.fases import en_el_worker

    respuesta = cliente_capturista.post(
        f"/informativas/{contrato.informativa.code}/contratos/{contrato.code}/carga/",
        {"archivo": SimpleUploadedFile("bomba.xlsx", bomba_300mb())},
    )
    assert respuesta.status_code == 302
    en_el_worker(CargaMasiva.objects.get())
    html = cliente_capturista.get(respuesta["Location"]).content.decode()
    assert "El libro de Excel no se procesa: El elemento «xl/sharedStrings.xml» ocupa" in html
    assert not Trabajador.objects.exists()


@pytest.mark.django_db
def test_a_bomb_stored_before_the_limits_is_refused_by_phase_one(contrato, contratista):
    """A file already stored (uploaded before this check existed) is refused when it is read: Rechazada."""
    carga = services.carga_crear(
        contrato=contrato, archivo=SimpleUploadedFile("t.csv", b"x"), usuario=contratista.usuario
    )
    carga.nombre_archivo = "bomba.xlsx"
    carga.archivo.save(f"{carga.code}.xlsx", SimpleUploadedFile("b.xlsx", bomba_300mb()))
    carga = services.carga_validar(carga_id=carga.pk)
    assert carga.estatus == CargaMasiva.Estatus.RECHAZADA
    assert carga.mensaje.startswith("El libro de Excel no se procesa")
    assert not Trabajador.objects.exists()


# ----------------------------------------------------------------------------------------------------------
# Every check of the zip directory
# ----------------------------------------------------------------------------------------------------------
def test_a_bomb_that_lies_about_its_size_is_cut_at_the_declared_size_and_refused():
    mentirosa = con_tamano_declarado(bomba_300mb(), "xl/sharedStrings.xml", 2000)
    assert zip_revisar(mentirosa, limites=LimitesZip())  # the directory looks harmless...
    with pytest.raises(motor.CargaEstructuraError) as error:  # ...zipfile stops at 2,000 bytes: bad CRC
        _leer_todo(mentirosa)
    assert error.value.mensaje == motor.MENSAJE_XLSX


def test_an_entry_that_inflates_more_than_100_times_is_refused_even_under_the_size_caps():
    datos = xlsx_con_cadenas(VALIDO)
    salida = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(datos)) as origen, zipfile.ZipFile(salida, "w", zipfile.ZIP_DEFLATED) as destino:
        for info in origen.infolist():
            destino.writestr(info.filename, origen.read(info))
        destino.writestr("xl/media/relleno.bin", b"\0" * (4 * MB))  # 4 MB in about 4 KB
    with pytest.raises(motor.CargaEstructuraError) as error:
        _leer_todo(salida.getvalue())
    assert "«xl/media/relleno.bin» se expande" in error.value.mensaje
    assert "parece una bomba de descompresión" in error.value.mensaje


def test_the_total_uncompressed_size_is_capped(settings):
    settings.ICSOE_CARGA_XLSX_MAX_DESCOMPRIMIDO = 6 * 1024
    with pytest.raises(motor.CargaEstructuraError) as error:
        _leer_todo(xlsx_con_cadenas([*VALIDO, *[[nss(i), curp(i), 1] for i in range(3, 60)]]))
    assert "El contenido del archivo ocupa más de" in error.value.mensaje


def test_too_many_entries_are_refused_before_zipfile_reads_them():
    datos = _zip([(f"x/{i}.xml", b"", zipfile.ZIP_STORED) for i in range(1001)])
    with pytest.raises(ZipInseguroError) as error:
        zip_revisar(datos, limites=LimitesZip())
    assert error.value.code == "entradas"
    assert error.value.mensaje == "El archivo contiene 1,001 elementos comprimidos; el máximo es 1,000."


@pytest.mark.parametrize("metodo", [zipfile.ZIP_BZIP2, zipfile.ZIP_LZMA])
def test_compression_methods_that_zipfile_cannot_bound_are_refused(metodo):
    datos = _zip([("xl/sharedStrings.xml", b"<sst/>", metodo)])
    with pytest.raises(ZipInseguroError) as error:
        zip_revisar(datos, limites=LimitesZip())
    assert error.value.code == "metodo"
    assert "usa un método de compresión que no se admite" in error.value.mensaje


def test_what_is_not_a_zip_is_refused_as_unreadable():
    for datos in (b"", b"PK\x03\x04" + b"\0" * 100, b"no es zip"):
        with pytest.raises(ZipInseguroError) as error:
            zip_revisar(datos, limites=LimitesZip())
        assert (error.value.code, error.value.mensaje) == ("ilegible", "El archivo no es un archivo ZIP válido.")


def test_an_honest_100000_worker_workbook_is_within_every_limit():
    from openpyxl import Workbook

    libro = Workbook(write_only=True)
    hoja = libro.create_sheet()
    for i in range(100_000):
        hoja.append([nss(i), curp(i), 450.5])
    salida = io.BytesIO()
    libro.save(salida)
    from informativas.carga.limites import revisar_xlsx

    revisar_xlsx(salida.getvalue())  # raises nothing


# ----------------------------------------------------------------------------------------------------------
# Cells: a capped length, with its own message and line
# ----------------------------------------------------------------------------------------------------------
def test_a_csv_field_over_the_limit_is_reported_with_its_line():
    contenido = csv_trabajadores(3) + f"{nss(9)},{'A' * 1001},450.00\n" + csv_trabajadores(2, inicio=20, encabezado=False)
    with pytest.raises(motor.CargaEstructuraError) as error:
        _leer_todo(contenido.encode(), "t.csv")
    assert error.value.mensaje == (
        "La línea 5 tiene un valor de más de 1,000 caracteres. Revisa que el archivo tenga solo las columnas "
        "NSS, CURP y SBC."
    )


def test_an_unclosed_quote_that_swallows_the_file_is_reported_with_its_line_not_the_generic_failure():
    contenido = csv_trabajadores(2) + f'{nss(9)},"{curp(9)},450.00\n' + "x" * 200_000 + "\n"
    with pytest.raises(motor.CargaEstructuraError) as error:
        _leer_todo(contenido.encode(), "t.csv")
    assert error.value.mensaje.startswith("La línea 4 tiene un valor de más de 1,000 caracteres.")


@pytest.mark.django_db
def test_a_long_csv_field_rejects_the_carga_with_that_message_not_the_generic_one(contrato, contratista):
    contenido = (csv_trabajadores(2) + f'{nss(9)},"{curp(9)},1\n' + "y" * 300_000).encode()
    carga = services.carga_recibir(
        contrato=contrato, archivo=SimpleUploadedFile("t.csv", contenido), usuario=contratista.usuario
    )
    from tests.informativas.fases import en_el_worker

    carga = en_el_worker(carga)  # the worker reads it, whatever its size
    assert carga.estatus == CargaMasiva.Estatus.RECHAZADA
    assert carga.mensaje.startswith("La línea 4 tiene un valor de más de 1,000 caracteres.")
    assert carga.mensaje != services.MENSAJE_CARGA_ERROR


def test_an_xlsx_cell_over_the_limit_is_reported_with_its_line():
    with pytest.raises(motor.CargaEstructuraError) as error:
        _leer_todo(xlsx_con_cadenas([*VALIDO, [nss(3), "B" * 5000, 1]]))
    assert error.value.mensaje.startswith("La línea 4 tiene un valor de más de 1,000 caracteres.")


def test_a_sheet_declaring_a_million_rows_and_columns_is_read_by_its_cells_only():
    """`<dimension ref="A1:XFD1048576"/>` and a cell in column XFD: openpyxl would pad every row to 16,384
    columns and yield a million empty rows after the data; the engine reads the cells present, in the first
    64 columns."""
    datos = xlsx_con_cadenas(VALIDO)
    salida = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(datos)) as origen, zipfile.ZipFile(salida, "w", zipfile.ZIP_DEFLATED) as destino:
        for info in origen.infolist():
            contenido = origen.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                contenido = contenido.replace(b"<sheetData>", b'<dimension ref="A1:XFD1048576"/><sheetData>')
                contenido = contenido.replace(
                    b"</sheetData>", b'<row r="1048576"><c r="XFD1048576"><v>1</v></c></row></sheetData>'
                )
            destino.writestr(info.filename, contenido)
    resultado = _leer_todo(salida.getvalue())
    # Only the first 64 columns are read: a lone cell in column XFD leaves its row empty, so it is skipped.
    assert (resultado.total, resultado.num_aceptadas, resultado.errores) == (2, 2, [])


# ----------------------------------------------------------------------------------------------------------
# The worker's hard ceiling
# ----------------------------------------------------------------------------------------------------------
def test_each_worker_child_caps_its_address_space_when_it_starts():
    from celery.signals import worker_process_init

    from icsoe import celery as app_celery

    assert any(r[1]() is app_celery._al_iniciar_proceso for r in worker_process_init.receivers)


def test_the_ceiling_turns_a_runaway_allocation_into_a_memory_error_in_a_real_process():
    guion = textwrap.dedent(
        """
        import django, resource
        django.setup()
        from django.conf import settings
        from icsoe.celery import limitar_memoria
        limite = limitar_memoria()
        assert limite == settings.ICSOE_WORKER_MEMORIA_MAX > 0, limite
        assert resource.getrlimit(resource.RLIMIT_AS) == (limite, limite)
        try:
            bytearray(limite)
        except MemoryError:
            print("MEMORIA AGOTADA, PROCESO VIVO")
        """
    )
    entorno = {**os.environ, "DJANGO_SETTINGS_MODULE": "icsoe.settings_test", "PYTHONPATH": str(REPO)}
    salida = subprocess.run(
        [sys.executable, "-c", guion], cwd=REPO, env=entorno, capture_output=True, text=True, timeout=60
    )
    assert salida.returncode == 0, salida.stderr
    assert "MEMORIA AGOTADA, PROCESO VIVO" in salida.stdout


@requiere_servicios
def test_the_running_workers_children_have_the_ceiling_and_their_parent_does_not(settings):
    """The real worker `make test` started: each prefork child capped its address space as it started."""
    servicios = Path(os.environ["ICSOE_SERVICES_DIR"])
    principal = int((servicios / "celery.pid").read_text())
    hijos = [
        int(pid)
        for tarea in Path(f"/proc/{principal}/task").iterdir()
        for pid in (tarea / "children").read_text().split()
    ]
    assert hijos, "el worker no tiene procesos hijos"

    def limite(pid: int) -> str:
        linea = next(x for x in Path(f"/proc/{pid}/limits").read_text().splitlines() if x.startswith("Max address"))
        return linea.split()[3]

    assert limite(principal) == "unlimited"
    assert {limite(pid) for pid in hijos} == {str(settings.ICSOE_WORKER_MEMORIA_MAX)}
