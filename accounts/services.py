"""Account rules: términos y condiciones, and throttling of failed e.firma logins."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.cache import cache
from django.db import transaction

from core.services import bitacora_registrar

from .models import AceptacionTerminos, TerminosCondiciones, User

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
# Failed e.firma logins: slowed, then refused for a while, per RFC and per address
# ----------------------------------------------------------------------------------------------------------
# After N failures in the window, wait this many seconds before the next try.
ESPERAS = ((10, 15 * 60), (6, 5 * 60), (3, 30))
VENTANA = 30 * 60


@dataclass(frozen=True)
class Bloqueo:
    segundos: int

    @property
    def mensaje(self) -> str:
        if self.segundos >= 60:
            minutos = -(-self.segundos // 60)
            espera = f"{minutos} minuto{'s' if minutos != 1 else ''}"
        else:
            espera = f"{self.segundos} segundos"
        return f"Demasiados intentos fallidos con la e.firma. Intenta de nuevo en {espera}."


def _claves(rfc: str, ip: str | None) -> list[str]:
    claves = [f"efirma-fallos:rfc:{rfc.strip().upper()}"] if rfc.strip() else []
    if ip:
        claves.append(f"efirma-fallos:ip:{ip}")
    return claves


def _espera(fallos: int) -> int:
    return next((segundos for minimo, segundos in ESPERAS if fallos >= minimo), 0)


def efirma_bloqueo(*, rfc: str, ip: str | None, ahora: float) -> Bloqueo | None:
    """How long this RFC or address must still wait, or None when it may try now."""
    restante = 0
    for clave in _claves(rfc, ip):
        fallos, ultimo = cache.get(clave, (0, 0.0))
        restante = max(restante, int(ultimo + _espera(fallos) - ahora))
    return Bloqueo(restante) if restante > 0 else None


def efirma_registrar_fallo(*, rfc: str, ip: str | None, ahora: float) -> None:
    for clave in _claves(rfc, ip):
        fallos, _ = cache.get(clave, (0, 0.0))
        cache.set(clave, (fallos + 1, ahora), VENTANA)


def efirma_registrar_exito(*, rfc: str) -> None:
    """A success clears the RFC's count, not the address's: one valid e.firma must not reset the counter of
    an address that is guessing passwords for other RFCs."""
    cache.delete_many(_claves(rfc, None))
