"""core.throttle's rules for an account's password (issue 24, finding 5): failures from one origin (an address,
or a browser the account logged in from before) slow that origin; the account-wide wait applies only to an
origin that has failed for that account, counted from its own last failure, so failures elsewhere never make
the owner wait, and a refused attempt never re-arms anything."""

from __future__ import annotations

import pytest
from django.core.cache import cache

from core import throttle

ORIGEN = throttle.Regla("prueba-origen", presupuesto=5, ventana=900, espera_inicial=30, espera_maxima=900)
CUENTA = throttle.Regla("prueba-cuenta", presupuesto=10, ventana=900, espera_inicial=1, espera_maxima=30)
RED = throttle.Regla("prueba-red", presupuesto=120, ventana=600, espera_inicial=2, espera_maxima=60)
T0 = 1_750_000_000.0


@pytest.fixture(autouse=True)
def _cache_limpia():
    cache.clear()
    yield
    cache.clear()


def _intento(origen: str, cuenta: str = "GODE561231HDFRRN00", red: str | None = None) -> throttle.Intento:
    return throttle.Intento(
        cuenta=(CUENTA, cuenta),
        origen=(ORIGEN, f"{cuenta}|{origen}"),
        comunes=((RED, red),) if red else (),
    )


def test_an_origin_with_no_failures_for_the_account_is_checked_at_once_whatever_the_account_has():
    for n in range(40):
        throttle.intento_fallo(intento=_intento(f"192.0.2.{n}"), ahora=T0 + n)

    assert throttle.intento_espera(intento=_intento("198.51.100.7"), ahora=T0 + 40) is None


def test_an_origin_that_failed_waits_the_account_wide_wait_from_its_own_last_failure():
    for n in range(12):  # the account is past its budget of 10
        throttle.intento_fallo(intento=_intento(f"192.0.2.{n}"), ahora=T0)
    throttle.intento_fallo(intento=_intento("198.51.100.7"), ahora=T0 + 100)  # the 13th: 1 s doubled twice

    espera = throttle.intento_espera(intento=_intento("198.51.100.7"), ahora=T0 + 101)

    assert espera == throttle.Espera(segundos=3, regla=CUENTA)  # 4 s from its failure
    # Failures from elsewhere later on do not re-arm this origin's wait: only its own failures do.
    for n in range(20):
        throttle.intento_fallo(intento=_intento(f"203.0.113.{n}"), ahora=T0 + 107)
    assert throttle.intento_espera(intento=_intento("198.51.100.7"), ahora=T0 + 108) == throttle.Espera(
        segundos=22, regla=CUENTA
    )  # the account's count grew (now a 30 s wait), still counted from this origin's failure at T0 + 100
    assert throttle.intento_espera(intento=_intento("198.51.100.7"), ahora=T0 + 130) is None


def test_the_origin_budget_then_a_wait_that_doubles_and_a_refused_attempt_counts_nothing():
    intento = _intento("203.0.113.9")
    segundos = []
    for n in range(8):
        throttle.intento_fallo(intento=intento, ahora=T0 + 1000 * n)
        espera = throttle.intento_espera(intento=intento, ahora=T0 + 1000 * n)
        segundos.append(espera.segundos if espera else 0)

    assert segundos == [0, 0, 0, 0, 0, 0, 0, 0]  # each window of 15 minutes forgot the last failure

    for _ in range(7):
        throttle.intento_fallo(intento=intento, ahora=T0 + 10_000)
    assert throttle.intento_espera(intento=intento, ahora=T0 + 10_000).segundos == 60  # 2 over: 30 s doubled
    # Asking again while waiting changes nothing.
    for _ in range(50):
        throttle.intento_espera(intento=intento, ahora=T0 + 10_001)
    assert throttle.intento_espera(intento=intento, ahora=T0 + 10_060) is None


def test_the_common_keys_are_checked_and_counted_whatever_the_origin():
    for n in range(121):
        throttle.intento_fallo(intento=_intento("x", cuenta=f"CUENTA{n}", red="203.0.113.5"), ahora=T0)

    espera = throttle.intento_espera(intento=_intento("x", cuenta="OTRA", red="203.0.113.5"), ahora=T0)

    assert espera == throttle.Espera(segundos=2, regla=RED)
    assert throttle.intento_espera(intento=_intento("x", cuenta="OTRA"), ahora=T0) is None


def test_a_success_forgets_the_origin_only():
    for n in range(12):
        throttle.intento_fallo(intento=_intento("198.51.100.7"), ahora=T0 + n)
    throttle.intento_exito(intento=_intento("198.51.100.7"))

    assert throttle.intento_espera(intento=_intento("198.51.100.7"), ahora=T0 + 12) is None
    # The account's count stays: other origins that failed still wait (the 13th: 4 s, from their own failure).
    throttle.intento_fallo(intento=_intento("192.0.2.1"), ahora=T0 + 12)
    assert throttle.intento_espera(intento=_intento("192.0.2.1"), ahora=T0 + 12) == throttle.Espera(
        segundos=4, regla=CUENTA
    )
