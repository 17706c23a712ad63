"""SAT e.firma (FIEL): read .cer/.key files, validate them, sign and verify. A pure library: of Django it uses
only ``sensitive_variables``, so that an error report never shows a key, its password or its numbers.

Facts measured on SAT's own test files (see DESIGN.md, section "e.firma"):

* ``.cer`` is a DER X.509 certificate (PEM accepted too).
* ``.key`` is a DER PKCS#8 ``EncryptedPrivateKeyInfo`` (PBES2, PBKDF2-SHA1 with 2048 iterations, 3DES);
  the password is UTF-8. An *unencrypted* key is not SAT format and is refused as ``llave_ilegible``.
* The holder's RFC is in subject OID 2.5.4.45 (``RFC`` or ``RFC / RFC-representante``), the CURP in
  2.5.4.5 (``CURP`` or `` / CURP-representante``), the name in CN or O. SAT writes Ñ as Latin-1 inside a
  T61String, which makes ``cryptography``'s ``Certificate.subject`` raise, so names are read here straight
  from the TBSCertificate DER.
* A FIEL has extended key usage emailProtection + clientAuth and no OU; a CSD (sello digital) has no EKU
  and an OU.

Every failure caused by the files or the password raises :class:`EfirmaError` with a stable ``code`` and a
Spanish ``message`` for the user; no other exception escapes for malformed input.

Every function that holds the key bytes, the password or the decrypted key is marked with
``sensitive_variables()`` (all its locals): Django's error reports walk up the stack to the nearest marked
frame, so a frame below a function that names only some variables would otherwise show its own.
"""

from __future__ import annotations

import base64
import binascii
import os
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any, Protocol, TypeVar
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.x509.oid import ExtendedKeyUsageOID

_F = TypeVar("_F", bound=Callable[..., Any])

try:
    from django.views.decorators.debug import sensitive_variables
except ImportError:  # the library used without Django: there is no error report to hide anything from

    def sensitive_variables(*variables: str) -> Callable[[_F], _F]:
        return lambda funcion: funcion

__all__ = [
    "MENSAJES",
    "Certificado",
    "EfirmaError",
    "EfirmaValidada",
    "OcspClient",
    "TrustStore",
    "cargar_certificado",
    "cargar_llave",
    "firmar",
    "llave_corresponde",
    "normalizar_rfc",
    "prueba_de_posesion",
    "validar_certificado",
    "validar_efirma",
    "verificar",
]

# ---------------------------------------------------------------------------------------------------------
# Errors
# ---------------------------------------------------------------------------------------------------------
MENSAJES: dict[str, str] = {
    "archivo_vacio": "El archivo está vacío.",
    "archivo_demasiado_grande": "El archivo es demasiado grande para ser un archivo de e.firma.",
    "certificado_ilegible": "El archivo del certificado (.cer) no es un certificado válido.",
    "llave_ilegible": "El archivo de la llave privada (.key) no es válido.",
    "contrasena_incorrecta": "La contraseña de la llave privada es incorrecta.",
    "llave_no_corresponde": "La llave privada no corresponde al certificado.",
    "certificado_no_vigente_aun": "El certificado de la e.firma todavía no es vigente.",
    "certificado_vencido": "El certificado de la e.firma está vencido.",
    "emisor_no_confiable": (
        "El certificado no fue emitido por una autoridad certificadora reconocida por el SAT."
    ),
    "certificado_revocado": "El certificado de la e.firma fue revocado.",
    "revocacion_no_verificable": (
        "No fue posible verificar si el certificado de la e.firma está revocado. Inténtalo más tarde."
    ),
    "no_es_fiel": "El certificado no es una e.firma (FIEL).",
    "rfc_no_coincide": "El RFC capturado no corresponde al certificado de la e.firma.",
    "rfc_de_representante": (
        "El RFC capturado es el del representante legal, pero la e.firma es de la persona moral. "
        "Para ingresar con esta e.firma captura el RFC de la persona moral."
    ),
    "efirma_de_persona_fisica": (
        "La e.firma corresponde a una persona física. Para ingresar como persona moral usa la e.firma de la "
        "empresa, no la de su representante legal."
    ),
    "firma_invalida": "La firma electrónica no es válida. Verifica tus archivos de e.firma.",
}

MENSAJE_CER_VACIO = "El archivo del certificado (.cer) está vacío."
MENSAJE_KEY_VACIA = "El archivo de la llave privada (.key) está vacío."
MENSAJE_CER_GRANDE = "El archivo del certificado (.cer) es demasiado grande para ser un archivo de e.firma."
MENSAJE_KEY_GRANDE = (
    "El archivo de la llave privada (.key) es demasiado grande para ser un archivo de e.firma."
)
MENSAJE_LLAVE_SIN_CONTRASENA = (
    "La llave privada (.key) no está protegida con contraseña, por lo que no tiene el formato del SAT. "
    "Usa el archivo .key de tu e.firma."
)
MENSAJE_LLAVE_FORMATO = "La llave privada (.key) no tiene el formato de una llave de e.firma del SAT."
MENSAJE_VENCIDO = "El certificado de la e.firma está vencido (vigente hasta {fecha})."
MENSAJE_NO_VIGENTE_AUN = "El certificado de la e.firma todavía no es vigente (vigente a partir del {fecha})."
MENSAJE_RFC_DE_REPRESENTANTE = (
    "El RFC capturado es el del representante legal, pero la e.firma es de la persona moral "
    "(RFC {rfc}). Para ingresar con esta e.firma captura el RFC de la persona moral."
)
MENSAJE_PERSONA_FISICA = (
    "La e.firma corresponde a una persona física (RFC {rfc}). Para ingresar como persona moral usa "
    "la e.firma de la empresa, no la de su representante legal."
)


class EfirmaError(Exception):
    """A refused e.firma: ``code`` is stable for programs, ``mensaje`` is Spanish for the user (the attribute
    the apps' errors share, core.errores.ErrorConMensaje, which firma does not import)."""

    def __init__(self, code: str, mensaje: str | None = None) -> None:
        self.code = code
        self.mensaje = mensaje or MENSAJES.get(code, MENSAJES["firma_invalida"])
        super().__init__(self.mensaje)

    def __repr__(self) -> str:
        return f"EfirmaError({self.code!r}, {self.mensaje!r})"

    def __reduce__(self) -> tuple[type[EfirmaError], tuple[str, str]]:
        return (type(self), (self.code, self.mensaje))


# ---------------------------------------------------------------------------------------------------------
# Minimal DER reader (only what certificates and PKCS#8 containers need)
# ---------------------------------------------------------------------------------------------------------
class _DerError(ValueError):
    """Malformed DER."""


_SEQUENCE, _SET, _INTEGER, _OCTET_STRING, _OID, _BIT_STRING = 0x30, 0x31, 0x02, 0x04, 0x06, 0x03


def _tlv(data: bytes, pos: int, fin: int) -> tuple[int, int, int]:
    """Reads the DER element at ``pos``: returns (tag, start of contents, end of contents)."""
    if pos + 2 > fin:
        raise _DerError("truncated")
    tag, largo = data[pos], data[pos + 1]
    if tag & 0x1F == 0x1F:
        raise _DerError("high tag numbers are not used here")
    pos += 2
    if largo & 0x80:
        n = largo & 0x7F
        if n == 0 or n > 4 or pos + n > fin:
            raise _DerError("bad length")
        largo = int.from_bytes(data[pos : pos + n], "big")
        pos += n
    if pos + largo > fin:
        raise _DerError("truncated")
    return tag, pos, pos + largo


def _hijos(data: bytes, inicio: int, fin: int) -> Iterator[tuple[int, int, int, int]]:
    """Yields (tag, element start, contents start, contents end) of each element in data[inicio:fin]."""
    pos = inicio
    while pos < fin:
        tag, ini, end = _tlv(data, pos, fin)
        yield tag, pos, ini, end
        pos = end


def _elementos(data: bytes, inicio: int, fin: int) -> list[tuple[int, int, int, int]]:
    return list(_hijos(data, inicio, fin))


def _oid(contenido: bytes) -> str:
    """Decodes the contents of an OBJECT IDENTIFIER into dotted form."""
    if not contenido:
        raise _DerError("empty OID")
    arcos: list[int] = []
    valor = 0
    for byte in contenido:
        valor = (valor << 7) | (byte & 0x7F)
        if not byte & 0x80:
            arcos.append(valor)
            valor = 0
    if contenido[-1] & 0x80:
        raise _DerError("truncated OID")
    primero = arcos[0]
    cabeza = [min(primero // 40, 2), primero - 40 * min(primero // 40, 2)]
    return ".".join(str(a) for a in cabeza + arcos[1:])


_BMP_STRING, _UNIVERSAL_STRING = 0x1E, 0x1C


def _texto(tag: int, crudo: bytes) -> str:
    """Decodes a directory string by its tag. T61/Teletex (SAT's Ñ) and anything unexpected fall back to
    Latin-1 when the bytes are not UTF-8."""
    if tag == _BMP_STRING:
        return crudo.decode("utf-16-be", errors="replace")
    if tag == _UNIVERSAL_STRING:
        return crudo.decode("utf-32-be", errors="replace")
    if tag == _BIT_STRING:
        crudo = crudo[1:]
    try:
        return crudo.decode("utf-8")
    except UnicodeDecodeError:
        return crudo.decode("latin-1")


@dataclass(frozen=True)
class _Nombre:
    """An X.501 Name read from DER: its raw encoding and its (oid, value) attributes in order."""

    der: bytes
    atributos: tuple[tuple[str, str], ...]

    def valor(self, *oids: str) -> str | None:
        """The first non-empty value among the OIDs, in the order the OIDs are given."""
        for oid in oids:
            for clave, valor in self.atributos:
                if clave == oid and valor.strip():
                    return valor.strip()
        return None

    def tiene(self, oid: str) -> bool:
        return any(clave == oid for clave, _ in self.atributos)


def _nombre(data: bytes, pos: int, ini: int, fin: int) -> _Nombre:
    atributos: list[tuple[str, str]] = []
    for tag_rdn, _, ini_rdn, fin_rdn in _hijos(data, ini, fin):
        if tag_rdn != _SET:
            raise _DerError("RDN is not a SET")
        for tag_atv, _, ini_atv, fin_atv in _hijos(data, ini_rdn, fin_rdn):
            partes = _elementos(data, ini_atv, fin_atv)
            if tag_atv != _SEQUENCE or len(partes) != 2 or partes[0][0] != _OID:
                raise _DerError("bad AttributeTypeAndValue")
            (_, _, ini_oid, fin_oid), (tag_valor, _, ini_valor, fin_valor) = partes
            atributos.append((_oid(data[ini_oid:fin_oid]), _texto(tag_valor, data[ini_valor:fin_valor])))
    return _Nombre(der=data[pos:fin], atributos=tuple(atributos))


def _nombres_tbs(tbs: bytes) -> tuple[_Nombre, _Nombre]:
    """(issuer, subject) of a TBSCertificate: [0] version, serial, signature, issuer, validity, subject."""
    tag, ini, fin = _tlv(tbs, 0, len(tbs))
    if tag != _SEQUENCE:
        raise _DerError("TBSCertificate is not a SEQUENCE")
    campos = _elementos(tbs, ini, fin)
    if campos and campos[0][0] == 0xA0:
        campos = campos[1:]
    if len(campos) < 5 or campos[2][0] != _SEQUENCE or campos[4][0] != _SEQUENCE:
        raise _DerError("bad TBSCertificate")
    _, pos_emisor, ini_emisor, fin_emisor = campos[2]
    _, pos_sujeto, ini_sujeto, fin_sujeto = campos[4]
    return _nombre(tbs, pos_emisor, ini_emisor, fin_emisor), _nombre(tbs, pos_sujeto, ini_sujeto, fin_sujeto)


# ---------------------------------------------------------------------------------------------------------
# PEM
# ---------------------------------------------------------------------------------------------------------
_PEM = re.compile(rb"-----BEGIN ([A-Z0-9 ]+)-----(.*?)-----END \1-----", re.DOTALL)


@dataclass(frozen=True)
class _BloquePem:
    etiqueta: str
    encabezados: bool
    der: bytes


def _bloques_pem(data: bytes) -> list[_BloquePem]:
    """PEM blocks in the data (empty list when the data is not PEM). Raises _DerError on bad base64."""
    if b"-----BEGIN" not in data:
        return []
    bloques = []
    for coincidencia in _PEM.finditer(data):
        lineas = coincidencia.group(2).splitlines()
        # RFC 1421 headers, e.g. "Proc-Type: 4,ENCRYPTED"
        encabezados = any(b":" in linea for linea in lineas)
        cuerpo = b"".join(b"".join(linea.split()) for linea in lineas if b":" not in linea)
        try:
            der = base64.b64decode(cuerpo, validate=True)
        except (binascii.Error, ValueError) as error:
            raise _DerError("bad base64") from error
        bloques.append(_BloquePem(coincidencia.group(1).decode("ascii"), encabezados, der))
    if not bloques:
        raise _DerError("PEM armour without a block")
    return bloques


# ---------------------------------------------------------------------------------------------------------
# Certificate
# ---------------------------------------------------------------------------------------------------------
OID_RFC = "2.5.4.45"  # x500UniqueIdentifier: "RFC" or "RFC / RFC-representante"
OID_CURP = "2.5.4.5"  # serialNumber: "CURP" or " / CURP-representante"
OID_CN, OID_NAME, OID_O, OID_OU = "2.5.4.3", "2.5.4.41", "2.5.4.10", "2.5.4.11"


@dataclass(frozen=True)
class Certificado:
    """A certificate read from a .cer file, with the SAT fields already extracted."""

    der: bytes = field(repr=False)
    rfc: str
    rfc_representante: str | None
    curp: str | None
    curp_representante: str | None
    nombre: str
    numero_certificado: str
    valido_desde: datetime
    valido_hasta: datetime
    es_fiel: bool
    emisor: str
    x509: x509.Certificate = field(repr=False, compare=False)

    @property
    def persona(self) -> str:
        """"moral" for a 12-character RFC, "fisica" otherwise."""
        return "moral" if len(self.rfc) == 12 else "fisica"


def _titular_y_representante(valor: str | None) -> tuple[str | None, str | None]:
    """Splits "TITULAR / REPRESENTANTE" (either side may be empty) into upper-case parts or None."""
    if valor is None:
        return None, None
    titular, _, representante = valor.partition("/")
    return (titular.strip().upper() or None), (representante.strip().upper() or None)


def _numero_certificado(serial: int) -> str:
    """SAT's número de certificado: the serial's bytes read as ASCII digits (hex for non-SAT serials)."""
    crudo = serial.to_bytes(max(1, (serial.bit_length() + 7) // 8), "big")
    texto = crudo.decode("latin-1")
    return texto if texto.isascii() and texto.isdigit() else format(serial, "X")


def _usos_extendidos(cert: x509.Certificate) -> set[x509.ObjectIdentifier]:
    try:
        return set(cert.extensions.get_extension_for_class(x509.ExtendedKeyUsage).value)
    except x509.ExtensionNotFound:
        return set()


_USOS_FIEL = {ExtendedKeyUsageOID.EMAIL_PROTECTION, ExtendedKeyUsageOID.CLIENT_AUTH}


def _certificado_desde_der(der: bytes) -> Certificado:
    cert = x509.load_der_x509_certificate(der)
    emisor, sujeto = _nombres_tbs(cert.tbs_certificate_bytes)
    rfc, rfc_representante = _titular_y_representante(sujeto.valor(OID_RFC))
    curp, curp_representante = _titular_y_representante(sujeto.valor(OID_CURP))
    return Certificado(
        der=der,
        rfc=rfc or "",
        rfc_representante=rfc_representante,
        curp=curp,
        curp_representante=curp_representante,
        nombre=sujeto.valor(OID_CN, OID_O, OID_NAME) or "",
        numero_certificado=_numero_certificado(cert.serial_number),
        valido_desde=cert.not_valid_before_utc,
        valido_hasta=cert.not_valid_after_utc,
        es_fiel=_USOS_FIEL <= _usos_extendidos(cert) and not sujeto.tiene(OID_OU),
        emisor=emisor.valor(OID_CN, OID_O) or "",
        x509=cert,
    )


_ETIQUETAS_CERTIFICADO = ("CERTIFICATE", "X509 CERTIFICATE")


def _der_de_certificado(data: bytes) -> bytes:
    bloques = _bloques_pem(data)
    if not bloques:
        return data
    for bloque in bloques:
        if bloque.etiqueta in _ETIQUETAS_CERTIFICADO:
            return bloque.der
    raise _DerError("no CERTIFICATE block")


def cargar_certificado(data: bytes) -> Certificado:
    """Reads a .cer file (DER or PEM). Raises EfirmaError("archivo_vacio" | "certificado_ilegible")."""
    if not data:
        raise EfirmaError("archivo_vacio", MENSAJE_CER_VACIO)
    try:
        return _certificado_desde_der(_der_de_certificado(bytes(data)))
    except Exception as error:  # any parse failure of an untrusted file is the user's unreadable file
        raise EfirmaError("certificado_ilegible") from error


# ---------------------------------------------------------------------------------------------------------
# Private key
# ---------------------------------------------------------------------------------------------------------
MAX_ITERACIONES_KDF = 100_000  # SAT uses 2048; a bigger count in an uploaded file is a denial of service
BITS_MINIMOS, BITS_MAXIMOS = 1024, 4096

_OID_PBES2 = "1.2.840.113549.1.5.13"
_OID_PBKDF2 = "1.2.840.113549.1.5.12"
_PREFIJOS_PBE_SIMPLE = ("1.2.840.113549.1.5.", "1.2.840.113549.1.12.1.")  # PBES1 and PKCS#12 PBE


class _LlaveNoSat(Exception):
    """A key container that is readable but not in a format we accept."""


def _entero(data: bytes, elemento: tuple[int, int, int, int]) -> int:
    tag, _, ini, fin = elemento
    if tag != _INTEGER:
        raise _DerError("expected INTEGER")
    return int.from_bytes(data[ini:fin], "big", signed=True)


def _algoritmo(data: bytes, ini: int, fin: int) -> tuple[str, list[tuple[int, int, int, int]]]:
    """(OID, parameter elements) of an AlgorithmIdentifier whose contents are data[ini:fin]."""
    partes = _elementos(data, ini, fin)
    if not partes or partes[0][0] != _OID:
        raise _DerError("bad AlgorithmIdentifier")
    _, _, ini_oid, fin_oid = partes[0]
    parametros: list[tuple[int, int, int, int]] = []
    if len(partes) > 1 and partes[1][0] == _SEQUENCE:
        parametros = _elementos(data, partes[1][2], partes[1][3])
    return _oid(data[ini_oid:fin_oid]), parametros


def _iteraciones_kdf(der: bytes) -> int | None:
    """Iteration count of an EncryptedPrivateKeyInfo; None when the DER is not one.

    Raises _LlaveNoSat for an encrypted container whose key derivation we do not accept.
    """
    try:
        tag, ini, fin = _tlv(der, 0, len(der))
        partes = _elementos(der, ini, fin) if tag == _SEQUENCE and fin == len(der) else []
    except _DerError:
        return None
    if len(partes) != 2 or partes[0][0] != _SEQUENCE or partes[1][0] != _OCTET_STRING:
        return None
    try:
        oid, parametros = _algoritmo(der, partes[0][2], partes[0][3])
        if oid == _OID_PBES2:
            if not parametros or parametros[0][0] != _SEQUENCE:
                raise _DerError("bad PBES2 parameters")
            kdf, parametros_kdf = _algoritmo(der, parametros[0][2], parametros[0][3])
            if kdf != _OID_PBKDF2 or len(parametros_kdf) < 2:
                raise _LlaveNoSat(f"key derivation {kdf}")
            return _entero(der, parametros_kdf[1])
        if oid.startswith(_PREFIJOS_PBE_SIMPLE) and len(parametros) >= 2:
            return _entero(der, parametros[1])
    except _DerError as error:
        raise _LlaveNoSat("bad encryption parameters") from error
    raise _LlaveNoSat(f"encryption {oid}")


@sensitive_variables()
def _llave_consistente(llave: rsa.RSAPrivateKey) -> bool:
    """Cheap arithmetic checks of the RSA private numbers (OpenSSL's full check costs ~35 ms a key).

    Primality is not checked: a key that passes these checks but signs wrongly fails the proof of
    possession, which verifies a signature with the certificate's public key.
    """
    numeros = llave.private_numbers()
    p, q, d = numeros.p, numeros.q, numeros.d
    n, e = numeros.public_numbers.n, numeros.public_numbers.e
    return (
        p > 1
        and q > 1
        and p * q == n
        and (e * d) % (p - 1) == 1
        and (e * d) % (q - 1) == 1
        and numeros.dmp1 == d % (p - 1)
        and numeros.dmq1 == d % (q - 1)
        and (numeros.iqmp * q) % p == 1
    )


@sensitive_variables()
def _llave_rsa(llave: object) -> rsa.RSAPrivateKey:
    if not isinstance(llave, rsa.RSAPrivateKey) or not BITS_MINIMOS <= llave.key_size <= BITS_MAXIMOS:
        raise _LlaveNoSat("not an RSA key of a usable size")
    if not _llave_consistente(llave):
        raise _DerError("inconsistent RSA key")
    return llave


@sensitive_variables()
def _contrasenas(password: str) -> list[bytes]:
    """The password as UTF-8 (SAT's encoding) and, for non-ASCII passwords, as Latin-1 too."""
    candidatas = [password.encode("utf-8")]
    try:
        latin1 = password.encode("latin-1")
    except UnicodeEncodeError:
        return candidatas
    if latin1 != candidatas[0]:
        candidatas.append(latin1)
    return candidatas


@sensitive_variables()
def _descifrar(der: bytes, password: str) -> object:
    for candidata in _contrasenas(password):
        try:
            return serialization.load_der_private_key(der, candidata, unsafe_skip_rsa_key_validation=True)
        except (ValueError, TypeError):
            continue
    raise EfirmaError("contrasena_incorrecta")


@sensitive_variables()
def _der_de_llave(data: bytes) -> bytes:
    bloques = _bloques_pem(data)
    if not bloques:
        return data
    for bloque in bloques:
        if bloque.etiqueta.endswith("PRIVATE KEY"):
            if bloque.encabezados:  # legacy OpenSSL "Proc-Type: 4,ENCRYPTED": not PKCS#8
                raise _LlaveNoSat("legacy encrypted PEM")
            return bloque.der
    raise _DerError("no PRIVATE KEY block")


@sensitive_variables()
def _es_llave_sin_cifrar(der: bytes) -> bool:
    try:
        serialization.load_der_private_key(der, None, unsafe_skip_rsa_key_validation=True)
    except Exception:
        return False
    return True


@sensitive_variables()
def _cargar_llave(data: bytes, password: str) -> rsa.RSAPrivateKey:
    der = _der_de_llave(data)
    iteraciones = _iteraciones_kdf(der)
    if iteraciones is None:
        if _es_llave_sin_cifrar(der):
            raise EfirmaError("llave_ilegible", MENSAJE_LLAVE_SIN_CONTRASENA)
        raise EfirmaError("llave_ilegible")
    if not 0 < iteraciones <= MAX_ITERACIONES_KDF:
        raise _LlaveNoSat(f"{iteraciones} iterations")
    return _llave_rsa(_descifrar(der, password))


@sensitive_variables()
def cargar_llave(data: bytes, password: str) -> rsa.RSAPrivateKey:
    """Decrypts a .key file: DER or PEM PKCS#8 encrypted with the password (SAT format).

    Raises EfirmaError: "archivo_vacio"; "contrasena_incorrecta" for a wrong password; "llave_ilegible"
    for anything that is not an encrypted PKCS#8 RSA key, including an unencrypted key (PKCS#1 or PKCS#8),
    which is not what SAT issues and is refused with its own message.
    """
    if not data:
        raise EfirmaError("archivo_vacio", MENSAJE_KEY_VACIA)
    try:
        return _cargar_llave(bytes(data), password)
    except EfirmaError:
        raise
    except _LlaveNoSat as error:
        raise EfirmaError("llave_ilegible", MENSAJE_LLAVE_FORMATO) from error
    except Exception as error:  # any parse failure of an untrusted file is the user's unreadable file
        raise EfirmaError("llave_ilegible") from error


# ---------------------------------------------------------------------------------------------------------
# Sign and verify
# ---------------------------------------------------------------------------------------------------------
@sensitive_variables()
def llave_corresponde(cert: Certificado, key: rsa.RSAPrivateKey) -> bool:
    """True when the private key is the one of the certificate's public key."""
    try:
        publica = cert.x509.public_key()
        return isinstance(publica, rsa.RSAPublicKey) and (
            publica.public_numbers() == key.public_key().public_numbers()
        )
    except Exception:
        return False


@sensitive_variables()
def firmar(key: rsa.RSAPrivateKey, data: bytes) -> bytes:
    """Signs the data with RSA PKCS#1 v1.5 and SHA-256 (what SAT's sellos use)."""
    return key.sign(data, padding.PKCS1v15(), hashes.SHA256())


def verificar(cert: Certificado, data: bytes, firma: bytes) -> bool:
    """True when ``firma`` is a valid RSA PKCS#1 v1.5 SHA-256 signature of ``data`` by the certificate."""
    try:
        publica = cert.x509.public_key()
        if not isinstance(publica, rsa.RSAPublicKey):
            return False
        publica.verify(firma, data, padding.PKCS1v15(), hashes.SHA256())
    except (InvalidSignature, ValueError, TypeError):
        return False
    return True


@sensitive_variables()
def prueba_de_posesion(cert: Certificado, key: rsa.RSAPrivateKey, nonce: bytes) -> bytes:
    """Signs the nonce with the key and verifies it with the certificate; returns the signature.

    Raises EfirmaError("firma_invalida") when the signature does not verify.
    """
    try:
        firma = firmar(key, nonce)
    except Exception as error:
        raise EfirmaError("firma_invalida") from error
    if not verificar(cert, nonce, firma):
        raise EfirmaError("firma_invalida")
    return firma


# ---------------------------------------------------------------------------------------------------------
# Trust store
# ---------------------------------------------------------------------------------------------------------
EXTENSIONES_CA = (".cer", ".crt", ".pem", ".der")
PROFUNDIDAD_MAXIMA = 8


@dataclass(frozen=True)
class _Autoridad:
    x509: x509.Certificate
    der: bytes
    raiz: bool  # self-issued: a trust anchor


def _ders(data: bytes) -> list[bytes]:
    """DER certificates in a DER file or in a PEM file (bundles included)."""
    bloques = _bloques_pem(data)
    if not bloques:
        return [data]
    return [b.der for b in bloques if b.etiqueta in _ETIQUETAS_CERTIFICADO]


def _autoridad(der: bytes) -> _Autoridad | None:
    """The CA in the DER, or None when it is not a CA certificate (OCSP responders, end entities)."""
    try:
        cert = x509.load_der_x509_certificate(der)
        emisor, sujeto = _nombres_tbs(cert.tbs_certificate_bytes)
        raiz = emisor.der == sujeto.der
        try:
            es_ca = cert.extensions.get_extension_for_class(x509.BasicConstraints).value.ca
        except x509.ExtensionNotFound:
            es_ca = raiz  # old v1-style roots carry no basicConstraints
    except Exception:
        return None
    return _Autoridad(cert, der, raiz) if es_ca else None


def _emitido_por(cert: x509.Certificate, autoridad: x509.Certificate) -> bool:
    try:
        cert.verify_directly_issued_by(autoridad)
    except Exception:  # name mismatch, bad signature, unsupported algorithm or key type
        return False
    return True


class TrustStore:
    """The CAs we trust: roots (self-issued) are trust anchors, the others are intermediates.

    Only CA certificates are kept (basicConstraints CA, or a self-issued certificate without
    basicConstraints); anything else given (OCSP responders, end entities, unreadable files) is skipped.
    """

    def __init__(self, cas: Iterable[bytes]) -> None:
        self._autoridades: list[_Autoridad] = []
        vistos: set[bytes] = set()
        for data in cas:
            try:
                ders = _ders(bytes(data))
            except _DerError:
                continue
            for der in ders:
                autoridad = None if der in vistos else _autoridad(der)
                if autoridad is not None:
                    vistos.add(der)
                    self._autoridades.append(autoridad)

    @classmethod
    def from_dirs(cls, *dirs: Path) -> TrustStore:
        """Loads every *.cer/*.crt/*.pem/*.der under the folders (recursively), skipping non-CA files."""
        archivos = sorted(
            p for d in dirs for p in Path(d).rglob("*") if p.is_file() and p.suffix.lower() in EXTENSIONES_CA
        )
        return cls(p.read_bytes() for p in archivos)

    def __len__(self) -> int:
        return len(self._autoridades)

    @property
    def certificados(self) -> tuple[x509.Certificate, ...]:
        """The CA certificates kept, in load order."""
        return tuple(a.x509 for a in self._autoridades)

    def _llega_a_raiz(self, cert: x509.Certificate, vistos: frozenset[bytes], profundidad: int) -> bool:
        if profundidad > PROFUNDIDAD_MAXIMA:
            return False
        for autoridad in self._autoridades:
            if autoridad.der in vistos or not _emitido_por(cert, autoridad.x509):
                continue
            if autoridad.raiz:
                return True
            if self._llega_a_raiz(autoridad.x509, vistos | {autoridad.der}, profundidad + 1):
                return True
        return False

    def emisor_de(self, cert: Certificado) -> x509.Certificate | None:
        """The CA in the store that directly issued the certificate (what an OCSP request names), or None."""
        for autoridad in self._autoridades:
            if _emitido_por(cert.x509, autoridad.x509):
                return autoridad.x509
        return None

    def verificar_cadena(self, cert: Certificado) -> None:
        """Checks that the certificate chains up to a root in the store (signatures only: SAT's CAs
        expire before the certificates they issued, so CA validity periods are not checked).

        Raises EfirmaError("emisor_no_confiable").
        """
        if not self._llega_a_raiz(cert.x509, frozenset({cert.der}), 0):
            raise EfirmaError("emisor_no_confiable")


# ---------------------------------------------------------------------------------------------------------
# Revocation
# ---------------------------------------------------------------------------------------------------------
class OcspClient(Protocol):
    """Asks an OCSP responder about a certificate (off by default; ``firma.ocsp.ClienteOcsp`` is the real
    one)."""

    def estado(self, cert: Certificado, emisor: x509.Certificate) -> str:
        """"good", "revoked" or "unknown" for the certificate issued by ``emisor``; raises when no verified
        answer can be had."""
        ...


def _nunca_revocado(cert: Certificado) -> bool:
    return False


def _revisar_revocacion(
    cert: Certificado,
    revocado: Callable[[Certificado], bool],
    ocsp: OcspClient | None,
    trust_store: TrustStore,
) -> None:
    if revocado(cert):
        raise EfirmaError("certificado_revocado")
    if ocsp is None:
        return
    emisor = trust_store.emisor_de(cert)
    if emisor is None:  # cannot happen after verificar_cadena; an OCSP request needs the issuer
        raise EfirmaError("revocacion_no_verificable")
    try:
        estado = ocsp.estado(cert, emisor)
    except Exception as error:  # the responder is down or answered garbage: fail closed
        raise EfirmaError("revocacion_no_verificable") from error
    if estado == "revoked":
        raise EfirmaError("certificado_revocado")
    if estado != "good":
        raise EfirmaError("revocacion_no_verificable")


# ---------------------------------------------------------------------------------------------------------
# Validation
# ---------------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class EfirmaValidada:
    """The outcome of a successful validation. Holds neither the key nor the password."""

    certificado: Certificado
    nonce: bytes
    firma_nonce: bytes


def _zona_mexico() -> timezone | ZoneInfo:
    try:
        return ZoneInfo("America/Mexico_City")
    except ZoneInfoNotFoundError:
        return timezone(timedelta(hours=-6))


def fecha_mexico(momento: datetime) -> str:
    """DD/MM/AAAA in Mexico City time, for messages."""
    return momento.astimezone(_zona_mexico()).strftime("%d/%m/%Y")


def _revisar_archivo(data: bytes | None, *, vacio: str, grande: str, max_bytes: int) -> None:
    if not data:
        raise EfirmaError("archivo_vacio", vacio)
    if len(data) > max_bytes:
        raise EfirmaError("archivo_demasiado_grande", grande)


def _revisar_vigencia(cert: Certificado, ahora: datetime) -> None:
    if ahora.tzinfo is None:
        raise ValueError("ahora must be timezone-aware")
    if ahora < cert.valido_desde:
        mensaje = MENSAJE_NO_VIGENTE_AUN.format(fecha=fecha_mexico(cert.valido_desde))
        raise EfirmaError("certificado_no_vigente_aun", mensaje)
    if ahora > cert.valido_hasta:
        mensaje = MENSAJE_VENCIDO.format(fecha=fecha_mexico(cert.valido_hasta))
        raise EfirmaError("certificado_vencido", mensaje)


def normalizar_rfc(rfc: str | None) -> str:
    """Upper case, without spaces or hyphens: "eku-900317 3c9" -> "EKU9003173C9"."""
    return re.sub(r"[\s\-]", "", rfc or "").upper()


def _revisar_rfc(cert: Certificado, rfc: str) -> None:
    """The typed RFC must be the certificate's. Two mix-ups between a persona moral and its representative get
    their own message: the company's e.firma with the representative's RFC typed, and a persona física's own
    e.firma (13-character RFC) with a persona moral's RFC (12 characters) typed."""
    capturado = normalizar_rfc(rfc)
    if capturado and capturado == cert.rfc:
        return
    if capturado and capturado == cert.rfc_representante:
        raise EfirmaError("rfc_de_representante", MENSAJE_RFC_DE_REPRESENTANTE.format(rfc=cert.rfc))
    if len(capturado) == 12 and len(cert.rfc) == 13:
        raise EfirmaError("efirma_de_persona_fisica", MENSAJE_PERSONA_FISICA.format(rfc=cert.rfc))
    raise EfirmaError("rfc_no_coincide")


def validar_certificado(
    *,
    cer: bytes,
    rfc: str,
    trust_store: TrustStore,
    ahora: datetime,
    revocado: Callable[[Certificado], bool] = _nunca_revocado,
    ocsp: OcspClient | None = None,
    max_bytes: int = 64 * 1024,
) -> Certificado:
    """Every check of the server on an e.firma's certificate, in DESIGN.md's order, raising EfirmaError at the
    first failure: file present and readable; certificate valid at ``ahora``; issued by a CA in
    ``trust_store``; not revoked (``revocado``, then ``ocsp``); a FIEL, not a CSD; ``rfc`` is the certificate's
    RFC (the representative's RFC gets its own message). The key never reaches the server: the browser checks
    it against this certificate and proves possession by signing what the server issued (firma/retos.py)."""
    _revisar_archivo(cer, vacio=MENSAJE_CER_VACIO, grande=MENSAJE_CER_GRANDE, max_bytes=max_bytes)
    certificado = cargar_certificado(cer)
    _revisar_vigencia(certificado, ahora)
    trust_store.verificar_cadena(certificado)
    _revisar_revocacion(certificado, revocado, ocsp, trust_store)
    if not certificado.es_fiel:
        raise EfirmaError("no_es_fiel")
    _revisar_rfc(certificado, rfc)
    return certificado


@sensitive_variables()
def validar_efirma(
    *,
    cer: bytes,
    key: bytes,
    password: str,
    rfc: str,
    trust_store: TrustStore,
    ahora: datetime,
    revocado: Callable[[Certificado], bool] = _nunca_revocado,
    ocsp: OcspClient | None = None,
    max_bytes: int = 64 * 1024,
    nonce: bytes | None = None,
) -> EfirmaValidada:
    """The whole e.firma check as one call, for the library's own tests and the Python stand-in of the page
    (tests/firma_navegador.py); the portal's server never calls it, as it never sees a key. The key's checks
    come first, as the page makes them: files present; key decrypts; key matches certificate. Then
    ``validar_certificado``; then proof of possession: signs ``nonce`` (a fresh random one when not given)
    and verifies it with the certificate.
    """
    _revisar_archivo(cer, vacio=MENSAJE_CER_VACIO, grande=MENSAJE_CER_GRANDE, max_bytes=max_bytes)
    _revisar_archivo(key, vacio=MENSAJE_KEY_VACIA, grande=MENSAJE_KEY_GRANDE, max_bytes=max_bytes)
    certificado = cargar_certificado(cer)
    llave = cargar_llave(key, password)
    if not llave_corresponde(certificado, llave):
        raise EfirmaError("llave_no_corresponde")
    certificado = validar_certificado(
        cer=cer, rfc=rfc, trust_store=trust_store, ahora=ahora, revocado=revocado, ocsp=ocsp, max_bytes=max_bytes
    )
    reto = os.urandom(32) if nonce is None else nonce
    firma = prueba_de_posesion(certificado, llave, reto)
    return EfirmaValidada(certificado=certificado, nonce=reto, firma_nonce=firma)
