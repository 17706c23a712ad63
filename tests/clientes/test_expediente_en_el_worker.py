"""The contratante's own download of an expediente too large for a web request: a page that asks again while the
worker builds it (its task run here with ``apply``), then the file, and only the file's download is recorded."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.test import Client

from clientes import services
from informativas.expediente.models import Expediente
from informativas.expediente.tasks import expediente_construir

from .conftest import RFC_CLIENTE, entrar_como_contratante

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _sin_bloqueos():
    cache.clear()
    yield
    cache.clear()


def test_the_contratante_waits_on_a_page_that_asks_again_then_downloads_its_expediente(
    presentada, contratista, fiel_cliente, settings, django_capture_on_commit_callbacks
):
    settings.ICSOE_EXPEDIENTE_TRABAJADORES_EN_LA_SOLICITUD = 0  # its one trabajador is already too many
    services.autorizacion_otorgar(contratista=contratista, rfc=RFC_CLIENTE, usuario=contratista.usuario)
    client = Client()
    entrar_como_contratante(client, fiel_cliente)
    url = f"/contratante/informativas/{presentada.code}/expediente/pdf/"

    with django_capture_on_commit_callbacks() as encolados:
        espera = client.get(url)
    assert espera.status_code == 202 and len(encolados) == 1 and not Expediente.objects.exists()
    assert '<meta http-equiv="refresh" content="5">' in espera.text
    assert f"({RFC_CLIENTE}) tiene 1 trabajador: el portal lo está preparando" in espera.text
    assert f"/contratante/informativas/{presentada.code}/" in espera.text
    assert not services.accesos_de(contratista).filter(accion=services.ACCESO_DESCARGA).exists()

    expediente_construir.apply(args=[presentada.pk, RFC_CLIENTE, None], throw=True)
    archivo = client.get(url)
    assert archivo.status_code == 200 and archivo.content.startswith(b"%PDF")
    assert services.accesos_de(contratista).filter(accion=services.ACCESO_DESCARGA).count() == 1
