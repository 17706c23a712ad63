"""IMSS staff: the SAT registry stand-in loaded from a CSV, and the admin pages of the catalog and acuses."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command

from contratistas.models import AcuseStps, ContribuyenteSat

from .conftest import pdf

pytestmark = pytest.mark.django_db


def test_contribuyentes_load_from_csv_and_update_on_reload(tmp_path):
    archivo = tmp_path / "contribuyentes.csv"
    archivo.write_text(
        "rfc,razon_social,codigo_postal,estado,municipio,colonia,calle,numero_exterior\n"
        "esi920427886,EMPRESA DE SERVICIOS INTEGRALES SA DE CV,06600,Ciudad de México,Cuauhtémoc,Juárez,REFORMA,222\n"
        "PEJJ800101AB6,JUAN PÉREZ JIMÉNEZ,,,,,,\n",
        encoding="utf-8",
    )
    salida = io.StringIO()

    call_command("importar_contribuyentes", str(archivo), stdout=salida)
    archivo.write_text(archivo.read_text(encoding="utf-8").replace("REFORMA", "PASEO DE LA REFORMA"), encoding="utf-8")
    call_command("importar_contribuyentes", str(archivo), stdout=salida)

    assert "2 contribuyentes cargados." in salida.getvalue()
    assert ContribuyenteSat.objects.count() == 2
    assert ContribuyenteSat.objects.get(rfc="ESI920427886").calle == "PASEO DE LA REFORMA"


def test_a_bad_contribuyentes_csv_writes_nothing(tmp_path):
    archivo = tmp_path / "contribuyentes.csv"
    archivo.write_text("rfc,razon_social\nESI920427886,EMPRESA SA\nXYZ,SIN RFC VALIDO\n", encoding="utf-8")

    with pytest.raises(CommandError, match=r"Fila 3: El RFC debe tener 12 caracteres \(persona moral\) o 13"):
        call_command("importar_contribuyentes", str(archivo), stdout=io.StringIO())

    assert not ContribuyenteSat.objects.exists()


def test_staff_browse_the_catalog_and_open_an_acuse_from_the_admin(client, staff, contratista, sepomex):
    from contratistas.services import acuse_stps_subir

    acuse = acuse_stps_subir(
        contratista=contratista,
        archivo=SimpleUploadedFile("Registro_STPS.pdf", pdf(), content_type="application/pdf"),
        usuario=contratista.usuario,
    )
    client.force_login(staff)

    assert "Peñón de los Baños" in client.get("/admin/contratistas/asentamiento/?q=15520").content.decode()
    lista = client.get("/admin/contratistas/acusestps/").content.decode()
    assert f"/contratista/acuse-stps/{acuse.code}/" in lista
    assert client.get("/admin/contratistas/asentamiento/add/").status_code == 403
    assert AcuseStps.objects.count() == 1
