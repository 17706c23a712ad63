"""Issue 26 in Chromium: staff load the 69-B list from a file in SAT's shape; the contratista adds a contrato
whose contratante is «Definitivo», sees the warning with the cut date, confirms it once, and the audit trail
and staff's admin show it; with the last confirmed check 8 days old the same page says «no verificado»."""

from __future__ import annotations

import datetime
import io
import re

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import Page, expect

from informativas.models import ConfirmacionListaSat, Contrato
from listas_sat.models import Verificacion

from ...listas_sat.archivos import archivo_69b, fila_69b

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

RFC = "CLI010101AB5"


@pytest.fixture(autouse=True)
def _sin_bloqueos():
    cache.clear()


def _pregunta(page: Page, texto: str):
    return page.get_by_role("radiogroup", name=re.compile(re.escape(texto)))


def _validar(page: Page, url: str) -> None:
    page.goto(url)
    page.locator("#id_rfc").fill(RFC)
    page.get_by_role("button", name="Validar").click()
    expect(page.locator("#rfc-validado")).to_contain_text("RFC encontrado en el padrón del SAT")


def test_a_definitivo_contratante_is_warned_with_its_cut_date_confirmed_once_and_shown_to_staff(
    page: Page, live_server, contratista, informativa, padron_sat, staff, entrar_como, tmp_path, settings
):
    settings.ICSOE_LISTAS_SAT_ESPERADAS = ["69b"]
    archivo = tmp_path / "Listado_completo_69-B.csv"
    archivo.write_bytes(archivo_69b([fila_69b(1, RFC, padron_sat.razon_social, "Definitivo")], corte="31 de mayo de 2026"))
    call_command("importar_listas_sat", str(archivo), stdout=io.StringIO())

    entrar_como(contratista.usuario)
    url = f"{live_server.url}/informativas/{informativa.code}/captura/contratante/"
    _validar(page, url)
    aviso = page.locator("[data-hallazgo='69b']")
    expect(aviso).to_contain_text("Definitivo")
    expect(aviso).to_contain_text("fecha de corte 31/05/2026")
    casilla = page.get_by_label(re.compile("Confirmo que conozco que este contratante aparece como Definitivo"))
    expect(casilla).to_be_visible()

    page.locator("#id_correo").fill("compras@cliente.mx")
    page.locator("#id_celular").fill("5511112222")
    _pregunta(page, "domicilio social del contratante").get_by_label("Sí").check()
    _pregunta(page, "domicilio convencional del contratante").get_by_label("Sí").check()
    page.get_by_role("button", name="Agregar contrato").click()
    expect(page.locator("[data-resumen-errores]")).to_contain_text("Confirma que conoces que este contratante")
    assert not Contrato.objects.exists()

    page.get_by_label(re.compile("Confirmo que conozco que este contratante aparece como Definitivo")).check()
    page.get_by_role("button", name="Agregar contrato").click()
    expect(page.get_by_role("status").first).to_contain_text("Se registró el contrato")
    assert ConfirmacionListaSat.objects.get().rfc == RFC

    # The audit trail, in the Resumen
    page.goto(f"{live_server.url}/informativas/{informativa.code}/captura/resumen/")
    expect(page.get_by_text(re.compile("Confirmó que conoce la situación del contratante"))).to_be_visible()

    # Not asked again for the same RFC in this informativa
    _validar(page, url)
    expect(page.locator("[data-hallazgo='69b']")).to_contain_text("Definitivo")
    expect(page.get_by_label(re.compile("Confirmo que conozco"))).to_have_count(0)
    expect(page.locator("[data-confirmado]")).to_be_visible()

    # With the last confirmed check 8 days old, the same page says «no verificado»
    Verificacion.objects.update(created_at=timezone.now() - datetime.timedelta(days=8))
    _validar(page, url)
    expect(page.locator("[data-no-verificado]")).to_contain_text("No verificado")
    expect(page.locator("[data-no-verificado]")).to_contain_text("más de 7 días")

    # Staff see the confirmation in the admin
    page.context.clear_cookies()
    entrar_como(staff)
    page.goto(f"{live_server.url}/admin/informativas/confirmacionlistasat/")
    expect(page.locator("#result_list")).to_contain_text(RFC)
    expect(page.locator("#result_list")).to_contain_text("Definitivo")
    page.goto(f"{live_server.url}/admin/informativas/contrato/?lista_sat=69b_definitivo")
    expect(page.locator("#result_list")).to_contain_text(RFC)
