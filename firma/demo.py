"""Demo CA and demo e.firma files in real SAT format, for ``make run`` and the tests. Pure library, no Django.

The demo CA ("AC DEMO ICSOE (solo pruebas)") must only be trusted where settings allow test CAs. The files it
issues look like SAT's: subject CN/name/O/C, x500UniqueIdentifier (2.5.4.45) ``RFC`` or ``RFC / RFC-rep``,
serialNumber (2.5.4.5) ``CURP`` or `` / CURP-rep``, a serial number made of 20 ASCII digits (the número de
certificado), RSA 2048 keys, and the .key as DER PKCS#8 encrypted with the password.
"""

from __future__ import annotations

import os
import secrets
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Literal

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import AuthorityInformationAccessOID, ExtendedKeyUsageOID, NameOID

__all__ = ["NOMBRE_CA", "DemoCA", "emitir_efirma", "emitir_sello_portal", "guardar_efirma", "guardar_sello_portal"]

NOMBRE_CA = "AC DEMO ICSOE (solo pruebas)"
VIGENCIA_FIEL = timedelta(days=4 * 365)  # SAT issues the e.firma for four years
INICIO_CA = datetime(2000, 1, 1, tzinfo=UTC)  # so back-dated demo certificates still fall inside the CA
FIN_CA = datetime(2099, 12, 31, tzinfo=UTC)


def _nueva_llave() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def _escribir(ruta: Path, contenido: bytes, *, privado: bool = False) -> None:
    """Writes atomically (temporary file + rename), owner-only when ``privado``."""
    ruta.parent.mkdir(parents=True, exist_ok=True)
    descriptor, temporal = tempfile.mkstemp(dir=ruta.parent, prefix=f".{ruta.name}.")
    try:
        with os.fdopen(descriptor, "wb") as archivo:
            archivo.write(contenido)
        os.chmod(temporal, 0o600 if privado else 0o644)
        os.replace(temporal, ruta)
    except BaseException:
        Path(temporal).unlink(missing_ok=True)
        raise


def _certificado_ca(llave: rsa.RSAPrivateKey) -> x509.Certificate:
    nombre = x509.Name(
        [
            x509.NameAttribute(NameOID.COMMON_NAME, NOMBRE_CA),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "PORTAL ICSOE (DEMOSTRACION)"),
            x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, "Solo pruebas, sin validez fiscal"),
            x509.NameAttribute(NameOID.COUNTRY_NAME, "MX"),
        ]
    )
    publica = llave.public_key()
    return (
        x509.CertificateBuilder()
        .subject_name(nombre)
        .issuer_name(nombre)
        .public_key(publica)
        .serial_number(_serial("00000000000000000001"))
        .not_valid_before(INICIO_CA)
        .not_valid_after(FIN_CA)
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=False,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=True,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(publica), critical=False)
        .sign(llave, hashes.SHA256())
    )


@dataclass
class DemoCA:
    """The local demo certification authority: its certificate (DER) and private key."""

    cert_der: bytes
    key: rsa.RSAPrivateKey

    @property
    def certificado(self) -> x509.Certificate:
        """The CA certificate as a cryptography object."""
        return x509.load_der_x509_certificate(self.cert_der)

    @classmethod
    def crear(cls) -> DemoCA:
        """A new demo CA, in memory."""
        llave = _nueva_llave()
        return cls(cert_der=_certificado_ca(llave).public_bytes(serialization.Encoding.DER), key=llave)

    def save(self, directorio: Path) -> None:
        """Writes ``ca.cer`` (DER) and ``ca.key`` (unencrypted PKCS#8 DER, owner-only) under the folder."""
        directorio = Path(directorio)
        llave = self.key.private_bytes(
            serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
        _escribir(directorio / "ca.key", llave, privado=True)
        _escribir(directorio / "ca.cer", self.cert_der)

    @classmethod
    def load(cls, directorio: Path) -> DemoCA:
        """Reads ``ca.cer`` and ``ca.key`` from the folder."""
        directorio = Path(directorio)
        llave = serialization.load_der_private_key((directorio / "ca.key").read_bytes(), None)
        if not isinstance(llave, rsa.RSAPrivateKey):
            raise TypeError("the demo CA key must be RSA")
        return cls(cert_der=(directorio / "ca.cer").read_bytes(), key=llave)

    @classmethod
    def load_or_create(cls, directorio: Path) -> DemoCA:
        """The demo CA saved in the folder, created and saved there the first time."""
        directorio = Path(directorio)
        if (directorio / "ca.cer").is_file() and (directorio / "ca.key").is_file():
            return cls.load(directorio)
        ca = cls.crear()
        ca.save(directorio)
        return ca


def _serial(digitos: str) -> int:
    """SAT's serial: the 20 ASCII digits of the número de certificado read as one big-endian integer."""
    if len(digitos) != 20 or not digitos.isdigit():
        raise ValueError("the número de certificado has 20 digits")
    return int.from_bytes(digitos.encode("ascii"), "big")


def _numero_aleatorio() -> str:
    return "9" + "".join(secrets.choice("0123456789") for _ in range(19))


def _titular_y_representante(titular: str | None, representante: str | None) -> str | None:
    """SAT's "TITULAR / REPRESENTANTE" form ("TITULAR" alone without a representative)."""
    if representante:
        return f"{(titular or '').upper()} / {representante.upper()}"
    return titular.upper() if titular else None


def _sujeto(
    *,
    rfc: str,
    nombre: str,
    curp: str | None,
    rfc_representante: str | None,
    curp_representante: str | None,
    sucursal: str | None,
    correo: str | None,
) -> x509.Name:
    atributos = [
        x509.NameAttribute(NameOID.COMMON_NAME, nombre),
        x509.NameAttribute(x509.ObjectIdentifier("2.5.4.41"), nombre),  # name
        x509.NameAttribute(NameOID.ORGANIZATION_NAME, nombre),
        x509.NameAttribute(NameOID.COUNTRY_NAME, "MX"),
    ]
    if correo:
        atributos.append(x509.NameAttribute(NameOID.EMAIL_ADDRESS, correo))
    rfcs = _titular_y_representante(rfc, rfc_representante) or ""
    atributos.append(x509.NameAttribute(NameOID.X500_UNIQUE_IDENTIFIER, rfcs))
    curps = _titular_y_representante(curp, curp_representante)
    if curps:
        atributos.append(x509.NameAttribute(NameOID.SERIAL_NUMBER, curps))
    if sucursal:
        atributos.append(x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, sucursal))
    return x509.Name(atributos)


def _usos(tipo: Literal["fiel", "csd"]) -> x509.KeyUsage:
    fiel = tipo == "fiel"
    return x509.KeyUsage(
        digital_signature=True,
        content_commitment=True,
        key_encipherment=False,
        data_encipherment=fiel,
        key_agreement=fiel,
        key_cert_sign=False,
        crl_sign=False,
        encipher_only=False,
        decipher_only=False,
    )


def _vigencia(desde: datetime | None, hasta: datetime | None) -> tuple[datetime, datetime]:
    if desde is None:
        desde = hasta - VIGENCIA_FIEL if hasta is not None else datetime.now(UTC) - timedelta(days=1)
    if hasta is None:
        hasta = desde + VIGENCIA_FIEL
    if hasta <= desde:
        raise ValueError("valido_hasta must come after valido_desde")
    return desde, hasta


def emitir_efirma(
    *,
    ca: DemoCA,
    rfc: str,
    nombre: str,
    curp: str | None = None,
    rfc_representante: str | None = None,
    curp_representante: str | None = None,
    password: str,
    tipo: Literal["fiel", "csd"] = "fiel",
    valido_desde: datetime | None = None,
    valido_hasta: datetime | None = None,
    serial: int | None = None,
    sucursal: str | None = None,
    correo: str | None = None,
    ocsp_url: str | None = None,
) -> tuple[bytes, bytes]:
    """Issues a demo e.firma (``tipo="fiel"``) or sello digital (``tipo="csd"``) signed by the demo CA.

    Returns (certificate DER, private key as DER PKCS#8 encrypted with ``password``). ``serial`` is the
    número de certificado as a number (e.g. ``30001000000500003415``; random when not given). Validity
    defaults to four years from yesterday; give only ``valido_hasta`` (e.g. in the past) and it starts four
    years before. A FIEL has EKU emailProtection + clientAuth and no OU; a CSD has no EKU and an OU
    (``sucursal``, the name by default). ``ocsp_url`` names an OCSP responder in the Authority Information
    Access extension, as SAT's certificates do.
    """
    if tipo not in ("fiel", "csd"):
        raise ValueError('tipo is "fiel" or "csd"')
    desde, hasta = _vigencia(valido_desde, valido_hasta)
    numero = f"{serial:020d}" if serial is not None else _numero_aleatorio()
    llave = _nueva_llave()
    certificado_ca = ca.certificado
    sujeto = _sujeto(
        rfc=rfc,
        nombre=nombre,
        curp=curp,
        rfc_representante=rfc_representante,
        curp_representante=curp_representante,
        sucursal=(sucursal or nombre) if tipo == "csd" else None,
        correo=correo,
    )
    constructor = (
        x509.CertificateBuilder()
        .subject_name(sujeto)
        .issuer_name(certificado_ca.subject)
        .public_key(llave.public_key())
        .serial_number(_serial(numero))
        .not_valid_before(desde)
        .not_valid_after(hasta)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(_usos(tipo), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(llave.public_key()), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca.key.public_key()), critical=False
        )
    )
    if ocsp_url:
        constructor = constructor.add_extension(
            x509.AuthorityInformationAccess(
                [
                    x509.AccessDescription(
                        AuthorityInformationAccessOID.OCSP, x509.UniformResourceIdentifier(ocsp_url)
                    )
                ]
            ),
            critical=False,
        )
    if tipo == "fiel":
        constructor = constructor.add_extension(
            x509.ExtendedKeyUsage([ExtendedKeyUsageOID.EMAIL_PROTECTION, ExtendedKeyUsageOID.CLIENT_AUTH]),
            critical=False,
        )
    cer = constructor.sign(ca.key, hashes.SHA256()).public_bytes(serialization.Encoding.DER)
    key = llave.private_bytes(
        serialization.Encoding.DER,
        serialization.PrivateFormat.PKCS8,
        serialization.BestAvailableEncryption(password.encode("utf-8")),
    )
    return cer, key


def guardar_efirma(*, directorio: Path, rfc: str, cer: bytes, key: bytes) -> tuple[Path, Path]:
    """Writes ``<RFC>.cer`` and ``<RFC>.key`` under the folder (the key owner-only); returns both paths."""
    directorio = Path(directorio)
    ruta_cer, ruta_key = directorio / f"{rfc}.cer", directorio / f"{rfc}.key"
    _escribir(ruta_key, key, privado=True)
    _escribir(ruta_cer, cer)
    return ruta_cer, ruta_key


NOMBRE_SELLO_PORTAL = "PORTAL ICSOE (DEMOSTRACION) - SELLO DEL PORTAL"
VIGENCIA_SELLO_PORTAL = timedelta(days=10 * 365)


def emitir_sello_portal(*, nombre: str = NOMBRE_SELLO_PORTAL) -> tuple[bytes, bytes]:
    """A self-signed certificate (DER) and its unencrypted PKCS#8 PEM key for the portal's own sello, the
    counter-signature on every acuse. Demo and tests only: production loads IMSS's own pair from settings."""
    llave = _nueva_llave()
    sujeto = x509.Name(
        [
            x509.NameAttribute(NameOID.COMMON_NAME, nombre),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "INSTITUTO MEXICANO DEL SEGURO SOCIAL"),
            x509.NameAttribute(NameOID.COUNTRY_NAME, "MX"),
        ]
    )
    desde = datetime.now(UTC) - timedelta(days=1)
    cer = (
        x509.CertificateBuilder()
        .subject_name(sujeto)
        .issuer_name(sujeto)
        .public_key(llave.public_key())
        .serial_number(_serial(_numero_aleatorio()))
        .not_valid_before(desde)
        .not_valid_after(desde + VIGENCIA_SELLO_PORTAL)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .sign(llave, hashes.SHA256())
        .public_bytes(serialization.Encoding.DER)
    )
    key = llave.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    return cer, key


def guardar_sello_portal(*, ruta_cer: Path, ruta_key: Path, cer: bytes, key: bytes) -> None:
    """Writes the portal's pair (the key owner-only)."""
    _escribir(Path(ruta_key), key, privado=True)
    _escribir(Path(ruta_cer), cer)
