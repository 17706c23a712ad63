"""The public check of an acuse (/verificar-acuse/, where its QR points), without login.

A filing is shown only to whoever holds its folio together with its verification code (printed on the acuse
and in its QR), or the acuse PDF itself: folios are sequential, so a folio alone must reveal nothing. Every
consultation that finds nothing counts against the address it came from (core.throttle): a budget an office
checking its clients' acuses never reaches, then a short wait that grows, so that guessing codes is hopeless
and walking the folios is slow and shows nothing.

A PDF given is compared byte for byte (SHA-256) with the one stored at signing: an acuse edited in any way,
even one keeping its QR, is reported as not the one the portal issued.

The same page recognises the constancia of a contratante's expediente and its workbook (issue 25): the caller
passes the expediente's finder (``BuscarConstancia``; the URL hands it to the view, since the expediente
builds on this package and is not imported by it), asked when no acuse matches, under the same throttle.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Protocol

from core import throttle

from ..models import Acuse
from . import acuses

logger = logging.getLogger(__name__)

VERIFICACION_POR_DIRECCION = throttle.Regla(
    "verificacion-acuse-direccion", presupuesto=20, ventana=10 * 60, espera_inicial=2, espera_maxima=5 * 60
)
MENSAJE_NO_COINCIDE = (
    "No encontramos un acuse con ese folio y ese código de verificación. Revisa que los hayas copiado tal "
    "como aparecen en el acuse, junto al código QR."
)
MENSAJE_PDF_NO_EMITIDO = (
    "El archivo no es, byte por byte, ningún acuse emitido por el portal, ni una constancia o un Excel de un "
    "expediente de contratante: fue modificado o es otro documento."
)
MENSAJE_ESPERA = (
    "Hay muchas consultas sin resultado desde tu red en poco tiempo. Por seguridad, espera {espera} y vuelve a "
    "intentarlo."
)


class BuscarConstancia(Protocol):
    """Finds a contratante's constancia by folio and its code, or by the SHA-256 of its PDF or workbook, and
    verifies it (``informativas.expediente.verificacion.constancia_buscar``); None: there is none."""

    def __call__(self, *, folio: str, codigo: str, sha256: str | None) -> Any: ...


@dataclass
class Consulta:
    """The answer of the page: the verification of the acuse found (None: nothing is shown), a message when
    nothing was found or the address must wait, and, when a PDF was given, whether it is the issued one; or
    the verification of a contratante's constancia (``constancia``), which shows nothing of the acuse."""

    verificacion: acuses.Verificacion | None = None
    constancia: Any = None
    error: str | None = None
    pdf_identico: bool | None = None
    codigo: str = ""

    @property
    def codigo_mostrar(self) -> str:
        return acuses.codigo_mostrar(self.codigo)


def _claves(ip: str | None) -> list[tuple[throttle.Regla, str]]:
    return [(VERIFICACION_POR_DIRECCION, ip or "")]


def _sha256(trozos: Iterable[bytes]) -> str:
    resumen = hashlib.sha256()
    for trozo in trozos:
        resumen.update(trozo)
    return resumen.hexdigest()


def espera_consultar(*, ip: str | None, ahora: float | None = None) -> Consulta | None:
    """The page's answer while this address must wait (None: it may consult now). Asked before the request's
    body is read, so a throttled address costs no upload."""
    if espera := throttle.espera(claves=_claves(ip), ahora=ahora):
        return Consulta(error=MENSAJE_ESPERA.format(espera=throttle.texto_espera(espera.segundos)))
    return None


def acuse_consultar(
    *,
    folio: str,
    codigo: str,
    pdf: Iterable[bytes] | None,
    ip: str | None,
    ahora: float | None = None,
    constancias: BuscarConstancia | None = None,
) -> Consulta:
    """Finds the acuse by folio and verification code, or, with neither, by the SHA-256 of the PDF given;
    verifies it in full (acuses.acuse_verificar) and compares the PDF given, if any, with the one issued.
    ``pdf`` is the file's chunks (read once). With no acuse, ``constancias`` looks for a contratante's
    constancia the same way."""
    if espera := espera_consultar(ip=ip, ahora=ahora):
        return espera
    folio = (folio or "").strip().upper()
    codigo = acuses.codigo_normalizar(codigo)
    pdf_sha256 = _sha256(pdf) if pdf is not None else None
    encontrados = Acuse.objects.filter(informativa__estatus__in=acuses.ESTATUS_CON_ACUSE)
    acuse = None
    if folio and codigo:
        acuse = encontrados.filter(informativa__folio_definitivo=folio, codigo_verificacion=codigo).first()
    elif pdf_sha256 and not folio and not codigo:
        acuse = encontrados.filter(pdf_sha256=pdf_sha256).first()
    if acuse is None and constancias is not None and ((folio and codigo) or (pdf_sha256 and not folio and not codigo)):
        if (constancia := constancias(folio=folio, codigo=codigo, sha256=pdf_sha256)) is not None:
            return Consulta(constancia=constancia, codigo=codigo)
    if acuse is None:
        logger.warning("Verificación de acuse sin resultado desde %s (folio %r)", ip, folio[:20])
        throttle.fallo_registrar(claves=_claves(ip), ahora=ahora)
        return Consulta(
            error=MENSAJE_NO_COINCIDE if folio or codigo or pdf_sha256 is None else MENSAJE_PDF_NO_EMITIDO,
            pdf_identico=False if pdf_sha256 is not None else None,
        )
    return Consulta(
        verificacion=acuses.acuse_verificar(folio=acuse.informativa.folio_definitivo),
        pdf_identico=None if pdf_sha256 is None else pdf_sha256 == acuse.pdf_sha256,
        codigo=acuse.codigo_verificacion,
    )


def consulta_fallida_registrar(*, ip: str | None, ahora: float | None = None) -> Consulta:
    """A consultation that could not even be made (a malformed folio, a code missing) counts as one that found
    nothing: otherwise walking folios without codes would cost nothing. Says how long to wait, if so."""
    if espera := espera_consultar(ip=ip, ahora=ahora):
        return espera
    throttle.fallo_registrar(claves=_claves(ip), ahora=ahora)
    return Consulta()
