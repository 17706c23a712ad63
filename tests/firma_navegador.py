"""What the page does with the e.firma (static/js/efirma.js), in Python: the one way tests, bench/ and the
load bench's seeding log in and sign, since no server path accepts a key any more.

It decrypts the .key locally with the same rules (``firma.sat.cargar_llave``: PKCS#8 PBES2, DER or PEM, the
password as UTF-8 then Latin-1), checks the key belongs to the certificate, and signs the text the server
issued with RSA PKCS#1 v1.5 and SHA-256 over its UTF-8 bytes: a deterministic signature, byte for byte the
one node-forge makes in the browser (tests/contratistas/test_e2e_navegador.py compares them). Only the certificate
(base64 of its DER), the reto's id and the signature are posted, urlencoded, exactly as the page posts them.
"""

from __future__ import annotations

import base64
from collections.abc import MutableMapping
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from firma import sat

URL_ACCESO = "/acceso/efirma/"
URL_ACCESO_VALIDAR = "/acceso/efirma/validar/"
FORMULARIO = "application/x-www-form-urlencoded"


def _bytes(archivo: bytes | Path) -> bytes:
    return archivo if isinstance(archivo, bytes) else Path(archivo).read_bytes()


def certificado_b64(cer: bytes | Path) -> str:
    """The certificate as the page posts it: base64 of its DER (a PEM .cer is converted first; bytes that are
    no certificate are sent as they are, as a page whose checks were bypassed would)."""
    datos = _bytes(cer)
    try:
        datos = sat.cargar_certificado(datos).der
    except sat.EfirmaError:
        pass
    return base64.b64encode(datos).decode("ascii")


def llave_descifrar(*, cer: bytes | Path, key: bytes | Path, password: str):
    """The page's local checks: decrypts the key and checks it belongs to the certificate. Raises
    sat.EfirmaError with the page's message ("contrasena_incorrecta", "llave_no_corresponde", ...)."""
    llave = sat.cargar_llave(_bytes(key), password)
    if not sat.llave_corresponde(sat.cargar_certificado(_bytes(cer)), llave):
        raise sat.EfirmaError("llave_no_corresponde")
    return llave


def firmar_texto(llave, texto: str) -> str:
    """The page's signature of the text the server issued: base64 of RSA PKCS#1 v1.5 SHA-256 of its UTF-8."""
    return base64.b64encode(sat.firmar(llave, texto.encode("utf-8"))).decode("ascii")


def _datos(efirma: Any) -> tuple[bytes, bytes, str, str]:
    """(cer, key, password, rfc) from anything with .cer, .key, .password and .rfc (paths or bytes)."""
    return _bytes(efirma.cer), _bytes(efirma.key), efirma.password, efirma.rfc


# ---------------------------------------------------------------------------------------------------------
# Through HTTP (Django's test Client, or anything with the same post())
# ---------------------------------------------------------------------------------------------------------
def validar(client, url: str, *, cer: bytes | Path, rfc: str, **extra) -> dict:
    """ "Validar": posts RFC and certificate; returns the JSON answer ({"reto", "mensaje", ...} or {"error"})."""
    datos = {"rfc": rfc, "certificado": certificado_b64(cer)}
    return client.post(url, urlencode(datos), content_type=FORMULARIO, **extra).json()


def enviar(client, url: str, *, cer: bytes | Path, rfc: str, reto: str, firma: str, **extra):
    """ "Ingresar" / "Firmar": posts RFC, certificate, reto and signature, as the page's form does."""
    datos = {"rfc": rfc, "certificado": certificado_b64(cer), "reto": reto, "firma": firma}
    return client.post(url, urlencode(datos), content_type=FORMULARIO, **extra)


def firmar_en_pagina(
    client, *, url_validar: str, url_enviar: str, efirma: Any, rfc: str | None = None, **extra
):
    """The whole page: local key checks, Validar, sign, submit. Returns the submit's response, or raises
    AssertionError with the Validar error (the message the page would show)."""
    cer, key, password, rfc_efirma = _datos(efirma)
    rfc = rfc_efirma if rfc is None else rfc
    llave = llave_descifrar(cer=cer, key=key, password=password)
    answer = validar(client, url_validar, cer=cer, rfc=rfc, **extra)
    if "reto" not in answer:
        raise AssertionError(answer.get("error"))
    firma = firmar_texto(llave, answer["mensaje"])
    return enviar(client, url_enviar, cer=cer, rfc=rfc, reto=answer["reto"], firma=firma, **extra)


def ingresar(client, efirma: Any, *, rfc: str | None = None, **extra):
    """The contratista's e.firma login through the page's two requests. Returns the "Ingresar" response."""
    return firmar_en_pagina(
        client, url_validar=URL_ACCESO_VALIDAR, url_enviar=URL_ACCESO, efirma=efirma, rfc=rfc, **extra
    )


# ---------------------------------------------------------------------------------------------------------
# Through the services (tests of the rules, bench/, bench/load seeding)
# ---------------------------------------------------------------------------------------------------------
def firmar_informativa(
    informativa,
    efirma: Any,
    *,
    usuario,
    rfc: str | None = None,
    sesion: MutableMapping[str, Any] | None = None,
    ahora=None,
    hoy=None,
):
    """Signs and presents an informativa as the Firmar page does: ``firma_preparar`` (Validar), the page's
    signature of the cadena original, ``informativa_firmar`` (Firmar), in one session (a dict)."""
    from informativas.presentacion import services as presentacion

    cer, key, password, rfc_efirma = _datos(efirma)
    rfc = rfc_efirma if rfc is None else rfc
    sesion = {} if sesion is None else sesion
    llave = llave_descifrar(cer=cer, key=key, password=password)
    reto = presentacion.firma_preparar(
        informativa=informativa,
        certificado=cer,
        rfc=rfc,
        usuario=usuario,
        sesion=sesion,
        ahora=ahora,
        hoy=hoy,
    )
    return presentacion.informativa_firmar(
        informativa=informativa,
        certificado=cer,
        rfc=rfc,
        reto=str(reto.id),
        firma=base64.b64decode(firmar_texto(llave, reto.mensaje)),
        usuario=usuario,
        sesion=sesion,
    )


def validar_efirma(
    *, cer: bytes | Path, key: bytes | Path, password: str, rfc: str, ahora=None
) -> sat.Certificado:
    """Every check a login makes, split as the portal splits it: the page's key checks here, then the
    server's certificate checks (``firma.services.efirma_certificado_validar``). Returns the certificate."""
    from firma.services import efirma_certificado_validar

    llave_descifrar(cer=cer, key=key, password=password)
    return efirma_certificado_validar(cer=_bytes(cer), rfc=rfc, ahora=ahora)
