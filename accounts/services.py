"""Account rules: términos y condiciones, and the throttle of every password form (the CURP login, /admin/login/,
the password change, the reset request). (The throttle of failed e.firma attempts is in
contratistas.freno_efirma; both use core.throttle.)"""

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


def terminos_exigidos(*, usuario: User) -> bool:
    """Who works only after accepting the current version: whoever enters with its e.firma, the contratista
    and the contratante (the text is the system's terms of use: the e.firma's custody, the notices by email,
    the personal data). Accepted once per account, so an account that is both is asked once."""
    return usuario.rol in (User.Rol.CONTRATISTA, User.Rol.CONTRATANTE)


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
# Every password form: the CURP login, /admin/login/, the password change (the portal's and the admin's)
# ----------------------------------------------------------------------------------------------------------
# One account's password is checked in all of them, so they count its failures under the same keys (a CURP
# guessed at /admin/login/ counts as guessed at the CURP login). The account is the login key as typed,
# trimmed and in capitals: the CURP of a capturista, the username of IMSS staff.
#
# From one origin (the account with one address, or with a browser the account logged in from before: its
# device cookie, accounts.dispositivo) a budget of 5, then waits that grow from 30 seconds to 15 minutes. From
# any origin, past 10 failures, at most 30 seconds, and only for origins that have failed for this account,
# counted from their own last failure (core.throttle.Intento): a CURP is easy to learn, so a wait everybody
# paid would be a lock anyone could put on its owner, who gets in at once from its own browser and from any
# address that has not failed. One address (an office behind one NAT address, many people) has a budget sized
# so that normal typos never reach it; past it, a short growing wait, never a lock. A browser that logged into
# the account before answers only for its own failures: not for its address's, which others may share.
CUENTA_Y_DIRECCION = throttle.Regla(
    "cuenta-y-direccion", presupuesto=5, ventana=15 * 60, espera_inicial=30, espera_maxima=15 * 60
)
CUENTA_Y_DISPOSITIVO = throttle.Regla(
    "cuenta-y-dispositivo", presupuesto=5, ventana=15 * 60, espera_inicial=30, espera_maxima=15 * 60
)
CUENTA = throttle.Regla("cuenta", presupuesto=10, ventana=15 * 60, espera_inicial=1, espera_maxima=30)
CONTRASENA_POR_DIRECCION = throttle.Regla(
    "contrasena-direccion", presupuesto=120, ventana=10 * 60, espera_inicial=2, espera_maxima=60
)
# The CURP login adds where to go when the password is forgotten; staff have no such page.
PISTA_OLVIDO = " Si no recuerdas tu contraseña, usa «¿Olvidaste tu contraseña?»."
MENSAJES_ESPERA = {
    CUENTA_Y_DIRECCION.nombre: (
        "Hubo varios intentos fallidos con este usuario desde tu conexión. Espera {espera} y vuelve a "
        "intentarlo.{pista}"
    ),
    CUENTA_Y_DISPOSITIVO.nombre: (
        "Hubo varios intentos fallidos con este usuario desde este navegador. Espera {espera} y vuelve a "
        "intentarlo.{pista}"
    ),
    CUENTA.nombre: (
        "Hubo varios intentos fallidos con este usuario en los últimos minutos, no necesariamente tuyos. Por "
        "seguridad, espera {espera} y vuelve a intentarlo; tu cuenta no está bloqueada."
    ),
    CONTRASENA_POR_DIRECCION.nombre: (
        "En este momento hay muchos intentos fallidos de inicio de sesión desde tu red (pueden ser de otras "
        "personas que comparten tu conexión). Por seguridad, espera {espera} y vuelve a intentarlo."
    ),
}


def cuenta_normalizar(cuenta: str | None) -> str:
    """The account as the throttle and the device cookie name it: the login key trimmed, in capitals."""
    return (cuenta or "").strip().upper()


def _intento(cuenta: str, ip: str | None, dispositivo: str | None) -> throttle.Intento:
    cuenta = cuenta_normalizar(cuenta)
    if dispositivo:
        return throttle.Intento(cuenta=(CUENTA, cuenta), origen=(CUENTA_Y_DISPOSITIVO, f"{cuenta}|{dispositivo}"))
    return throttle.Intento(
        cuenta=(CUENTA, cuenta),
        origen=(CUENTA_Y_DIRECCION, f"{cuenta}|{ip}" if cuenta and ip else ""),
        comunes=((CONTRASENA_POR_DIRECCION, ip or ""),),
    )


def contrasena_espera(
    *, cuenta: str, ip: str | None, dispositivo: str | None, pista: str = "", ahora: float | None = None
) -> str | None:
    """The message telling how long this password attempt must still wait (None: check the password now).
    ``dispositivo``: the browser's device id when its cookie names this account (accounts.dispositivo)."""
    espera = throttle.intento_espera(intento=_intento(cuenta, ip, dispositivo), ahora=ahora)
    if espera is None:
        return None
    logger.warning(
        "Contraseña: intento rechazado por espera de %s s (%s) para %s desde %s",
        espera.segundos, espera.regla.nombre, cuenta_normalizar(cuenta), ip,
    )
    mensaje = MENSAJES_ESPERA[espera.regla.nombre]
    return mensaje.format(espera=throttle.texto_espera(espera.segundos), pista=pista)


def contrasena_fallo(*, cuenta: str, ip: str | None, dispositivo: str | None, ahora: float | None = None) -> None:
    """Logs and counts one wrong password."""
    logger.warning(
        "Contraseña incorrecta para %s desde %s%s",
        cuenta_normalizar(cuenta), ip, " (navegador conocido)" if dispositivo else "",
    )
    throttle.intento_fallo(intento=_intento(cuenta, ip, dispositivo), ahora=ahora)


def contrasena_exito(*, cuenta: str, ip: str | None, dispositivo: str | None) -> None:
    """The right password: forgets this origin's failures (never the address's across accounts, nor the
    account's from elsewhere)."""
    throttle.intento_exito(intento=_intento(cuenta, ip, dispositivo))


# ----------------------------------------------------------------------------------------------------------
# "¿Olvidaste tu contraseña?": every request may send an email
# ----------------------------------------------------------------------------------------------------------
# Counted per account (the CURP with the correo typed: an email leaves only when both match, so someone who
# does not know the correo cannot hold the owner back) and per address. Each request counts, sent or not, so
# the answer never tells whether they matched. Per account, 3 an hour (a budget of 2: the 3rd sets the wait),
# then a wait from 1 minute to 15: the owner meanwhile has the last link sent, which stays valid. Per address,
# a budget for an office.
RECUPERACION_POR_CUENTA = throttle.Regla(
    "recuperacion-cuenta", presupuesto=2, ventana=60 * 60, espera_inicial=60, espera_maxima=15 * 60
)
RECUPERACION_POR_DIRECCION = throttle.Regla(
    "recuperacion-direccion", presupuesto=30, ventana=10 * 60, espera_inicial=2, espera_maxima=5 * 60
)
MENSAJES_ESPERA_RECUPERACION = {
    RECUPERACION_POR_CUENTA.nombre: (
        "Ya se pidieron varias ligas para restablecer la contraseña de este usuario. Revisa tu correo: la liga "
        "más reciente sigue vigente. Si no te llegó, espera {espera} y vuelve a intentarlo."
    ),
    RECUPERACION_POR_DIRECCION.nombre: (
        "En este momento hay muchas solicitudes para restablecer contraseñas desde tu red (pueden ser de otras "
        "personas que comparten tu conexión). Por seguridad, espera {espera} y vuelve a intentarlo."
    ),
}


def _claves_recuperacion(curp: str, correo: str, ip: str | None) -> list[tuple[throttle.Regla, str]]:
    cuenta = f"{cuenta_normalizar(curp)}|{(correo or '').strip().lower()}"
    return [(RECUPERACION_POR_CUENTA, cuenta), (RECUPERACION_POR_DIRECCION, ip or "")]


def recuperacion_espera(*, curp: str, correo: str, ip: str | None, ahora: float | None = None) -> str | None:
    """The message telling how long this reset request must wait (None: it may be made now)."""
    espera = throttle.espera(claves=_claves_recuperacion(curp, correo, ip), ahora=ahora)
    if espera is None:
        return None
    logger.warning("Recuperación de contraseña: solicitud rechazada por espera de %s s desde %s", espera.segundos, ip)
    return MENSAJES_ESPERA_RECUPERACION[espera.regla.nombre].format(espera=throttle.texto_espera(espera.segundos))


def recuperacion_registrar(*, curp: str, correo: str, ip: str | None, ahora: float | None = None) -> None:
    """Counts one reset request (sent or not: the count must not tell)."""
    throttle.fallo_registrar(claves=_claves_recuperacion(curp, correo, ip), ahora=ahora)
