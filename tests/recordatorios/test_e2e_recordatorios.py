"""Browser journeys (Debian's Chromium): the contratista follows the link of a reminder that reached the SMTP
sink to the period's page, clicks "Presentar Sin información" once and lands on its signing page; following
the link again leads to that informativa. Then it turns the reminders off, and on for its capturistas too, in
its datos generales."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from informativas.models import Informativa
from recordatorios import services
from tests.conftest import texto_de

from .conftest import dia

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.mark.make_run
def test_following_a_reminder_to_the_period_and_presenting_sin_informacion(
    page: Page, live_server, settings, reloj, buzon, contratista, entrar_como
):
    settings.ICSOE_BASE_URL = live_server.url
    reloj.reloj_prueba_fijar(fecha=dia(-3))  # the web reads the same clock as beat's task
    assert services.recordatorios_enviar(hoy=reloj.hoy()).enviados == 1
    correo = buzon.esperar(para=contratista.correo, asunto_contiene="faltan 3 días")
    liga = re.search(r"http://\S+/informativas/periodos/\S+/", texto_de(correo)).group(0)

    entrar_como(contratista.usuario)
    page.goto(liga)
    expect(page.get_by_role("heading", name="Informativa de Septiembre - Diciembre 2026")).to_be_visible()
    expect(page.locator("#plazo")).to_have_text("Vence el 18 de enero de 2027 (faltan 3 días).")
    expect(page.locator("#periodo").get_by_role("link", name="Capturar informativa")).to_have_attribute(
        "href", "/informativas/nueva/?anio=2026&cuatrimestre=3&tipo=NORMAL"
    )
    expect(page.get_by_text("Declaro bajo protesta de decir verdad")).to_be_visible()
    assert not Informativa.objects.exists()  # opening the page created nothing

    page.get_by_role("button", name="Presentar Sin información").click()
    expect(page.get_by_role("heading", name="Firma y presentación")).to_be_visible()
    expect(page.get_by_text("La informativa Sin información quedó pendiente de firma.")).to_be_visible()
    informativa = Informativa.objects.get(contratista=contratista)
    assert (informativa.tipo, informativa.estatus, informativa.anio, informativa.cuatrimestre) == (
        "SIN_INFORMACION", "PENDIENTE_FIRMA", 2026, 3,
    )
    assert page.url == f"{live_server.url}/informativas/{informativa.code}/firmar/"
    expect(page.get_by_role("button", name="Validar")).to_be_visible()

    # The same link, later: straight to the informativa
    page.goto(liga)
    expect(page).to_have_url(f"{live_server.url}/informativas/{informativa.code}/")
    expect(page.get_by_role("heading", name=re.compile("Informativa Sin información"))).to_be_visible()


def test_turning_reminders_off_and_sending_them_to_the_capturistas_in_datos_generales(
    page: Page, live_server, contratista, entrar_como
):
    entrar_como(contratista.usuario)
    page.goto(live_server.url + "/contratista/")
    seccion = page.locator("#recordatorios")
    activos = seccion.get_by_label("Enviarme recordatorios del vencimiento de la informativa")
    capturistas = seccion.get_by_label("Enviarlos también a mis capturistas activos")
    expect(activos).to_be_checked()
    expect(capturistas).not_to_be_checked()

    activos.uncheck()
    seccion.get_by_role("button", name="Actualizar recordatorios").click()
    expect(page.get_by_text("Se guardó tu preferencia de recordatorios.")).to_be_visible()
    expect(page.locator("#recordatorios").get_by_label("Enviarme recordatorios del vencimiento de la informativa")).not_to_be_checked()
    contratista.refresh_from_db()
    assert contratista.recordatorios_activos is False

    seccion = page.locator("#recordatorios")
    seccion.get_by_label("Enviarme recordatorios del vencimiento de la informativa").check()
    seccion.get_by_label("Enviarlos también a mis capturistas activos").check()
    seccion.get_by_role("button", name="Actualizar recordatorios").click()
    expect(page.get_by_text("Se guardó tu preferencia de recordatorios.")).to_be_visible()
    expect(page.locator("#recordatorios").get_by_label("Enviarlos también a mis capturistas activos")).to_be_checked()
    contratista.refresh_from_db()
    assert (contratista.recordatorios_activos, contratista.recordatorios_capturistas) == (True, True)


def test_a_capturista_follows_the_reminder_of_another_contratista_it_serves_and_returns_to_the_period(
    page: Page, live_server, settings, reloj, buzon, contratista, otro_contratista, capturista, entrar_como
):
    from capturistas.access import SESSION_KEY
    from capturistas.models import Relacion

    settings.ICSOE_BASE_URL = live_server.url
    Relacion.objects.create(
        contratista=otro_contratista, capturista=capturista, estatus=Relacion.Estatus.ACTIVA,
        telefono="5512345678", correo=capturista.email,
    )
    type(otro_contratista).objects.filter(pk=otro_contratista.pk).update(recordatorios_capturistas=True)
    reloj.reloj_prueba_fijar(fecha=dia(-10))
    assert services.recordatorios_enviar(hoy=reloj.hoy()).enviados == 2  # one per contratista
    correo = buzon.esperar(para=capturista.email, asunto_contiene="faltan 10 días")
    liga = re.search(r"http://\S+/informativas/periodos/\S+/", texto_de(correo)).group(0)
    assert str(otro_contratista.code) in liga

    entrar_como(capturista, **{SESSION_KEY: str(contratista.code)})  # working for the other contratista
    page.goto(liga)
    expect(page.get_by_text("El recordatorio es de JUAN PÉREZ JIMÉNEZ. Selecciónalo para continuar.")).to_be_visible()
    expect(page.get_by_role("heading", name="Contratista seleccionado")).to_be_visible()
    expect(page.locator("#texto-confirmar")).to_contain_text("JUAN PÉREZ JIMÉNEZ")

    page.get_by_role("button", name="Continuar").click()
    expect(page).to_have_url(liga)
    expect(page.get_by_role("heading", name="Informativa de Septiembre - Diciembre 2026")).to_be_visible()
    expect(page.locator("#plazo")).to_have_text("Vence el 18 de enero de 2027 (faltan 10 días).")
    expect(page.get_by_role("button", name="Presentar Sin información")).to_be_visible()
    assert not Informativa.objects.exists()

    # A tampered link with another site as `next` selects the contratista but stays in the portal
    page.goto(f"{live_server.url}/usuarios/seleccionar/{contratista.code}/?next=https://sitio-falso.example/")
    page.get_by_role("button", name="Continuar").click()
    expect(page).to_have_url(f"{live_server.url}/inicio/")
