"""The acuse de presentación (PDF) in S3-compatible object storage (a real S3-protocol server on loopback):
signed through the page, stored in the private bucket, downloaded through the access-checked view; a server
that is down gives a Spanish error and the informativa stays pending, with no Acuse pointing at nothing."""

from __future__ import annotations

import hashlib
import io

import pytest
from django.core.cache import cache
from django.urls import reverse
from openpyxl import load_workbook

from core.almacen import MENSAJE
from informativas.models import Acuse, CargaMasiva, Informativa
from tests.s3 import almacen_caido, almacen_s3, cliente, servidor_s3  # noqa: F401

from ..carga.test_carga import MALFORMADO
from ..carga.test_vistas_carga import _subir
from .test_vistas_firma import _firmar

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _sin_bloqueos():
    cache.clear()


def test_the_signed_acuse_is_stored_in_the_bucket_and_downloaded_through_the_portal(
    cliente_contratista, pendiente, fiel, almacen_s3, servidor_s3, settings
):
    respuesta = _firmar(cliente_contratista, pendiente, fiel, follow=True)

    assert "Firma exitosa" in respuesta.content.decode()
    acuse = Acuse.objects.get(informativa=pendiente)
    guardado = cliente(servidor_s3).get_object(Bucket=almacen_s3, Key=acuse.pdf.name)["Body"].read()
    assert guardado.startswith(b"%PDF") and hashlib.sha256(guardado).hexdigest() == acuse.pdf_sha256
    assert not (settings.MEDIA_ROOT / acuse.pdf.name).exists()

    descarga = cliente_contratista.get(reverse("informativas:acuse_descargar", args=[pendiente.code]))

    assert descarga["Content-Type"] == "application/pdf"
    assert b"".join(descarga.streaming_content) == guardado


def test_signing_while_the_server_is_down_says_so_and_keeps_the_informativa_pending(
    cliente_contratista, pendiente, fiel, almacen_caido
):
    respuesta = _firmar(cliente_contratista, pendiente, fiel)

    assert respuesta.status_code == 503
    assert MENSAJE in respuesta.content.decode()
    pendiente.refresh_from_db()
    assert pendiente.estatus != Informativa.Estatus.PRESENTADA
    assert not pendiente.folio_definitivo
    assert not Acuse.objects.exists()


def test_a_carga_and_its_rejected_rows_live_in_the_bucket(
    cliente_capturista, contrato, almacen_s3, servidor_s3
):
    _subir(cliente_capturista, contrato, MALFORMADO.encode())
    carga = CargaMasiva.objects.get()
    s3 = cliente(servidor_s3)
    assert s3.get_object(Bucket=almacen_s3, Key=carga.archivo.name)["Body"].read() == MALFORMADO.encode()
    assert s3.head_object(Bucket=almacen_s3, Key=carga.archivo_rechazados.name)["ContentLength"] > 0

    respuesta = cliente_capturista.get(
        f"/informativas/{contrato.informativa.code}/cargas/{carga.code}/rechazados.xlsx"
    )

    assert load_workbook(io.BytesIO(b"".join(respuesta.streaming_content))).active.max_row == 8


def test_a_carga_while_the_server_is_down_says_so_and_stores_nothing(
    cliente_capturista, contrato, almacen_caido
):
    respuesta = _subir(cliente_capturista, contrato, MALFORMADO.encode())

    assert respuesta.status_code == 503
    assert MENSAJE in respuesta.content.decode()
    assert not CargaMasiva.objects.exists()
