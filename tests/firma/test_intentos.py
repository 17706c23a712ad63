"""The throttle of failed e.firma attempts (login, Validar, Firmar), with an injected clock, and the client's
address behind trusted proxies."""

from __future__ import annotations

import pytest

from firma import sat
from firma.services import ESPERAS, VENTANA, direccion_cliente, efirma_espera, efirma_intentar

RFC = "EKU9003173C9"
IP = "198.51.100.7"

pytestmark = pytest.mark.usefixtures("sin_bloqueos")


class Reloj:
    """A clock the test moves by hand."""

    def __init__(self) -> None:
        self.ahora = 1_750_000_000.0

    def __call__(self) -> float:
        return self.ahora

    def avanzar(self, segundos: float) -> None:
        self.ahora += segundos


@pytest.fixture
def reloj() -> Reloj:
    return Reloj()


def _fallido() -> None:
    raise sat.EfirmaError("contrasena_incorrecta")


def fallar(reloj: Reloj, *, rfc: str = RFC, ip: str | None = IP) -> sat.EfirmaError:
    """One failed attempt, made as soon as the throttle lets it run."""
    reloj.avanzar(efirma_espera(rfc=rfc, ip=ip, ahora=reloj()))
    with pytest.raises(sat.EfirmaError) as error:
        efirma_intentar(rfc=rfc, ip=ip, intento=_fallido, reloj=reloj)
    assert error.value.code == "contrasena_incorrecta"
    return error.value


def intentar(reloj: Reloj, *, rfc: str = RFC, ip: str | None = IP) -> tuple[bool, str | None]:
    """A good attempt: (whether it ran, the refusal message if it did not)."""
    corridas = []
    try:
        efirma_intentar(rfc=rfc, ip=ip, intento=lambda: corridas.append(1), reloj=reloj)
    except sat.EfirmaError as error:
        assert error.code == "demasiados_intentos"
        assert not corridas
        return False, error.message
    return True, None


def test_the_tiers_are_the_documented_ones():
    assert ESPERAS == ((10, 15 * 60), (6, 5 * 60), (3, 30))
    assert VENTANA == 30 * 60


def test_two_failures_do_not_slow_the_next_attempt(reloj):
    fallar(reloj)
    fallar(reloj)

    assert intentar(reloj) == (True, None)


def test_three_failures_slow_the_next_attempt_for_30_seconds(reloj):
    for _ in range(3):
        fallar(reloj)

    assert intentar(reloj) == (
        False,
        "Demasiados intentos fallidos con la e.firma. Intenta de nuevo en 30 segundos.",
    )
    reloj.avanzar(29)
    assert intentar(reloj) == (
        False,
        "Demasiados intentos fallidos con la e.firma. Intenta de nuevo en 1 segundo.",
    )
    reloj.avanzar(1)
    assert intentar(reloj) == (True, None)


def test_six_failures_wait_five_minutes(reloj):
    for _ in range(6):
        fallar(reloj)

    assert intentar(reloj) == (
        False,
        "Demasiados intentos fallidos con la e.firma. Intenta de nuevo en 5 minutos.",
    )
    reloj.avanzar(5 * 60 - 61)
    assert intentar(reloj)[1] == "Demasiados intentos fallidos con la e.firma. Intenta de nuevo en 2 minutos."
    reloj.avanzar(1)
    assert intentar(reloj)[1] == "Demasiados intentos fallidos con la e.firma. Intenta de nuevo en 1 minuto."
    reloj.avanzar(60)
    assert intentar(reloj) == (True, None)


def test_ten_failures_refuse_for_fifteen_minutes_and_refused_attempts_do_not_extend_it(reloj):
    for _ in range(10):
        fallar(reloj)

    assert (
        intentar(reloj)[1] == "Demasiados intentos fallidos con la e.firma. Intenta de nuevo en 15 minutos."
    )
    for _ in range(5):
        reloj.avanzar(60)
        assert intentar(reloj)[0] is False
    reloj.avanzar(10 * 60 - 1)
    assert intentar(reloj)[0] is False
    reloj.avanzar(1)
    assert intentar(reloj) == (True, None)


def test_between_tiers_each_new_failure_waits_its_tier_again(reloj):
    for _ in range(10):
        fallar(reloj)
    reloj.avanzar(15 * 60)

    fallar(reloj)  # the 11th failure, inside the window: still the top tier

    assert efirma_espera(rfc=RFC, ip=IP, ahora=reloj()) == 15 * 60


def test_failures_expire_after_the_window_without_new_ones(reloj):
    for _ in range(10):
        fallar(reloj)
    reloj.avanzar(VENTANA + 1)

    fallar(reloj)
    fallar(reloj)

    assert efirma_espera(rfc=RFC, ip=IP, ahora=reloj()) == 0
    assert intentar(reloj) == (True, None)


def test_one_address_is_throttled_for_any_rfc(reloj):
    for rfc in ("AAA010101AAA", "ESI920427886", "PEJJ800101AB6"):
        fallar(reloj, rfc=rfc)

    assert intentar(reloj, rfc="XIA190128J61") == (
        False,
        "Demasiados intentos fallidos con la e.firma. Intenta de nuevo en 30 segundos.",
    )
    assert intentar(reloj, rfc="XIA190128J61", ip="203.0.113.50") == (True, None)


def test_one_rfc_is_throttled_from_any_address(reloj):
    for ip in ("192.0.2.1", "192.0.2.2", "192.0.2.3"):
        fallar(reloj, ip=ip)

    assert intentar(reloj, ip="192.0.2.4")[0] is False
    assert intentar(reloj, rfc=" eku-900317 3c9 ", ip="192.0.2.5")[0] is False  # typed differently, same RFC


def test_a_success_clears_only_that_rfcs_counter(reloj):
    otro = "ESI920427886"
    for _ in range(2):
        fallar(reloj, rfc=RFC, ip="192.0.2.10")
        fallar(reloj, rfc=otro, ip="192.0.2.20")

    assert intentar(reloj, rfc=RFC, ip="192.0.2.30") == (True, None)

    fallar(reloj, rfc=RFC, ip="192.0.2.30")
    assert efirma_espera(rfc=RFC, ip="192.0.2.30", ahora=reloj()) == 0  # 1 failure, not 3
    fallar(reloj, rfc=otro, ip="192.0.2.20")
    assert efirma_espera(rfc=otro, ip=None, ahora=reloj()) == 30  # the other RFC kept its 2 + 1
    fallar(reloj, rfc="PEJJ800101AB6", ip="192.0.2.10")
    assert efirma_espera(rfc="", ip="192.0.2.10", ahora=reloj()) == 30  # the address kept its 2 + 1


def test_the_attempts_result_is_returned_and_other_errors_are_not_counted(reloj):
    assert efirma_intentar(rfc=RFC, ip=IP, intento=lambda: "validada", reloj=reloj) == "validada"

    def rompe():
        raise RuntimeError("la base de datos no responde")

    for _ in range(5):
        with pytest.raises(RuntimeError):
            efirma_intentar(rfc=RFC, ip=IP, intento=rompe, reloj=reloj)

    assert efirma_espera(rfc=RFC, ip=IP, ahora=reloj()) == 0


# ---------------------------------------------------------------------------------------------------------
# The client's address
# ---------------------------------------------------------------------------------------------------------
def test_without_trusted_proxies_the_address_is_remote_addr_and_x_forwarded_for_is_ignored(settings):
    settings.ICSOE_TRUSTED_PROXIES = 0

    assert (
        direccion_cliente(meta={"REMOTE_ADDR": "192.0.2.1", "HTTP_X_FORWARDED_FOR": "203.0.113.9"})
        == "192.0.2.1"
    )
    assert direccion_cliente(meta={}) is None


@pytest.mark.parametrize(
    ("proxies", "reenviado", "esperada"),
    [
        (1, "203.0.113.9", "203.0.113.9"),
        (1, "1.2.3.4, 203.0.113.9", "203.0.113.9"),  # the client wrote 1.2.3.4 itself: not trusted
        (2, "1.2.3.4, 203.0.113.9, 10.0.0.2", "203.0.113.9"),
        (2, "203.0.113.9", "10.0.0.1"),  # fewer entries than proxies: the header is not what we expect
        (1, "no-es-una-ip", "10.0.0.1"),
        (1, "", "10.0.0.1"),
        (1, "2001:db8::1", "2001:db8::1"),
    ],
)
def test_behind_trusted_proxies_the_address_is_the_one_the_outermost_proxy_saw(
    settings, proxies, reenviado, esperada
):
    settings.ICSOE_TRUSTED_PROXIES = proxies

    assert direccion_cliente(meta={"REMOTE_ADDR": "10.0.0.1", "HTTP_X_FORWARDED_FOR": reenviado}) == esperada
