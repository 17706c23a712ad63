"""Private pages and files carry `Cache-Control: private, no-store` (security review 2, finding 10): a shared
proxy or the browser's cache keeps none of them. One middleware sets it (core.middleware.CachePrivadoMiddleware),
so no view can forget it; the anonymous landing is the one public page (static files are answered by whitenoise
before it, with their own long-lived caching)."""

from __future__ import annotations

import hashlib

import pytest
from django.core.cache import cache
from django.urls import reverse

from tests.informativas.conftest import (  # noqa: F401  (fixtures)
    cliente_contratista,
    contratista,
    contrato,
    fiel,
    firma_lista,
    firmar,
    hoy_fijo,
    informativa,
    padron_sat,
    pendiente,
    pki,
    trabajador,
)

pytestmark = pytest.mark.django_db

PRIVADO = "private, no-store"


@pytest.fixture(autouse=True)
def _sin_bloqueos():
    cache.clear()


@pytest.fixture
def presentada(pendiente, fiel, contratista):  # noqa: F811
    return firmar(pendiente, fiel, usuario=contratista.usuario)


def _privada(respuesta) -> None:
    assert respuesta.status_code == 200, respuesta.status_code
    assert respuesta["Cache-Control"] == PRIVADO


def test_the_home_page_is_not_kept_by_any_cache(cliente_contratista):  # noqa: F811
    _privada(cliente_contratista.get(reverse("core:inicio")))


def test_an_informativas_detail_is_not_kept(cliente_contratista, informativa):  # noqa: F811
    _privada(cliente_contratista.get(reverse("informativas:detalle", args=[informativa.code])))


def test_the_acuse_pdf_is_not_kept(cliente_contratista, presentada):  # noqa: F811
    respuesta = cliente_contratista.get(reverse("informativas:acuse_descargar", args=[presentada.code]))

    _privada(respuesta)
    assert respuesta["Content-Type"] == "application/pdf"


def test_the_zip_of_a_periods_acuses_is_not_kept(cliente_contratista, presentada):  # noqa: F811
    respuesta = cliente_contratista.get(reverse("informativas:acuses_periodo"), {"periodo": "2026-1", "formato": "zip"})

    _privada(respuesta)
    assert respuesta["Content-Type"] == "application/zip"
    b"".join(respuesta.streaming_content)


def test_a_redirect_of_a_private_url_is_not_kept_either(client, informativa):  # noqa: F811
    respuesta = client.get(reverse("informativas:detalle", args=[informativa.code]))

    assert respuesta.status_code == 302
    assert respuesta["Cache-Control"] == PRIVADO


def test_a_page_reached_through_a_secret_link_is_not_kept(client, capturista):
    from capturistas.models import Liga

    Liga.objects.create(
        usuario=capturista, tipo=Liga.Tipo.RECUPERACION, token_hash=hashlib.sha256(b"liga-secreta").hexdigest(), para=capturista.email,
        expira_at="2999-01-01T00:00:00Z",
    )
    _privada(client.get(reverse("capturistas:contrasena", args=["liga-secreta"])))
    invalida = client.get(reverse("capturistas:contrasena", args=["otra-liga"]))
    assert invalida.status_code == 410 and invalida["Cache-Control"] == PRIVADO


def test_the_anonymous_landing_is_public(client):
    respuesta = client.get("/")

    assert respuesta.status_code == 200
    assert "no-store" not in respuesta.get("Cache-Control", "")


def test_the_landing_of_someone_logged_in_is_private(cliente_contratista):  # noqa: F811
    respuesta = cliente_contratista.get("/")

    assert respuesta.status_code == 302
    assert respuesta["Cache-Control"] == PRIVADO


def test_the_admin_keeps_its_own_never_cache(client, staff):
    client.force_login(staff)
    respuesta = client.get("/admin/")

    assert "no-store" in respuesta["Cache-Control"] and "private" in respuesta["Cache-Control"]
