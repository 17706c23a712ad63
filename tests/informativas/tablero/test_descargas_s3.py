"""The period's acuses in one download with the storage being S3-compatible object storage (a real S3-protocol
server on loopback), and with that server down. Each test signs its own acuses into its own storage; the
downloads' other cases are in test_descargas.py."""

from __future__ import annotations

import datetime

import pytest
from django.core.cache import cache

from informativas.presentacion.descargas import MENSAJE_ALMACEN
from tests.s3 import almacen_caido, almacen_s3, cliente, servidor_s3  # noqa: F401

from .conftest import HOY_TABLERO, presentar_sin_informacion
from .test_descargas import TABLERO_ACUSES, _pdfs, _revisar_pdfs, _zip

pytestmark = pytest.mark.django_db

D = datetime.date


@pytest.fixture(autouse=True)
def _hoy(settings):
    settings.ICSOE_HOY = HOY_TABLERO.isoformat()
    cache.clear()


@pytest.fixture
def cliente_despacho(client, despacho):
    client.force_login(despacho.capturista)
    return client


def test_the_zip_reads_the_acuses_from_the_bucket(cliente_despacho, despacho, fieles, almacen_s3, servidor_s3, settings):
    a = presentar_sin_informacion(despacho.a, 2026, 1, fieles, hoy=D(2026, 5, 12))
    c = presentar_sin_informacion(despacho.c, 2026, 1, fieles, hoy=D(2026, 5, 12))
    assert not (settings.MEDIA_ROOT / a.acuse.pdf.name).exists()
    en_bucket = cliente(servidor_s3).list_objects_v2(Bucket=almacen_s3)["KeyCount"]

    archivo = _zip(cliente_despacho.get(TABLERO_ACUSES, {"periodo": "2026-1"}))

    assert en_bucket == 2
    _revisar_pdfs(_pdfs(archivo), [a, c])


def test_with_the_storage_down_the_download_answers_the_spanish_503(
    cliente_despacho, despacho, fieles, almacen_s3, request
):
    presentar_sin_informacion(despacho.a, 2026, 1, fieles, hoy=D(2026, 5, 12))
    request.getfixturevalue("almacen_caido")

    respuesta = cliente_despacho.get(TABLERO_ACUSES, {"periodo": "2026-1"})

    assert respuesta.status_code == 503
    assert MENSAJE_ALMACEN in respuesta.content.decode()
