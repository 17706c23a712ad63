"""Importar nómina's contratantes (the RfcLabora of its CFDI) screened against the SAT's lists: the summary shown
before phase two lists each hit or «no verificado» with its reason; a «Definitivo» of 69-B is confirmed there
(as Validar records it, so Firmar does not ask again) before phase two can be confirmed; nothing else is
blocked; every RFC of the ZIP in one query."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.models import Bitacora
from informativas import cribado
from informativas.models import ConfirmacionListaSat, ImportacionNomina, Trabajador
from informativas.nomina import services

from ..fases import en_el_worker
from .conftest import CLIENTE, CLIENTE_2, nomina_zip

pytestmark = pytest.mark.django_db

CONFIRMACION = "Confirmo que conozco que este contratante aparece como Definitivo en la lista del artículo 69-B del CFF"


def _importar(cliente, informativa, datos: bytes) -> ImportacionNomina:
    cliente.post(
        reverse("informativas:nomina_subir", args=[informativa.code]),
        {"archivos": SimpleUploadedFile("nomina.zip", datos)},
    )
    return en_el_worker(ImportacionNomina.objects.latest("created_at"))


def _pagina(cliente, importacion) -> str:
    url = reverse("informativas:nomina", args=[importacion.informativa.code, importacion.code])
    return cliente.get(url).content.decode()


def _confirmar(cliente, importacion, **datos):
    url = reverse("informativas:nomina_confirmar", args=[importacion.informativa.code, importacion.code])
    return cliente.post(url, datos)


def test_the_summary_lists_the_hits_and_confirming_waits_for_the_definitivo(
    cliente_contratista, informativa, contratista, contrato, contrato_2, lista_69b, media
):
    importacion = _importar(cliente_contratista, informativa, nomina_zip(12))

    html = _pagina(cliente_contratista, importacion)
    assert f"El RFC {CLIENTE} aparece" in html and "Definitivo" in html
    assert "publicado el 20/03/2026" in html and "fecha de corte 31/05/2026" in html
    assert f"El RFC {CLIENTE_2} aparece" not in html
    assert CONFIRMACION in html and f'name="confirmar_lista_sat" value="{CLIENTE}"' in html

    respuesta = _confirmar(cliente_contratista, importacion)
    assert ImportacionNomina.objects.get().estatus == "VALIDADA"
    html = cliente_contratista.get(respuesta["Location"]).content.decode()
    assert f"Confirma que conoces que el contratante {CLIENTE} aparece como Definitivo" in html
    assert "antes de confirmar la importación" in html

    _confirmar(cliente_contratista, importacion, confirmar_lista_sat=CLIENTE)
    assert en_el_worker(importacion).estatus == "APLICADA" and Trabajador.objects.exists()
    confirmacion = ConfirmacionListaSat.objects.get()
    assert (confirmacion.rfc, confirmacion.situacion, confirmacion.usuario) == (CLIENTE, "Definitivo", contratista.usuario)
    assert Bitacora.objects.filter(accion="informativas.informativa.lista_sat_confirmada").count() == 1
    assert not cribado.pendientes_de_confirmar(
        informativa=informativa, consultas=cribado.informativa_cribar(informativa=informativa)
    )


def test_a_nomina_without_a_definitivo_asks_nothing(
    cliente_contratista, informativa, contrato, contrato_2, lista_69b, media
):
    importacion = _importar(cliente_contratista, informativa, nomina_zip(12, clientes=(CLIENTE_2,)))

    html = _pagina(cliente_contratista, importacion)
    assert 'name="confirmar_lista_sat"' not in html and "Definitivo" not in html
    _confirmar(cliente_contratista, importacion)
    assert en_el_worker(importacion).estatus == "APLICADA"


def test_a_list_never_loaded_reads_no_verificado_and_blocks_nothing(
    cliente_contratista, informativa, contrato, contrato_2, settings, media
):
    settings.ICSOE_LISTAS_SAT_ESPERADAS = ["69b"]
    importacion = _importar(cliente_contratista, informativa, nomina_zip(12))

    html = _pagina(cliente_contratista, importacion)
    assert "No verificado" in html and "la lista nunca se ha cargado" in html
    _confirmar(cliente_contratista, importacion)
    assert en_el_worker(importacion).estatus == "APLICADA"


def test_every_contratante_of_the_zip_is_screened_in_one_query(
    cliente_contratista, informativa, contrato, contrato_2, lista_69b, media
):
    def consultas(importacion) -> list[str]:
        with CaptureQueriesContext(connection) as capturadas:
            services.nomina_listas_sat(importacion=importacion)
        return [q["sql"] for q in capturadas.captured_queries]

    una = _importar(cliente_contratista, informativa, nomina_zip(12, clientes=(CLIENTE,)))
    varias = _importar(
        cliente_contratista, informativa,
        nomina_zip(30, clientes=(CLIENTE, CLIENTE_2, "SCO990101AA6", "ABC010101AB1", "XYZ010101AB2")),
    )
    una, varias = ImportacionNomina.objects.get(pk=una.pk), ImportacionNomina.objects.get(pk=varias.pk)

    assert len(consultas(varias)) == len(consultas(una))
    assert sum("coincidencia" in q.lower() for q in consultas(varias)) == 1
    assert {c.rfc for c in services.nomina_listas_sat(importacion=varias).con_hallazgos} == {CLIENTE, "SCO990101AA6"}
