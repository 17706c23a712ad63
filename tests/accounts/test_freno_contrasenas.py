"""One throttle for every password form (issue 24, findings 5 and 6): the CURP login, /admin/login/, the
password change (the portal's and the admin's) and the reset request. Clients come from distinct addresses
(X-Forwarded-For behind one trusted proxy, ICSOE_TRUSTED_PROXIES=1) and the throttle's clock is moved by hand.
Every password the server checks goes through a real hasher that counts its hashes, so a test sees that an
attempt refused during a wait costs none."""

from __future__ import annotations

import re

import pytest
from django.core import signing
from django.core.cache import cache
from django.test import Client

from accounts.freno import COOKIE
from core import throttle
from tests.accounts.hasher_contador import HasherContador
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db

PROXY = "10.0.0.1"
ATACANTES = ["127.0.0.2", "127.0.0.3", "127.0.0.4"]
VICTIMA = "198.51.100.20"
NUEVA = "Otra-Clave-Segura-2027"

CUANTO = re.compile(r"[Ee]spera (\d+) (segundos?|minutos?)")


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
    settings.PASSWORD_HASHERS = ["tests.accounts.hasher_contador.HasherContador"]
    cache.clear()
    reloj = Reloj()
    monkeypatch.setattr(throttle, "reloj", reloj)
    yield reloj
    cache.clear()


def _desde(ip: str) -> dict[str, str]:
    return {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": ip}


def _texto(respuesta) -> str:
    return " ".join(respuesta.content.decode().split())


def _navegador(dispositivo: str | None = None) -> Client:
    cliente = Client()
    if dispositivo:
        cliente.cookies[COOKIE] = dispositivo
    return cliente


def _cookie(cliente: Client) -> str | None:
    galleta = cliente.cookies.get(COOKIE)
    return galleta.value if galleta else None


def _curp(cliente: Client, curp: str, password: str, ip: str):
    respuesta = cliente.post("/acceso/", {"login": curp, "password": password}, **_desde(ip))
    return respuesta, _texto(respuesta)


def _admin(cliente: Client, usuario: str, password: str, ip: str):
    datos = {"username": usuario, "password": password, "next": "/admin/"}
    respuesta = cliente.post("/admin/login/", datos, **_desde(ip))
    return respuesta, _texto(respuesta)


def _con_hashes(funcion, *args):
    antes = HasherContador.hashes
    respuesta, html = funcion(*args)
    return respuesta, html, HasherContador.hashes - antes


# ----------------------------------------------------------------------------------------------------------
# The CURP login (finding 5)
# ----------------------------------------------------------------------------------------------------------
def test_finding_5_the_victim_gets_in_while_three_addresses_keep_guessing_its_curp(capturista, reloj):
    propio = Client()  # the capturista logged in from its own browser before: that browser holds the cookie
    respuesta, html = _curp(propio, capturista.curp, PASSWORD, VICTIMA)
    assert respuesta.status_code == 302, html
    dispositivo = _cookie(propio)
    for n in range(12):  # about 12 wrong passwords, then one more as each wait lapses, from 3 addresses
        _curp(Client(), capturista.curp, f"adivina-{n}", ATACANTES[n % 3])

    rechazadas, entradas = 0, 0
    for segundo in range(150):
        respuesta, html, hashes = _con_hashes(_curp, Client(), capturista.curp, f"otra-{segundo}", ATACANTES[segundo % 3])
        if "Usuario (CURP)" in html and CUANTO.search(html):
            rechazadas += 1
            assert hashes == 0, "an attempt refused during a wait must not hash the password"
        if segundo % 7 == 0:
            respuesta, html = _curp(_navegador(dispositivo), capturista.curp, PASSWORD, VICTIMA)
            assert respuesta.status_code == 302, f"second {segundo}: {html[:300]}"
            entradas += 1
        reloj.avanzar(1)

    assert entradas == 22
    assert rechazadas >= 120, rechazadas  # the attacker is slowed
    # From a new address, with a new browser, at once.
    respuesta, html = _curp(Client(), capturista.curp, PASSWORD, "127.0.0.5")
    assert respuesta.status_code == 302, html


def test_an_address_that_failed_for_the_curp_waits_at_most_30_seconds_however_the_attack_goes(capturista, reloj):
    for n in range(30):
        _curp(Client(), capturista.curp, f"adivina-{n}", f"192.0.2.{n + 1}")
    reloj.avanzar(1)
    _curp(Client(), capturista.curp, "tecleo-mal", VICTIMA)  # the owner mistypes once, from a new address

    respuesta, html = _curp(Client(), capturista.curp, PASSWORD, VICTIMA)

    assert respuesta.status_code == 200
    assert "no necesariamente tuyos" in html and "espera 30 segundos" in html
    for segundo in range(30):  # the attack goes on: it does not re-arm the owner's wait
        _curp(Client(), capturista.curp, f"otra-{segundo}", ATACANTES[segundo % 3])
        reloj.avanzar(1)
    assert _curp(Client(), capturista.curp, PASSWORD, VICTIMA)[0].status_code == 302


# ----------------------------------------------------------------------------------------------------------
# /admin/login/ (finding 6): staff log in with their username (accounts.User.username)
# ----------------------------------------------------------------------------------------------------------
def test_finding_6_admin_login_flooded_with_40_wrong_passwords_is_slowed_and_staff_still_gets_in(staff, reloj):
    propio = Client()
    assert _admin(propio, staff.username, PASSWORD, VICTIMA)[0].status_code == 302
    dispositivo = _cookie(propio)

    resultados = [_con_hashes(_admin, Client(), staff.username, f"mala-{n}", ATACANTES[0]) for n in range(40)]

    rechazadas = [(html, hashes) for _, html, hashes in resultados if CUANTO.search(html)]
    assert len(rechazadas) == 34  # 5 within the budget, the 6th sets a wait of 30 seconds
    assert all(hashes == 0 for _, hashes in rechazadas)
    assert all(hashes > 0 for _, html, hashes in resultados if not CUANTO.search(html))
    assert "Hubo varios intentos fallidos con este usuario desde tu conexión. Espera 30 segundos" in rechazadas[0][0]
    # The right password from the flooding address, with no cookie, is slowed too (it was accepted before).
    respuesta, html = _admin(Client(), staff.username, PASSWORD, ATACANTES[0])
    assert respuesta.status_code == 200 and CUANTO.search(html)
    # Staff from another address, and from its own browser behind the flooding address, get in at once.
    assert _admin(Client(), staff.username, PASSWORD, "127.0.0.5")[0].status_code == 302
    assert _admin(_navegador(dispositivo), staff.username, PASSWORD, ATACANTES[0])[0].status_code == 302


def test_admin_login_guesses_spread_over_three_addresses_are_slowed_too(staff, reloj):
    for n in range(40):
        _admin(Client(), staff.username, f"mala-{n}", ATACANTES[n % 3])

    for ip in ATACANTES:
        respuesta, html = _admin(Client(), staff.username, PASSWORD, ip)
        assert respuesta.status_code == 200 and CUANTO.search(html)
    assert _admin(Client(), staff.username, PASSWORD, "127.0.0.5")[0].status_code == 302


def test_admin_and_curp_login_count_the_same_account(capturista, reloj):
    """A capturista's CURP guessed at /admin/login/ counts as guessed at the CURP login, and the reverse."""
    for n in range(5):
        _admin(Client(), capturista.curp, f"mala-{n}", ATACANTES[0])
    _admin(Client(), capturista.curp, "mala-5", ATACANTES[0])

    respuesta, html, hashes = _con_hashes(_curp, Client(), capturista.curp, PASSWORD, ATACANTES[0])

    assert respuesta.status_code == 200 and "Espera 30 segundos" in html and hashes == 0


# ----------------------------------------------------------------------------------------------------------
# Password change: the current-password check
# ----------------------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("usuario", "url", "campos"),
    [
        ("capturista", "/cuenta/password/change/", ("oldpassword", "password1", "password2")),
        ("staff", "/admin/password_change/", ("old_password", "new_password1", "new_password2")),
    ],
)
def test_the_password_change_slows_wrong_current_passwords_without_hashing(request, reloj, usuario, url, campos):
    usuario = request.getfixturevalue(usuario)
    cliente = Client()
    cliente.force_login(usuario)
    actual, nueva, confirmar = campos

    def cambiar(password: str):
        respuesta = cliente.post(url, {actual: password, nueva: NUEVA, confirmar: NUEVA}, **_desde(ATACANTES[0]))
        return respuesta, _texto(respuesta)

    for n in range(5):
        respuesta, html, hashes = _con_hashes(cambiar, f"no-es-{n}")
        assert respuesta.status_code == 200 and not CUANTO.search(html) and hashes > 0
    _con_hashes(cambiar, "no-es-5")

    respuesta, html, hashes = _con_hashes(cambiar, PASSWORD)

    assert respuesta.status_code == 200
    assert "Hubo varios intentos fallidos con este usuario desde tu conexión. Espera 30 segundos" in html
    assert hashes == 0
    reloj.avanzar(30)
    assert cambiar(PASSWORD)[0].status_code == 302
    usuario.refresh_from_db()
    assert usuario.check_password(NUEVA)


# ----------------------------------------------------------------------------------------------------------
# The reset request ("¿Olvidaste tu contraseña?"): each one may send an email
# ----------------------------------------------------------------------------------------------------------
def _recuperar(curp: str, correo: str, ip: str):
    respuesta = Client().post("/usuarios/contrasena/olvidada/", {"curp": curp, "correo": correo}, **_desde(ip))
    return respuesta, _texto(respuesta)


def test_the_reset_request_for_one_account_sends_3_emails_then_says_how_long_to_wait(capturista, reloj):
    from core.models import Correo

    for n in range(3):
        assert _recuperar(capturista.curp, capturista.email, ATACANTES[n % 3])[0].status_code == 302

    respuesta, html = _recuperar(capturista.curp, capturista.email, "127.0.0.5")

    assert respuesta.status_code == 429
    assert "Revisa tu correo: la liga más reciente sigue vigente" in html
    assert "espera 1 minuto" in html
    assert Correo.objects.filter(plantilla="capturista_recuperacion").count() == 3
    # Someone who does not know the correo cannot hold the owner's reset back.
    assert _recuperar(capturista.curp, "otro@example.com", "127.0.0.5")[0].status_code == 302
    reloj.avanzar(60)
    assert _recuperar(capturista.curp, capturista.email, "127.0.0.5")[0].status_code == 302


def test_reset_requests_from_one_address_are_slowed_past_an_office_budget(capturista, reloj):
    for n in range(31):  # an office behind one address, each person once: a budget of 30, the 31st sets a wait
        assert _recuperar(f"GODE5612{n:02d}HDFRRN00", f"c{n}@example.com", VICTIMA)[0].status_code == 302

    respuesta, html = _recuperar(capturista.curp, capturista.email, VICTIMA)

    assert respuesta.status_code == 429
    assert "muchas solicitudes para restablecer contraseñas desde tu red" in html
    assert "espera 2 segundos" in html
    assert _recuperar(capturista.curp, capturista.email, "127.0.0.5")[0].status_code == 302


# ----------------------------------------------------------------------------------------------------------
# The device cookie
# ----------------------------------------------------------------------------------------------------------
def test_the_device_cookie_is_signed_httponly_secure_long_lived_and_does_not_show_the_curp(
    capturista, settings, reloj
):
    settings.SESSION_COOKIE_SECURE = True  # as in production (DEBUG off)
    cliente = Client()

    respuesta, _ = _curp(cliente, capturista.curp, PASSWORD, VICTIMA)

    galleta = respuesta.cookies[COOKIE]
    assert galleta["httponly"] and galleta["secure"] and galleta["samesite"] == "Lax"
    assert int(galleta["max-age"]) >= 365 * 24 * 60 * 60
    assert capturista.curp not in galleta.value
    assert capturista.curp not in str(signing.loads(galleta.value, salt="accounts.freno.dispositivo"))


@pytest.mark.parametrize("galleta", ["forjada", "eyJkIjoieCIsImMiOltdfQ:1uX:firma-falsa"])
def test_a_forged_device_cookie_is_ignored(capturista, reloj, galleta):
    for n in range(6):
        _curp(Client(), capturista.curp, f"adivina-{n}", ATACANTES[0])

    respuesta, html = _curp(_navegador(galleta), capturista.curp, PASSWORD, ATACANTES[0])

    assert respuesta.status_code == 200 and "Espera 30 segundos" in html


def test_a_device_cookie_of_another_account_does_not_ease_this_one(capturista, staff, reloj):
    propio = Client()
    assert _admin(propio, staff.username, PASSWORD, ATACANTES[0])[0].status_code == 302
    for n in range(6):
        _curp(Client(), capturista.curp, f"adivina-{n}", ATACANTES[0])

    respuesta, html = _curp(_navegador(_cookie(propio)), capturista.curp, PASSWORD, ATACANTES[0])

    assert respuesta.status_code == 200 and "Espera 30 segundos" in html


# ----------------------------------------------------------------------------------------------------------
# What one wrong password costs the server
# ----------------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("formulario", ["curp", "curp_desconocida", "admin", "admin_desconocido"])
def test_a_wrong_password_costs_the_server_exactly_one_hash(formulario, capturista, staff):
    """Django tried every authentication backend in turn, and two of them (ModelBackend and allauth's, which
    extends it) checked the same username and password: every wrong guess cost two hashes of CPU (an unknown
    user two dummy ones). Only allauth's backend checks passwords now; it keeps ModelBackend's permissions."""
    enviar, cuenta = {
        "curp": (_curp, capturista.curp),
        "curp_desconocida": (_curp, "GODE561231HDFRRN09"),
        "admin": (_admin, staff.username),
        "admin_desconocido": (_admin, "nadie"),
    }[formulario]

    respuesta, html, hashes = _con_hashes(enviar, Client(), cuenta, "no-es-la-clave", VICTIMA)

    assert respuesta.status_code == 200 and not CUANTO.search(html)
    assert hashes == 1


def test_staff_still_get_in_with_their_permissions_and_a_capturista_with_its_curp(capturista, staff):
    assert _admin(Client(), staff.username, PASSWORD, VICTIMA)[0].status_code == 302
    assert staff.has_perm("informativas.view_informativa")
    assert _curp(Client(), capturista.curp, PASSWORD, VICTIMA)[0].status_code == 302
