"""The Django validators of the identifiers (``core.identificadores`` owns the checks) and the SBC check
shared by the one-by-one capture and the carga masiva.

The validator classes wrap the ``*_error`` functions for forms and models (the migrations name them here).
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from typing import cast

from django.core.exceptions import ValidationError
from django.utils.deconstruct import deconstructible

from core.identificadores import curp_error, nss_error, rfc_error

SBC_OBLIGATORIO = "El SBC es obligatorio."
SBC_NUMERO = "El SBC debe ser un número con punto decimal, por ejemplo 452.37."
SBC_POSITIVO = "El SBC debe ser mayor a cero."
SBC_DECIMALES = "El SBC admite máximo dos decimales."
SBC_MAXIMO = "El SBC excede el máximo permitido."

_SBC = re.compile(r"\d+(\.\d*)?|\.\d+")
SBC_MAX = Decimal("9999999999.99")


def sbc_convertir(valor: str) -> tuple[Decimal | None, str | None]:
    """Parses an SBC as typed or read from a file: a positive number with at most two decimals."""
    if not valor:
        return None, SBC_OBLIGATORIO
    texto = valor.strip()
    if texto.startswith("-"):
        return None, SBC_POSITIVO
    if not _SBC.fullmatch(texto):
        return None, SBC_NUMERO
    try:
        numero = Decimal(texto)
    except InvalidOperation:
        return None, SBC_NUMERO
    if numero <= 0:
        return None, SBC_POSITIVO
    # Finite (the pattern admits digits only), so the exponent is a number, never NaN's or Infinity's letter.
    if cast(int, numero.as_tuple().exponent) < -2 and numero != numero.quantize(Decimal("0.01")):
        return None, SBC_DECIMALES
    if numero > SBC_MAX:
        return None, SBC_MAXIMO
    return numero.quantize(Decimal("0.01")), None


def sbc_error(valor: object) -> str | None:
    return sbc_convertir(str(valor) if valor is not None else "")[1]


_TELEFONO = re.compile(r"\d{10}")
TELEFONO_FORMATO = "El teléfono debe tener 10 dígitos."


def telefono_normalizar(valor: str | None) -> str:
    """A phone as typed (spaces and dashes allowed) to its 10 digits; shared by every contratante form.
    Raises ValidationError (a form's ``clean_<campo>`` lets it through as the field's error)."""
    valor = re.sub(r"[\s-]", "", valor or "")
    if valor and not _TELEFONO.fullmatch(valor):
        raise ValidationError(TELEFONO_FORMATO)
    return valor


class _Validador:
    """Django validator around one of the ``*_error`` functions (same message in forms and in the carga)."""

    @staticmethod
    def revisar(valor: str) -> str | None:
        raise NotImplementedError

    def __call__(self, valor: object) -> None:
        mensaje = self.revisar(valor if isinstance(valor, str) else str(valor))
        if mensaje:
            raise ValidationError(mensaje, code="invalid")

    def __eq__(self, other: object) -> bool:
        return type(self) is type(other)

    def __hash__(self) -> int:
        return hash(type(self))


@deconstructible
class NssValidator(_Validador):
    revisar = staticmethod(nss_error)


@deconstructible
class CurpValidator(_Validador):
    revisar = staticmethod(curp_error)


@deconstructible
class SbcValidator(_Validador):
    revisar = staticmethod(sbc_error)


@deconstructible
class RfcValidator(_Validador):
    revisar = staticmethod(rfc_error)


validar_nss = NssValidator()
validar_curp = CurpValidator()
validar_sbc = SbcValidator()
validar_rfc = RfcValidator()
