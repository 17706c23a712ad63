"""The bandeja's deadlines: the period still to present with its days left, and every period never presented
since the later of the contratista's alta and two years ago."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from informativas.captura.pendientes import plazos_de
from informativas.models import Informativa
from plazos.models import DiaInhabil

pytestmark = pytest.mark.django_db

D = datetime.date


def _alta(contratista, fecha: datetime.date):
    alta = timezone.make_aware(datetime.datetime.combine(fecha, datetime.time(12)))
    type(contratista).objects.filter(pk=contratista.pk).update(created_at=alta)
    contratista.refresh_from_db()


def _presentada(contratista, anio, cuatrimestre, tipo="NORMAL", estatus="PRESENTADA"):
    return Informativa.objects.create(
        contratista=contratista, anio=anio, cuatrimestre=cuatrimestre, tipo=tipo, estatus=estatus
    )


def _periodos(plazos):
    return [(p.periodo.anio, p.periodo.cuatrimestre) for p in plazos]


def test_the_pending_period_shows_its_deadline_and_days_left(contratista):
    _alta(contratista, D(2025, 1, 10))

    plazos = plazos_de(contratista=contratista, hoy=D(2026, 5, 13))

    assert _periodos(plazos.por_vencer) == [(2026, 1)]
    assert plazos.por_vencer[0].leyenda == "Vence el 18 de mayo de 2026 (faltan 5 días)"
    assert _periodos(plazos.no_presentados) == [(2025, 1), (2025, 2), (2025, 3)]
    assert plazos.no_presentados[0].leyenda == "Venció el 19 de mayo de 2025"


@pytest.mark.parametrize(
    ("hoy", "leyenda"),
    [
        (D(2026, 5, 17), "Vence el 18 de mayo de 2026 (falta 1 día)"),
        (D(2026, 5, 18), "Vence hoy, 18 de mayo de 2026"),
    ],
)
def test_the_last_days_read_in_spanish(contratista, hoy, leyenda):
    assert plazos_de(contratista=contratista, hoy=hoy).por_vencer == []  # alta today: nothing owed yet
    _alta(contratista, D(2026, 1, 5))

    assert plazos_de(contratista=contratista, hoy=hoy).por_vencer[0].leyenda == leyenda


def test_presented_periods_are_not_listed_whatever_the_type_and_drafts_are(contratista):
    _alta(contratista, D(2025, 1, 10))
    _presentada(contratista, 2025, 1)
    _presentada(contratista, 2025, 2, tipo="SIN_INFORMACION")
    Informativa.objects.create(contratista=contratista, anio=2025, cuatrimestre=3, tipo="NORMAL")  # a draft

    plazos = plazos_de(contratista=contratista, hoy=D(2026, 5, 13))

    assert _periodos(plazos.no_presentados) == [(2025, 3)]


def test_a_period_whose_filings_were_left_without_effect_is_still_to_present(contratista):
    """Normal → Corrección → Sin efectos: the period has no filing in force (issue 22), as a period with a filing
    replaced by a Corrección in force has one."""
    _alta(contratista, D(2025, 1, 10))
    _presentada(contratista, 2025, 1, estatus="SUSTITUIDA")
    _presentada(contratista, 2025, 1, tipo="CORRECCION", estatus="SIN_EFECTOS")
    _presentada(contratista, 2025, 1, tipo="SIN_EFECTOS")
    _presentada(contratista, 2025, 2, estatus="SUSTITUIDA")
    _presentada(contratista, 2025, 2, tipo="CORRECCION")

    plazos = plazos_de(contratista=contratista, hoy=D(2026, 5, 13))

    assert _periodos(plazos.no_presentados) == [(2025, 1), (2025, 3)]


def test_only_the_last_two_years_count_for_an_old_contratista(contratista, otro_contratista):
    _alta(contratista, D(2021, 9, 1))
    _presentada(otro_contratista, 2026, 1)  # another contratista's filing changes nothing

    plazos = plazos_de(contratista=contratista, hoy=D(2026, 6, 1))

    assert _periodos(plazos.no_presentados) == [(2024, 2), (2024, 3), (2025, 1), (2025, 2), (2025, 3), (2026, 1)]
    assert plazos.por_vencer == []


def test_a_dia_inhabil_moves_the_pending_deadline(contratista):
    _alta(contratista, D(2026, 1, 5))
    DiaInhabil.objects.create(fecha=D(2026, 9, 17), motivo="Acuerdo del IMSS")

    plazos = plazos_de(contratista=contratista, hoy=D(2026, 9, 10))

    assert plazos.por_vencer[0].leyenda == "Vence el 18 de septiembre de 2026 (faltan 8 días)"
    assert _periodos(plazos.no_presentados) == [(2026, 1)]


def test_the_bandeja_pays_two_queries_for_its_deadlines(client, contratista, settings):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    settings.ICSOE_HOY = "2026-05-13"
    _alta(contratista, D(2021, 9, 1))
    _presentada(contratista, 2025, 1)
    client.force_login(contratista.usuario, backend="contratistas.backends.EfirmaBackend")
    client.get("/informativas/")

    with CaptureQueriesContext(connection) as consultas:
        html = client.get("/informativas/").content.decode()

    assert "Vence el 18 de mayo de 2026 (faltan 5 días)" in html
    assert "Mayo - Agosto 2024: Venció el 17 de septiembre de 2024" in html
    assert "Enero - Abril 2025" not in html
    tablas = [q["sql"] for q in consultas.captured_queries]
    assert sum('"plazos_diainhabil"' in q for q in tablas) == 1
    assert sum('"informativas_informativa"' in q for q in tablas) == 2  # the bandeja's rows and the presented
