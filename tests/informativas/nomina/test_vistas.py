"""Importar nómina pages: upload, the summary with counts and problems, the pick of contratos, confirm; and
who may see them."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from informativas.models import ImportacionNomina, Trabajador
from informativas.nomina import cfdi, services

from ..fases import en_el_worker
from .conftest import CLIENTE, nomina_zip, zip_de

pytestmark = pytest.mark.django_db


def _url_subir(informativa):
    return reverse("informativas:nomina_subir", args=[informativa.code])


def test_the_upload_page_states_the_limits_and_that_the_seal_is_not_verified(
    cliente_contratista, informativa, contrato
):
    html = cliente_contratista.get(_url_subir(informativa)).content.decode()
    assert "hasta <strong>300 MB</strong> (unos 100,000 CFDI)" in html
    assert "hasta <strong>1.5 GB</strong> descomprimido" in html
    assert "El portal no verifica el sello digital ni el timbre de los CFDI" in html
    assert "cuenta en el que se pagó" in html


def test_upload_summary_and_confirm(cliente_contratista, informativa, contrato, contrato_2, media):
    respuesta = cliente_contratista.post(
        _url_subir(informativa), {"archivos": SimpleUploadedFile("nomina.zip", nomina_zip(20))}
    )
    importacion = en_el_worker(ImportacionNomina.objects.get())
    assert respuesta.status_code == 302 and respuesta["Location"] == reverse(
        "informativas:nomina", args=[informativa.code, importacion.code]
    )
    html = cliente_contratista.get(respuesta["Location"]).content.decode()
    assert f'data-contrato="{contrato.folio}"' in html and f'data-contrato="{contrato_2.folio}"' in html
    assert "Personal propio (sin SubContratacion)" in html
    assert "Trabajadores con varios SBC en el periodo" in html
    assert "El CFDI no es de nómina (TipoDeComprobante I); se omitió." in html
    assert Trabajador.objects.count() == 0
    xlsx = cliente_contratista.get(
        reverse("informativas:nomina_problemas", args=[informativa.code, importacion.code])
    )
    filas = list(
        load_workbook(__import__("io").BytesIO(b"".join(xlsx.streaming_content))).active.iter_rows(
            values_only=True
        )
    )
    assert len(filas) == 1 + len(importacion.errores)
    respuesta = cliente_contratista.post(
        reverse("informativas:nomina_confirmar", args=[informativa.code, importacion.code])
    )
    en_el_worker(importacion)
    assert Trabajador.objects.count() == ImportacionNomina.objects.get().guardados > 0
    html = cliente_contratista.get(respuesta["Location"]).content.decode()
    assert f"Se guardaron {Trabajador.objects.count()} trabajadores el " in html


@pytest.mark.parametrize(
    ("archivo", "mensaje"),
    [
        (SimpleUploadedFile("vacio.zip", b""), cfdi.MENSAJE_ARCHIVO_VACIO),
        (SimpleUploadedFile("trabajadores.xlsx", b"PK\x03\x04"), services.MENSAJE_EXTENSION),
        (SimpleUploadedFile("trabajadores.csv", b"NSS,CURP,SBC\n"), services.MENSAJE_EXTENSION),
    ],
    ids=["0-bytes", "xlsx", "csv"],
)
def test_bad_uploads_show_their_message_and_store_nothing(
    cliente_contratista, informativa, contrato, media, archivo, mensaje
):
    respuesta = cliente_contratista.post(_url_subir(informativa), {"archivos": archivo})
    assert respuesta.status_code == 200
    assert mensaje in respuesta.content.decode()
    assert ImportacionNomina.objects.count() == 0


def test_a_bomb_shows_its_message_and_stores_no_worker(cliente_contratista, informativa, contrato, media):
    bomba = zip_de({"bomba.xml": b"<" + b"a" * 3_000_000 + b"/>"})
    respuesta = cliente_contratista.post(_url_subir(informativa), {"archivos": SimpleUploadedFile("n.zip", bomba)})
    en_el_worker(ImportacionNomina.objects.get())
    html = cliente_contratista.get(respuesta["Location"]).content.decode()
    assert 'data-nomina="mensaje"' in html and "comprimido más de 100 a 1" in html
    assert Trabajador.objects.count() == 0


def test_the_pick_of_contratos_is_saved_and_an_empty_pick_is_refused(
    cliente_contratista, informativa, contrato, contratista, media
):
    from informativas.captura import services as captura

    gemelo = captura.contrato_crear(
        informativa=informativa,
        contratante=__import__("tests.informativas.conftest", fromlist=["x"]).datos_contratante(CLIENTE),
        usuario=contratista.usuario,
    )
    cliente_contratista.post(
        _url_subir(informativa), {"archivos": SimpleUploadedFile("n.zip", nomina_zip(5, clientes=(CLIENTE,)))}
    )
    importacion = en_el_worker(ImportacionNomina.objects.get())
    url = reverse("informativas:nomina_asignar", args=[informativa.code, importacion.code])
    html = cliente_contratista.post(url, {"rfc": CLIENTE}, follow=True).content.decode()
    assert services.MENSAJE_ELEGIR.format(rfc=CLIENTE) in html
    cliente_contratista.post(url, {"rfc": CLIENTE, "contratos": [str(contrato.code), str(gemelo.code)]})
    importacion.refresh_from_db()
    assert importacion.asignacion == {CLIENTE: [str(contrato.code), str(gemelo.code)]}


def test_anonymous_goes_to_login(client, informativa):
    respuesta = client.get(_url_subir(informativa))
    assert respuesta.status_code == 302 and respuesta["Location"].startswith("/acceso/")


def test_another_contratistas_import_answers_404(
    client, otro_contratista, informativa, contrato, contratista, media
):
    importacion = services.nomina_recibir(
        informativa=informativa,
        usuario=contratista.usuario,
        archivos=[SimpleUploadedFile("n.zip", nomina_zip(2))],
    )
    client.force_login(otro_contratista.usuario)
    assert (
        client.get(reverse("informativas:nomina", args=[informativa.code, importacion.code])).status_code
        == 404
    )
    assert (
        client.post(
            reverse("informativas:nomina_confirmar", args=[informativa.code, importacion.code])
        ).status_code
        == 404
    )
    assert Trabajador.objects.count() == 0


def test_imss_staff_is_refused(client, staff, informativa):
    client.force_login(staff)
    assert client.get(_url_subir(informativa)).status_code == 403


def test_a_capturista_may_import(cliente_capturista, informativa, contrato, media):
    respuesta = cliente_capturista.post(
        _url_subir(informativa), {"archivos": SimpleUploadedFile("n.zip", nomina_zip(3))}
    )
    assert respuesta.status_code == 302
    assert en_el_worker(ImportacionNomina.objects.get()).estatus == ImportacionNomina.Estatus.VALIDADA


def test_the_progress_poll_reloads_the_page_once_the_import_is_done(cliente_contratista, informativa, contrato, contratista, media):
    importacion = services.nomina_crear(
        informativa=informativa, contrato=None, usuario=contratista.usuario,
        archivos=[SimpleUploadedFile("n.zip", nomina_zip(2))],
    )
    url = reverse("informativas:nomina", args=[informativa.code, importacion.code])
    ImportacionNomina.objects.filter(pk=importacion.pk).update(estatus=ImportacionNomina.Estatus.VALIDANDO)
    fragmento = cliente_contratista.get(url + "progreso/", HTTP_HX_REQUEST="true")
    assert "HX-Refresh" not in fragmento and "Leyendo y revisando los CFDI" in fragmento.content.decode()
    assert "Leyendo y revisando los CFDI" in cliente_contratista.get(url).content.decode()
    services.nomina_fallo(importacion_id=importacion.pk, fase="validar")
    respuesta = cliente_contratista.get(url + "progreso/", HTTP_HX_REQUEST="true")
    assert respuesta["HX-Refresh"] == "true"
    assert services.MENSAJE_ERROR in cliente_contratista.get(url).content.decode()


def test_the_progress_fragment_shows_the_percentage_phase_one_recorded(
    cliente_contratista, informativa, contrato, contratista, media
):
    importacion = services.nomina_crear(
        informativa=informativa, contrato=None, usuario=contratista.usuario,
        archivos=[SimpleUploadedFile("n.zip", nomina_zip(2))],
    )
    ImportacionNomina.objects.filter(pk=importacion.pk).update(
        estatus=ImportacionNomina.Estatus.VALIDANDO, progreso=37
    )
    url = reverse("informativas:nomina", args=[informativa.code, importacion.code])
    fragmento = cliente_contratista.get(url + "progreso/", HTTP_HX_REQUEST="true").content.decode()
    assert "<span data-progreso>37</span>%" in fragmento
    assert '<progress class="progreso" max="100" value="37">37%</progress>' in fragmento
    assert "<span data-progreso>37</span>%" in cliente_contratista.get(url).content.decode()


def test_a_loose_xml_over_the_entry_limit_is_refused(cliente_contratista, informativa, contrato, media, settings):
    settings.ICSOE_NOMINA_MAX_ENTRADA = 1000
    respuesta = cliente_contratista.post(
        _url_subir(informativa),
        {"archivos": [SimpleUploadedFile("a.xml", b"<a>" + b"x" * 2000 + b"</a>"), SimpleUploadedFile("b.xml", b"<b/>")]},
    )
    assert services.MENSAJE_XML_GRANDE.format(nombre="a.xml", max=1000 / 2**20) in respuesta.content.decode()
    assert ImportacionNomina.objects.count() == 0


def test_a_small_zip_is_only_stored_by_the_upload_and_read_by_the_worker_while_the_page_shows_progress(
    cliente_contratista, informativa, contrato, media, django_capture_on_commit_callbacks
):
    """The upload request stores the ZIP and queues phase one once it commits: it inflates no CFDI. (The
    test's transaction never commits, so the task runs when the test runs it, as a worker would.)"""
    from informativas.nomina import tasks

    with django_capture_on_commit_callbacks() as encolados:
        respuesta = cliente_contratista.post(
            _url_subir(informativa), {"archivos": SimpleUploadedFile("n.zip", nomina_zip(3, clientes=(CLIENTE,)))}
        )

    importacion = ImportacionNomina.objects.get()
    url = reverse("informativas:nomina", args=[informativa.code, importacion.code])
    assert respuesta.status_code == 302 and respuesta["Location"] == url
    assert (importacion.estatus, importacion.archivos, importacion.trabajadores) == ("RECIBIDA", 0, [])
    assert len(encolados) == 1  # phase one, queued for the worker
    html = cliente_contratista.get(url).content.decode()
    assert "Leyendo y revisando los CFDI del ZIP" in html
    assert f'hx-get="{url}progreso/"' in html and f'<a href="{url}">Actualizar</a>' in html  # works without JS
    assert "HX-Refresh" not in cliente_contratista.get(url + "progreso/")

    assert tasks.nomina_validar.apply(args=[importacion.pk]).get() == "VALIDADA"
    assert cliente_contratista.get(url + "progreso/")["HX-Refresh"] == "true"
    html = cliente_contratista.get(url).content.decode()
    assert f'data-contrato="{contrato.folio}"' in html and "Leyendo y revisando" not in html

    with django_capture_on_commit_callbacks() as encolados:
        cliente_contratista.post(reverse("informativas:nomina_confirmar", args=[informativa.code, importacion.code]))
    assert len(encolados) == 1 and not Trabajador.objects.exists()  # stored by the worker, not the request
    assert "Guardando los trabajadores" in cliente_contratista.get(url).content.decode()
    assert tasks.nomina_aplicar.apply(args=[importacion.pk]).get() == "APLICADA"
    assert 'data-nomina="guardados"' in cliente_contratista.get(url).content.decode()
    assert Trabajador.objects.count() == ImportacionNomina.objects.get().guardados > 0
