"""``{% load textos %}``: ``{{ n|miles }}`` ("200,000") and ``{{ n|cuenta:"trabajador,trabajadores" }}``
("1 trabajador"), the helpers of ``core.textos`` in templates."""

from __future__ import annotations

from django import template

from core import textos

register = template.Library()


@register.filter
def miles(numero: int | None) -> str:
    return "" if numero is None else textos.miles(numero)


@register.filter
def cuenta(numero: int | None, formas: str) -> str:
    """``formas``: "singular,plural"."""
    singular, _, plural = formas.partition(",")
    return textos.cuenta(numero or 0, singular, plural)
