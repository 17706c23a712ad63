"""`make run`'s demo in the browser (Debian's Chromium): the demo capturista logs in with the credentials
`cargar_demo` printed and sees the five demo contratistas on its board; then, on the day the command names,
a reminder reaches the capturista, and following it (no contratista selected yet) «Seleccionar contratista»
returns to the reminder's period."""

from __future__ import annotations

import datetime
import io
import re

import pytest
from django.core.management import call_command
from playwright.sync_api import Page, expect

from recordatorios.services import recordatorios_enviar
from tests.conftest import texto_de

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.mark.make_run
def test_the_demo_capturista_sees_its_board_and_follows_a_reminder_to_the_period(
    page: Page, live_server, como_make_run, settings, buzon
):
    page.set_default_timeout(60_000)  # a shared machine may be slow
    salida = io.StringIO()
    call_command("cargar_demo", stdout=salida)
    salida = salida.getvalue()
    curp, contrasena = re.search(r"Capturista \(CURP\):\s+\S+/acceso/\s+(\S+) / (\S+)", salida).groups()

    page.goto(live_server.url + "/acceso/")
    page.get_by_label("Usuario (CURP)").fill(curp)
    page.get_by_label("Contraseña").fill(contrasena)
    page.get_by_role("button", name="Ingresar").click()
    page.get_by_role("navigation", name="Menú principal").get_by_role("link", name="Tablero de contratistas").click()
    filas = page.locator("#tablero tbody tr[data-contratista]")
    expect(filas).to_have_count(5)
    expect(filas.filter(has_text="DISTRIBUIDORA DEL BAJÍO")).to_contain_text("Sin iniciar")
    for razon_social, estado in [
        ("EMPRESA DE SERVICIOS INTEGRALES", "Presentada extemporánea"),
        ("JUAN PÉREZ JIMÉNEZ", "Borrador"),
        ("CONSTRUCTORA TRES RÍOS", "En firma"),
        ("CONSTRUCCIONES DEL SOL", "Presentada extemporánea"),
    ]:
        expect(filas.filter(has_text=razon_social)).to_contain_text(estado)

    # The day `cargar_demo` names for the reminders: the capturista gets Empresa de Servicios Integrales' one
    dia = re.search(r'reloj_prueba (\d{4}-\d\d-\d\d)"', salida).group(1)
    settings.ICSOE_HOY = dia
    settings.ICSOE_BASE_URL = live_server.url
    assert recordatorios_enviar(hoy=datetime.date.fromisoformat(dia)).enviados == 5
    correo = buzon.esperar(para="capturista.demo@example.com", asunto_contiene="faltan 10 días")
    liga = re.search(r"http://\S+/informativas/periodos/\S+/", texto_de(correo)).group(0)

    page.goto(liga)
    expect(page.get_by_role("heading", name="Contratista a trabajar")).to_be_visible()
    page.get_by_label("Seleccionar EMPRESA DE SERVICIOS INTEGRALES SA DE CV").check()
    page.get_by_role("button", name="Siguiente").click()
    expect(page.get_by_role("alertdialog")).to_contain_text("EMPRESA DE SERVICIOS INTEGRALES SA DE CV")
    page.get_by_role("button", name="Continuar").click()
    expect(page).to_have_url(liga)
    expect(page.get_by_role("heading", name="Informativa de Septiembre - Diciembre 2026")).to_be_visible()
    expect(page.locator("#plazo")).to_have_text("Vence el 18 de enero de 2027 (faltan 10 días).")
