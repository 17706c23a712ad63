"""Browser journey through Debian's Chromium: the contratista asks for the constancia of a contratante too large
for a web request; the page says it is being prepared and asks again by itself, and the download starts once
the task has stored it.

In make run's pass only, where tasks run in-process: the test's sello and media folder are this process's, and
the PostgreSQL pass's Celery worker has its own (tests/informativas/conftest.py, ``firma_lista``). The task's
body is the worker's either way; test_en_el_worker.py runs it as the worker does."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.urls import reverse
from playwright.sync_api import Page, expect

from .conftest import RFC_FISICA, texto_pdf

pytestmark = [pytest.mark.e2e, pytest.mark.solo_make_run, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _sin_bloqueos():
    cache.clear()
    yield
    cache.clear()


def test_a_large_constancia_is_prepared_and_then_downloads_by_itself(
    page: Page, live_server, entrar_como, varios, contratista, settings, tmp_path
):
    settings.ICSOE_EXPEDIENTE_TRABAJADORES_EN_LA_SOLICITUD = 2  # the persona física has three
    entrar_como(contratista.usuario)
    page.goto(f"{live_server.url}{reverse('informativas:detalle', args=[varios.code])}")
    fila = page.get_by_role("region", name="Expedientes por contratante").locator(f'tr[data-contratante="{RFC_FISICA}"]')

    with page.expect_download(timeout=60_000) as descarga:
        fila.get_by_role("link", name="Constancia (PDF)").click()
        expect(page.get_by_role("heading", name="Preparando el expediente")).to_be_visible()
        expect(page.get_by_role("status")).to_contain_text("ANA GARCÍA PÉREZ (GAPA800101ABA) tiene 3 trabajadores")
    archivo = tmp_path / descarga.value.suggested_filename
    descarga.value.save_as(archivo)
    assert archivo.name == f"Constancia-{varios.folio_definitivo}-{RFC_FISICA}.pdf"
    assert "ANA GARCÍA PÉREZ" in texto_pdf(archivo.read_bytes())
    expect(page.get_by_role("link", name="Volver")).to_have_attribute(
        "href", reverse("informativas:detalle", args=[varios.code])
    )
