"""Issue 22 in Chromium, on the Contratante tab: what the catálogo filled for one RFC goes as soon as another
RFC is typed (the same correo typed by hand for the new client is kept), Validar says where the name came from,
and the domicilio social is asked only while the RFC is a persona moral's."""

from __future__ import annotations

import re

import pytest
from django.core.cache import cache
from playwright.sync_api import Page, expect

from informativas.captura import services
from informativas.models import Contratante, Contrato

from ..conftest import datos_contratante

pytestmark = [pytest.mark.e2e, pytest.mark.solo_make_run, pytest.mark.django_db(transaction=True)]

EN_CATALOGO = "CCO8605231N4"
OTRO = "EKU9003173C9"
FISICA = "PEGJ800101AB6"


@pytest.fixture(autouse=True)
def _sin_bloqueos():
    cache.clear()


def _pregunta(page: Page, texto: str):
    return page.get_by_role("radiogroup", name=re.compile(re.escape(texto)))


def test_what_the_catalog_filled_goes_when_the_rfc_changes_and_the_new_client_is_saved_as_typed(
    page: Page, live_server, contratista, informativa, entrar_como
):
    services.contrato_crear(
        informativa=informativa,
        contratante=datos_contratante(
            EN_CATALOGO, razon_social="COMERCIALIZADORA CCO SA DE CV", correo="compras@cco.mx", celular="5511112222"
        ),
        usuario=contratista.usuario,
    )
    entrar_como(contratista.usuario)
    page.goto(f"{live_server.url}/informativas/{informativa.code}/captura/contratante/")
    page.locator("#id_rfc").fill(EN_CATALOGO)
    page.get_by_role("button", name="Validar").click()
    expect(page.locator("#id_correo")).to_have_value("compras@cco.mx")
    expect(page.locator("#rfc-validado")).to_contain_text("se tomó del catálogo de contratantes")
    expect(page.locator("#rfc-validado")).not_to_contain_text("captura la denominación")

    page.locator("#id_rfc").fill(OTRO)
    for campo in ("#id_razon_social", "#id_correo", "#id_celular"):
        expect(page.locator(campo)).to_have_value("")
    page.get_by_role("button", name="Validar").click()
    expect(page.locator("#rfc-validado")).to_contain_text("captura la denominación o razón social")
    expect(page.locator("#id_correo")).to_have_value("")

    # The same correo typed by hand for this client is the user's to give
    page.locator("#id_razon_social").fill("EKU SA de CV")
    page.locator("#id_correo").fill("compras@cco.mx")
    page.locator("#id_celular").fill("5599990000")
    _pregunta(page, "domicilio social del contratante").get_by_label("Sí").check()
    _pregunta(page, "domicilio convencional del contratante").get_by_label("Sí").check()
    page.get_by_role("button", name="Agregar contrato").click()
    expect(page.get_by_role("status")).to_contain_text("Se registró el contrato")
    contrato = Contrato.objects.get(contratante_rfc=OTRO)
    assert (contrato.contratante_correo, contrato.contratante_celular) == ("compras@cco.mx", "5599990000")
    assert Contratante.objects.get(rfc=EN_CATALOGO).celular == "5511112222"


def test_the_domicilio_social_shows_only_while_the_rfc_is_a_persona_morals(
    page: Page, live_server, contratista, informativa, entrar_como
):
    entrar_como(contratista.usuario)
    page.goto(f"{live_server.url}/informativas/{informativa.code}/captura/contratante/")
    social = _pregunta(page, "domicilio social del contratante")
    expect(social).to_be_hidden()
    expect(page.get_by_text("aplica sólo cuando el contratante es persona moral")).to_have_count(0)
    page.locator("#id_rfc").fill(OTRO)
    expect(social).to_be_visible()
    page.locator("#id_rfc").fill(FISICA)
    expect(social).to_be_hidden()

    page.locator("#id_razon_social").fill("Juan Pérez Gómez")
    page.locator("#id_correo").fill("juan@cliente.mx")
    page.locator("#id_celular").fill("5511112222")
    _pregunta(page, "domicilio convencional del contratante").get_by_label("Sí").check()
    page.get_by_role("button", name="Agregar contrato").click()
    expect(page.get_by_role("status")).to_contain_text("Se registró el contrato")
    assert Contrato.objects.get().domicilio_social_igual_fiscal is None
