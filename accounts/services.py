"""Account rules: términos y condiciones. (The throttle of failed e.firma attempts is in firma.services.)"""

from __future__ import annotations

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
