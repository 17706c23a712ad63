"""In the browser: the acuse STPS uploaded while the object storage is down shows the Spanish message, and
nothing was saved."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from contratistas.models import AcuseStps
from core.almacen import MENSAJE
from tests.s3 import almacen_caido  # noqa: F401

from .conftest import pdf
from .test_e2e_datos_generales import _generales, _pregunta

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_an_upload_while_the_storage_is_down_says_so_in_spanish(
    page: Page, live_server, contratista, padron_fiscal, entrar_como, tmp_path, almacen_caido
):
    acuse = tmp_path / "Registro_STPS.pdf"
    acuse.write_bytes(pdf())
    entrar_como(contratista.usuario)
    page.goto(live_server.url + "/contratista/")
    _generales(page)
    _pregunta(page, "domicilio social del contratista").get_by_label("Sí").check()
    page.get_by_label("Acuse de registro en padrón de la STPS*:").set_input_files(str(acuse))
    page.get_by_role("button", name="Guardar").click()

    expect(page.get_by_role("heading", name="No pudimos guardar ni leer tu archivo")).to_be_visible()
    expect(page.get_by_role("alert")).to_have_text(MENSAJE)
    assert not AcuseStps.objects.exists()
    contratista.refresh_from_db()
    assert contratista.datos_generales_completos is False
