"""Exportar excel: the contratista's capturistas as XLSX, opened back with openpyxl and compared with the
database."""

from __future__ import annotations

import io
import re
import time

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from capturistas.models import Relacion
from capturistas.services import COLUMNAS_EXPORTACION, capturista_baja, capturistas_exportar_xlsx
from tests.capturistas.conftest import dar_de_alta

pytestmark = pytest.mark.django_db


def _descargar(cliente):
    respuesta = cliente.get("/usuarios/exportar/")
    assert respuesta.status_code == 200
    contenido = b"".join(respuesta.streaming_content)
    return respuesta, load_workbook(io.BytesIO(contenido))


def _local(valor):
    return timezone.localtime(valor).replace(tzinfo=None, microsecond=0) if valor else None


def test_the_file_is_named_and_typed_as_the_guide_shows(como_contratista, contratista):
    antes = int(time.time() * 1000)

    respuesta, libro = _descargar(como_contratista)

    disposicion = respuesta["Content-Disposition"]
    encontrado = re.search(r'filename="Capturistas_(\d+)_(\d+)\.xlsx"', disposicion)
    assert disposicion.startswith("attachment")
    assert encontrado and int(encontrado.group(1)) == contratista.pk
    assert antes <= int(encontrado.group(2)) <= int(time.time() * 1000)
    assert respuesta["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert libro.sheetnames == ["Reporte Usuarios Icsoe"]
    encabezado = [c.value for c in next(libro.active.iter_rows(max_row=1))]
    assert encabezado == [
        "CURP", "Nombre(s)", "Primer Apellido", "Segundo Apellido", "Rol", "Estatus", "Grupo",
        "Contratista relacionado", "Fecha alta", "Fecha baja", "Fecha actualización",
    ]


def test_the_rows_match_the_database(como_contratista, contratista, capturista, maria, carlos):
    dar_de_alta(contratista, maria)
    en_baja = dar_de_alta(contratista, carlos, correo="carlos@example.com")
    capturista_baja(relacion=en_baja, usuario=contratista.usuario)

    _, libro = _descargar(como_contratista)

    filas = [list(f) for f in libro["Reporte Usuarios Icsoe"].iter_rows(min_row=2, values_only=True)]
    esperadas = []
    relaciones = Relacion.objects.filter(contratista=contratista).select_related("capturista")
    for r in relaciones.order_by("created_at", "pk"):
        esperadas.append([
            r.capturista.curp,
            r.nombres or r.capturista.nombre_completo,
            r.primer_apellido or None,
            r.segundo_apellido or None,
            "Capturista",
            r.get_estatus_display(),
            "Contratista",
            contratista.razon_social,
            _local(r.created_at),
            _local(r.fecha_baja),
            _local(r.updated_at),
        ])
    assert filas == esperadas
    assert len(filas) == 3
    assert {f[5] for f in filas} == {"Activa", "Registrada", "Baja"}
    assert next(f for f in filas if f[0] == carlos.curp)[9] is not None


def test_only_the_contratista_own_capturistas_are_exported(como_contratista, otro_contratista, maria):
    dar_de_alta(otro_contratista, maria)

    _, libro = _descargar(como_contratista)

    assert libro.active.max_row == 1


def test_cells_that_a_spreadsheet_would_evaluate_are_neutralised(contratista, maria):
    relacion = dar_de_alta(contratista, maria)
    Relacion.objects.filter(pk=relacion.pk).update(
        nombres='=HYPERLINK("http://malo.example","clic")',
        primer_apellido="+1+1",
        segundo_apellido="@SUM(A1)",
    )
    contratista.razon_social = "-2+3 SA DE CV"
    contratista.save()
    archivo = io.BytesIO()

    capturistas_exportar_xlsx(contratista=contratista, archivo=archivo)

    hoja = load_workbook(io.BytesIO(archivo.getvalue()))["Reporte Usuarios Icsoe"]
    fila = [c for c in next(hoja.iter_rows(min_row=2))]
    assert fila[1].value == '\'=HYPERLINK("http://malo.example","clic")'
    assert fila[2].value == "'+1+1"
    assert fila[3].value == "'@SUM(A1)"
    assert fila[7].value == "'-2+3 SA DE CV"
    assert all(c.data_type != "f" for c in fila)


def test_the_service_returns_the_number_of_rows(contratista, capturista, maria):
    dar_de_alta(contratista, maria)

    assert capturistas_exportar_xlsx(contratista=contratista, archivo=io.BytesIO()) == 2
    assert len(COLUMNAS_EXPORTACION) == 11


def test_a_capturista_cannot_export_by_url(client, capturista, contratista):
    client.force_login(capturista)
    sesion = client.session
    sesion["contratista_code"] = str(contratista.code)
    sesion.save()

    respuesta = client.get("/usuarios/exportar/")

    assert respuesta.status_code == 403
    assert "No tienes permiso" in respuesta.content.decode()
    assert "spreadsheetml" not in respuesta["Content-Type"]


def test_an_export_of_several_cursor_batches_writes_every_row_once_in_order(contratista, monkeypatch):
    from accounts.models import User
    from capturistas import services

    monkeypatch.setattr(services, "LOTE_EXPORTACION", 2)  # five rows: three round trips of the cursor
    curps = [f"LOTE{i:02d}0101HDFRRN0{i}" for i in range(5)]
    for curp in curps:
        usuario = User.objects.create(username=curp, rol=User.Rol.CAPTURISTA, curp=curp, password="!")
        Relacion.objects.create(contratista=contratista, capturista=usuario, estatus=Relacion.Estatus.ACTIVA)
    archivo = io.BytesIO()

    assert capturistas_exportar_xlsx(contratista=contratista, archivo=archivo) == 5

    hoja = load_workbook(io.BytesIO(archivo.getvalue()))["Reporte Usuarios Icsoe"]
    assert [f[0] for f in hoja.iter_rows(min_row=2, values_only=True)] == curps
