"""An expediente too large for a web request (more trabajadores than ICSOE_EXPEDIENTE_TRABAJADORES_EN_LA_SOLICITUD)
is built by the worker: the request queues it once and answers a page that asks again, the link's page says it
is being prepared, and once it is stored every door serves it at once. Here the worker's task runs in this
process (``apply``): a test's transaction never commits, so nothing reaches the broker."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.urls import reverse

from informativas.enlaces import services as enlaces
from informativas.expediente import services
from informativas.expediente.models import Expediente
from informativas.expediente.tasks import expediente_construir

from .conftest import RFC_FISICA

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _limpio():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def grande(settings):
    """The persona física's three trabajadores are more than a web request builds; CLI010101AB5's one is not."""
    settings.ICSOE_EXPEDIENTE_TRABAJADORES_EN_LA_SOLICITUD = 2


def en_el_worker(informativa, rfc: str, usuario=None) -> str:
    return expediente_construir.apply(args=[informativa.pk, rfc, getattr(usuario, "pk", None)], throw=True).result


def test_a_large_one_is_queued_once_and_built_by_the_worker(varios, grande, django_capture_on_commit_callbacks):
    usuario = varios.contratista.usuario
    with django_capture_on_commit_callbacks() as encolados:
        primero = services.expediente_pedir(informativa=varios, rfc=RFC_FISICA, usuario=usuario)
        otra_vez = services.expediente_pedir(informativa=varios, rfc=RFC_FISICA.lower())

    preparando = services.EnPreparacion(rfc=RFC_FISICA, nombre="ANA GARCÍA PÉREZ", num_trabajadores=3)
    assert primero == otra_vez == preparando
    assert len(encolados) == 1 and not Expediente.objects.exists()
    assert isinstance(services.expediente_pedir(informativa=varios, rfc="CLI010101AB5"), Expediente)  # small: now

    codigo = en_el_worker(varios, RFC_FISICA, usuario)
    guardado = services.expediente_pedir(informativa=varios, rfc=RFC_FISICA)
    assert isinstance(guardado, Expediente) and guardado.codigo_verificacion == codigo
    assert guardado.created_by == usuario and guardado.num_trabajadores == 3
    assert en_el_worker(varios, RFC_FISICA) == codigo  # a second delivery finds it stored
    assert Expediente.objects.filter(rfc_contratante=RFC_FISICA).count() == 1


def test_a_large_one_is_still_refused_for_an_rfc_the_informativa_does_not_name(varios, grande):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as error:
        services.expediente_pedir(informativa=varios, rfc="XAXX010101000")
    assert error.value.code == "contratante_ajeno"


def test_the_contratistas_download_waits_on_a_page_that_asks_again_then_gets_the_file(
    varios, grande, cliente_contratista, django_capture_on_commit_callbacks
):
    url = reverse("informativas:expediente_descargar", args=[varios.code, RFC_FISICA, "pdf"])
    with django_capture_on_commit_callbacks() as encolados:
        espera = cliente_contratista.get(url)
        otra_vez = cliente_contratista.get(url)

    assert espera.status_code == otra_vez.status_code == 202 and len(encolados) == 1
    assert espera["Cache-Control"] == "private, no-store"
    assert '<meta http-equiv="refresh" content="5">' in espera.text
    assert "El expediente de ANA GARCÍA PÉREZ (GAPA800101ABA) tiene 3 trabajadores" in espera.text
    assert reverse("informativas:detalle", args=[varios.code]) in espera.text

    en_el_worker(varios, RFC_FISICA)
    archivo = cliente_contratista.get(url)
    assert archivo.status_code == 200 and archivo.content.startswith(b"%PDF")
    assert archivo.content == services.expediente_archivo(expediente=Expediente.objects.get(), formato="pdf").contenido


def test_the_page_behind_a_link_says_it_is_being_prepared_until_the_worker_has_built_it(
    varios, grande, client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as encolados:
        creado = enlaces.enlace_crear(informativa=varios, rfc=RFC_FISICA, usuario=varios.contratista.usuario)
    assert len(encolados) == 1 and not Expediente.objects.exists()  # the link is made; the expediente queued
    pagina_url = reverse("enlace:expediente", args=[creado.token])

    pagina = client.get(pagina_url)
    assert pagina.status_code == 200
    assert "se están preparando: esta página se actualiza sola" in pagina.text
    assert '<meta http-equiv="refresh" content="5">' in pagina.text
    assert "data-descarga" not in pagina.text and 'data-expediente="codigo"' not in pagina.text
    assert 'data-expediente="estado">Vigente' in pagina.text and 'id="trabajadores"' in pagina.text
    descarga = client.get(reverse("enlace:descargar", args=[creado.token, "pdf"]))
    assert descarga.status_code == 302 and descarga["Location"] == pagina_url

    en_el_worker(varios, RFC_FISICA)
    pagina = client.get(pagina_url)
    assert "http-equiv" not in pagina.text and 'data-descarga="pdf"' in pagina.text
    assert Expediente.objects.get().codigo_verificacion_mostrar in pagina.text
    assert client.get(reverse("enlace:descargar", args=[creado.token, "pdf"])).content.startswith(b"%PDF")


def test_a_failed_build_is_said_on_both_pages_and_queued_again_only_later(
    varios, grande, cliente_contratista, client, settings, tmp_path, django_capture_on_commit_callbacks
):
    from firma.services import SelloPortalNoConfigurado

    url = reverse("informativas:expediente_descargar", args=[varios.code, RFC_FISICA, "xlsx"])
    with django_capture_on_commit_callbacks() as encolados:
        assert cliente_contratista.get(url).status_code == 202
        creado = enlaces.enlace_crear(informativa=varios, rfc=RFC_FISICA, usuario=varios.contratista.usuario)
    settings.ICSOE_SIGNING_CERT = str(tmp_path / "no-existe.cer")  # the worker's sello is missing
    with pytest.raises(SelloPortalNoConfigurado):
        en_el_worker(varios, RFC_FISICA)

    with django_capture_on_commit_callbacks() as otra_vez:
        fallo = cliente_contratista.get(url)
        pagina = client.get(reverse("enlace:expediente", args=[creado.token]))
    assert len(encolados) == 1 and not otra_vez and not Expediente.objects.exists()
    assert fallo.status_code == 503 and fallo["Retry-After"] == "600" and "http-equiv" not in fallo.text
    assert "No se pudo preparar el expediente de ANA GARCÍA PÉREZ (GAPA800101ABA), con 3 trabajadores" in fallo.text
    assert pagina.status_code == 200 and "http-equiv" not in pagina.text and "data-descarga" not in pagina.text
    assert "No se pudo preparar la constancia ni el Excel de tu expediente" in pagina.text

    cache.delete(f"expediente-fallo:{varios.pk}:{RFC_FISICA}")  # ENCOLADO_VIGENTE later
    cache.delete(f"expediente-encolado:{varios.pk}:{RFC_FISICA}")
    with django_capture_on_commit_callbacks() as mas_tarde:
        assert cliente_contratista.get(url).status_code == 202
    assert len(mas_tarde) == 1
