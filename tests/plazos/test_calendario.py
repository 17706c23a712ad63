"""The calendar of the law (CFF art. 12): the deadline of each cuatrimestre, its business-day rules, lateness
and days left, and the días inhábiles IMSS staff add in the admin."""

from __future__ import annotations

import datetime

import pytest

from plazos import services
from plazos.models import DiaInhabil

pytestmark = pytest.mark.django_db

D = datetime.date


@pytest.mark.parametrize(
    ("anio", "cuatrimestre", "limite"),
    [
        (2026, 1, D(2026, 5, 18)),  # 17 May 2026 is a Sunday
        (2026, 2, D(2026, 9, 17)),  # a Thursday
        (2026, 3, D(2027, 1, 18)),  # 17 Jan 2027 is a Sunday
        (2027, 1, D(2027, 5, 17)),  # a Monday
    ],
)
def test_the_deadlines_of_known_periods(anio, cuatrimestre, limite):
    assert services.fecha_limite(anio=anio, cuatrimestre=cuatrimestre) == limite


def test_weekends_are_not_business_days():
    assert not services.es_dia_habil(fecha=D(2025, 5, 17))  # Saturday
    assert not services.es_dia_habil(fecha=D(2026, 5, 17))  # Sunday
    assert services.dia_habil_desde(fecha=D(2025, 5, 17)) == D(2025, 5, 19)
    assert services.fecha_limite(anio=2025, cuatrimestre=1) == D(2025, 5, 19)


@pytest.mark.parametrize(
    ("festivo", "siguiente_habil"),
    [
        (D(2026, 9, 16), D(2026, 9, 17)),  # Independencia, a Wednesday
        (D(2027, 1, 1), D(2027, 1, 4)),  # Año nuevo, a Friday, then the weekend
        (D(2026, 11, 16), D(2026, 11, 17)),  # Revolución: third Monday of November
        (D(2026, 2, 2), D(2026, 2, 3)),  # Constitución: first Monday of February
        (D(2026, 5, 1), D(2026, 5, 4)),  # Día del Trabajo, a Friday
        (D(2026, 12, 25), D(2026, 12, 28)),  # Navidad, a Friday
    ],
)
def test_the_federal_holidays_of_the_holidays_package_are_not_business_days(festivo, siguiente_habil):
    assert festivo.weekday() < 5
    assert not services.es_dia_habil(fecha=festivo)
    assert services.dia_habil_desde(fecha=festivo) == siguiente_habil


def test_the_5th_of_may_is_not_a_business_day_though_no_federal_holiday():
    import holidays

    assert D(2026, 5, 5) not in holidays.country_holidays("MX", years=2026)  # CFF adds it, the LFT does not
    assert not services.es_dia_habil(fecha=D(2026, 5, 5))  # a Tuesday
    assert services.dia_habil_desde(fecha=D(2026, 5, 5)) == D(2026, 5, 6)
    assert services.es_dia_habil(fecha=D(2026, 5, 6))


def test_a_dia_inhabil_staff_record_moves_the_deadline_to_the_next_business_day():
    assert services.fecha_limite(anio=2026, cuatrimestre=2) == D(2026, 9, 17)

    DiaInhabil.objects.create(fecha=D(2026, 9, 17), motivo="Acuerdo del H. Consejo Técnico del IMSS")
    assert services.fecha_limite(anio=2026, cuatrimestre=2) == D(2026, 9, 18)

    DiaInhabil.objects.create(fecha=D(2026, 9, 18), motivo="Acuerdo del H. Consejo Técnico del IMSS")
    assert services.fecha_limite(anio=2026, cuatrimestre=2) == D(2026, 9, 21)  # then the weekend


def test_a_filing_on_the_deadline_is_on_time_and_the_day_after_is_late():
    assert not services.es_extemporanea(anio=2026, cuatrimestre=1, fecha=D(2026, 5, 18))
    assert services.es_extemporanea(anio=2026, cuatrimestre=1, fecha=D(2026, 5, 19))
    assert not services.es_extemporanea(anio=2026, cuatrimestre=1, fecha=D(2026, 5, 1))


def test_days_left_count_calendar_days_to_the_deadline():
    assert services.dias_restantes(anio=2026, cuatrimestre=1, hoy=D(2026, 5, 13)) == 5
    assert services.dias_restantes(anio=2026, cuatrimestre=1, hoy=D(2026, 5, 18)) == 0
    assert services.dias_restantes(anio=2026, cuatrimestre=1, hoy=D(2026, 5, 20)) == -2


def test_an_out_of_range_cuatrimestre_is_refused():
    with pytest.raises(ValueError, match="cuatrimestre fuera de rango"):
        services.fecha_limite(anio=2026, cuatrimestre=4)


def test_many_deadlines_at_once_agree_with_one_by_one_in_a_single_query(django_assert_num_queries):
    DiaInhabil.objects.create(fecha=D(2026, 9, 17), motivo="Acuerdo del IMSS")
    periodos = [(anio, c) for anio in (2024, 2025, 2026, 2027) for c in (1, 2, 3)]

    with django_assert_num_queries(1):
        juntas = services.fechas_limite(periodos=periodos)

    assert juntas == {p: services.fecha_limite(anio=p[0], cuatrimestre=p[1]) for p in periodos}
    assert juntas[(2026, 2)] == D(2026, 9, 18)


def test_a_run_of_dias_inhabiles_longer_than_the_window_is_followed():
    for i in range(40):
        DiaInhabil.objects.create(fecha=D(2026, 9, 17) + datetime.timedelta(days=i), motivo="Contingencia")

    limite = services.fecha_limite(anio=2026, cuatrimestre=2)

    assert limite == D(2026, 10, 27)  # 17 Sep + 40 days is Tuesday 27 October
    assert services.fechas_limite(periodos=[(2026, 2)]) == {(2026, 2): limite}


def test_the_pinned_holidays_calendar_is_the_federal_one():
    """Guards a raise of the ``holidays`` pin: its Mexico calendar for 2026 must be the LFT art. 74 days."""
    import holidays

    assert sorted(holidays.country_holidays("MX", years=2026)) == [
        D(2026, 1, 1),
        D(2026, 2, 2),
        D(2026, 3, 16),
        D(2026, 5, 1),
        D(2026, 9, 16),
        D(2026, 11, 16),
        D(2026, 12, 25),
    ]
    assert not services.es_dia_habil(fecha=D(2024, 10, 1))  # transmisión del Poder Ejecutivo Federal, 2024
