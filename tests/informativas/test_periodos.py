"""Cuatrimestres, filing windows and deadlines in Central Mexico time."""

from __future__ import annotations

import datetime

import pytest

from informativas.periodos import Periodo, PlazoDePeriodo, anios_disponibles, hoy


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("anio", "cuatrimestre", "limite"),
    [
        (2026, 1, datetime.date(2026, 5, 18)),  # 17 May 2026 is a Sunday
        (2026, 3, datetime.date(2027, 1, 18)),  # 17 Jan 2027 is a Sunday
        (2028, 2, datetime.date(2028, 9, 18)),  # 17 Sep 2028 is a Sunday
        (2025, 1, datetime.date(2025, 5, 19)),  # 17 May 2025 is a Saturday
        (2025, 2, datetime.date(2025, 9, 17)),  # a Wednesday: no change
    ],
)
def test_the_deadline_is_the_17th_moved_past_the_weekend(anio, cuatrimestre, limite):
    assert Periodo(anio, cuatrimestre).fecha_limite == limite


def test_a_period_knows_its_months_and_days():
    periodo = Periodo(2025, 2)

    assert periodo.nombre == "Mayo - Agosto"
    assert periodo.ordinal == "Segundo"
    assert (periodo.inicio, periodo.fin) == (datetime.date(2025, 5, 1), datetime.date(2025, 8, 31))
    assert periodo.contiene(datetime.date(2025, 8, 31))
    assert not periodo.contiene(datetime.date(2025, 9, 1))
    assert Periodo(2025, 3).fin == datetime.date(2025, 12, 31)


@pytest.mark.django_db
def test_a_period_ends_the_day_after_its_last_month_and_is_late_after_the_deadline():
    periodo = Periodo(2026, 1)

    assert not periodo.concluido(fecha=datetime.date(2026, 4, 30))
    assert periodo.concluido(fecha=datetime.date(2026, 5, 1))
    assert not periodo.es_extemporanea(fecha=datetime.date(2026, 5, 18))
    assert periodo.es_extemporanea(fecha=datetime.date(2026, 5, 19))


def test_today_comes_from_the_setting_when_fixed(settings):
    settings.ICSOE_HOY = "2027-01-10"
    settings.ICSOE_RELOJ_PRUEBA = False  # make run's test clock is plazos' (tests/plazos/test_reloj.py)

    assert hoy() == datetime.date(2027, 1, 10)
    assert anios_disponibles()[0] == 2027
    assert anios_disponibles()[-1] == 2021


def test_today_is_the_mexico_city_date_otherwise(settings):
    from django.utils import timezone

    settings.ICSOE_HOY = ""
    settings.ICSOE_RELOJ_PRUEBA = False  # make run's test clock is plazos' (tests/plazos/test_reloj.py)

    assert hoy() == timezone.localdate()


def test_the_period_before_the_first_cuatrimestre_is_the_third_of_the_year_before():
    assert Periodo(2026, 1).anterior == Periodo(2025, 3)
    assert Periodo(2026, 3).anterior == Periodo(2026, 2)


@pytest.mark.parametrize("clave", ["", "2026", "2026-4", "2026-0", "dos-1", "2026-1-1"])
def test_a_clave_that_is_not_a_period_reads_as_none(clave):
    assert Periodo.de_clave(clave) is None


def test_a_periods_clave_reads_back_to_it():
    assert Periodo(2026, 2).clave == "2026-2"
    assert Periodo.de_clave("2026-2") == Periodo(2026, 2)


# ----------------------------------------------------------------------------------------------------------
# One owner for the period (issue 23): the period of a date, the next and previous ones, the deadline's words
# ----------------------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("fecha", "anio", "cuatrimestre"),
    [
        (datetime.date(2026, 1, 1), 2026, 1),
        (datetime.date(2026, 4, 30), 2026, 1),
        (datetime.date(2026, 5, 1), 2026, 2),
        (datetime.date(2026, 8, 31), 2026, 2),
        (datetime.date(2026, 9, 1), 2026, 3),
        (datetime.date(2026, 12, 31), 2026, 3),
    ],
)
def test_the_period_of_a_date_is_the_cuatrimestre_it_falls_in(fecha, anio, cuatrimestre):
    periodo = Periodo.de_fecha(fecha)

    assert periodo == Periodo(anio, cuatrimestre)
    assert periodo.contiene(fecha)


def test_the_next_period_crosses_the_year_and_undoes_the_previous_one():
    assert Periodo(2025, 3).siguiente == Periodo(2026, 1)
    assert Periodo(2026, 1).siguiente == Periodo(2026, 2)
    assert Periodo(2026, 1).anterior == Periodo(2025, 3)
    for cuatrimestre in (1, 2, 3):
        periodo = Periodo(2026, cuatrimestre)
        assert periodo.siguiente.anterior == periodo
        assert periodo.siguiente.inicio == periodo.siguiente_dia


@pytest.mark.parametrize(
    ("dias", "leyenda", "corta"),
    [
        (5, "Vence el 18 de mayo de 2026 (faltan 5 días)", "Vence el 18/05/2026 (faltan 5 días)"),
        (1, "Vence el 18 de mayo de 2026 (falta 1 día)", "Vence el 18/05/2026 (falta 1 día)"),
        (0, "Vence hoy, 18 de mayo de 2026", "Vence el 18/05/2026 (hoy)"),
        (-3, "Venció el 18 de mayo de 2026", "Venció el 18/05/2026"),
    ],
)
def test_a_deadline_says_the_days_left_in_words_and_in_the_boards_short_form(dias, leyenda, corta):
    limite = datetime.date(2026, 5, 18)
    plazo = PlazoDePeriodo.de(Periodo(2026, 1), fecha_limite=limite, hoy=limite - datetime.timedelta(days=dias))

    assert plazo.dias == dias
    assert plazo.leyenda == leyenda
    assert plazo.leyenda_corta == corta


def test_a_period_names_its_cuatrimestre_and_year():
    assert Periodo(2026, 1).cuatrimestre_del_anio == "Primer cuatrimestre de 2026"
    assert Periodo(2025, 3).cuatrimestre_del_anio == "Tercer cuatrimestre de 2025"
