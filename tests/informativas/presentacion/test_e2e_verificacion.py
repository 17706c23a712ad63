"""Browser journey through Debian's Chromium, as anyone without an account: /verificar-acuse/ with the folio and
the code as a person types them (lower case, dashes) shows the filing and what was filed; a folio without its
code shows nothing and names the missing field; the acuse PDF itself is recognised byte for byte, and an edited
copy is reported as not the one the portal issued (issue 13, findings 4 and 5)."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from playwright.sync_api import Page, expect

from ..conftest import firmar

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _sin_bloqueos():
    cache.clear()
    yield
    cache.clear()


def _pdf(informativa) -> bytes:
    with informativa.acuse.pdf.open("rb") as archivo:
        return archivo.read()


def test_anyone_verifies_an_acuse_by_folio_and_code_or_by_its_pdf(
    page: Page, live_server, pendiente, fiel, contratista, tmp_path
):
    presentada = firmar(pendiente, fiel, usuario=contratista.usuario)
    acuse = presentada.acuse
    page.goto(f"{live_server.url}/verificar-acuse/")

    # A folio alone: nothing is shown, the code is asked for at its field, the folio stays typed
    page.get_by_label("Folio definitivo de la informativa").fill(presentada.folio_definitivo)
    page.get_by_role("button", name="Verificar").click()
    expect(page.get_by_text("Captura el código de verificación que aparece en el acuse")).to_be_visible()
    expect(page.get_by_label("Folio definitivo de la informativa")).to_have_value(presentada.folio_definitivo)
    expect(page.locator("#verificacion")).to_have_count(0)
    expect(page.locator("body")).not_to_contain_text(contratista.rfc)

    # Folio and code as a person types them
    page.get_by_label("Código de verificación").fill(acuse.codigo_verificacion_mostrar.lower())
    page.get_by_role("button", name="Verificar").click()
    expect(page.locator('[data-verificacion="valido"]')).to_contain_text("El acuse es auténtico")
    expect(page.locator("#verificacion")).to_contain_text(contratista.rfc)
    tabla = page.get_by_role("table", name=f"Contratos de la informativa {presentada.folio_definitivo}")
    expect(tabla).to_contain_text("CLIENTE INDUSTRIAL SA DE CV")
    expect(tabla.locator("tfoot")).to_contain_text("Total (1 contrato)")

    # The PDF itself, alone: byte for byte the one issued
    original = tmp_path / "acuse.pdf"
    original.write_bytes(_pdf(presentada))
    page.goto(f"{live_server.url}/verificar-acuse/")
    page.get_by_label("Archivo PDF del acuse").set_input_files(str(original))
    page.get_by_role("button", name="Verificar").click()
    expect(page.locator('[data-pdf="identico"]')).to_contain_text("idéntico, byte por byte")
    expect(page.locator("#verificacion")).to_contain_text(presentada.folio_definitivo)

    # An edited copy (one byte) with its folio and code: not the one issued; what was filed is shown beside
    alterado = bytearray(_pdf(presentada))
    alterado[alterado.index(b"stream", alterado.index(b"/Length")) + 40] ^= 0x01
    editado = tmp_path / "acuse-editado.pdf"
    editado.write_bytes(bytes(alterado))
    page.get_by_label("Folio definitivo de la informativa").fill(presentada.folio_definitivo)
    page.get_by_label("Código de verificación").fill(acuse.codigo_verificacion)
    page.get_by_label("Archivo PDF del acuse").set_input_files(str(editado))
    page.get_by_role("button", name="Verificar").click()
    expect(page.locator('[data-pdf="distinto"]')).to_contain_text("NO es idéntico")
    expect(page.locator("#contratos-presentados")).to_contain_text("CLIENTE INDUSTRIAL SA DE CV")
