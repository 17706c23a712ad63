"""An OCSP client (RFC 6960) on ``cryptography``'s ``x509.ocsp``: asks a responder whether an e.firma is
revoked. A pure library (``urllib``, no Django); ``firma.services`` builds it from settings, off by default.

One request per check, sent by HTTP POST with a timeout. The answer counts only when it is well formed,
"successful", signed by the issuing CA or by a responder the CA delegated (issued by it, with the
OCSPSigning extended key usage, within its validity), about this very certificate (serial and issuer
hashes), fresh (thisUpdate/nextUpdate around now) and, when the responder echoes one, with our nonce.
Anything else raises :class:`OcspError`; with ``falla_abierta`` the client logs it and answers "good".
"""

from __future__ import annotations

import http.client
import logging
import os
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from cryptography import x509
from cryptography.exceptions import InvalidSignature, UnsupportedAlgorithm
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.x509 import ocsp
from cryptography.x509.oid import AuthorityInformationAccessOID, ExtendedKeyUsageOID

from .sat import Certificado

__all__ = ["ClienteOcsp", "OcspError", "url_aia"]

logger = logging.getLogger(__name__)

MAX_RESPUESTA = 64 * 1024  # SAT's answers are about 2 KB; a bigger body is not an OCSP response
TOLERANCIA_RELOJ = timedelta(minutes=5)
_ESTADOS = {
    ocsp.OCSPCertStatus.GOOD: "good",
    ocsp.OCSPCertStatus.REVOKED: "revoked",
    ocsp.OCSPCertStatus.UNKNOWN: "unknown",
}


class OcspError(Exception):
    """No verified answer could be had from the responder (down, slow, garbage, bad signature, stale)."""


def url_aia(cert: x509.Certificate) -> str | None:
    """The OCSP responder the certificate names in its Authority Information Access extension, if any."""
    try:
        accesos = cert.extensions.get_extension_for_class(x509.AuthorityInformationAccess).value
    except x509.ExtensionNotFound:
        return None
    for acceso in accesos:
        if acceso.access_method == AuthorityInformationAccessOID.OCSP and isinstance(
            acceso.access_location, x509.UniformResourceIdentifier
        ):
            return acceso.access_location.value
    return None


def _hash_llave(cert: x509.Certificate) -> bytes:
    """SHA-1 of the subjectPublicKey bits: what ResponderID byKey holds."""
    return x509.SubjectKeyIdentifier.from_public_key(cert.public_key()).digest


def _nombre_der(cert: x509.Certificate) -> bytes | None:
    try:
        return cert.subject.public_bytes()
    except ValueError:  # SAT's Latin-1 T61String names
        return None


def _verificar_firma(respuesta: ocsp.OCSPResponse, firmante: x509.Certificate) -> None:
    publica = firmante.public_key()
    algoritmo = respuesta.signature_hash_algorithm
    if algoritmo is None:
        raise OcspError("the response's signature algorithm is not supported")
    try:
        if isinstance(publica, rsa.RSAPublicKey):
            publica.verify(respuesta.signature, respuesta.tbs_response_bytes, padding.PKCS1v15(), algoritmo)
        elif isinstance(publica, ec.EllipticCurvePublicKey):
            publica.verify(respuesta.signature, respuesta.tbs_response_bytes, ec.ECDSA(algoritmo))
        else:
            raise OcspError("the responder's key type is not supported")
    except (InvalidSignature, UnsupportedAlgorithm, ValueError) as error:
        raise OcspError("the response's signature does not verify") from error


def _es_respondedor_delegado(cert: x509.Certificate, emisor: x509.Certificate, ahora: datetime) -> bool:
    try:
        cert.verify_directly_issued_by(emisor)
        usos = cert.extensions.get_extension_for_class(x509.ExtendedKeyUsage).value
    except Exception:  # not issued by the CA, unsupported key, or no extended key usage
        return False
    return (
        ExtendedKeyUsageOID.OCSP_SIGNING in usos
        and cert.not_valid_before_utc - TOLERANCIA_RELOJ
        <= ahora
        <= cert.not_valid_after_utc + TOLERANCIA_RELOJ
    )


def _firmante(respuesta: ocsp.OCSPResponse, emisor: x509.Certificate, ahora: datetime) -> x509.Certificate:
    """The certificate that signed the response: the CA itself or a responder it delegated (RFC 6960,
    4.2.2.2)."""
    for candidato in [emisor, *respuesta.certificates]:
        if respuesta.responder_key_hash is not None:
            es_el = respuesta.responder_key_hash == _hash_llave(candidato)
        else:
            try:
                nombre = respuesta.responder_name
                es_el = nombre is not None and nombre.public_bytes() == _nombre_der(candidato)
            except ValueError:  # a responder name cryptography cannot read
                es_el = False
        if not es_el:
            continue
        if candidato is emisor or _es_respondedor_delegado(candidato, emisor, ahora):
            return candidato
    raise OcspError("the response is not signed by the issuing CA or a responder it delegated")


@dataclass
class ClienteOcsp:
    """Implements ``firma.sat.OcspClient``.

    ``url``: the responder, or None to use the one the certificate names (AIA). ``timeout``: seconds for the
    whole HTTP exchange. ``falla_abierta``: when no verified answer can be had, log a warning and answer
    "good" instead of raising (the login then relies on the local revocation list only).
    """

    url: str | None = None
    timeout: float = 5.0
    falla_abierta: bool = False
    reloj: Callable[[], datetime] = field(default=lambda: datetime.now(UTC))

    def estado(self, cert: Certificado, emisor: x509.Certificate) -> str:
        try:
            return self._consultar(cert, emisor)
        except OcspError as error:
            if not self.falla_abierta:
                raise
            logger.warning(
                "OCSP sin respuesta verificable para el certificado %s (%s); "
                "se acepta por ICSOE_OCSP_FAIL_OPEN",
                cert.numero_certificado,
                error,
            )
            return "good"

    def _consultar(self, cert: Certificado, emisor: x509.Certificate) -> str:
        url = self.url or url_aia(cert.x509)
        if not url or urllib.parse.urlsplit(url).scheme not in ("http", "https"):
            raise OcspError(f"no usable OCSP responder URL ({url!r})")
        nonce = os.urandom(16)
        solicitud = (
            ocsp.OCSPRequestBuilder()
            # SHA-1 in the CertID is what responders expect (RFC 5019), not a signature
            .add_certificate(cert.x509, emisor, hashes.SHA1())  # noqa: S303
            .add_extension(x509.OCSPNonce(nonce), critical=False)
            .build()
        )
        respuesta = self._enviar(url, solicitud.public_bytes(serialization.Encoding.DER))
        if respuesta.response_status != ocsp.OCSPResponseStatus.SUCCESSFUL:
            raise OcspError(f"the responder answered {respuesta.response_status.name}")
        ahora = self.reloj()
        _verificar_firma(respuesta, _firmante(respuesta, emisor, ahora))
        self._revisar_nonce(respuesta, nonce)
        return self._estado_del_certificado(respuesta, cert.x509, emisor, ahora)

    def _enviar(self, url: str, cuerpo: bytes) -> ocsp.OCSPResponse:
        peticion = urllib.request.Request(
            url,
            data=cuerpo,
            method="POST",
            headers={"Content-Type": "application/ocsp-request", "Accept": "application/ocsp-response"},
        )
        try:
            # the scheme was checked: http or https only
            with urllib.request.urlopen(peticion, timeout=self.timeout) as http_respuesta:  # noqa: S310
                crudo = http_respuesta.read(MAX_RESPUESTA + 1)
        except (OSError, http.client.HTTPException, ValueError) as error:  # URLError and timeouts are OSError
            raise OcspError(f"the responder at {url} did not answer: {error}") from error
        if len(crudo) > MAX_RESPUESTA:
            raise OcspError("the responder's answer is too large")
        try:
            return ocsp.load_der_ocsp_response(crudo)
        except ValueError as error:
            raise OcspError("the responder's answer is not an OCSP response") from error

    @staticmethod
    def _revisar_nonce(respuesta: ocsp.OCSPResponse, nonce: bytes) -> None:
        try:
            devuelto = respuesta.extensions.get_extension_for_class(x509.OCSPNonce).value.nonce
        except x509.ExtensionNotFound:
            return  # many responders (SAT's among them) answer from pre-signed responses without a nonce
        if devuelto != nonce:
            raise OcspError("the response's nonce is not the request's")

    @staticmethod
    def _estado_del_certificado(
        respuesta: ocsp.OCSPResponse, cert: x509.Certificate, emisor: x509.Certificate, ahora: datetime
    ) -> str:
        for individual in respuesta.responses:
            esperado = (
                ocsp.OCSPRequestBuilder().add_certificate(cert, emisor, individual.hash_algorithm).build()
            )
            if (
                individual.serial_number != cert.serial_number
                or individual.issuer_name_hash != esperado.issuer_name_hash
                or individual.issuer_key_hash != esperado.issuer_key_hash
            ):
                continue
            if individual.this_update_utc > ahora + TOLERANCIA_RELOJ:
                raise OcspError("the response's thisUpdate is in the future")
            siguiente = individual.next_update_utc
            if siguiente is not None and siguiente < ahora - TOLERANCIA_RELOJ:
                raise OcspError("the response is stale (nextUpdate has passed)")
            return _ESTADOS[individual.certificate_status]
        raise OcspError("the response is not about this certificate")
