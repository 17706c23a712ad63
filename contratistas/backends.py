"""Authentication backend for the contratista's e.firma login (owned by the e.firma login, issue 3)."""

from __future__ import annotations

from django.http import HttpRequest

from accounts.models import User
from firma import retos

from .services import contratista_obtener_o_crear


class EfirmaBackend:
    """Authenticates a contratista from a login challenge signed in the browser and verified by
    ``firma.services.efirma_firma_verificar`` (the challenge, issued to this session and this certificate by
    "Validar", was consumed there: a signed challenge logs in once). Nothing else is accepted: a verified
    signature of another purpose (a cadena original) never logs in. On the first login the contratista is
    created from the certificate.
    """

    def authenticate(self, request: HttpRequest | None, efirma: retos.FirmaVerificada | None = None) -> User | None:
        if not isinstance(efirma, retos.FirmaVerificada) or efirma.proposito != retos.ACCESO:
            return None
        certificado = efirma.certificado
        contratista = contratista_obtener_o_crear(
            rfc=certificado.rfc, razon_social=certificado.nombre, curp=certificado.curp
        )
        usuario = contratista.usuario
        return usuario if usuario.is_active else None

    def get_user(self, user_id: int) -> User | None:
        # Runs on every request: the contratista comes in the same query (the Perfil strip and
        # capturistas.access.contratista_actual need it on every page); get() spares first()'s ORDER BY.
        try:
            return User.objects.select_related("contratista").get(pk=user_id, is_active=True)
        except User.DoesNotExist:
            return None
