"""The public check of a contratante's constancia and its workbook, on /verificar-acuse/ (where the constancia's
QR points): by the informativa's folio and the constancia's own code, or by the bytes of the PDF or the Excel.

What is shown is the expediente's alone (its contratante, its counts, the filing it comes from and what became
of that filing), never the acuse's list of every contratante. The throttle is the acuse's: the page asks this
finder only when no acuse matched, and a search that finds neither counts against the address.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from functools import cached_property

from django.db.models import Q

from ..presentacion import acuse_pades, acuses
from .models import Expediente
from .services import EstadoExpediente, expediente_estado

MENSAJE_ARCHIVO = "El archivo guardado de la constancia o de su Excel no coincide con el que se emitió."
MENSAJE_SELLO = "La firma electrónica del IMSS en la constancia no es válida."
MENSAJE_INFORMATIVA = "La informativa de la que proviene la constancia no pasó su propia verificación."


@dataclass
class ConstanciaVerificada:
    """A constancia found: its expediente, the checks that failed (none: authentic), and, when a file was
    given, which one it is (``archivo``: "pdf" or "xlsx") and whether it is the issued one byte for byte."""

    expediente: Expediente
    problemas: list[str] = field(default_factory=list)
    archivo: str = ""
    identico: bool | None = None

    @property
    def valida(self) -> bool:
        return not self.problemas

    @property
    def codigo(self) -> str:
        return self.expediente.codigo_verificacion

    @cached_property
    def estado(self) -> EstadoExpediente:
        return expediente_estado(expediente=self.expediente)


def constancia_buscar(*, folio: str, codigo: str, sha256: str | None) -> ConstanciaVerificada | None:
    """The constancia with that folio and code (a file given is then compared with it), or, with neither, the
    one whose PDF or Excel has that SHA-256; verified."""
    encontrados = Expediente.objects.select_related("informativa__contratista", "informativa__acuse")
    if folio and codigo:
        expediente = encontrados.filter(informativa__folio_definitivo=folio, codigo_verificacion=codigo).first()
    elif sha256:
        expediente = encontrados.filter(Q(pdf_sha256=sha256) | Q(xlsx_sha256=sha256)).first()
    else:
        return None
    if expediente is None:
        return None
    return constancia_verificar(expediente=expediente, sha256=sha256)


def _leer(campo) -> bytes | None:
    try:
        with campo.open("rb") as archivo:
            return archivo.read()
    except (OSError, ValueError):
        return None


def constancia_verificar(*, expediente: Expediente, sha256: str | None = None) -> ConstanciaVerificada:
    """Its stored files hash as recorded, the constancia carries a valid portal signature over the whole file,
    and the filing it comes from passes the acuse's own verification."""
    resultado = ConstanciaVerificada(expediente=expediente)
    pdf, xlsx = _leer(expediente.pdf), _leer(expediente.xlsx)
    if (
        pdf is None
        or xlsx is None
        or hashlib.sha256(pdf).hexdigest() != expediente.pdf_sha256
        or hashlib.sha256(xlsx).hexdigest() != expediente.xlsx_sha256
    ):
        resultado.problemas.append(MENSAJE_ARCHIVO)
    conocidos, _ = acuses.certificados_portal()
    if pdf is not None and not acuse_pades.pdf_firma_verificar(pdf=pdf, certificados=conocidos.values()).valida:
        resultado.problemas.append(MENSAJE_SELLO)
    if not acuses.acuse_verificar(folio=expediente.informativa.folio_definitivo).valida:
        resultado.problemas.append(MENSAJE_INFORMATIVA)
    if sha256 is not None:
        resultado.archivo = "xlsx" if sha256 == expediente.xlsx_sha256 else "pdf"
        resultado.identico = sha256 in (expediente.pdf_sha256, expediente.xlsx_sha256)
    return resultado
