"""In the browser: the acuse STPS uploaded while the object storage is down shows the Spanish message, and
nothing was saved."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from contratistas.models import AcuseStps
from core.almacen import MENSAJE, MENSAJE_FALTANTE
from tests.s3 import almacen_caido, almacen_s3, cliente, servidor_s3  # noqa: F401

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


def test_an_acuse_whose_file_is_missing_from_the_bucket_says_so_in_spanish(
    page: Page, live_server, contratista, padron_fiscal, entrar_como, almacen_s3, servidor_s3
):
    """A row whose object is not in the bucket (a restore older than the database, a host that kept it on its
    own disk): «Ver archivo» opens the Spanish page, not a server error, and the acuse stays registered."""
    from django.core.files.base import ContentFile

    from contratistas import services

    pendiente = services.acuse_stps_subir(
        contratista=contratista,
        archivo=ContentFile(pdf(), name="Registro_STPS.pdf"),
        usuario=contratista.usuario,
    )
    AcuseStps.objects.filter(pk=pendiente.pk).update(vigente=True)
    cliente(servidor_s3).delete_object(Bucket=almacen_s3, Key=pendiente.archivo.name)
    entrar_como(contratista.usuario)
    page.goto(live_server.url + "/contratista/")

    with page.expect_popup() as nueva:
        page.get_by_role("link", name="Ver archivo").click()
    pestana = nueva.value

    expect(pestana.get_by_role("heading", name="No pudimos guardar ni leer tu archivo")).to_be_visible()
    expect(pestana.get_by_role("alert")).to_have_text(MENSAJE_FALTANTE)
    assert AcuseStps.objects.filter(pk=pendiente.pk, vigente=True).exists()
