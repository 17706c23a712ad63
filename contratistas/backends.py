"""Authentication backend for the contratista's e.firma login (owned by the e.firma login, issue 3)."""

from __future__ import annotations

from django.http import HttpRequest

from accounts.models import User
from firma import sat

from .services import contratista_obtener_o_crear


class EfirmaBackend:
    """Authenticates a contratista from an e.firma already validated by firma.services.efirma_validar.

    It checks the proof of possession once more (the server nonce signed with the uploaded key must verify
    with the certificate) and, on the first login, creates the contratista from the certificate.
    """

    def authenticate(
        self, request: HttpRequest | None, efirma: sat.EfirmaValidada | None = None, nonce: bytes | None = None
    ) -> User | None:
        if efirma is None or nonce is None or efirma.nonce != nonce:
            return None
        if not sat.verificar(efirma.certificado, nonce, efirma.firma_nonce):
            return None
        certificado = efirma.certificado
        contratista = contratista_obtener_o_crear(
            rfc=certificado.rfc, razon_social=certificado.nombre, curp=certificado.curp
        )
        usuario = contratista.usuario
        return usuario if usuario.is_active else None

    def get_user(self, user_id: int) -> User | None:
        return User.objects.filter(pk=user_id, is_active=True).first()
