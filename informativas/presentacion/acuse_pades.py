"""The acuse PDF's PAdES signature by the portal's sello (pyHanko), and its verification.

The acuse is rendered once, at signing; then the portal signs the PDF itself (PAdES baseline, ETSI.CAdES.detached,
SHA-256), so that any PDF reader shows it signed by the IMSS sello and unmodified, offline, without this portal.
The SHA-256 stored on the acuse is the one of the signed bytes, which is what the contratista downloads.
"""

from __future__ import annotations

import asyncio
import io
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any, TypeVar

from cryptography.hazmat.primitives import serialization

from firma import sat
from firma.services import SelloPortal

T = TypeVar("T")
CAMPO_FIRMA = "SelloIMSS"
MOTIVO = "Acuse de presentación de la informativa ICSOE emitido por el IMSS"


def _fuera_de_un_bucle(funcion: Callable[[], T]) -> T:
    """pyHanko's synchronous API runs its own asyncio loop, which fails where one already runs in this thread
    (an ASGI server, a test driving a browser): there it runs in a thread of its own."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return funcion()
    with ThreadPoolExecutor(max_workers=1) as hilo:
        return hilo.submit(funcion).result()


# The signer of the sello the portal loaded last: sello_portal() returns the same object while the sello's files
# are unchanged (paths, mtimes, inodes) and a new one when they are rotated, so a new sello gets a new signer.
_firmante: dict[str, tuple[SelloPortal, Any]] = {}


def _firmante_del_sello(portal: SelloPortal) -> Any:
    """pyHanko's signer for the sello, built once per sello and process."""
    guardado = _firmante.get("sello")
    if guardado is None or guardado[0] is not portal:
        guardado = (portal, _firmante_nuevo(portal))
        _firmante["sello"] = guardado
    return guardado[1]


def _firmante_nuevo(portal: SelloPortal) -> Any:
    from asn1crypto import keys as asn1_keys
    from asn1crypto import x509 as asn1_x509
    from cryptography.hazmat.primitives.asymmetric.padding import PKCS1v15
    from pyhanko.sign import signers
    from pyhanko.sign.general import get_pyca_cryptography_hash
    from pyhanko_certvalidator.registry import SimpleCertificateStore

    class FirmanteSello(signers.SimpleSigner):
        """pyHanko's SimpleSigner parses and checks the key's DER again on every signature (~30 ms, twice a
        PDF: the signature's size is found by signing once); this one signs with the key the portal loaded."""

        def sign_raw(self, data: bytes, digest_algorithm: str) -> bytes:
            mecanismo = self.get_signature_mechanism_for_digest(digest_algorithm).signature_algo
            if mecanismo != "rsassa_pkcs1v15":
                return super().sign_raw(data, digest_algorithm)
            return portal.llave.sign(data, PKCS1v15(), get_pyca_cryptography_hash(digest_algorithm))

    certificado = asn1_x509.Certificate.load(portal.certificado.der)
    llave = asn1_keys.PrivateKeyInfo.load(
        portal.llave.private_bytes(
            serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
    )
    return FirmanteSello(
        signing_cert=certificado,
        signing_key=llave,
        cert_registry=SimpleCertificateStore.from_certs([certificado]),
    )


def pdf_sellar(*, pdf: bytes, portal: SelloPortal, motivo: str = MOTIVO) -> bytes:
    """The PDF with an invisible PAdES signature by the portal's sello over all of it (``motivo``: the reason
    a PDF reader shows, the acuse's by default)."""
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers

    firmante = _firmante_del_sello(portal)
    metadatos = signers.PdfSignatureMetadata(
        field_name=CAMPO_FIRMA,
        md_algorithm="sha256",
        subfilter=fields.SigSeedSubFilter.PADES,
        reason=motivo,
        location="México",
    )
    escritor = IncrementalPdfFileWriter(io.BytesIO(pdf), strict=False)
    salida = _fuera_de_un_bucle(lambda: signers.sign_pdf(escritor, metadatos, signer=firmante))
    return salida.getvalue()


@dataclass(frozen=True)
class FirmaPdf:
    """What pyHanko's validator says of a PDF's portal signature."""

    firmado: bool  # it carries a signature at all
    intacto: bool  # the signed bytes hash to the signed digest and the signature checks with its certificate
    todo_el_archivo: bool  # the signature covers the whole file (nothing appended after it)
    confiable: bool  # the signing certificate is one the portal recognises as its sello

    @property
    def valida(self) -> bool:
        return self.firmado and self.intacto and self.todo_el_archivo and self.confiable


def pdf_firma_verificar(*, pdf: bytes, certificados: Iterable[sat.Certificado]) -> FirmaPdf:
    """Validates the PDF's first signature with pyHanko, trusting only the given portal certificates."""
    from asn1crypto import x509 as asn1_x509
    from pyhanko.pdf_utils.misc import PdfError
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko.sign.validation.errors import SignatureValidationError
    from pyhanko.sign.validation.status import SignatureCoverageLevel
    from pyhanko_certvalidator import ValidationContext

    raices = [asn1_x509.Certificate.load(c.der) for c in certificados]
    try:
        firmas = PdfFileReader(io.BytesIO(pdf), strict=False).embedded_signatures
    except (PdfError, ValueError, KeyError, TypeError):
        return FirmaPdf(firmado=False, intacto=False, todo_el_archivo=False, confiable=False)
    if not firmas:
        return FirmaPdf(firmado=False, intacto=False, todo_el_archivo=False, confiable=False)
    contexto = ValidationContext(trust_roots=raices, allow_fetching=False, revocation_mode="soft-fail")
    try:
        estado = _fuera_de_un_bucle(lambda: validate_pdf_signature(firmas[0], contexto))
    except (SignatureValidationError, PdfError, ValueError, KeyError, TypeError):
        return FirmaPdf(firmado=True, intacto=False, todo_el_archivo=False, confiable=False)
    return FirmaPdf(
        firmado=True,
        intacto=bool(estado.intact and estado.valid),
        todo_el_archivo=estado.coverage == SignatureCoverageLevel.ENTIRE_FILE,
        confiable=bool(estado.trusted),
    )
