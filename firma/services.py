"""The Django side of the e.firma: which CAs are trusted, which certificates are revoked, OCSP, the
certificate checks of login and signing, and demo files. What the browser signs, and how the signature is
checked, is firma/retos.py. (The throttle of failed attempts is contratistas/freno_efirma.py, on
core.throttle.)

The SAT format itself (reading .cer/.key, the checks, signing) is the pure library in ``firma/sat.py``; the
OCSP client is ``firma/ocsp.py``.
"""

from __future__ import annotations

import hashlib
import logging
import time
from collections.abc import MutableMapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.views.decorators.debug import sensitive_variables

from . import retos, sat
from .models import AutoridadCertificadora, CertificadoRevocado, VersionConfianza
from .ocsp import ClienteOcsp

logger = logging.getLogger(__name__)

CA_DIR = Path(__file__).resolve().parent / "ca"


def demo_dir() -> Path:
    return Path(settings.ICSOE_VAR_DIR) / "demo-efirma"


# ---------------------------------------------------------------------------------------------------------
# Trust store: parsed once per process, rebuilt when the CAs change
# ---------------------------------------------------------------------------------------------------------
_trust_store_cache: dict[tuple, sat.TrustStore] = {}
# (when it was read, the version): the database is asked again once ICSOE_CONFIANZA_SEGUNDOS have passed.
_version_leida: tuple[float, int] | None = None


def _version_cas() -> int:
    """The version of the trusted CAs, from the database (VersionConfianza), read at most every
    ICSOE_CONFIANZA_SEGUNDOS per process: a CA trusted by another process (``efirma confiar`` beside a running
    portal, another worker's admin) is seen within those seconds without any shared cache."""
    global _version_leida
    ahora = time.monotonic()
    if _version_leida is not None and ahora - _version_leida[0] < settings.ICSOE_CONFIANZA_SEGUNDOS:
        return _version_leida[1]
    version = VersionConfianza.objects.filter(pk=1).values_list("version", flat=True).first() or 0
    _version_leida = (ahora, version)
    return version


def trust_store_olvidar() -> None:
    """This process forgets its parsed store and the version it read (tests; trust_store_invalidar)."""
    global _version_leida
    _trust_store_cache.clear()
    _version_leida = None


def _clave_trust_store() -> tuple:
    confiar_pruebas = bool(settings.ICSOE_TRUST_TEST_CAS)
    demo_ca = demo_dir() / "ca.cer"
    try:
        demo = (str(demo_ca), demo_ca.stat().st_mtime_ns) if confiar_pruebas else None
    except OSError:
        demo = None
    return (confiar_pruebas, demo, _version_cas())


def _trust_store_construir(*, confiar_pruebas: bool) -> sat.TrustStore:
    cas: list[bytes] = [p.read_bytes() for p in sorted((CA_DIR / "produccion").glob("*.cer"))]
    if confiar_pruebas:
        cas += [p.read_bytes() for p in sorted((CA_DIR / "pruebas").glob("*.cer"))]
        demo_ca = demo_dir() / "ca.cer"
        if demo_ca.exists():
            cas.append(demo_ca.read_bytes())
    agregadas = AutoridadCertificadora.objects.filter(activa=True)
    if not confiar_pruebas:
        agregadas = agregadas.filter(de_pruebas=False)
    cas += [bytes(ca.certificado) for ca in agregadas]
    return sat.TrustStore(cas)


def trust_store() -> sat.TrustStore:
    """SAT's production CAs always; SAT's test CAs and the demo CA only where settings allow them; plus the
    active CAs staff added.

    Parsing some twenty certificates and querying the added CAs on every login costs more than the rest of
    the validation, so the store is kept per process under a key made of the setting, the demo CA file and
    the version in the database that trust_store_invalidar() raises whenever staff change a CA.
    """
    clave = _clave_trust_store()
    almacen = _trust_store_cache.get(clave)
    if almacen is None:
        almacen = _trust_store_construir(confiar_pruebas=clave[0])
        _trust_store_cache.clear()
        _trust_store_cache[clave] = almacen
    return almacen


def trust_store_invalidar() -> None:
    """Every process rebuilds its trust store within ICSOE_CONFIANZA_SEGUNDOS. Called by every change of the
    CAs (admin, command), inside its transaction: the version is raised with the change, so no process sees
    the new number before the new CAs. This process forgets at once, and again after the commit."""
    actualizadas = VersionConfianza.objects.filter(pk=1).update(version=F("version") + 1)
    if not actualizadas:
        VersionConfianza.objects.get_or_create(pk=1, defaults={"version": 1})
    trust_store_olvidar()
    transaction.on_commit(trust_store_olvidar)


def certificado_revocado(certificado: sat.Certificado) -> bool:
    return CertificadoRevocado.objects.filter(numero_certificado=certificado.numero_certificado).exists()


def _cliente_ocsp() -> ClienteOcsp | None:
    """Off unless ICSOE_OCSP_URL is set: a responder URL, or "aia" for the one each certificate names."""
    url = settings.ICSOE_OCSP_URL.strip()
    if not url:
        return None
    return ClienteOcsp(
        url=None if url.lower() == "aia" else url,
        timeout=settings.ICSOE_OCSP_TIMEOUT,
        falla_abierta=settings.ICSOE_OCSP_FAIL_OPEN,
    )


def efirma_certificado_validar(*, cer: bytes, rfc: str, ahora: datetime | None = None) -> sat.Certificado:
    """Runs every check of the login and of signing on the certificate (sat.validar_certificado, in the order
    of DESIGN.md) with this portal's trust store, revocation list and OCSP. Raises sat.EfirmaError.

    The server never sees the key: the page decrypts it and checks it against the certificate, and proves
    possession by signing what firma.retos issued after this check (docs/firma-en-navegador.md)."""
    return sat.validar_certificado(
        cer=cer,
        rfc=rfc,
        trust_store=trust_store(),
        ahora=ahora or timezone.now(),
        revocado=certificado_revocado,
        ocsp=_cliente_ocsp(),
    )


def efirma_reto_acceso(
    *, sesion: MutableMapping[str, Any], cer: bytes, rfc: str, direccion: str | None = None
) -> retos.RetoEfirma:
    """Login's "Validar": every certificate check, then a one-time challenge for the page to sign (a few live
    ones per session and per client ``direccion``, retos.reto_emitir)."""
    certificado = efirma_certificado_validar(cer=cer, rfc=rfc)
    return retos.reto_emitir(
        sesion=sesion,
        certificado=certificado,
        proposito=retos.ACCESO,
        mensaje=retos.reto_acceso_mensaje(),
        direccion=direccion,
    )


def efirma_firma_verificar(
    *,
    sesion: MutableMapping[str, Any],
    cer: bytes,
    rfc: str,
    reto_id: str,
    firma: bytes,
    proposito: str,
    ahora: datetime | None = None,
) -> retos.FirmaVerificada:
    """The submit of login ("Ingresar") or of Firmar: every certificate check again (it may have been revoked
    since "Validar"), then the reto consumed and its signature verified. Raises sat.EfirmaError."""
    certificado = efirma_certificado_validar(cer=cer, rfc=rfc, ahora=ahora)
    return retos.reto_consumir(
        sesion=sesion, reto_id=reto_id, certificado=certificado, proposito=proposito, firma=firma
    )


# ---------------------------------------------------------------------------------------------------------
# CAs and revocations kept by staff
# ---------------------------------------------------------------------------------------------------------
MENSAJE_NO_ES_CA = (
    "El archivo no es el certificado de una autoridad certificadora: parece el certificado de un "
    "contribuyente (e.firma o sello digital). Selecciona el certificado (.cer) de la autoridad certificadora."
)


def _es_ca(certificado: sat.Certificado) -> bool:
    try:
        restricciones = certificado.x509.extensions.get_extension_for_class(x509.BasicConstraints).value
    except x509.ExtensionNotFound:
        return False
    return restricciones.ca


def ca_leer(*, der: bytes) -> sat.Certificado:
    """Reads a CA certificate. Raises sat.EfirmaError for a file that is not a certificate, or for the
    certificate of a contribuyente (a FIEL, a CSD: anything without basicConstraints CA)."""
    certificado = sat.cargar_certificado(der)
    if not _es_ca(certificado):
        raise sat.EfirmaError("no_es_ca", MENSAJE_NO_ES_CA)
    return certificado


@transaction.atomic
def ca_confiar(*, der: bytes, de_pruebas: bool = False) -> AutoridadCertificadora:
    """Adds a CA to the trust store (idempotent by fingerprint). Raises sat.EfirmaError as ca_leer()."""
    certificado = ca_leer(der=der)
    huella = hashlib.sha256(certificado.der).hexdigest()
    ca, _ = AutoridadCertificadora.objects.update_or_create(
        huella_sha256=huella,
        defaults={"nombre": certificado.nombre, "certificado": certificado.der, "de_pruebas": de_pruebas, "activa": True},
    )
    trust_store_invalidar()
    return ca


@transaction.atomic
def certificado_revocar(*, numero_certificado: str, rfc: str = "", motivo: str = "") -> CertificadoRevocado:
    revocado, _ = CertificadoRevocado.objects.get_or_create(
        numero_certificado=numero_certificado, defaults={"rfc": rfc, "motivo": motivo}
    )
    return revocado


DEMO_PASSWORD = "12345678a"


def efirma_demo_emitir(
    *, rfc: str, nombre: str, curp: str | None = None, password: str = DEMO_PASSWORD, **kwargs
) -> tuple[Path, Path]:
    """Creates the demo CA once and a valid FIEL for the RFC under var/demo-efirma/. Demo use only."""
    from .demo import DemoCA, emitir_efirma, guardar_efirma

    ca = DemoCA.load_or_create(demo_dir())
    cer, key = emitir_efirma(ca=ca, rfc=rfc.upper(), nombre=nombre, curp=curp, password=password, **kwargs)
    return guardar_efirma(directorio=demo_dir(), rfc=rfc.upper(), cer=cer, key=key)


# ---------------------------------------------------------------------------------------------------------
# The portal's own sello (ICSOE_SIGNING_CERT / ICSOE_SIGNING_KEY): the counter-signature on every acuse
# ---------------------------------------------------------------------------------------------------------
class SelloPortalNoConfigurado(Exception):
    """The certificate or key of the portal's sello is missing or unreadable (a deployment problem)."""


@dataclass(frozen=True)
class SelloPortal:
    certificado: sat.Certificado
    llave: rsa.RSAPrivateKey

    @sensitive_variables()
    def firmar(self, data: bytes) -> bytes:
        return sat.firmar(self.llave, data)

    def verificar(self, data: bytes, firma: bytes) -> bool:
        return sat.verificar(self.certificado, data, firma)


_sello_cache: dict[tuple, SelloPortal] = {}


@sensitive_variables()
def sello_portal() -> SelloPortal:
    """The portal's certificate and key from the files named in settings (PEM or DER; the key unencrypted,
    protected by its file permissions), cached per path, modification time and inode (a pair written over by
    rename is a new file even within one tick of the clock)."""
    ruta_cer, ruta_key = Path(settings.ICSOE_SIGNING_CERT), Path(settings.ICSOE_SIGNING_KEY)
    try:
        estados = (ruta_cer.stat(), ruta_key.stat())
    except OSError as error:
        raise SelloPortalNoConfigurado(f"No se encontró el sello del portal: {error}") from error
    clave = (str(ruta_cer), str(ruta_key), *((estado.st_mtime_ns, estado.st_ino) for estado in estados))
    if clave not in _sello_cache:
        datos_key = ruta_key.read_bytes()
        try:
            certificado = sat.cargar_certificado(ruta_cer.read_bytes())
            if b"-----BEGIN" in datos_key:
                llave = serialization.load_pem_private_key(datos_key, None)
            else:
                llave = serialization.load_der_private_key(datos_key, None)
        except (sat.EfirmaError, ValueError, TypeError) as error:
            raise SelloPortalNoConfigurado("El sello del portal no es legible.") from error
        if not isinstance(llave, rsa.RSAPrivateKey) or not sat.llave_corresponde(certificado, llave):
            raise SelloPortalNoConfigurado("La llave del sello del portal no corresponde a su certificado.")
        _sello_cache.clear()
        _sello_cache[clave] = SelloPortal(certificado=certificado, llave=llave)
    return _sello_cache[clave]


def sello_portal_demo_emitir(*, reemplazar: bool = False) -> tuple[Path, Path]:
    """Creates a demo pair for the portal's sello at the paths in settings (``make run`` and tests), unless it
    exists. Never used in production, where IMSS provides its own pair."""
    from .demo import emitir_sello_portal, guardar_sello_portal

    ruta_cer, ruta_key = Path(settings.ICSOE_SIGNING_CERT), Path(settings.ICSOE_SIGNING_KEY)
    if reemplazar or not (ruta_cer.is_file() and ruta_key.is_file()):
        cer, key = emitir_sello_portal()
        guardar_sello_portal(ruta_cer=ruta_cer, ruta_key=ruta_key, cer=cer, key=key)
    return ruta_cer, ruta_key
