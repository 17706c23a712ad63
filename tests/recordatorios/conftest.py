"""Fixtures of the reminders' tests: the September–December 2026 period, whose deadline is Monday 18 January
2027 (the 17th is a Sunday), contratistas registered long before it with an email, and the shared test clock."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from tests.conftest import contratista_con_terminos

PERIODO = (2026, 3)
LIMITE = datetime.date(2027, 1, 18)


def dia(n: int) -> datetime.date:
    """The day ``n`` days from the deadline (−10: ten days before it; +1: the day after)."""
    return LIMITE + datetime.timedelta(days=n)


def preparar(contratista, *, correo: str, **campos):
    """A contratista registered in 2025 with its email set (the reminders' recipient)."""
    from contratistas.models import Contratista

    alta = timezone.make_aware(datetime.datetime(2025, 3, 3, 10))
    Contratista.objects.filter(pk=contratista.pk).update(created_at=alta, correo=correo, **campos)
    contratista.refresh_from_db()
    return contratista


@pytest.fixture
def contratista(contratista):
    return preparar(contratista, correo="avisos@servicios-integrales.mx")


@pytest.fixture
def otro_contratista(otro_contratista):
    return preparar(otro_contratista, correo="juan.perez@example.com")


@pytest.fixture
def tercer_contratista(db):
    c = contratista_con_terminos(rfc="CSO850101AB1", razon_social="CONSTRUCCIONES DEL SOL SA DE CV")
    return preparar(c, correo="contacto@construccionesdelsol.mx")


@pytest.fixture
def presentar():
    """Records a presented informativa of the period (as signing leaves it)."""
    from informativas.models import Informativa

    def hacer(contratista, *, tipo="NORMAL", estatus="PRESENTADA", periodo=PERIODO):
        return Informativa.objects.create(
            contratista=contratista, anio=periodo[0], cuatrimestre=periodo[1], tipo=tipo, estatus=estatus
        )

    return hacer


@pytest.fixture
def reloj(settings, db):
    """The shared test clock, on for this process too (the worker and beat of `make test` have it on)."""
    from plazos import reloj as modulo

    settings.ICSOE_RELOJ_PRUEBA = True
    settings.ICSOE_HOY = ""
    yield modulo
    modulo.reloj_prueba_quitar()
