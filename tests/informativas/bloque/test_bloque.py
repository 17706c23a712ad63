"""Contratos en bloque: the template, every row checked with the wizard's rules (errors by row and column),
the two phases, the rejected rows workbook, and who may see the pages."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from informativas.bloque import services
from informativas.models import CargaContratos, Contrato

from ..fases import en_el_worker

pytestmark = pytest.mark.django_db

BUENA = {
    "rfc": "CLI010101AB5",
    "razon_social": "",
    "confirmar_rfc": "No",
    "correo": "compras@cliente.mx",
    "celular": "5511112222",
    "telefono_fijo": "",
    "domicilio_social_igual_fiscal": "Sí",
    "domicilio_convencional_igual_fiscal": "Sí",
    "objeto": "OC 1 limpieza",
    "registro_repse": "AR12345/2021",
    "servicio": "Limpieza industrial",
    "fecha_inicio": "01/02/2026",
    "fecha_termino": "",
}


def libro(filas: list[dict], *, encabezado: bool = True) -> bytes:
    """A workbook in the template's layout; each dict overrides BUENA's fields of one row."""
    wb = Workbook()
    hoja = wb.active
    if encabezado:
        hoja.append([t for t, _ in services.COLUMNAS])
    for fila in filas:
        datos = {**BUENA, **fila}
        hoja.append([datos.get(campo, "") for _, campo in services.COLUMNAS])
    salida = io.BytesIO()
    wb.save(salida)
    return salida.getvalue()


def _subir(informativa, usuario, datos: bytes, nombre="contratos.xlsx"):
    return en_el_worker(services.bloque_recibir(
        informativa=informativa, archivo=SimpleUploadedFile(nombre, datos), usuario=usuario
    ))


def test_the_template_has_the_header_and_an_example_row():
    hoja = load_workbook(io.BytesIO(services.plantilla())).active
    filas = list(hoja.iter_rows(values_only=True))
    assert list(filas[0]) == [t for t, _ in services.COLUMNAS]
    assert filas[1][0] == "CLI010101AB5"


def test_good_rows_become_contratos_only_on_confirmation(informativa, contratista, padron_sat, media):
    carga = _subir(informativa, contratista.usuario, libro([BUENA, {"objeto": "OC 2"}]))
    assert (carga.estatus, carga.total_filas, carga.aceptados, carga.rechazados) == ("VALIDADA", 2, 2, 0)
    assert Contrato.objects.count() == 0
    carga = en_el_worker(services.bloque_confirmar(carga=carga, usuario=contratista.usuario))
    assert carga.guardados == 2
    contratos = list(Contrato.objects.order_by("created_at"))
    assert [c.objeto for c in contratos] == ["OC 1 limpieza", "OC 2"]
    assert (
        contratos[0].contratante_razon_social == "CLIENTE INDUSTRIAL SA DE CV"
        and contratos[0].contrato_completo
    )
    assert en_el_worker(services.bloque_confirmar(carga=carga, usuario=contratista.usuario)).guardados == 2  # twice: no-op
    assert Contrato.objects.count() == 2


def test_every_problem_is_reported_by_row_and_column_with_the_wizards_message(
    informativa, contratista, padron_sat, media
):
    carga = _subir(
        informativa,
        contratista.usuario,
        libro(
            [
                BUENA,
                {"rfc": contratista.rfc},
                {"correo": "no-es-correo", "celular": "123"},
                {"fecha_inicio": "01/06/2026", "servicio": ""},
                {"domicilio_convencional_igual_fiscal": "Quizá"},
                {
                    "domicilio_convencional_igual_fiscal": "No",
                    "convencional-codigo_postal": "01000",
                    "convencional-asentamiento": "NO EXISTE",
                },
            ]
        ),
    )
    assert (carga.aceptados, carga.rechazados) == (1, 5)
    por_fila = {}
    for fila, columna, _valor, mensaje in carga.errores:
        por_fila.setdefault(fila, []).append((columna, mensaje))
    assert (
        "RFC del contratante",
        "El RFC del contratante no puede ser el mismo que el del contratista.",
    ) in por_fila[3]
    assert ("Celular", "El teléfono debe tener 10 dígitos.") in por_fila[4]
    assert any(c == "Correo electrónico" for c, _ in por_fila[4])
    assert (
        "Descripción del servicio u obra especializado",
        "Captura la descripción del servicio u obra especializado contratado.",
    ) in por_fila[5]
    assert ("¿Domicilio convencional igual al fiscal? (Sí/No)", services.MENSAJE_SI_NO) in por_fila[6]
    assert ("Domicilio convencional: colonia", services.MENSAJE_COLONIA) in por_fila[7]
    rechazados = list(load_workbook(carga.archivo_rechazados.open("rb")).active.iter_rows(values_only=True))
    assert rechazados[0][-2:] == ("Fila", "Motivo") and [r[-2] for r in rechazados[1:]] == [3, 4, 5, 6, 7]
    en_el_worker(services.bloque_confirmar(carga=carga, usuario=contratista.usuario))
    assert Contrato.objects.count() == 1


def test_a_start_date_outside_the_period_is_refused_as_in_the_wizard(
    informativa, contratista, padron_sat, media
):
    carga = _subir(informativa, contratista.usuario, libro([{"fecha_inicio": "01/06/2026"}]))
    [[fila, columna, _, mensaje]] = carga.errores
    assert (fila, columna) == (2, "Fecha de inicio (dd/mm/aaaa)")
    assert (
        mensaje
        == "La fecha de inicio debe estar dentro del periodo que se informa: del 01/01/2026 al 30/04/2026."
    )


@pytest.mark.parametrize(
    ("datos", "mensaje"),
    [
        (b"NSS,CURP,SBC\n", services.MENSAJE_XLSX),
        (None, services.MENSAJE_ENCABEZADO),
        ("vacia", services.MENSAJE_SIN_FILAS),
    ],
    ids=["no-xlsx", "sin-encabezado", "sin-filas"],
)
def test_a_file_that_cannot_be_read_is_rejected_with_its_message(
    informativa, contratista, media, datos, mensaje
):
    if datos is None:
        datos = libro([BUENA], encabezado=False)
    elif datos == "vacia":
        datos = libro([])
    carga = _subir(informativa, contratista.usuario, datos)
    assert (carga.estatus, carga.mensaje) == ("RECHAZADA", mensaje)
    assert Contrato.objects.count() == 0


def test_an_xlsx_bomb_is_rejected_before_openpyxl_reads_it(informativa, contratista, media):
    import zipfile

    salida = io.BytesIO()
    with zipfile.ZipFile(salida, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("xl/worksheets/sheet1.xml", b"<a>" + b" " * 5_000_000 + b"</a>")
    carga = _subir(informativa, contratista.usuario, salida.getvalue())
    assert carga.estatus == "RECHAZADA" and "parece una bomba de descompresión" in carga.mensaje


def test_the_pages_upload_show_errors_and_confirm(cliente_contratista, informativa, padron_sat, media):
    url = reverse("informativas:bloque_subir", args=[informativa.code])
    respuesta = cliente_contratista.post(
        url, {"archivo": SimpleUploadedFile("c.xlsx", libro([BUENA, {"rfc": ""}]))}
    )
    carga = CargaContratos.objects.get()
    assert respuesta["Location"] == reverse("informativas:bloque", args=[informativa.code, carga.code])
    en_el_worker(carga)
    html = cliente_contratista.get(respuesta["Location"]).content.decode()
    assert 'data-bloque="aceptados">1<' in html and "RFC del contratante" in html
    respuesta = cliente_contratista.post(
        reverse("informativas:bloque_confirmar", args=[informativa.code, carga.code])
    )
    en_el_worker(carga)
    html = cliente_contratista.get(respuesta["Location"]).content.decode()
    assert "Se guardó 1 contrato el " in html and Contrato.objects.count() == 1


def test_a_csv_upload_is_refused_on_the_page(cliente_contratista, informativa, media):
    respuesta = cliente_contratista.post(
        reverse("informativas:bloque_subir", args=[informativa.code]),
        {"archivo": SimpleUploadedFile("c.csv", b"a,b\n")},
    )
    assert services.MENSAJE_EXTENSION in respuesta.content.decode() and not CargaContratos.objects.exists()


def test_another_contratista_gets_404_and_anonymous_the_login(
    client, otro_contratista, informativa, contratista, padron_sat, media
):
    carga = _subir(informativa, contratista.usuario, libro([BUENA]))
    assert client.get(reverse("informativas:bloque_subir", args=[informativa.code]))["Location"].startswith(
        "/acceso/"
    )
    client.force_login(otro_contratista.usuario)
    assert client.get(reverse("informativas:bloque", args=[informativa.code, carga.code])).status_code == 404
    assert (
        client.post(reverse("informativas:bloque_confirmar", args=[informativa.code, carga.code])).status_code
        == 404
    )
    assert Contrato.objects.count() == 0


def test_a_small_workbook_is_only_stored_by_the_upload_and_read_by_the_worker_while_the_page_shows_progress(
    cliente_contratista, informativa, padron_sat, media, django_capture_on_commit_callbacks
):
    """The upload request stores the workbook and queues phase one once it commits: it opens no row. (The
    test's transaction never commits, so the task runs when the test runs it, as a worker would.)"""
    with django_capture_on_commit_callbacks() as encolados:
        respuesta = cliente_contratista.post(
            reverse("informativas:bloque_subir", args=[informativa.code]),
            {"archivo": SimpleUploadedFile("c.xlsx", libro([BUENA, {"rfc": ""}]))},
        )

    carga = CargaContratos.objects.get()
    url = reverse("informativas:bloque", args=[informativa.code, carga.code])
    assert respuesta.status_code == 302 and respuesta["Location"] == url
    assert (carga.estatus, carga.total_filas, carga.errores, carga.aceptadas) == ("RECIBIDA", 0, [], [])
    assert len(encolados) == 1  # phase one, queued for the worker
    html = cliente_contratista.get(url).content.decode()
    assert "Revisando las filas de la plantilla" in html and 'data-bloque="total"' not in html
    assert f'hx-get="{url}progreso/"' in html and f'<a href="{url}">Actualizar</a>' in html  # works without JS
    assert "HX-Refresh" not in cliente_contratista.get(url + "progreso/")

    from informativas.bloque import tasks

    assert tasks.bloque_validar.apply(args=[carga.pk]).get() == "VALIDADA"
    assert cliente_contratista.get(url + "progreso/")["HX-Refresh"] == "true"
    html = cliente_contratista.get(url).content.decode()
    assert 'data-bloque="aceptados">1<' in html and "Revisando las filas" not in html

    with django_capture_on_commit_callbacks() as encolados:
        respuesta = cliente_contratista.post(reverse("informativas:bloque_confirmar", args=[informativa.code, carga.code]))
    assert respuesta["Location"] == url and len(encolados) == 1 and not Contrato.objects.exists()
    assert "Guardando los contratos aceptados" in cliente_contratista.get(url).content.decode()
    assert tasks.bloque_aplicar.apply(args=[carga.pk]).get() == "APLICADA"
    assert 'data-bloque="guardados">1<' in cliente_contratista.get(url).content.decode()
    assert Contrato.objects.count() == 1
