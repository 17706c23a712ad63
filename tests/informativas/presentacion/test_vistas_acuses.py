"""The views of a presented informativa: Acuses de presentación and the download, /verificar-acuse/ and Modificar
presentación, for the contratista, its capturista, another contratista and anyone. The presented Normal is
signed once for the module (conftest's normal_firmada_del_modulo)."""

from __future__ import annotations

import hashlib

import pytest
from django.core.cache import cache
from django.urls import reverse

from informativas.models import Informativa, Trabajador
from informativas.presentacion import acuses

from ..conftest import firmada_intacta

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _sin_bloqueos():
    cache.clear()


@pytest.fixture
def presentada(normal_firmada_del_modulo):
    return normal_firmada_del_modulo


@pytest.fixture
def contratista(presentada):
    return presentada.contratista


@pytest.fixture
def trabajador(presentada):
    return Trabajador.objects.get(contrato__informativa=presentada)


# ----------------------------------------------------------------------------------------------------------
# Acuses de presentación and the download
# ----------------------------------------------------------------------------------------------------------
def test_the_acuses_list_shows_the_guides_columns(cliente_contratista, presentada):
    contenido = cliente_contratista.get(reverse("informativas:acuses")).content.decode()

    for columna in (
        "Año",
        "Cuatrimestre",
        "Folio definitivo de la informativa",
        "Mes inicial",
        "Mes final",
        "Tipo de informativa",
        "Tipo de complementaria",
        "Fecha de presentación",
        "Contratos relacionados",
        "Total de trabajadores",
        "Descargar Acuse",
    ):
        assert columna in contenido
    assert presentada.folio_definitivo in contenido
    assert presentada.fecha_presentacion.astimezone(acuses.ZONA).strftime("%d/%m/%Y") in contenido


def test_the_download_serves_the_stored_bytes(cliente_contratista, presentada, trabajador):
    # Even after the stored data changed (tampering), the download is the PDF issued at signing.
    Trabajador.objects.filter(pk=trabajador.pk).update(sbc="999.99")

    respuesta = cliente_contratista.get(reverse("informativas:acuse_descargar", args=[presentada.code]))

    datos = b"".join(respuesta.streaming_content)
    assert respuesta["Content-Type"] == "application/pdf"
    assert f'filename="Acuse-{presentada.folio_definitivo}.pdf"' in respuesta["Content-Disposition"]
    assert hashlib.sha256(datos).hexdigest() == presentada.acuse.pdf_sha256


def test_the_download_of_another_contratista_answers_404(client, otro_contratista, presentada):
    client.force_login(otro_contratista.usuario)

    assert client.get(reverse("informativas:acuse_descargar", args=[presentada.code])).status_code == 404


def test_a_capturista_may_download_the_acuse(cliente_capturista, presentada):
    respuesta = cliente_capturista.get(reverse("informativas:acuse_descargar", args=[presentada.code]))

    assert respuesta.status_code == 200


# ----------------------------------------------------------------------------------------------------------
# Public verification
# ----------------------------------------------------------------------------------------------------------
def _verificar(client, presentada, **extra):
    datos = {"folio": presentada.folio_definitivo.lower(), "codigo": presentada.acuse.codigo_verificacion_mostrar}
    return client.get(reverse("verificacion:acuse"), {**datos, **extra})


def test_the_public_page_verifies_a_folio_and_its_code_without_login(client, presentada):
    respuesta = _verificar(client, presentada)

    contenido = respuesta.content.decode()
    assert respuesta.status_code == 200
    assert 'data-verificacion="valido"' in contenido
    assert presentada.folio_definitivo in contenido and "ESI920427886" in contenido
    assert "CLIENTE INDUSTRIAL" in contenido  # the code holder sees what was filed: contratos, contratantes
    assert "452.37" not in contenido  # but no worker's data


def test_the_public_page_says_when_the_stored_data_was_altered(client, presentada, trabajador):
    Trabajador.objects.filter(pk=trabajador.pk).update(sbc="999.99")

    contenido = _verificar(client, presentada).content.decode()

    assert 'data-verificacion="invalido"' in contenido
    assert acuses.MENSAJE_CONTENIDO in contenido


def test_the_public_page_shows_nothing_for_a_folio_that_does_not_exist(client):
    contenido = client.get(
        reverse("verificacion:acuse"), {"folio": "N260009999", "codigo": "ABCDE-FGHJK-MNPQR-STVWX"}
    ).content.decode()

    assert "No encontramos un acuse con ese folio y ese código de verificación." in contenido
    assert 'data-verificacion="' not in contenido


# ----------------------------------------------------------------------------------------------------------
# Modificar presentación
# ----------------------------------------------------------------------------------------------------------
def test_modificar_lists_presented_informativas_and_starts_a_correccion(cliente_contratista, presentada):
    lista = cliente_contratista.get(reverse("informativas:modificar")).content.decode()
    assert presentada.folio_definitivo in lista

    url = reverse("informativas:complementaria", args=[presentada.code])
    assert "4 de 4" in cliente_contratista.get(url).content.decode()
    respuesta = cliente_contratista.post(url, {"tipo": "CORRECCION"})

    nueva = Informativa.objects.get(informativa_origen=presentada)
    assert respuesta.status_code == 302
    assert respuesta.url == reverse("informativas:paso", args=[nueva.code, "resumen"])
    assert nueva.tipo == "CORRECCION" and nueva.contratos.count() == 1


def test_an_actualizacion_out_of_its_months_is_refused_on_the_page(cliente_contratista, presentada, settings):
    settings.ICSOE_HOY = "2026-06-15"  # the portal's clock: June, whatever day the suite runs

    respuesta = cliente_contratista.post(
        reverse("informativas:complementaria", args=[presentada.code]), {"tipo": "ACTUALIZACION"}
    )

    assert respuesta.status_code == 200
    assert "sólo puede presentarse en enero, mayo o septiembre" in respuesta.content.decode()
    assert not Informativa.objects.filter(informativa_origen=presentada).exists()


def test_an_actualizacion_in_january_is_started_on_the_page(cliente_contratista, presentada, settings):
    settings.ICSOE_HOY = "2027-01-12"

    respuesta = cliente_contratista.post(
        reverse("informativas:complementaria", args=[presentada.code]), {"tipo": "ACTUALIZACION"}
    )

    actualizacion = Informativa.objects.get(informativa_origen=presentada)
    assert respuesta.status_code == 302
    assert respuesta.url == reverse("informativas:paso", args=[actualizacion.code, "resumen"])
    assert actualizacion.tipo == "ACTUALIZACION" and actualizacion.contratos.count() == 1


def test_another_contratista_cannot_modify(client, otro_contratista, presentada):
    client.force_login(otro_contratista.usuario)

    respuesta = client.post(reverse("informativas:complementaria", args=[presentada.code]), {"tipo": "CORRECCION"})

    assert respuesta.status_code == 404
    assert not Informativa.objects.filter(informativa_origen=presentada).exists()


# ----------------------------------------------------------------------------------------------------------
# Last in the module: what the tests above did (a complementaria started, a row altered) stayed in each of them
# ----------------------------------------------------------------------------------------------------------
def test_the_earlier_tests_left_nothing_behind(_normal_firmada_del_modulo, db):
    firmada_intacta(_normal_firmada_del_modulo)
    assert str(Trabajador.objects.get().sbc) == "452.37"  # as captured: the tampering above stayed in its test
