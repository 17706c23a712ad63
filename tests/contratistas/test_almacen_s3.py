"""The acuse STPS in S3-compatible object storage (a real S3-protocol server on loopback): stored through the
page, read back through the access-checked view, never public; a server that is down gives a Spanish error
and leaves no row pointing at a missing file."""

from __future__ import annotations

import hashlib
import io

import pytest
from pypdf import PdfReader

from contratistas.models import AcuseStps
from core.almacen import MENSAJE, AlmacenS3
from tests.s3 import almacen_caido, almacen_s3, cliente, servidor_s3  # noqa: F401

from .conftest import pdf
from .test_datos_generales import URL, _datos, _pdf, _sin_cambios

pytestmark = pytest.mark.django_db


def test_the_acuse_stps_is_stored_in_the_bucket_and_streamed_back(
    client, contratista, padron_fiscal, almacen_s3, servidor_s3, settings
):
    contenido = pdf(paginas=3)
    client.force_login(contratista.usuario)

    respuesta = client.post(URL, _datos(acuse=_pdf(contenido=contenido)), follow=True)

    assert "Los datos generales del contratista se guardaron exitosamente." in respuesta.content.decode()
    acuse = AcuseStps.objects.get(contratista=contratista, vigente=True)
    assert isinstance(acuse.archivo.storage._wrapped, AlmacenS3)
    s3 = cliente(servidor_s3)
    objeto = s3.get_object(Bucket=almacen_s3, Key=acuse.archivo.name)
    assert objeto["Body"].read() == contenido  # the bytes really are in the bucket
    assert not (settings.MEDIA_ROOT / acuse.archivo.name).exists()  # and not on this host's disk
    concesiones = s3.get_object_acl(Bucket=almacen_s3, Key=acuse.archivo.name)["Grants"]
    assert not [g for g in concesiones if "AllUsers" in str(g.get("Grantee", {}).get("URI", ""))]

    vista = client.get(f"/contratista/acuse-stps/{acuse.code}/")

    assert vista.status_code == 200
    assert vista["Cache-Control"] == "private, no-store"
    datos = b"".join(vista.streaming_content)
    assert hashlib.sha256(datos).hexdigest() == acuse.sha256
    assert len(PdfReader(io.BytesIO(datos)).pages) == 3


def test_another_contratista_cannot_read_it_from_the_bucket_through_the_portal(
    client, contratista, otro_contratista, padron_fiscal, almacen_s3
):
    client.force_login(contratista.usuario)
    client.post(URL, _datos())
    acuse = AcuseStps.objects.get(contratista=contratista, vigente=True)
    client.force_login(otro_contratista.usuario)

    assert client.get(f"/contratista/acuse-stps/{acuse.code}/").status_code == 404


def test_a_server_that_is_down_says_so_in_spanish_and_saves_nothing(
    client, contratista, padron_fiscal, almacen_caido
):
    client.force_login(contratista.usuario)

    respuesta = client.post(URL, _datos())

    assert respuesta.status_code == 503
    assert MENSAJE in respuesta.content.decode()
    assert not AcuseStps.objects.exists()  # no row pointing at a file that was never stored
    _sin_cambios(contratista)


def test_reading_while_the_server_is_down_says_so_in_spanish(
    client, contratista, padron_fiscal, almacen_s3, settings
):
    client.force_login(contratista.usuario)
    client.post(URL, _datos())
    acuse = AcuseStps.objects.get(contratista=contratista, vigente=True)
    opciones = settings.STORAGES["default"]["OPTIONS"]
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            **settings.STORAGES["default"],
            "OPTIONS": {**opciones, "endpoint_url": "http://127.0.0.1:9"},
        },
    }

    respuesta = client.get(f"/contratista/acuse-stps/{acuse.code}/")

    assert respuesta.status_code == 503
    assert MENSAJE in respuesta.content.decode()
    assert AcuseStps.objects.filter(pk=acuse.pk, vigente=True).exists()
