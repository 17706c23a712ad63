"""Account rules: términos y condiciones, and the throttle of the capturista's CURP login. (The throttle of
failed e.firma attempts is in firma.services; both use core.throttle.)"""

from __future__ import annotations

import logging

from django.db import transaction

from core import throttle
from core.services import bitacora_registrar

from .models import AceptacionTerminos, TerminosCondiciones, User

logger = logging.getLogger(__name__)

# ----------------------------------------------------------------------------------------------------------
# Términos y condiciones
# ----------------------------------------------------------------------------------------------------------


def terminos_vigentes() -> TerminosCondiciones | None:
    return TerminosCondiciones.objects.filter(activo=True).order_by("-vigente_desde").first()


def terminos_pendientes(*, usuario: User) -> TerminosCondiciones | None:
    """The current version when this user has not accepted it yet, else None."""
    vigentes = terminos_vigentes()
    if vigentes and not AceptacionTerminos.objects.filter(usuario=usuario, terminos=vigentes).exists():
        return vigentes
    return None


@transaction.atomic
def terminos_aceptar(*, usuario: User, terminos: TerminosCondiciones, ip: str | None) -> AceptacionTerminos:
    aceptacion, creada = AceptacionTerminos.objects.get_or_create(
        usuario=usuario, terminos=terminos, defaults={"ip": ip}
    )
    if creada:
        bitacora_registrar(
            accion="accounts.terminos.aceptados", objeto=usuario, usuario=usuario, datos={"version": terminos.version}
        )
    return aceptacion


# ----------------------------------------------------------------------------------------------------------
# CURP login (capturistas): failures counted per CURP from one address, per CURP, and per address
# ----------------------------------------------------------------------------------------------------------
# Someone guessing one capturista's password from one address meets a budget of 5, then waits that grow from
# 30 seconds to 15 minutes. The same CURP from any address (a guesser spread over many addresses) only ever
# gets a short delay, at most 30 seconds: a CURP is easy to learn, so anything longer would be a lock anyone
# could put on its owner. One address (an office behind one NAT address, many capturistas) has a budget sized
# so that normal typos never reach it; past it, a short growing wait, never a lock.
CURP_Y_DIRECCION = throttle.Regla(
    "curp-y-direccion", presupuesto=5, ventana=15 * 60, espera_inicial=30, espera_maxima=15 * 60
)
CURP = throttle.Regla("curp", presupuesto=10, ventana=15 * 60, espera_inicial=1, espera_maxima=30)
CURP_POR_DIRECCION = throttle.Regla(
    "curp-direccion", presupuesto=120, ventana=10 * 60, espera_inicial=2, espera_maxima=60
)
MENSAJES_ESPERA = {
    CURP_Y_DIRECCION.nombre: (
        "Hubo varios intentos fallidos con este usuario desde tu conexión. Espera {espera} y vuelve a "
        "intentarlo; si no recuerdas tu contraseña, usa «¿Olvidaste tu contraseña?»."
    ),
    CURP.nombre: (
        "Hubo varios intentos fallidos con este usuario en los últimos minutos, no necesariamente tuyos. Por "
        "seguridad, espera {espera} y vuelve a intentarlo; tu cuenta no está bloqueada."
    ),
    CURP_POR_DIRECCION.nombre: (
        "En este momento hay muchos intentos fallidos de inicio de sesión desde tu red (pueden ser de otras "
        "personas que comparten tu conexión). Por seguridad, espera {espera} y vuelve a intentarlo."
    ),
}


def _claves_login(curp: str, ip: str | None) -> list[tuple[throttle.Regla, str]]:
    curp = (curp or "").strip().upper()
    return [
        (CURP_Y_DIRECCION, f"{curp}|{ip}" if curp and ip else ""),
        (CURP, curp),
        (CURP_POR_DIRECCION, ip or ""),
    ]


def login_curp_espera(*, curp: str, ip: str | None, ahora: float | None = None) -> str | None:
    """The message telling how long this login must still wait and what to do (None: it may run now)."""
    espera = throttle.espera(claves=_claves_login(curp, ip), ahora=ahora)
    if espera is None:
        return None
    logger.warning("Login con CURP: intento rechazado por espera de %s s desde %s", espera.segundos, ip)
    return MENSAJES_ESPERA[espera.regla.nombre].format(espera=throttle.texto_espera(espera.segundos))


def login_curp_fallo(*, curp: str, ip: str | None, ahora: float | None = None) -> None:
    """Logs and counts one failed CURP login."""
    logger.warning("Login con CURP: contraseña incorrecta para %s desde %s", (curp or "").strip().upper(), ip)
    throttle.fallo_registrar(claves=_claves_login(curp, ip), ahora=ahora)


def login_curp_exito(*, curp: str, ip: str | None) -> None:
    """The owner got in: forget this CURP's failures (never the address's, which may be guessing others)."""
    throttle.olvidar(claves=_claves_login(curp, ip)[:2])
