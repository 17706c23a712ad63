"""Contratista operations."""

from __future__ import annotations

from django.db import transaction

from accounts.models import User
from core.services import bitacora_registrar

from .models import Contratista, ContribuyenteSat


def tipo_persona_por_rfc(rfc: str) -> str:
    """12 characters: persona moral; 13: persona física."""
    return Contratista.TipoPersona.MORAL if len(rfc) == 12 else Contratista.TipoPersona.FISICA


@transaction.atomic
def contratista_obtener_o_crear(*, rfc: str, razon_social: str, curp: str | None = None) -> Contratista:
    """Returns the contratista of this RFC, creating it (and its login user) on its first e.firma login.

    The RFC and name come from the certificate, which is authoritative.
    """
    rfc = rfc.strip().upper()
    existente = Contratista.objects.select_related("usuario").filter(rfc=rfc).first()
    if existente:
        return existente
    usuario, _ = User.objects.get_or_create(
        username=rfc,
        defaults={
            "rol": User.Rol.CONTRATISTA,
            "rfc": rfc,
            "curp": curp or "",
            "nombre_completo": razon_social,
        },
    )
    usuario.set_unusable_password()
    usuario.save(update_fields=["password"])
    contratista = Contratista.objects.create(
        usuario=usuario, rfc=rfc, razon_social=razon_social, tipo_persona=tipo_persona_por_rfc(rfc)
    )
    bitacora_registrar(accion="contratistas.contratista.creado", objeto=contratista, usuario=usuario)
    return contratista


def contribuyente_buscar(*, rfc: str) -> ContribuyenteSat | None:
    """Looks an RFC up in the SAT stand-in registry; None when it is not there."""
    return ContribuyenteSat.objects.filter(rfc=rfc.strip().upper()).first()
