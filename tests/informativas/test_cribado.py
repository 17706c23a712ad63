"""informativas.cribado: an informativa's contratantes screened in a fixed number of queries, whatever their
number; only a «Definitivo» of 69-B is pending, and it stops being so once confirmed."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from informativas import cribado
from informativas.captura import services

from .conftest import datos_contratante

pytestmark = pytest.mark.django_db


def _consultas_de_firmar(informativa) -> int:
    with CaptureQueriesContext(connection) as consultas:
        cribado.pendientes_de_confirmar(
            informativa=informativa, consultas=cribado.informativa_cribar(informativa=informativa)
        )
    return len(consultas.captured_queries)


def test_screening_an_informativa_costs_the_same_queries_for_one_or_many_contratantes(
    informativa, contrato, lista_69b, contratista
):
    una = _consultas_de_firmar(informativa)
    for rfc in ("SCO990101AA6", "ABC010101AB1", "XYZ010101AB2"):
        services.contrato_crear(
            informativa=informativa, contratante=datos_contratante(rfc, razon_social="OTRO"), usuario=contratista.usuario
        )

    assert _consultas_de_firmar(informativa) == una <= 5


def test_only_an_unconfirmed_definitivo_is_pending(informativa, contrato, lista_69b, contratista):
    services.contrato_crear(
        informativa=informativa, contratante=datos_contratante("SCO990101AA6", razon_social="SERVICIOS COSTA"),
        usuario=contratista.usuario,
    )
    consultas = cribado.informativa_cribar(informativa=informativa)
    assert [h.situacion for h in consultas["SCO990101AA6"].hallazgos] == ["Presunto"]

    pendientes = cribado.confirmaciones_registrar(informativa=informativa, rfcs=[], usuario=contratista.usuario)
    assert list(pendientes) == ["CLI010101AB5"]
    assert not cribado.confirmaciones_registrar(
        informativa=informativa, rfcs=["CLI010101AB5"], usuario=contratista.usuario
    )
    assert not cribado.pendientes_de_confirmar(informativa=informativa, consultas=consultas)
