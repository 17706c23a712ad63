"""Issue 22, item 5: a payroll ZIP uploaded to an informativa with no contratos is read all the same; the page
names the contratante RFCs found in it with their workers, creates their contratos from the catálogo, or hands
them to Contratos en bloque; then the same ZIP (never uploaded again) is imported."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from informativas.models import Contratante, Contrato, ImportacionNomina, Trabajador
from informativas.nomina import generador, services

from ..fases import en_el_worker
from .conftest import CLIENTE, CLIENTE_2, nomina_zip

pytestmark = pytest.mark.django_db


def _trabajadores_de(rfc: str, n: int) -> int:
    """How many of the generator's ``n`` workers are placed (fully or in part) with ``rfc``."""
    return sum(
        1 for t in generador.plantilla(n, clientes=[CLIENTE, CLIENTE_2]) if rfc in {c for c, _ in t.colocaciones}
    )


@pytest.fixture
def en_catalogo(contratista, padron_sat):
    """CLIENTE as an earlier informativa left it in the catálogo; CLIENTE_2 is in neither catálogo nor padrón."""
    return Contratante.objects.create(
        contratista=contratista,
        rfc=CLIENTE,
        razon_social="CLIENTE INDUSTRIAL SA DE CV",
        correo="compras@cliente.mx",
        celular="5511112222",
        domicilio_social_igual_fiscal=True,
        domicilio_convencional_igual_fiscal=True,
    )


@pytest.fixture
def importacion(informativa, contratista, media):
    return en_el_worker(services.nomina_recibir(
        informativa=informativa,
        contrato=None,
        usuario=contratista.usuario,
        archivos=[SimpleUploadedFile("nomina.zip", nomina_zip(20))],
    ))


def test_a_zip_for_an_informativa_without_contratos_is_read_and_names_its_contratantes(
    importacion, en_catalogo
):
    assert importacion.estatus == ImportacionNomina.Estatus.VALIDADA
    assert importacion.num_trabajadores == 20
    sin_contrato = services.nomina_contratantes_sin_contrato(importacion=importacion)
    assert [(c.rfc, c.trabajadores, c.razon_social, c.en_catalogo) for c in sin_contrato] == [
        (CLIENTE, _trabajadores_de(CLIENTE, 20), "CLIENTE INDUSTRIAL SA DE CV", True),
        (CLIENTE_2, _trabajadores_de(CLIENTE_2, 20), "", False),
    ]
    assert Trabajador.objects.count() == 0


def test_creating_the_contratos_from_the_catalog_imports_the_same_zip(importacion, en_catalogo, contratista):
    creados, fallidos = services.nomina_contratos_crear(
        importacion=importacion, rfcs=[CLIENTE, CLIENTE_2], usuario=contratista.usuario
    )

    [contrato] = creados
    assert (contrato.contratante_rfc, contrato.contratante_correo) == (CLIENTE, "compras@cliente.mx")
    assert contrato.contratante_razon_social == "CLIENTE INDUSTRIAL SA DE CV"
    assert list(fallidos) == [CLIENTE_2]
    importacion.refresh_from_db()
    assert importacion.estatus == ImportacionNomina.Estatus.RECIBIDA  # reviewed again by the worker
    importacion = en_el_worker(importacion)
    assert importacion.estatus == ImportacionNomina.Estatus.VALIDADA
    assert [c.rfc for c in services.nomina_contratantes_sin_contrato(importacion=importacion)] == [CLIENTE_2]
    resumen = services.nomina_resumen(importacion=importacion)
    [fila] = resumen.contratos
    assert fila.recibe and fila.nuevos == _trabajadores_de(CLIENTE, 20)

    importacion = en_el_worker(services.nomina_confirmar(importacion=importacion, usuario=contratista.usuario))
    assert importacion.guardados == _trabajadores_de(CLIENTE, 20)
    assert set(Trabajador.objects.values_list("contrato", flat=True)) == {contrato.pk}


def test_a_contrato_added_elsewhere_is_found_when_the_zip_is_reviewed_again(
    importacion, en_catalogo, informativa, contratista
):
    from informativas.captura import services as captura

    from ..conftest import datos_contratante

    captura.contrato_crear(
        informativa=informativa,
        contratante=datos_contratante(CLIENTE_2, razon_social="CLIENTE DOS SA DE CV"),
        usuario=contratista.usuario,
    )
    assert services.nomina_pendiente_de_revisar(importacion=importacion)
    importacion = en_el_worker(services.nomina_revisar_de_nuevo(importacion=importacion, usuario=contratista.usuario))
    assert not services.nomina_pendiente_de_revisar(importacion=importacion)
    resumen = services.nomina_resumen(importacion=importacion)
    assert [(c.contratante_rfc, c.recibe, c.nuevos) for c in resumen.contratos] == [
        (CLIENTE_2, True, _trabajadores_de(CLIENTE_2, 20))
    ]


def test_contratos_en_bloque_gets_a_template_prefilled_with_the_zips_contratantes(
    cliente_contratista, informativa, en_catalogo
):
    url = reverse("informativas:bloque_plantilla_contratantes", args=[informativa.code])
    respuesta = cliente_contratista.get(url, {"rfc": [CLIENTE, CLIENTE_2]})
    filas = list(load_workbook(io.BytesIO(respuesta.content)).active.iter_rows(values_only=True))
    assert filas[1][:5] == (CLIENTE, "CLIENTE INDUSTRIAL SA DE CV", "No", "compras@cliente.mx", "5511112222")
    assert filas[1][6] == "Sí" and filas[1][12] == "Sí"
    assert filas[2][0] == CLIENTE_2 and not any(filas[2][1:])
    assert len(filas) == 3


def test_the_import_page_names_the_rfcs_and_offers_both_ways(cliente_contratista, importacion, en_catalogo):
    pagina = cliente_contratista.get(
        reverse("informativas:nomina", args=[importacion.informativa.code, importacion.code])
    ).content.decode()
    assert "La informativa no tiene contratos de estos contratantes" in pagina
    assert f'data-rfc-sin-contrato="{CLIENTE}"' in pagina
    assert reverse("informativas:nomina_contratos", args=[importacion.informativa.code, importacion.code]) in pagina
    assert f"rfc={CLIENTE}&amp;rfc={CLIENTE_2}" in pagina  # to Contratos en bloque
    assert not Contrato.objects.exists()
