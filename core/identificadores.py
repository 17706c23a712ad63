"""The identifiers of the portal's people and companies, one owner for their checks: CURP, RFC and NSS, with
python-stdnum underneath. Every screen, the carga masiva, the CURP registry and the models use these.

Each check is a plain function ``<identificador>_error(valor) -> str | None`` that returns the Spanish message
of the first problem (or None), so the carga masiva can run it on 100,000 rows without raising an exception
per row; ``informativas.validators`` wraps the same functions as Django validators.
"""

from __future__ import annotations

import re
from datetime import date

from stdnum import luhn
from stdnum.exceptions import InvalidChecksum, InvalidComponent, InvalidLength
from stdnum.exceptions import ValidationError as StdnumError
from stdnum.mx import curp as stdnum_curp
from stdnum.mx import rfc as stdnum_rfc

NSS_OBLIGATORIO = "El NSS es obligatorio."
NSS_FORMATO = "El NSS debe tener 11 dígitos."
NSS_DIGITO = "El dígito verificador del NSS no es válido."
CURP_OBLIGATORIA = "La CURP es obligatoria."
CURP_LONGITUD = "La CURP debe tener 18 caracteres."
CURP_FORMATO = "La CURP no tiene el formato oficial."
CURP_COMPONENTE = "La CURP no es válida: revisa la fecha de nacimiento, el sexo y la entidad de nacimiento."
CURP_DIGITO = "El dígito verificador de la CURP no es válido. Revisa que la hayas capturado correctamente."
RFC_OBLIGATORIO = "El RFC es obligatorio."
RFC_LONGITUD = "El RFC debe tener 12 caracteres (persona moral) o 13 (persona física)."
RFC_FORMATO = "El RFC no tiene el formato correcto."
RFC_DIGITO = "El dígito verificador del RFC no coincide. Verifica el RFC; si es correcto, confírmalo."

_NSS = re.compile(r"\d{11}")


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
    except InvalidLength:
        return CURP_LONGITUD
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


def rfc_digito_valido(valor: str) -> bool:
    try:
        stdnum_rfc.validate(valor, validate_check_digits=True)
    except StdnumError:
        return False
    return True
