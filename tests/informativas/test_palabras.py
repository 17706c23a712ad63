"""Issue 22, wording: a period named as a sentence says "del cuatrimestre Enero – Abril 2026", an ordinal before
"cuatrimestre" is apocopated, a count agrees with its noun ("1 trabajador"), every count and limit carries the
es-MX thousands separator, and the nómina summary says whether it read a ZIP or loose XML files."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from core.models import Correo
from informativas import bitacora
from informativas.models import CargaMasiva, ImportacionNomina, Informativa
from informativas.periodos import Periodo

from .conftest import firmar
from .datos import csv_trabajadores
from .fases import en_el_worker
from .nomina.conftest import nomina_zip, un_cfdi

pytestmark = pytest.mark.django_db


def test_a_period_in_a_sentence_is_the_cuatrimestre_with_its_months_and_year():
    assert Periodo(2025, 2).descripcion == "cuatrimestre Mayo – Agosto 2025"
    assert Periodo(2026, 1).descripcion == "cuatrimestre Enero – Abril 2026"


@pytest.mark.parametrize("pagina", ["informativas:nomina_subir", "informativas:bloque_subir"])
def test_the_upload_pages_name_the_informativa_and_its_period_naturally(
    cliente_contratista, informativa, contrato, pagina
):
    html = cliente_contratista.get(reverse(pagina, args=[informativa.code])).content.decode()

    assert "Informativa Normal del cuatrimestre Enero – Abril 2026" in html
    assert "del Enero" not in html


def test_the_nomina_limits_use_one_number_format(cliente_contratista, informativa, contrato, settings):
    settings.ICSOE_NOMINA_MAX_ARCHIVOS = 200000
    settings.DATA_UPLOAD_MAX_NUMBER_FILES = 1000
    html = cliente_contratista.get(reverse("informativas:nomina_subir", args=[informativa.code])).content.decode()

    assert "(unos 100,000 CFDI)" in html
    assert "hasta 200,000 archivos en el ZIP, o hasta 1,000 archivos XML sueltos" in html
    assert "200000" not in html


def test_the_confirmation_without_complementarias_left_says_primer_cuatrimestre(cliente_contratista, contratista):
    for _ in range(4):  # the four complementarias of 2026-1 used (their drafts count)
        Informativa.objects.create(
            contratista=contratista, anio=2026, cuatrimestre=1, tipo="CORRECCION", estatus="SUSTITUIDA"
        )

    respuesta = cliente_contratista.post(
        reverse("informativas:nueva"), {"anio": 2026, "cuatrimestre": 1, "tipo": "NORMAL"}
    )

    html = respuesta.content.decode()
    assert 'data-aviso="sin-complementarias"' in html
    assert "(Primer cuatrimestre)" in html and "Primero cuatrimestre" not in html


def test_the_acuse_email_names_the_primer_cuatrimestre(pendiente, fiel, contratista):
    firmar(pendiente, fiel, usuario=contratista.usuario)

    texto = Correo.objects.get(plantilla="acuse_presentado").cuerpo_texto
    assert "del primer cuatrimestre (Enero - Abril 2026)" in texto
    assert "primero cuatrimestre" not in texto.lower()


def test_the_bitacora_counts_one_trabajador_and_one_contrato_in_the_singular(pendiente, fiel, contratista):
    presentada = firmar(pendiente, fiel, usuario=contratista.usuario)

    textos = [e["accion"] for e in bitacora.bitacora_de(presentada)]
    presentacion = next(t for t in textos if t.startswith("Firmó y presentó"))
    assert presentacion.endswith("1 trabajador, 1 contrato)")


def test_a_carga_of_one_trabajador_says_so_in_the_singular(cliente_contratista, contrato):
    base = f"/informativas/{contrato.informativa.code}"
    respuesta = cliente_contratista.post(
        f"{base}/contratos/{contrato.code}/carga/",
        {"archivo": SimpleUploadedFile("trabajadores.csv", csv_trabajadores(1).encode())},
    )
    carga_url = respuesta["Location"]
    carga = en_el_worker(CargaMasiva.objects.get())
    html = cliente_contratista.get(carga_url).content.decode()
    assert "Al confirmar se guardará el registro aceptado en el contrato" in html

    cliente_contratista.post(carga_url + "confirmar/")
    en_el_worker(carga)
    html = cliente_contratista.get(carga_url).content.decode()
    assert "Se guardó 1 trabajador el " in html and "1 trabajadores" not in html

    html = cliente_contratista.get(carga_url + "deshacer/").content.decode()
    assert f"eliminar del contrato {contrato.folio} el trabajador que se guardó con el archivo" in html
    html = cliente_contratista.post(carga_url + "deshacer/", follow=True).content.decode()
    assert "Se eliminó 1 trabajador de la carga trabajadores.csv." in html


def test_one_loose_xml_is_summarised_as_what_it_is(cliente_contratista, informativa, contrato, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    cliente_contratista.post(
        reverse("informativas:nomina_subir", args=[informativa.code]),
        {"archivos": SimpleUploadedFile("recibo.xml", un_cfdi(0))},
    )
    importacion = en_el_worker(ImportacionNomina.objects.get())
    html = cliente_contratista.get(
        reverse("informativas:nomina", args=[informativa.code, importacion.code])
    ).content.decode()

    assert "Archivos en el ZIP" not in html
    assert '<dt>Archivo XML subido</dt><dd data-nomina="archivos">1</dd>' in html

    cliente_contratista.post(reverse("informativas:nomina_confirmar", args=[informativa.code, importacion.code]))
    en_el_worker(importacion)
    html = cliente_contratista.get(
        reverse("informativas:nomina", args=[informativa.code, importacion.code])
    ).content.decode()
    assert "Se guardó 1 trabajador el " in html
    assert "1 trabajadores" not in html


def test_a_zip_is_still_summarised_as_a_zip(cliente_contratista, informativa, contrato, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    cliente_contratista.post(
        reverse("informativas:nomina_subir", args=[informativa.code]),
        {"archivos": SimpleUploadedFile("nomina.zip", nomina_zip(3))},
    )
    importacion = en_el_worker(ImportacionNomina.objects.get())
    html = cliente_contratista.get(
        reverse("informativas:nomina", args=[informativa.code, importacion.code])
    ).content.decode()

    assert f'<dt>Archivos en el ZIP</dt><dd data-nomina="archivos">{importacion.archivos:,}</dd>' in html


def test_deleting_one_contrato_or_one_trabajador_is_said_in_the_singular(cliente_contratista, trabajador):
    contrato = trabajador.contrato
    informativa = contrato.informativa

    html = cliente_contratista.get(
        reverse("informativas:contrato_eliminar", args=[informativa.code, contrato.code])
    ).content.decode()
    assert "Se eliminará también su trabajador." in html and "sus 1" not in html

    html = cliente_contratista.get(reverse("informativas:eliminar", args=[informativa.code])).content.decode()
    assert "¿Deseas eliminar la informativa Normal del cuatrimestre Enero – Abril 2026?" in html
    assert "Se eliminarán también su contrato y los trabajadores capturados." in html and "sus 1" not in html


def test_the_bandeja_consulta_and_resumen_write_their_totals_with_the_thousands_separator(
    cliente_contratista, informativa, contrato
):
    """The stored totals (kept by the services) as a large informativa has them: every list and the Resumen
    write «123,456», as the carga and nómina pages do, not «123456»."""
    Informativa.objects.filter(pk=informativa.pk).update(num_contratos=1_234, num_trabajadores=123_456)
    contrato.__class__.objects.filter(pk=contrato.pk).update(num_trabajadores=123_456)

    for url in (reverse("informativas:bandeja"), reverse("informativas:consulta") + "?anio=2026"):
        html = cliente_contratista.get(url).content.decode()
        assert '<td data-columna="trabajadores">123,456</td>' in html, url
        assert '<td data-columna="contratos">1,234</td>' in html, url
    html = cliente_contratista.get(reverse("informativas:paso", args=[informativa.code, "resumen"])).content.decode()
    assert '<dd data-resumen="trabajadores">123,456</dd>' in html
    assert f'<td data-trabajadores="{contrato.folio}">123,456</td>' in html
    assert "123456" not in html
