"""The throttle of the capturista's CURP login (issue 13, finding 3; issue 24, finding 5), from many addresses
behind a trusted proxy and with a clock the test moves: a flood from one address is slowed, an office behind
one address is not, a CURP attacked from many addresses makes only the addresses that failed for it wait, at
most 30 seconds, and nothing is ever locked. (Every password form: test_freno_contrasenas.py.)"""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.test import Client

from accounts import services
from accounts.models import User
from capturistas.models import Relacion
from core import throttle
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db

PROXY = "10.0.0.1"


class Reloj:
    def __init__(self) -> None:
        self.ahora = 1_750_000_000.0

    def __call__(self) -> float:
        return self.ahora

    def avanzar(self, segundos: float) -> None:
        self.ahora += segundos


@pytest.fixture(autouse=True)
def reloj(settings, monkeypatch):
    settings.ICSOE_TRUSTED_PROXIES = 1
    cache.clear()
    reloj = Reloj()
    monkeypatch.setattr(throttle, "reloj", reloj)
    yield reloj
    cache.clear()


def _entrar(curp: str, password: str, ip: str, client: Client | None = None):
    client = client or Client()
    respuesta = client.post(
        "/acceso/", {"login": curp, "password": password}, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=ip
    )
    return respuesta, " ".join(respuesta.content.decode().split())


def _capturistas(contratista, cuantos: int) -> list[User]:
    usuarios = []
    for n in range(cuantos):
        curp = f"GODE5612{n:02d}HDFRRN00"
        usuario = User.objects.create_user(
            username=curp, password=PASSWORD, rol=User.Rol.CAPTURISTA, curp=curp, email=f"c{n}@example.com"
        )
        Relacion.objects.create(
            contratista=contratista, capturista=usuario, estatus=Relacion.Estatus.ACTIVA,
            telefono="5512345678", correo=usuario.email, usuario_alta=contratista.usuario,
        )
        usuarios.append(usuario)
    return usuarios


# ----------------------------------------------------------------------------------------------------------
# The rules
# ----------------------------------------------------------------------------------------------------------
def test_the_rules_are_the_documented_ones():
    assert [
        (r.nombre, r.presupuesto, r.ventana, r.espera_inicial, r.espera_maxima)
        for r in (
            services.CUENTA_Y_DIRECCION,
            services.CUENTA_Y_DISPOSITIVO,
            services.CUENTA,
            services.CONTRASENA_POR_DIRECCION,
            services.RECUPERACION_POR_CUENTA,
            services.RECUPERACION_POR_DIRECCION,
        )
    ] == [
        ("cuenta-y-direccion", 5, 900, 30, 900),
        ("cuenta-y-dispositivo", 5, 900, 30, 900),
        ("cuenta", 10, 900, 1, 30),
        ("contrasena-direccion", 120, 600, 2, 60),
        ("recuperacion-cuenta", 2, 3600, 60, 900),
        ("recuperacion-direccion", 30, 600, 2, 300),
    ]


def _espera(curp: str, ip: str) -> throttle.Espera | None:
    return throttle.intento_espera(intento=services._intento(curp, ip, None))


def test_one_curp_guessed_from_one_address_waits_longer_each_time_but_is_never_locked(reloj):
    curp, ip = "GODE561231HDFRRN00", "203.0.113.9"
    esperas = []
    for _ in range(9):
        services.contrasena_fallo(cuenta=curp, ip=ip, dispositivo=None)
        esperas.append(_espera(curp, ip))
    segundos = [e.segundos if e else 0 for e in esperas]

    assert segundos == [0, 0, 0, 0, 0, 30, 60, 120, 240]
    reloj.avanzar(240)
    assert services.contrasena_espera(cuenta=curp, ip=ip, dispositivo=None) is None
    assert services.contrasena_espera(cuenta=curp, ip="203.0.113.10", dispositivo=None) is None  # the owner


def test_a_curp_guessed_from_many_addresses_makes_only_the_addresses_that_failed_wait_at_most_30_seconds(reloj):
    curp = "GODE561231HDFRRN00"
    for n in range(200):
        services.contrasena_fallo(cuenta=curp, ip=f"198.18.{n // 200}.{n % 200}", dispositivo=None)

    assert services.contrasena_espera(cuenta=curp, ip="192.0.2.44", dispositivo=None) is None  # never failed
    services.contrasena_fallo(cuenta=curp, ip="192.0.2.44", dispositivo=None)
    mensaje = services.contrasena_espera(cuenta=curp, ip="192.0.2.44", dispositivo=None)

    assert mensaje == (
        "Hubo varios intentos fallidos con este usuario en los últimos minutos, no necesariamente tuyos. Por "
        "seguridad, espera 30 segundos y vuelve a intentarlo; tu cuenta no está bloqueada."
    )
    reloj.avanzar(30)
    assert services.contrasena_espera(cuenta=curp, ip="192.0.2.44", dispositivo=None) is None


# ----------------------------------------------------------------------------------------------------------
# Through the login page, from many addresses
# ----------------------------------------------------------------------------------------------------------
def test_a_flood_from_one_address_is_slowed_for_any_curp_there_and_no_one_elsewhere(capturista, reloj):
    atacante = "203.0.113.5"
    for n in range(services.CONTRASENA_POR_DIRECCION.presupuesto):
        respuesta, html = _entrar(f"LOHF9005{n % 100:02d}MJCPRR06", "adivina", atacante)
        assert "espera" not in html.lower()
        reloj.avanzar(1)
    _entrar("LOHF900514MJCPRR06", "adivina", atacante)

    respuesta, html = _entrar(capturista.curp, PASSWORD, atacante)

    assert respuesta.status_code == 200
    assert "hay muchos intentos fallidos de inicio de sesión desde tu red" in html
    assert "espera 2 segundos y vuelve a intentarlo" in html
    assert _entrar(capturista.curp, PASSWORD, "203.0.113.6")[0].status_code == 302
    reloj.avanzar(2)
    assert _entrar(capturista.curp, PASSWORD, atacante)[0].status_code == 302  # a short wait, not a lock


def test_an_office_of_30_capturistas_behind_one_address_each_failing_3_times_all_log_in_at_once(
    contratista, reloj
):
    oficina = "198.51.100.20"
    capturistas = _capturistas(contratista, 30)
    for usuario in capturistas:
        for _ in range(3):
            assert _entrar(usuario.curp, "tecleo-mal", oficina)[0].status_code == 200
            reloj.avanzar(2)

    for usuario in capturistas:
        respuesta, html = _entrar(usuario.curp, PASSWORD, oficina)
        assert respuesta.status_code == 302, html


def test_a_victim_curp_attacked_from_many_addresses_logs_in_at_once_from_an_address_that_did_not_fail(
    capturista, reloj
):
    for n in range(20):  # as fast as the throttle lets them, each guess from a new address
        ip = f"192.0.2.{n + 1}"
        espera = _espera(capturista.curp, ip)
        reloj.avanzar(espera.segundos if espera else 0)
        respuesta, html = _entrar(capturista.curp, f"adivina-{n}", ip)
        assert "Usuario (CURP)" in html and "espera" not in html.lower()

    assert _entrar(capturista.curp, PASSWORD, "198.51.100.77")[0].status_code == 302


def test_an_owner_who_mistyped_during_an_attack_waits_at_most_30_seconds(capturista, reloj):
    for n in range(20):
        _entrar(capturista.curp, f"adivina-{n}", f"192.0.2.{n + 1}")
    _entrar(capturista.curp, "tecleo-mal", "198.51.100.77")

    respuesta, html = _entrar(capturista.curp, PASSWORD, "198.51.100.77")
    assert respuesta.status_code == 200
    assert "no necesariamente tuyos" in html
    assert "espera 30 segundos" in html

    reloj.avanzar(30)
    assert _entrar(capturista.curp, PASSWORD, "198.51.100.77")[0].status_code == 302


def test_every_failed_login_is_logged_with_curp_and_address(capturista, caplog):
    with caplog.at_level("WARNING", logger="accounts.services"):
        _entrar(capturista.curp, "mala", "192.0.2.200")

    assert capturista.curp in caplog.text
    assert "192.0.2.200" in caplog.text
