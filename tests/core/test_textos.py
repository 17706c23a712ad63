"""Counts as the portal writes them (issue 22): the es-MX thousands separator and a noun that agrees."""

from __future__ import annotations

from django.template import Context, Template

from core.textos import cuenta, miles, segun


def test_numbers_carry_the_es_mx_thousands_separator():
    assert [miles(n) for n in (0, 999, 1000, 200000, 1500000)] == ["0", "999", "1,000", "200,000", "1,500,000"]


def test_a_count_agrees_with_its_noun():
    assert cuenta(1, "trabajador", "trabajadores") == "1 trabajador"
    assert cuenta(0, "trabajador", "trabajadores") == "0 trabajadores"
    assert cuenta(1500, "contrato", "contratos") == "1,500 contratos"
    assert segun(1, "guardó", "guardaron") == "guardó" and segun(2, "guardó", "guardaron") == "guardaron"


def test_the_template_filters_say_the_same():
    plantilla = Template('{% load textos %}{{ a|miles }} · {{ b|cuenta:"usuario,usuarios" }} · {{ c|cuenta:"usuario,usuarios" }}')
    assert plantilla.render(Context({"a": 200000, "b": 1, "c": 2500})) == "200,000 · 1 usuario · 2,500 usuarios"
