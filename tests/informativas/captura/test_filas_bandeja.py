"""A bandeja row is rendered once per process for the values it shows, then taken from memory as a string
(informativas/captura/filas.py): a row already rendered costs a dict lookup, not ten template variables, an md5
and an unpickle (the {% cache %} tag it replaced). Any value the row shows that changes gives a new row."""

from __future__ import annotations

import pytest
from django.template.loader import render_to_string
from django.test.signals import template_rendered

from informativas.captura.filas import PLANTILLA_FILA, fila_html
from informativas.models import Informativa

pytestmark = pytest.mark.django_db


@pytest.fixture
def renders():
    """How many times the row's template was rendered."""
    veces: list[str] = []

    def contar(sender, template, context, **kwargs):
        if template.name == PLANTILLA_FILA:
            veces.append(template.name)

    template_rendered.connect(contar)
    yield veces
    template_rendered.disconnect(contar)


def _informativa(contratista, **campos) -> Informativa:
    return Informativa.objects.create(contratista=contratista, anio=2025, cuatrimestre=2, tipo="NORMAL", **campos)


def test_a_row_is_rendered_once_and_then_read_from_memory(contratista, renders):
    informativa = _informativa(contratista, num_contratos=3, num_trabajadores=1500)

    primera = fila_html(informativa, es_contratista=True)
    segunda = fila_html(Informativa.objects.get(pk=informativa.pk), es_contratista=True)

    assert segunda == primera and len(renders) == 1
    assert f'<tr data-informativa="{informativa.code}">' in primera
    assert '<td data-columna="trabajadores">1,500</td>' in primera
    assert f"/informativas/{informativa.code}/captura/resumen/" in primera


def test_a_changed_value_gives_a_new_row(contratista, renders):
    informativa = _informativa(contratista)
    antes = fila_html(informativa, es_contratista=True)

    informativa.estatus = Informativa.Estatus.PENDIENTE_FIRMA
    informativa.num_trabajadores = 7
    despues = fila_html(informativa, es_contratista=True)

    assert len(renders) == 2 and despues != antes
    assert f"/informativas/{informativa.code}/firmar/" in despues and "Capturar" not in despues
    assert '<td data-columna="trabajadores">7</td>' in despues


def test_only_the_contratista_sees_firmar(contratista, renders):
    informativa = _informativa(contratista, estatus=Informativa.Estatus.PENDIENTE_FIRMA)

    del_contratista = fila_html(informativa, es_contratista=True)
    del_capturista = fila_html(informativa, es_contratista=False)

    assert ">Firmar</a>" in del_contratista and ">Firmar</a>" not in del_capturista
    assert len(renders) == 2


def test_the_memory_holds_what_its_template_renders(contratista):
    informativa = _informativa(contratista, extemporanea=True)
    fila_html(informativa, es_contratista=True)

    assert fila_html(informativa, es_contratista=True) == render_to_string(
        PLANTILLA_FILA, {"i": informativa, "es_contratista": True}
    )
