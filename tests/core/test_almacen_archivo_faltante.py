"""A row that names a file the storage does not have: a web host whose disk never had it (uploads left on one
host's MEDIA_ROOT, no shared object storage), or a restore where the bucket is older than the database. The
download answers a clear Spanish page (404) and logs the missing name for operations; it never crashes with
a 500, and nothing of the row is touched."""

from __future__ import annotations

import logging

import pytest
from django.urls import reverse

from contratistas.models import AcuseStps
from core.almacen import MENSAJE_FALTANTE
from informativas.models import Acuse, Informativa
from tests.contratistas.conftest import padron_fiscal  # noqa: F401
from tests.contratistas.test_datos_generales import URL, _datos
from tests.informativas.conftest import (  # noqa: F401
    cliente_contratista,
    contratista,
    contrato,
    fiel,
    firma_lista,
    hoy_fijo,
    informativa,
    padron_sat,
    pendiente,
    pki,
    trabajador,
)
from tests.informativas.presentacion.test_vistas_firma import _firmar
from tests.s3 import almacen_s3, cliente, servidor_s3  # noqa: F401

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _sin_bloqueos():
    from django.core.cache import cache

    cache.clear()


def test_an_acuse_stps_missing_from_the_bucket_is_a_spanish_404_not_a_500(
    client, contratista, padron_fiscal, almacen_s3, servidor_s3, caplog
):
    client.force_login(contratista.usuario)
    client.post(URL, _datos())
    acuse = AcuseStps.objects.get(contratista=contratista, vigente=True)
    cliente(servidor_s3).delete_object(Bucket=almacen_s3, Key=acuse.archivo.name)

    with caplog.at_level(logging.ERROR, logger="core.almacen"):
        respuesta = client.get(f"/contratista/acuse-stps/{acuse.code}/")

    assert respuesta.status_code == 404
    assert MENSAJE_FALTANTE in respuesta.content.decode()
    assert acuse.archivo.name in caplog.text  # operations learn which object is missing
    assert AcuseStps.objects.filter(pk=acuse.pk, vigente=True).exists()


def test_an_acuse_pdf_missing_on_this_hosts_disk_is_a_spanish_404_not_a_500(
    cliente_contratista, pendiente, fiel, settings, caplog
):
    """No object storage: the PDF was written to another host's MEDIA_ROOT (here: removed from this one's)."""
    _firmar(cliente_contratista, pendiente, fiel)
    acuse = Acuse.objects.get(informativa=pendiente)
    (settings.MEDIA_ROOT / acuse.pdf.name).unlink()

    with caplog.at_level(logging.ERROR, logger="core.almacen"):
        respuesta = cliente_contratista.get(reverse("informativas:acuse_descargar", args=[pendiente.code]))

    assert respuesta.status_code == 404
    assert MENSAJE_FALTANTE in respuesta.content.decode()
    assert acuse.pdf.name in caplog.text
    pendiente.refresh_from_db()
    assert pendiente.estatus == Informativa.Estatus.PRESENTADA
