"""Carga masiva through the screens: upload, the result page with every error, the rejected rows download,
confirmation, the progress fragment polled by htmx, and the failure paths."""

from __future__ import annotations

import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from informativas.models import CargaMasiva, Trabajador

from ..datos import csv_trabajadores, curp, nss, nss_digito_erroneo
from ..fases import en_el_worker
from .test_carga import MALFORMADO

pytestmark = pytest.mark.django_db


def _base(contrato) -> str:
    return f"/informativas/{contrato.informativa.code}/contratos/{contrato.code}"


def _subir(cliente, contrato, contenido: bytes, nombre="trabajadores.csv"):
    """Uploads through the form; when it was taken, the worker runs phase one (as it does once the upload
    commits) and the browser follows the form's redirect to the carga's page."""
    respuesta = cliente.post(f"{_base(contrato)}/carga/", {"archivo": SimpleUploadedFile(nombre, contenido)})
    if respuesta.status_code != 302:
        return respuesta
    en_el_worker(CargaMasiva.objects.latest("created_at"))
    return cliente.get(respuesta["Location"], follow=True)


def test_a_malformed_csv_shows_every_error_with_its_line_and_stores_nothing(cliente_capturista, contrato):
    respuesta = _subir(cliente_capturista, contrato, MALFORMADO.encode())

    html = respuesta.content.decode()
    carga = CargaMasiva.objects.get()
    assert respuesta.request["PATH_INFO"] == f"/informativas/{contrato.informativa.code}/cargas/{carga.code}/"
    assert '<dd data-carga="total">9</dd>' in html
    assert '<dd data-carga="aceptados">2</dd>' in html
    assert '<dd data-carga="rechazados">7</dd>' in html
    filas = re.findall(r"<tr><td>(\d+)</td><td>(\w+)</td><td>.*?</td><td>(.*?)</td></tr>", html)
    assert [(int(linea), c) for linea, c, _ in filas] == [
        (3, "Columnas"),
        (4, "NSS"),
        (5, "CURP"),
        (6, "CURP"),
        (7, "SBC"),
        (8, "NSS"),
        (10, "Columnas"),
    ]
    assert "El SBC debe ser mayor a cero." in html
    assert "Confirmar carga" in html
    assert not Trabajador.objects.exists()


def test_a_headerless_file_shows_a_bad_first_row_on_line_1_and_a_repeated_curp(cliente_capturista, contrato):
    nss_con_letra_o = "O" + nss(1)[1:]
    contenido = f"{nss_con_letra_o},{curp(1)},452.37\n{nss(2)},{curp(2)},1.00\n{nss(3)},{curp(2)},1.00\n"

    html = _subir(cliente_capturista, contrato, contenido.encode()).content.decode()

    assert '<dd data-carga="total">3</dd>' in html
    assert '<dd data-carga="rechazados">2</dd>' in html
    assert (
        f"<tr><td>1</td><td>NSS</td><td>{nss_con_letra_o}</td><td>El NSS debe tener 11 dígitos.</td></tr>"
        in html
    )
    assert (
        f"<tr><td>3</td><td>CURP</td><td>{curp(2)}</td><td>La CURP está repetida en el archivo (línea 2).</td></tr>"
        in html
    )
    assert not Trabajador.objects.exists()


def test_the_rejected_rows_download_is_a_real_workbook(cliente_capturista, contrato):
    _subir(cliente_capturista, contrato, MALFORMADO.encode())
    carga = CargaMasiva.objects.get()

    respuesta = cliente_capturista.get(
        f"/informativas/{contrato.informativa.code}/cargas/{carga.code}/rechazados.xlsx"
    )

    assert respuesta["Content-Disposition"] == 'attachment; filename="rechazados-trabajadores.xlsx"'
    hoja = load_workbook(io.BytesIO(b"".join(respuesta.streaming_content))).active
    assert hoja.max_row == 8
    assert hoja["D2"].value == 3


def test_formula_like_values_are_neutralised_in_the_download(cliente_capturista, contrato):
    _subir(
        cliente_capturista, contrato, f'{nss(1)},{curp(1)},1\n=HYPERLINK("http://x"),{curp(2)},1\n'.encode()
    )
    carga = CargaMasiva.objects.get()

    respuesta = cliente_capturista.get(
        f"/informativas/{contrato.informativa.code}/cargas/{carga.code}/rechazados.xlsx"
    )

    hoja = load_workbook(io.BytesIO(b"".join(respuesta.streaming_content))).active
    assert hoja["A2"].value == '\'=HYPERLINK("http://x")'
    assert hoja["A2"].data_type == "s"


def test_confirming_stores_the_accepted_workers(cliente_capturista, contrato):
    _subir(cliente_capturista, contrato, csv_trabajadores(25).encode())
    carga = CargaMasiva.objects.get()

    pagina = f"/informativas/{contrato.informativa.code}/cargas/{carga.code}/"
    respuesta = cliente_capturista.post(pagina + "confirmar/")
    assert respuesta["Location"] == pagina  # the page follows the worker storing them
    en_el_worker(carga)

    html = cliente_capturista.get(pagina).content.decode()
    assert "Se guardaron 25 trabajadores el " in html and '<dd data-carga="guardados">25</dd>' in html
    assert contrato.trabajadores.count() == 25
    trabajadores = cliente_capturista.get(
        f"/informativas/{contrato.informativa.code}/contratos/{contrato.code}/captura/trabajadores/"
    )
    assert "<strong data-total-trabajadores>25</strong>" in trabajadores.content.decode()


@pytest.mark.parametrize(
    ("contenido", "nombre", "mensaje"),
    [
        (b"", "vacio.csv", "El archivo está vacío."),
        (bytes(range(256)) * 64, "binario.csv", "parece un archivo binario"),
    ],
)
def test_unreadable_files_get_a_clear_message(cliente_capturista, contrato, contenido, nombre, mensaje):
    respuesta = _subir(cliente_capturista, contrato, contenido, nombre)

    assert mensaje in respuesta.content.decode()
    assert not Trabajador.objects.exists()


def test_a_16_mb_file_is_refused_on_the_form(cliente_capturista, contrato):
    contenido = csv_trabajadores(10).encode() + b"\n" * (16 * 1024 * 1024)

    respuesta = _subir(cliente_capturista, contrato, contenido, "grande.csv")

    html = respuesta.content.decode()
    assert "El archivo excede el tamaño máximo permitido de 15 MB." in html
    assert "Agregar trabajador" in html  # back on the Trabajadores tab
    assert not CargaMasiva.objects.exists()


def test_only_csv_or_xlsx_are_accepted(cliente_capturista, contrato):
    respuesta = _subir(cliente_capturista, contrato, b"%PDF-1.4", "trabajadores.pdf")

    assert "El archivo debe ser .csv o .xlsx." in respuesta.content.decode()


def test_a_large_file_shows_a_progress_bar_polled_by_htmx_and_survives_a_reload(cliente_capturista, contrato):
    # The test database transaction never commits, so the queued task never starts here: the page shows the
    # carga waiting, as it would while a worker is busy.
    cliente_capturista.post(
        f"{_base(contrato)}/carga/", {"archivo": SimpleUploadedFile("t.csv", csv_trabajadores(3000).encode())}
    )
    carga = CargaMasiva.objects.get()
    url = f"/informativas/{contrato.informativa.code}/cargas/{carga.code}/"

    html = cliente_capturista.get(url).content.decode()
    assert 'hx-get="' + url + 'progreso/"' in html
    assert 'hx-trigger="every 1s"' in html
    assert '<progress class="progreso" max="100" value="0">' in html

    fragmento = cliente_capturista.get(url + "progreso/")
    assert "HX-Refresh" not in fragmento

    en_el_worker(carga)
    fragmento = cliente_capturista.get(url + "progreso/")
    assert fragmento["HX-Refresh"] == "true"
    assert '<dd data-carga="aceptados">3,000</dd>' in cliente_capturista.get(url).content.decode()


def test_another_contratista_cannot_see_a_carga(client, otro_contratista, contrato, capturista):
    from informativas.carga import services as carga_services

    carga = carga_services.carga_crear(
        contrato=contrato,
        usuario=capturista,
        archivo=SimpleUploadedFile("t.csv", f"{nss_digito_erroneo(1)},{curp(1)},1\n".encode()),
    )
    carga_services.carga_validar(carga_id=carga.pk)
    client.force_login(otro_contratista.usuario)
    base = f"/informativas/{contrato.informativa.code}/cargas/{carga.code}/"

    for url in (base, base + "progreso/", base + "rechazados.xlsx"):
        assert client.get(url).status_code == 404
    assert client.post(base + "confirmar/").status_code == 404
    assert _subir(client, contrato, csv_trabajadores(1).encode()).status_code == 404


def test_the_template_download_has_the_layout(cliente_capturista):
    respuesta = cliente_capturista.get("/informativas/plantilla-trabajadores.csv")

    assert respuesta.content == b"NSS,CURP,SBC\n"


def test_a_small_file_is_only_stored_by_the_upload_and_read_by_the_worker_while_the_page_shows_progress(
    cliente_capturista, contrato, django_capture_on_commit_callbacks
):
    """Whatever its size, the upload request stores the file and queues phase one once it commits: it reads
    no row. (The test's transaction never commits, so the task runs when the test runs it, as a worker would.)"""
    from informativas.carga import tasks

    with django_capture_on_commit_callbacks() as encolados:
        respuesta = cliente_capturista.post(
            f"{_base(contrato)}/carga/", {"archivo": SimpleUploadedFile("t.csv", csv_trabajadores(3).encode())}
        )

    carga = CargaMasiva.objects.get()
    url = f"/informativas/{contrato.informativa.code}/cargas/{carga.code}/"
    assert respuesta.status_code == 302 and respuesta["Location"] == url
    assert (carga.estatus, carga.total_filas, carga.aceptados, carga.errores) == ("RECIBIDA", 0, 0, [])
    assert len(encolados) == 1  # phase one, queued for the worker
    html = cliente_capturista.get(url).content.decode()
    assert "Revisando los registros del archivo" in html
    assert f'hx-get="{url}progreso/"' in html and f'<a href="{url}">Actualizar</a>' in html  # works without JS

    assert tasks.carga_validar.apply(args=[carga.pk]).get() == "VALIDADA"
    html = cliente_capturista.get(url).content.decode()
    assert '<dd data-carga="aceptados">3</dd>' in html and "Revisando los registros" not in html

    with django_capture_on_commit_callbacks() as encolados:
        cliente_capturista.post(url + "confirmar/")
    assert len(encolados) == 1 and not Trabajador.objects.exists()  # stored by the worker, not the request
    assert "Guardando los trabajadores aceptados" in cliente_capturista.get(url).content.decode()
    assert tasks.carga_aplicar.apply(args=[carga.pk]).get() == "APLICADA"
    assert '<dd data-carga="guardados">3</dd>' in cliente_capturista.get(url).content.decode()
    assert contrato.trabajadores.count() == 3
