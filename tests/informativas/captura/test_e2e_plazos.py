"""Browser journey: the bandeja tells the contratista the deadline of the period it still has to present, the
days left, and every period it never presented; IMSS staff add a día inhábil in the admin and it moves."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from informativas.models import Informativa

pytestmark = [pytest.mark.e2e, pytest.mark.solo_make_run, pytest.mark.django_db(transaction=True)]


def test_the_bandeja_shows_deadlines_and_periods_not_presented(
    page: Page, live_server, contratista, staff, entrar_como, settings
):
    settings.ICSOE_HOY = "2026-09-10"
    alta = timezone.make_aware(datetime.datetime(2025, 3, 3, 10))
    type(contratista).objects.filter(pk=contratista.pk).update(created_at=alta)
    Informativa.objects.create(contratista=contratista, anio=2025, cuatrimestre=2, tipo="NORMAL", estatus="PRESENTADA")

    entrar_como(contratista.usuario)
    page.goto(live_server.url + "/informativas/")

    pendiente = page.locator('#plazos [data-periodo="2026-2"]')
    expect(pendiente).to_contain_text("Mayo - Agosto 2026")
    expect(pendiente).to_contain_text("Vence el 17 de septiembre de 2026 (faltan 7 días)")
    no_presentados = page.locator("#no-presentados li")
    expect(no_presentados).to_have_text(
        [
            "Enero - Abril 2025: Venció el 19 de mayo de 2025 Ir al periodo",
            "Septiembre - Diciembre 2025: Venció el 19 de enero de 2026 Ir al periodo",
            "Enero - Abril 2026: Venció el 18 de mayo de 2026 Ir al periodo",
        ]
    )
    # Each one links to its period's page (Capturar informativa or Presentar Sin información)
    expect(no_presentados.first.get_by_role("link", name="Ir al periodo")).to_have_attribute(
        "href", f"/informativas/periodos/{contratista.code}/2025/1/"
    )

    # IMSS staff make 17 September inhábil in the admin; the contratista's deadline moves to the 18th
    entrar_como(staff)
    page.goto(live_server.url + "/admin/plazos/diainhabil/add/")
    page.locator("#id_fecha").fill("17/09/2026")
    page.locator("#id_motivo").fill("Acuerdo del H. Consejo Técnico del IMSS")
    page.locator("input[name=_save]").click()
    expect(page.locator(".messagelist")).to_contain_text("se agregó correctamente")

    entrar_como(contratista.usuario)
    page.goto(live_server.url + "/informativas/")
    expect(page.locator('#plazos [data-periodo="2026-2"]')).to_contain_text(
        "Vence el 18 de septiembre de 2026 (faltan 8 días)"
    )
