"""The throttle at every password form (accounts.services has its rules): who the attempt comes from (the
client's address, and the device cookie of a browser that logged into the account before) and the check that
runs around a password, before any hash.

The device cookie: a browser that logged in with a password gets a long-lived, signed, HttpOnly cookie with a
random id of the browser and the accounts that logged in from it (hashed with the secret key: the cookie
does not show a CURP). With it, the browser answers only for its own failures for those accounts, so the
owner gets in from its own browser at once while others guess its password elsewhere, even behind the same
address. It only eases the throttle: it never logs anybody in, and a forged or expired one is ignored.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from typing import TypedDict, TypeVar

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponseBase
from django.utils.crypto import salted_hmac
from django.views.decorators.debug import sensitive_variables

from core.throttle import direccion_cliente

from .services import contrasena_espera, contrasena_exito, contrasena_fallo, cuenta_normalizar

COOKIE = "icsoe_dispositivo"
SAL = "accounts.freno.dispositivo"
DURACION = 365 * 24 * 60 * 60  # a year; refreshed at each login
CUENTAS_POR_NAVEGADOR = 10  # a shared computer of an office: the last ones to log in from it
T = TypeVar("T")


class Origen(TypedDict):
    cuenta: str
    ip: str | None
    dispositivo: str | None


def _huella(cuenta: str) -> str:
    return salted_hmac(SAL, cuenta_normalizar(cuenta)).hexdigest()[:32]


def _leer(request: HttpRequest) -> tuple[str, list[str]] | None:
    """(browser id, hashed accounts) of a valid device cookie, else None."""
    valor = request.COOKIES.get(COOKIE)
    if not valor:
        return None
    try:
        datos = signing.loads(valor, salt=SAL, max_age=DURACION)
    except signing.BadSignature:
        return None
    if not isinstance(datos, dict) or not isinstance(datos.get("d"), str) or not isinstance(datos.get("c"), list):
        return None
    return datos["d"], [c for c in datos["c"] if isinstance(c, str)]


def dispositivo_de(request: HttpRequest, *, cuenta: str) -> str | None:
    """The browser's id when its device cookie names this account (it logged in from here before)."""
    leido = _leer(request)
    return leido[0] if leido and _huella(cuenta) in leido[1] else None


def dispositivo_recordar(request: HttpRequest, respuesta: HttpResponseBase, *, cuenta: str) -> None:
    """After a password login: the browser's device cookie names this account too (from now on, a year)."""
    dispositivo, cuentas = _leer(request) or (secrets.token_urlsafe(16), [])
    huella = _huella(cuenta)
    cuentas = [c for c in cuentas if c != huella][-(CUENTAS_POR_NAVEGADOR - 1) :] + [huella]
    respuesta.set_cookie(
        COOKIE,
        signing.dumps({"d": dispositivo, "c": cuentas}, salt=SAL, compress=True),
        max_age=DURACION,
        secure=settings.SESSION_COOKIE_SECURE,  # true unless DEBUG (or a test server without TLS)
        httponly=True,
        samesite="Lax",
    )


def origen_de(request: HttpRequest, *, cuenta: str) -> Origen:
    return {
        "cuenta": cuenta,
        "ip": direccion_cliente(meta=request.META),
        "dispositivo": dispositivo_de(request, cuenta=cuenta),
    }


def espera_de(request: HttpRequest, *, cuenta: str, pista: str = "") -> str | None:
    """The message telling how long this attempt must wait, checked before any hash (None: go ahead)."""
    return contrasena_espera(**origen_de(request, cuenta=cuenta), pista=pista)


def fallo_de(request: HttpRequest, *, cuenta: str) -> None:
    contrasena_fallo(**origen_de(request, cuenta=cuenta))


def exito_de(request: HttpRequest, *, cuenta: str) -> None:
    contrasena_exito(**origen_de(request, cuenta=cuenta))


@sensitive_variables()  # the check closes over the password
def con_freno(
    request: HttpRequest,
    *,
    cuenta: str,
    comprobar: Callable[[], T],
    fallido: Callable[[], bool] = lambda: True,
    pista: str = "",
) -> T:
    """Runs a form's password check under the throttle. While the attempt must wait, raises ValidationError
    with the wait in its message and never runs the check (no hash). A ValidationError of the check counts as
    a wrong password when ``fallido()`` says so (the admin login also refuses a right password of an account
    that is not staff), and propagates; a pass forgets this origin's failures."""
    if mensaje := espera_de(request, cuenta=cuenta, pista=pista):
        raise ValidationError(mensaje, code="too_many_login_attempts")
    try:
        resultado = comprobar()
    except ValidationError:
        if fallido():
            fallo_de(request, cuenta=cuenta)
        raise
    exito_de(request, cuenta=cuenta)
    return resultado
