"""The throttle of failed e.firma attempts (login, Validar, Firmar), with an injected clock: per address only,
a budget then a short growing wait; never per RFC. And the client's address behind trusted proxies."""

from __future__ import annotations

import pytest

from contratistas.freno_efirma import (
    EFIRMA_POR_DIRECCION,
    MENSAJE_DEMASIADOS_INTENTOS,
    efirma_espera,
    efirma_intentar,
)
from core.throttle import direccion_cliente
from firma import sat

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
        return False, error.mensaje
    return True, None


def _espera(segundos: str) -> str:
    return MENSAJE_DEMASIADOS_INTENTOS.format(espera=segundos)


def test_the_budget_and_waits_are_the_documented_ones():
    regla = EFIRMA_POR_DIRECCION
    assert (regla.presupuesto, regla.ventana, regla.espera_inicial, regla.espera_maxima) == (120, 600, 2, 60)
    assert [regla.espera_tras(n) for n in (1, 120, 121, 122, 123, 124, 125, 126, 127, 500)] == [
        0, 0, 2, 4, 8, 16, 32, 60, 60, 60
    ]


def test_an_office_behind_one_address_30_people_failing_3_times_each_all_log_in_without_waiting(reloj):
    personas = [f"PEJJ8001{n:02d}AB6" for n in range(30)]
    for persona in personas:
        for _ in range(3):
            fallar(reloj, rfc=persona)
            reloj.avanzar(5)

    for persona in personas:
        assert efirma_espera(rfc=persona, ip=IP, ahora=reloj()) == 0
        assert intentar(reloj, rfc=persona) == (True, None)


def test_a_flood_from_one_address_is_slowed_with_a_growing_wait_and_never_locked(reloj):
    for n in range(EFIRMA_POR_DIRECCION.presupuesto):
        fallar(reloj, rfc=f"AAA0101{n:02d}AAA"[:12])
    assert intentar(reloj) == (True, None)  # the budget itself never waits

    esperas = []
    for _ in range(7):
        fallar(reloj, rfc="ESI920427886")
        esperas.append(efirma_espera(rfc="", ip=IP, ahora=reloj()))
    assert esperas == [2, 4, 8, 16, 32, 60, 60]  # grows, and stops at a minute

    assert intentar(reloj) == (False, _espera("1 minuto"))
    reloj.avanzar(59)
    assert intentar(reloj, rfc="XIA190128J61") == (False, _espera("1 segundo"))  # any RFC from there
    assert intentar(reloj, rfc="XIA190128J61", ip="203.0.113.50") == (True, None)  # other addresses: no wait
    reloj.avanzar(1)
    assert intentar(reloj) == (True, None)


def test_refused_attempts_do_not_extend_the_wait(reloj):
    for _ in range(EFIRMA_POR_DIRECCION.presupuesto + 3):
        fallar(reloj)
    assert efirma_espera(rfc=RFC, ip=IP, ahora=reloj()) == 8

    for _ in range(7):
        assert intentar(reloj)[0] is False
        reloj.avanzar(1)
    reloj.avanzar(1)
    assert intentar(reloj) == (True, None)


def test_the_window_forgets_its_failures(reloj):
    for _ in range(EFIRMA_POR_DIRECCION.presupuesto + 6):
        fallar(reloj)
    reloj.avanzar(EFIRMA_POR_DIRECCION.ventana)

    fallar(reloj)

    assert efirma_espera(rfc=RFC, ip=IP, ahora=reloj()) == 0


def test_a_victim_rfc_attacked_from_many_addresses_never_waits(reloj):
    for n in range(500):
        fallar(reloj, rfc=RFC, ip=f"198.18.{n // 250}.{n % 250}")

    assert efirma_espera(rfc=RFC, ip="192.0.2.99", ahora=reloj()) == 0
    assert intentar(reloj, rfc=RFC, ip="192.0.2.99") == (True, None)
    assert intentar(reloj, rfc=" eku-900317 3c9 ", ip="198.18.0.1") == (True, None)  # even from an attacker's


def test_a_success_does_not_reset_an_address_that_floods(reloj):
    for _ in range(EFIRMA_POR_DIRECCION.presupuesto + 1):
        fallar(reloj)
    reloj.avanzar(2)
    assert intentar(reloj) == (True, None)

    fallar(reloj)

    assert efirma_espera(rfc=RFC, ip=IP, ahora=reloj()) == 4


def test_every_failure_is_logged_with_rfc_address_and_reason(reloj, caplog):
    with caplog.at_level("WARNING", logger="contratistas.freno_efirma"):
        fallar(reloj, rfc="eku9003173c9", ip="192.0.2.77")

    assert "192.0.2.77" in caplog.text
    assert "EKU9003173C9" in caplog.text
    assert "contrasena_incorrecta" in caplog.text


def test_the_attempts_result_is_returned_and_other_errors_are_not_counted(reloj):
    assert efirma_intentar(rfc=RFC, ip=IP, intento=lambda: "validada", reloj=reloj) == "validada"

    def rompe():
        raise RuntimeError("la base de datos no responde")

    for _ in range(EFIRMA_POR_DIRECCION.presupuesto + 5):
        with pytest.raises(RuntimeError):
            efirma_intentar(rfc=RFC, ip=IP, intento=rompe, reloj=reloj)

    assert efirma_espera(rfc=RFC, ip=IP, ahora=reloj()) == 0


def test_the_message_says_what_to_do_and_blames_no_one():
    mensaje = _espera("2 segundos")

    assert "espera 2 segundos y vuelve a intentarlo" in mensaje
    assert "pueden ser de otras personas" in mensaje
    assert "no está bloqueada" in mensaje


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
