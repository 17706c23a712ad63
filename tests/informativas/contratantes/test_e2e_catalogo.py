"""Browser journey: a contratante saved with one contrato fills the Contratante tab of the next one from its
RFC (domicilio included), and the user edits it in "Catálogo de contratantes"."""

from __future__ import annotations

import re

import pytest
from django.core.cache import cache
from playwright.sync_api import Page, expect

from informativas.captura import services
from informativas.models import Contratante, Contrato

from ..conftest import datos_contratante

pytestmark = [pytest.mark.e2e, pytest.mark.solo_make_run, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _sin_bloqueos():
    cache.clear()


def test_the_catalog_fills_the_next_contrato_and_is_edited(
    page: Page, live_server, contratista, informativa, sepomex, entrar_como
):
    colonia = sepomex["tlacopac"]
    services.contrato_crear(
        informativa=informativa,
        contratante=datos_contratante(
            "PEGJ800101AB6",
            razon_social="JUAN PEREZ GARCIA",
            correo="juan@cliente.mx",
            celular="5599998888",
            domicilio_convencional_igual_fiscal=False,
            domicilio_convencional={
                "asentamiento": colonia,
                "calle": "INSURGENTES",
                "numero_exterior": "10",
                "sin_numero": False,
                "numero_interior": "",
                "entre_calle": "",
                "y_calle": "",
            },
        ),
        usuario=contratista.usuario,
    )
    entrar_como(contratista.usuario)
    page.goto(f"{live_server.url}/informativas/{informativa.code}/captura/contratante/")
    page.locator("#id_rfc").fill("pegj800101ab6")
    page.get_by_role("button", name="Validar").click()
    expect(page.locator("[data-catalogo]")).to_contain_text("Datos tomados del catálogo de contratantes")
    expect(page.locator("#id_razon_social")).to_have_value("JUAN PEREZ GARCIA")
    expect(page.locator("#id_correo")).to_have_value("juan@cliente.mx")
    expect(page.locator("#id_celular")).to_have_value("5599998888")
    expect(page.locator("#id_convencional-calle")).to_have_value("INSURGENTES")
    expect(page.locator("#id_convencional-asentamiento")).to_have_value(str(colonia.pk))
    page.get_by_role("button", name="Agregar contrato").click()
    expect(page.get_by_role("status")).to_contain_text("Se registró el contrato")
    nuevo = Contrato.objects.order_by("-created_at").first()
    assert (nuevo.contratante_correo, nuevo.domicilio_convencional.calle) == (
        "juan@cliente.mx",
        "INSURGENTES",
    )

    page.get_by_role("navigation", name="Menú principal").get_by_role(
        "link", name="Catálogo de contratantes"
    ).click()
    page.locator('#contratantes tr[data-rfc="PEGJ800101AB6"]').get_by_role("link", name="Editar").click()
    page.get_by_label(re.compile("^Correo electrónico")).fill("pagos@cliente.mx")
    page.get_by_role("button", name="Guardar").click()
    expect(page.get_by_role("status")).to_contain_text(
        "Se guardaron los datos del contratante PEGJ800101AB6."
    )
    assert Contratante.objects.get(rfc="PEGJ800101AB6").correo == "pagos@cliente.mx"
    assert Contrato.objects.get(pk=nuevo.pk).contratante_correo == "juan@cliente.mx"
