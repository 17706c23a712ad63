"""Authentication backend for the contratista's e.firma login (owned by the e.firma login, issue 3)."""

from __future__ import annotations

from django.http import HttpRequest

from accounts.models import User
from firma import sat
from firma.services import efirma_posesion_verificar

from .services import contratista_obtener_o_crear


class EfirmaBackend:
    """Authenticates a contratista from an e.firma already validated by firma.services.efirma_validar.

    Proof of possession: the e.firma must have signed the challenge kept in this request's session (never one
    the caller passes in), and the signature must verify with the certificate. The challenge is consumed, so a
    validated e.firma logs in once. On the first login the contratista is created from the certificate.
    """

    def authenticate(
        self, request: HttpRequest | None, efirma: sat.EfirmaValidada | None = None
    ) -> User | None:
        if efirma is None or request is None or not hasattr(request, "session"):
            return None
        if not efirma_posesion_verificar(sesion=request.session, efirma=efirma):
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
