"""Issue 26 through Chromium: a contratista without a REPSE registration date reads «Sin fecha de registro REPSE»
with the prompt, types a date still to come (refused, nothing stored), then the date of its last renewal, saves,
and reads its expiry and renewal window."""

from __future__ import annotations

import datetime
import re

import pytest
from playwright.sync_api import Page, expect

from contratistas.models import Contratista

from .conftest import pdf

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.mark.make_run
def test_the_contratista_adds_its_repse_date_and_reads_its_expiry_and_window(
    page: Page, live_server, contratista, padron_fiscal, entrar_como, tmp_path, settings
):
    settings.ICSOE_HOY = "2027-01-10"
    acuse = tmp_path / "Registro_STPS.pdf"
    acuse.write_bytes(pdf())
    entrar_como(contratista.usuario)
    page.goto(live_server.url + "/contratista/")

    vigencia = page.locator("#vigencia-repse")
    expect(vigencia).to_contain_text("Sin fecha de registro REPSE.")
    expect(vigencia).to_contain_text("Captura la fecha de registro (o de la última renovación)")

    page.get_by_label("Correo electrónico*:", exact=True).fill("contacto@empresa.com.mx")
    page.get_by_label("Confirmar correo electrónico*:").fill("contacto@empresa.com.mx")
    page.get_by_label("Celular*:").fill("5512345678")
    page.get_by_label("Número de registro REPSE*:").fill("AR12345/2021")
    page.get_by_role("radiogroup", name=re.compile("domicilio social del contratista")).get_by_label("Sí").check()
    fecha = page.get_by_label("Fecha de registro o última renovación REPSE:")
    fecha.fill("2027-02-01")  # a date still to come is refused, and nothing is stored
    page.get_by_label("Acuse de registro en padrón de la STPS*:").set_input_files(str(acuse))
    page.get_by_role("button", name="Guardar").click()
    expect(page.get_by_text("La fecha de registro REPSE no puede ser posterior a hoy.")).to_be_visible()
    assert Contratista.objects.get(pk=contratista.pk).repse_fecha_registro is None

    page.get_by_label("Fecha de registro o última renovación REPSE:").fill("2024-03-15")
    page.get_by_role("button", name="Guardar").click()

    expect(page.get_by_role("status")).to_contain_text("Los datos generales del contratista se guardaron exitosamente.")
    expect(vigencia).to_contain_text("Tu registro REPSE vence el 15 de marzo de 2027 (En ventana de renovación).")
    expect(vigencia).to_contain_text("Ventana de renovación: del 15 de diciembre de 2026 al 15 de marzo de 2027.")
    expect(vigencia).not_to_contain_text("Sin fecha")
    expect(page.get_by_label("Fecha de registro o última renovación REPSE:")).to_have_value("2024-03-15")
    assert Contratista.objects.get(pk=contratista.pk).repse_fecha_registro == datetime.date(2024, 3, 15)
