"""The throttle of failed e.firma attempts (login, Validar, Firmar): every failure logged, counted per client
address only, never per RFC (core.throttle). It wraps whatever the attempt is, so it applies the same whether
the server receives the key (as today) or a certificate and a signature made in the browser."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TypeVar

from django.views.decorators.debug import sensitive_variables

from core import throttle
from firma import sat

logger = logging.getLogger(__name__)

# ---------------------------------------------------------------------------------------------------------
# Failed e.firma attempts (login, Validar, Firmar): logged, and counted per address only (core.throttle)
# ---------------------------------------------------------------------------------------------------------
# Never per RFC: a contratista's RFC and certificate are public, so anyone could post them with a junk file or
# signature and make the owner wait. A wrong password or a wrong signature cannot be guessed into a right one
# from the server either (the key never has to reach it), so an RFC count protects nothing. Per address, a
# budget sized for an office behind one NAT address (30 people failing 3 times each stay well within it);
# past it, a short wait that grows, never a lock.
EFIRMA_POR_DIRECCION = throttle.Regla(
    "efirma-direccion", presupuesto=120, ventana=10 * 60, espera_inicial=2, espera_maxima=60
)
MENSAJE_DEMASIADOS_INTENTOS = (
    "En este momento hay muchos intentos fallidos de e.firma desde tu red (pueden ser de otras personas "
    "que comparten tu conexión). Por seguridad, espera {espera} y vuelve a intentarlo; tu e.firma no está "
    "bloqueada."
)
T = TypeVar("T")


def _claves_intentos(ip: str | None) -> list[tuple[throttle.Regla, str]]:
    return [(EFIRMA_POR_DIRECCION, ip or "")]


def efirma_espera(*, ip: str | None, ahora: float, rfc: str = "") -> int:
    """Seconds this address must still wait before the next e.firma attempt (0: it may try now). The RFC is
    accepted and ignored: no RFC is ever made to wait."""
    espera = throttle.espera(claves=_claves_intentos(ip), ahora=ahora)
    return espera.segundos if espera else 0


@sensitive_variables()  # the attempt closes over the e.firma
def efirma_intentar(
    *, rfc: str, ip: str | None, intento: Callable[[], T], reloj: Callable[[], float] | None = None
) -> T:
    """Runs one e.firma attempt under the throttle and returns its result.

    While the address must wait, raises sat.EfirmaError("demasiados_intentos") with the wait and what to do
    in the message, and does not run the attempt. An EfirmaError from the attempt is logged (RFC, address,
    reason) and counted against the address only, then propagates; any other exception propagates uncounted.
    A success clears nothing: one valid e.firma must not reset an address that floods with others.
    """
    ahora = (reloj or throttle.reloj)()
    if espera := efirma_espera(ip=ip, ahora=ahora):
        logger.warning("e.firma: intento rechazado por espera de %s s desde %s (RFC %s)", espera, ip, rfc)
        mensaje = MENSAJE_DEMASIADOS_INTENTOS.format(espera=throttle.texto_espera(espera))
        raise sat.EfirmaError("demasiados_intentos", mensaje)
    try:
        return intento()
    except sat.EfirmaError as error:
        logger.warning(
            "e.firma: intento fallido desde %s con el RFC %s: %s", ip, sat.normalizar_rfc(rfc), error.code
        )
        throttle.fallo_registrar(claves=_claves_intentos(ip), ahora=ahora)
        raise
