"""The views of Firma y presentación, Acuses de presentación, Modificar presentación and /verificar-acuse/:
happy path, anonymous, another contratista (404) and the capturista (sees lists, cannot sign)."""

from __future__ import annotations

import hashlib

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from informativas.models import Acuse, FolioContador, Informativa, Trabajador
from informativas.presentacion import acuses
from tests.efirma_sat import FIEL_EKU

from .conftest import firmar

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _sin_bloqueos():
    cache.clear()


def _datos(efirma, *, password=None, rfc=None) -> dict:
    return {
        "rfc": rfc or efirma.rfc,
        "certificado": SimpleUploadedFile("e.cer", efirma.cer.read_bytes()),
        "llave": SimpleUploadedFile("e.key", efirma.key.read_bytes()),
        "contrasena": efirma.password if password is None else password,
    }


@pytest.fixture
def presentada(pendiente, fiel, contratista):
    return firmar(pendiente, fiel, usuario=contratista.usuario)


# ----------------------------------------------------------------------------------------------------------
# Firma y presentación
# ----------------------------------------------------------------------------------------------------------
def test_the_contratista_sees_its_pending_informativas_with_firmar(cliente_contratista, pendiente):
    respuesta = cliente_contratista.get(reverse("informativas:firma"))

    assert respuesta.status_code == 200
    assert reverse("informativas:firmar", args=[pendiente.code]) in respuesta.content.decode()


def test_a_capturista_sees_the_list_but_no_firmar(cliente_capturista, pendiente):
    respuesta = cliente_capturista.get(reverse("informativas:firma"))

    contenido = respuesta.content.decode()
    assert respuesta.status_code == 200
    assert str(pendiente.code) in contenido
    assert reverse("informativas:firmar", args=[pendiente.code]) not in contenido
    assert "Sólo el contratista puede firmar" in contenido


def test_a_capturista_cannot_open_or_post_the_signing_page(cliente_capturista, pendiente, fiel):
    url = reverse("informativas:firmar", args=[pendiente.code])

    assert cliente_capturista.get(url).status_code == 403
    assert cliente_capturista.post(url, _datos(fiel)).status_code == 403
    pendiente.refresh_from_db()
    assert pendiente.estatus == Informativa.Estatus.PENDIENTE_FIRMA


def test_anonymous_is_sent_to_login(client, pendiente):
    respuesta = client.get(reverse("informativas:firmar", args=[pendiente.code]))

    assert respuesta.status_code == 302 and respuesta.url.startswith("/acceso/")


def test_another_contratistas_informativa_answers_404(client, otro_contratista, pendiente, fiel):
    client.force_login(otro_contratista.usuario)

    assert client.get(reverse("informativas:firmar", args=[pendiente.code])).status_code == 404
    assert client.post(reverse("informativas:firmar", args=[pendiente.code]), _datos(fiel)).status_code == 404


def test_signing_through_the_page_shows_firma_exitosa(cliente_contratista, pendiente, fiel):
    pagina = cliente_contratista.get(reverse("informativas:firmar", args=[pendiente.code]))
    assert "Resumen" in pagina.content.decode() and "Firmar" in pagina.content.decode()

    respuesta = cliente_contratista.post(reverse("informativas:firmar", args=[pendiente.code]), _datos(fiel), follow=True)

    pendiente.refresh_from_db()
    assert pendiente.estatus == Informativa.Estatus.PRESENTADA
    contenido = respuesta.content.decode()
    assert "Firma exitosa" in contenido and "Cerrar" in contenido
    assert pendiente.folio_definitivo in contenido


def test_a_wrong_password_on_the_page_is_refused_in_spanish(cliente_contratista, pendiente, fiel):
    respuesta = cliente_contratista.post(
        reverse("informativas:firmar", args=[pendiente.code]), _datos(fiel, password="otra")
    )

    assert respuesta.status_code == 200
    assert "La contraseña de la llave privada es incorrecta." in respuesta.content.decode()
    pendiente.refresh_from_db()
    assert pendiente.estatus == Informativa.Estatus.PENDIENTE_FIRMA and pendiente.folio_definitivo == ""


def test_signing_without_the_portals_key_says_so_in_spanish_and_keeps_the_informativa_pending(
    cliente_contratista, pendiente, fiel, settings, tmp_path
):
    settings.ICSOE_SIGNING_KEY = str(tmp_path / "sello-portal" / "no-existe.key")

    respuesta = cliente_contratista.post(reverse("informativas:firmar", args=[pendiente.code]), _datos(fiel))

    assert respuesta.status_code == 200
    assert "No fue posible sellar el acuse en este momento. Inténtalo más tarde." in respuesta.content.decode()
    pendiente.refresh_from_db()
    assert pendiente.estatus == Informativa.Estatus.PENDIENTE_FIRMA and pendiente.folio_definitivo == ""
    assert not Acuse.objects.exists()
    assert not FolioContador.objects.filter(serie="N26").exists()  # no folio definitivo was taken


def test_validar_checks_the_efirma_is_the_contratistas(cliente_contratista, pendiente, fiel):
    url = reverse("informativas:firmar_validar", args=[pendiente.code])

    propia = cliente_contratista.post(url, _datos(fiel), HTTP_HX_REQUEST="true")
    ajena = cliente_contratista.post(url, _datos(FIEL_EKU), HTTP_HX_REQUEST="true")

    assert "La validación de la FIEL fue exitosa." in propia.content.decode()
    assert "El RFC capturado no corresponde al contratista de la informativa" in ajena.content.decode()
    pendiente.refresh_from_db()
    assert pendiente.estatus == Informativa.Estatus.PENDIENTE_FIRMA


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


def test_a_pending_informativa_has_no_acuse(cliente_contratista, pendiente):
    assert cliente_contratista.get(reverse("informativas:acuse_descargar", args=[pendiente.code])).status_code == 404


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
