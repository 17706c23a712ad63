"""Browser journey through Debian's Chromium (issue 25): the contratista of a filing with three contratantes makes a
link for one of them and sends it by email; the client opens it in a browser of its own, without an account,
sees only its contratos and trabajadores, downloads the constancia and verifies it at /verificar-acuse/ byte for
byte; the contratista revokes the link and the client's page says so."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from tests.conftest import texto_de
from tests.core.axe import axe_violaciones, describir

from .conftest import CORREO_OTRA_MORAL, RFC_FISICA, RFC_MORAL, RFC_OTRA_MORAL

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_client_opens_its_link_without_an_account_verifies_the_constancia_and_the_link_is_revoked(
    page: Page, browser, browser_context_args, live_server, entrar_como, presentada, contratista, buzon, settings,
    tmp_path,
):
    settings.ICSOE_BASE_URL = live_server.url  # the link and its email point at this server
    entrar_como(contratista.usuario)

    # The contratista: the presented informativa, its contratantes, a link for one of them, sent by email.
    page.goto(f"{live_server.url}{reverse('informativas:detalle', args=[presentada.code])}")
    page.get_by_role("link", name="Crear liga para un contratante").click()
    contratantes = page.locator("#contratantes tbody tr")
    expect(contratantes).to_have_count(3)
    page.locator(f'#contratantes tr[data-rfc="{RFC_OTRA_MORAL}"]').get_by_role("link", name="Crear liga").click()
    expect(page.get_by_label("Vigencia de la liga (días)")).to_have_value("30")
    expect(page.get_by_label("Correo electrónico del contratante")).to_have_value(CORREO_OTRA_MORAL)
    page.get_by_label("Enviar la liga por correo electrónico al contratante").check()
    page.get_by_role("button", name="Crear liga").click()
    expect(page.get_by_role("heading", name="Liga creada para COMERCIAL TORRES SA DE CV")).to_be_visible()
    liga = page.locator("#liga-nueva").input_value()
    assert re.fullmatch(rf"{re.escape(live_server.url)}/expediente/[A-Za-z0-9_-]{{43}}/", liga)
    page.get_by_role("button", name="Copiar liga").click()
    expect(page.locator("[data-copiar-estado]")).to_have_text("Liga copiada")
    correo = buzon.esperar(para=CORREO_OTRA_MORAL, asunto_contiene=presentada.folio_definitivo)
    assert liga in texto_de(correo)

    # The client: a browser of its own, no account.
    cliente = browser.new_context(**browser_context_args, accept_downloads=True, bypass_csp=True)  # axe
    try:
        publica = cliente.new_page()
        respuesta = publica.goto(liga)
        assert respuesta.headers["cache-control"] == "private, no-store"
        assert respuesta.headers["referrer-policy"] == "no-referrer"
        expect(publica.get_by_role("heading", name="Expediente de COMERCIAL TORRES SA DE CV")).to_be_visible()
        suyo = presentada.contratos.get(contratante_rfc=RFC_OTRA_MORAL)
        expect(publica.locator('[data-expediente="folio"]')).to_have_text(presentada.folio_definitivo)
        expect(publica.locator('[data-expediente="estado"]')).to_have_text("Vigente")
        contratos = publica.get_by_role(
            "table", name=f"Contratos de la informativa {presentada.folio_definitivo} con {RFC_OTRA_MORAL} (1 contrato)"
        )
        expect(contratos.get_by_role("rowheader")).to_have_text([suyo.folio])
        expect(contratos.get_by_role("cell", name="Pedido 12 vigilancia")).to_be_visible()
        trabajadores = publica.get_by_role("table", name="Trabajadores informados en esos contratos")
        expect(trabajadores.locator("tbody tr")).to_have_count(2)
        for ajeno in (RFC_MORAL, RFC_FISICA, "ANA GARCÍA PÉREZ", "CLIENTE INDUSTRIAL"):
            expect(publica.locator("body")).not_to_contain_text(ajeno)
        assert not (violaciones := axe_violaciones(publica)), describir(violaciones)
        with publica.expect_download() as descarga:
            publica.get_by_role("link", name="Constancia (PDF)").click()
        constancia = tmp_path / descarga.value.suggested_filename
        descarga.value.save_as(constancia)
        assert constancia.name == f"Constancia-{presentada.folio_definitivo}-{RFC_OTRA_MORAL}.pdf"
        assert constancia.read_bytes().startswith(b"%PDF")

        publica.goto(f"{live_server.url}/verificar-acuse/")
        publica.get_by_label("Archivo PDF del acuse").set_input_files(str(constancia))
        publica.get_by_role("button", name="Verificar").click()
        resultado = publica.locator("#verificacion-constancia")
        expect(resultado.locator('[data-archivo="identico"]')).to_contain_text("idéntico, byte por byte, a la constancia")
        expect(resultado.locator('[data-constancia="valida"]')).to_contain_text("La constancia es auténtica")
        expect(resultado.locator('[data-constancia="rfc"]')).to_have_text(RFC_OTRA_MORAL)

        # The contratista sees the client's accesses and revokes the link, confirming first.
        page.goto(f"{live_server.url}{reverse('informativas:enlaces')}")
        fila = page.locator("#enlaces tbody tr").first
        expect(fila.locator("[data-estado]")).to_have_text("Vigente")
        expect(fila.locator("[data-accesos]")).to_contain_text("2 accesos")  # the page and the PDF
        fila.get_by_role("link", name="Revocar").click()
        expect(page.get_by_text("¿Revocar esta liga?")).to_be_visible()
        page.get_by_role("button", name="Revocar liga").click()
        expect(page.get_by_text("Se revocó la liga de COMERCIAL TORRES SA DE CV")).to_be_visible()
        expect(page.locator("#enlaces tbody tr").first.locator("[data-estado]")).to_contain_text("Revocada")

        # The client's link now says it was revoked, and shows nothing else.
        revocada = publica.goto(liga)
        assert revocada.status == 410
        expect(publica.locator("[data-liga-error]")).to_contain_text("Esta liga fue revocada")
        expect(publica.locator("body")).not_to_contain_text(presentada.folio_definitivo)
        expect(publica.locator("body")).not_to_contain_text("COMERCIAL TORRES")
        assert not (violaciones := axe_violaciones(publica)), describir(violaciones)
    finally:
        cliente.close()
