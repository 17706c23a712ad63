"""Throttling of failed attempts that slows an attacker and never locks an office or a victim out.

Each rule counts failures under one kind of key (an address, a CURP, a CURP from one address...). A key has a
budget of failures per window (a fixed window that opens with its first failure and closes ``ventana``
seconds later, forgetting its failures); within the budget nothing waits. Past the budget, each new failure
makes the next attempt under that key wait, from that failure, ``espera_inicial`` seconds doubled for every
failure over the budget, up to ``espera_maxima``. Attempts refused while waiting are not failures: they do
not extend the wait. Nothing is ever locked: the worst a key can get is ``espera_maxima`` seconds.

Why budgets and short waits instead of lock-outs: an address is shared (an accounting firm behind one NAT
files for its clients on deadline day, and a few typos each must not lock all its people out), and a login
key is public (RFCs are published, CURPs are easy to learn), so any lock on it is a lock anyone can put on
its owner. The budgets are sized so that normal use never reaches them; what reaches them is a flood.

An account's password (``Intento``) is guarded by two counts. Its failures from one origin (an address, or a
browser that logged into the account before) slow that origin. Its failures from anywhere set an account-wide
wait that applies only to an origin with failures of its own for the account, counted from that origin's last
failure: an attacker spread over many addresses slows each of them, but neither makes the owner wait from a
browser or an address that has not failed, nor re-arms the wait of one that has (finding 5 of issue 24: with
one account-wide wait for everybody, one guess each time it lapsed kept the owner out for good).

The counts live in the shared cache (Redis in production), so every web process sees the same ones; the
clock is injected so that tests move time by hand.
"""

from __future__ import annotations

import hashlib
import ipaddress
import math
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache

Reloj = Callable[[], float]
reloj: Reloj = time.time  # the clock used when none is given; tests replace it to move time by hand


@dataclass(frozen=True)
class Regla:
    """A budget of ``presupuesto`` failures per ``ventana`` seconds for one kind of key, then a wait that
    starts at ``espera_inicial`` seconds and doubles with each further failure, up to ``espera_maxima``."""

    nombre: str
    presupuesto: int
    ventana: int
    espera_inicial: int
    espera_maxima: int

    def espera_tras(self, fallos: int) -> int:
        """The wait after the ``fallos``-th failure of a window (0 within the budget)."""
        exceso = fallos - self.presupuesto
        if exceso <= 0:
            return 0
        return min(self.espera_maxima, self.espera_inicial * 2 ** min(exceso - 1, 30))


@dataclass(frozen=True)
class Espera:
    """How long an attempt must still wait, and the rule that asks it (to tell the user why)."""

    segundos: int
    regla: Regla


Claves = Iterable[tuple[Regla, str]]


def _clave(regla: Regla, valor: str) -> str:
    # Hashed: addresses and CURPs do not appear in the cache as they are.
    return f"icsoe:freno:{regla.nombre}:{hashlib.sha256(valor.encode()).hexdigest()[:32]}"


def _estado(regla: Regla, valor: str, ahora: float) -> tuple[int, float, float]:
    """(failures, opening of the window, last failure) of one key, an expired window read as empty."""
    fallos, inicio, ultimo = cache.get(_clave(regla, valor), (0, 0.0, 0.0))
    if ahora - inicio >= regla.ventana:
        return 0, ahora, 0.0
    return fallos, inicio, ultimo


def espera(*, claves: Claves, ahora: float | None = None) -> Espera | None:
    """The longest wait any of the keys still asks (None: the attempt may run now)."""
    ahora = reloj() if ahora is None else ahora
    mayor: Espera | None = None
    for regla, valor in claves:
        if not valor:
            continue
        fallos, _, ultimo = _estado(regla, valor, ahora)
        restante = math.ceil(ultimo + regla.espera_tras(fallos) - ahora) if fallos else 0
        if restante > 0 and (mayor is None or restante > mayor.segundos):
            mayor = Espera(segundos=restante, regla=regla)
    return mayor


def fallo_registrar(*, claves: Claves, ahora: float | None = None) -> None:
    """Counts one failure under each key."""
    ahora = reloj() if ahora is None else ahora
    for regla, valor in claves:
        if not valor:
            continue
        fallos, inicio, _ = _estado(regla, valor, ahora)
        # Kept a little past the window; the window itself is judged from ``inicio``.
        cache.set(_clave(regla, valor), (fallos + 1, inicio, ahora), regla.ventana + regla.espera_maxima)


def olvidar(*, claves: Claves) -> None:
    """Forgets the failures of these keys (a success under a key that belongs to one person)."""
    cache.delete_many([_clave(regla, valor) for regla, valor in claves if valor])


@dataclass(frozen=True)
class Intento:
    """An attempt at one account's password: ``origen`` counts the account's failures from where the attempt
    comes (the account with an address, or with a browser it logged in from before), ``cuenta`` the account's
    failures from anywhere, ``comunes`` further keys checked and counted whatever the account (an address's
    failures across accounts)."""

    cuenta: tuple[Regla, str]
    origen: tuple[Regla, str]
    comunes: tuple[tuple[Regla, str], ...] = ()


def intento_espera(*, intento: Intento, ahora: float | None = None) -> Espera | None:
    """The longest wait this attempt must still make (None: check the password now).

    The account-wide wait applies only when this origin has failures of its own for the account in its
    window, and runs from the origin's last failure: failures elsewhere make it longer, never later."""
    ahora = reloj() if ahora is None else ahora
    mayor = espera(claves=[intento.origen, *intento.comunes], ahora=ahora)
    regla_origen, valor_origen = intento.origen
    fallos_origen, _, ultimo_origen = _estado(regla_origen, valor_origen, ahora) if valor_origen else (0, 0, 0)
    regla_cuenta, valor_cuenta = intento.cuenta
    if fallos_origen and valor_cuenta:
        fallos_cuenta, _, _ = _estado(regla_cuenta, valor_cuenta, ahora)
        restante = math.ceil(ultimo_origen + regla_cuenta.espera_tras(fallos_cuenta) - ahora)
        if restante > 0 and (mayor is None or restante > mayor.segundos):
            mayor = Espera(segundos=restante, regla=regla_cuenta)
    return mayor


def intento_fallo(*, intento: Intento, ahora: float | None = None) -> None:
    """Counts one wrong password under the origin, the account and the common keys."""
    fallo_registrar(claves=[intento.origen, intento.cuenta, *intento.comunes], ahora=ahora)


def intento_exito(*, intento: Intento) -> None:
    """The right password: forgets the origin's failures. The account's count stays (an attacker elsewhere
    must not get a fresh budget each time the owner logs in), and so do the common keys (an address may be
    guessing other accounts)."""
    olvidar(claves=[intento.origen])


def texto_espera(segundos: int) -> str:
    """The wait in words: "45 segundos", "1 minuto", "3 minutos"."""
    if segundos >= 60:
        minutos = -(-segundos // 60)
        return f"{minutos} minuto{'s' if minutos != 1 else ''}"
    return f"{segundos} segundo{'s' if segundos != 1 else ''}"


def direccion_cliente(*, meta: Mapping[str, str]) -> str | None:
    """The client's address for the throttle: REMOTE_ADDR, or behind ICSOE_TRUSTED_PROXIES = N reverse proxies
    the address the outermost of them saw (the N-th entry from the right of X-Forwarded-For; entries further
    left were written by the client and are not trusted)."""
    remota = meta.get("REMOTE_ADDR") or None
    proxies = settings.ICSOE_TRUSTED_PROXIES
    if proxies <= 0:
        return remota
    saltos = [salto.strip() for salto in meta.get("HTTP_X_FORWARDED_FOR", "").split(",") if salto.strip()]
    if len(saltos) < proxies:
        return remota
    try:
        return str(ipaddress.ip_address(saltos[-proxies]))
    except ValueError:
        return remota
