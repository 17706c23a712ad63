"""Identifier checks shared by the one-by-one capture and the carga masiva.

Each check is a plain function ``<campo>_error(valor) -> str | None`` that returns the Spanish message of the
first problem (or None), so the carga masiva can run it on 100,000 rows without raising an exception per
row; the validator classes wrap the same functions for Django forms and models.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils.deconstruct import deconstructible
from stdnum import luhn
from stdnum.exceptions import InvalidChecksum, InvalidComponent, InvalidLength
from stdnum.exceptions import ValidationError as StdnumError
from stdnum.mx import curp as stdnum_curp
from stdnum.mx import rfc as stdnum_rfc

NSS_OBLIGATORIO = "El NSS es obligatorio."
NSS_FORMATO = "El NSS debe tener 11 dígitos."
NSS_DIGITO = "El dígito verificador del NSS no es válido."
CURP_OBLIGATORIA = "La CURP es obligatoria."
CURP_FORMATO = "La CURP debe tener 18 caracteres con el formato oficial."
CURP_COMPONENTE = "La CURP no es válida: revisa la fecha de nacimiento, el sexo y la entidad de nacimiento."
CURP_DIGITO = "El dígito verificador de la CURP no es válido."
SBC_OBLIGATORIO = "El SBC es obligatorio."
SBC_NUMERO = "El SBC debe ser un número con punto decimal, por ejemplo 452.37."
SBC_POSITIVO = "El SBC debe ser mayor a cero."
SBC_DECIMALES = "El SBC admite máximo dos decimales."
SBC_MAXIMO = "El SBC excede el máximo permitido."
RFC_OBLIGATORIO = "El RFC es obligatorio."
RFC_LONGITUD = "El RFC debe tener 12 caracteres (persona moral) o 13 (persona física)."
RFC_FORMATO = "El RFC no tiene el formato correcto."
RFC_DIGITO = "El dígito verificador del RFC no coincide. Verifica el RFC; si es correcto, confírmalo."

_NSS = re.compile(r"\d{11}")
_SBC = re.compile(r"\d+(\.\d*)?|\.\d+")
SBC_MAX = Decimal("9999999999.99")


def normalizar(valor: object) -> str:
    """What every identifier goes through first: text, no surrounding spaces, upper case."""
    return ("" if valor is None else str(valor)).strip().upper()


def nss_error(valor: str) -> str | None:
    if not valor:
        return NSS_OBLIGATORIO
    if not _NSS.fullmatch(valor):
        return NSS_FORMATO
    # ICSOE-DOMAIN 8.3: weights 1,2,1,2... from the left over ten digits, digit sum, (10 - s mod 10) mod 10.
    # Over eleven digits that is exactly Luhn (the digit next to the check digit is the doubled one).
    if luhn.checksum(valor) != 0:
        return NSS_DIGITO
    return None


def curp_error(valor: str) -> str | None:
    if not valor:
        return CURP_OBLIGATORIA
    if _curp_compacta_valida(valor):
        return None
    try:
        stdnum_curp.validate(valor)
    except InvalidChecksum:
        return CURP_DIGITO
    except InvalidComponent:
        return CURP_COMPONENTE
    except StdnumError:
        return CURP_FORMATO
    return None


# python-stdnum decides what a valid CURP is, but its validate() cleans the text three times (in validate,
# get_birth_date and get_gender), which was most of the time of a 100,000-row carga masiva. Text that is
# already compact gets the same rules applied once here; whatever they do not accept goes to stdnum for its
# exact verdict and message. tests/informativas/test_validadores.py checks that both always agree.
_CURP_COMPACTA = re.compile(r"[A-Z]{4}[0-9]{6}[HM][A-Z]{5}[0-9A-Z][0-9]")


def _curp_compacta_valida(valor: str) -> bool:
    if not _CURP_COMPACTA.fullmatch(valor):
        return False
    if valor[:4] in stdnum_curp._name_blacklist or valor[11:13] not in stdnum_curp._valid_states:
        return False
    siglo = 1900 if valor[16].isdigit() else 2000
    try:
        date(siglo + int(valor[4:6]), int(valor[6:8]), int(valor[8:10]))
    except ValueError:
        return False
    return valor[17] == stdnum_curp.calc_check_digit(valor)


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
    if numero.as_tuple().exponent < -2 and numero != numero.quantize(Decimal("0.01")):
        return None, SBC_DECIMALES
    if numero > SBC_MAX:
        return None, SBC_MAXIMO
    return numero.quantize(Decimal("0.01")), None


def sbc_error(valor: object) -> str | None:
    return sbc_convertir(str(valor) if valor is not None else "")[1]


def rfc_error(valor: str) -> str | None:
    """Structure only (12 or 13 characters, letters, date, homoclave). The check digit is a separate warning:
    about 1.5% of real RFCs fail it, so a typed RFC with a bad one is confirmed, not refused."""
    if not valor:
        return RFC_OBLIGATORIO
    if len(valor) not in (12, 13):
        return RFC_LONGITUD
    try:
        stdnum_rfc.validate(valor, validate_check_digits=False)
    except InvalidLength:
        return RFC_LONGITUD
    except StdnumError:
        return RFC_FORMATO
    return None


_TELEFONO = re.compile(r"\d{10}")
TELEFONO_FORMATO = "El teléfono debe tener 10 dígitos."


def telefono_normalizar(valor: str | None) -> str:
    """A phone as typed (spaces and dashes allowed) to its 10 digits; shared by every contratante form.
    Raises ValidationError (a form's ``clean_<campo>`` lets it through as the field's error)."""
    valor = re.sub(r"[\s-]", "", valor or "")
    if valor and not _TELEFONO.fullmatch(valor):
        raise ValidationError(TELEFONO_FORMATO)
    return valor


def rfc_digito_valido(valor: str) -> bool:
    try:
        stdnum_rfc.validate(valor, validate_check_digits=True)
    except StdnumError:
        return False
    return True


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
