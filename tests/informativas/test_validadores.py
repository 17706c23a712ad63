"""The identifier checks (core.identificadores) and the SBC check, shared by the one-by-one capture, the carga
masiva and the CURP registry, and the Django validators around them."""

from __future__ import annotations

import random
import string
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from stdnum import luhn
from stdnum.mx import curp as stdnum_curp

from core import identificadores as ids
from informativas import validators as v

from .datos import curp, curp_digito_erroneo, nss, nss_digito_erroneo


def _digito_icsoe(diez: str) -> int:
    """ICSOE-DOMAIN.md 8.3 literally: weights 1,2,1,2 from the left, digit sums, (10 - s mod 10) mod 10."""
    total = 0
    for posicion, caracter in enumerate(diez):
        producto = int(caracter) * (1 if posicion % 2 == 0 else 2)
        total += producto // 10 + producto % 10
    return (10 - total % 10) % 10


@pytest.mark.parametrize("base", ["0000000000", "1234567890", "9876543210", "4100781234", "0101010101"])
def test_the_nss_check_digit_of_the_domain_spec_is_exactly_luhn_over_eleven_digits(base):
    assert luhn.calc_check_digit(base) == str(_digito_icsoe(base))
    assert ids.nss_error(base + str(_digito_icsoe(base))) is None


def test_it_explains_each_kind_of_bad_nss():
    assert ids.nss_error("") == ids.NSS_OBLIGATORIO
    assert ids.nss_error("1234567890") == ids.NSS_FORMATO
    assert ids.nss_error("12345A78901") == ids.NSS_FORMATO
    assert ids.nss_error(nss_digito_erroneo(5)) == ids.NSS_DIGITO
    assert ids.nss_error(nss(5)) is None


def _curps_alteradas(cuantas: int) -> list[str]:
    """Valid CURPs and near misses: one character changed, impossible dates, blacklisted names, other states,
    wrong sex letters, lower case, separators."""
    azar = random.Random(15)
    alfabeto = string.ascii_uppercase + string.digits + "Ñ -_a"
    prefijos = ["BUEI", "CACA", "GAPA", "XXXX", "PUTO", "LOCA"]
    casos = []
    for _ in range(cuantas):
        valida = curp(azar.randrange(320_000), sexo=azar.choice("HM"))
        cambio = azar.randrange(6)
        if cambio == 0:
            casos.append(valida)
        elif cambio == 1:
            posicion = azar.randrange(18)
            casos.append(valida[:posicion] + azar.choice(alfabeto) + valida[posicion + 1 :])
        elif cambio == 2:
            casos.append(azar.choice(prefijos) + valida[4:])
        elif cambio == 3:
            fecha = f"{azar.randrange(100):02d}{azar.randrange(14):02d}{azar.randrange(33):02d}"
            base = valida[:4] + fecha + valida[10:17]
            casos.append(base + stdnum_curp.calc_check_digit(base))
        elif cambio == 4:
            base = valida[:10] + azar.choice("HMX") + azar.choice(["DF", "NE", "ZZ", "JC"]) + valida[13:17]
            casos.append(base + stdnum_curp.calc_check_digit(base))
        else:
            casos.append(valida[:9] + "-" + valida[9:])
    return casos


def test_the_fast_curp_check_always_agrees_with_python_stdnum():
    validas = 0
    for caso in _curps_alteradas(20_000):
        valida = stdnum_curp.is_valid(caso)
        assert (ids.curp_error(caso) is None) == valida, caso
        validas += valida
    assert 5_000 < validas < 15_000  # both verdicts are well represented


def test_it_explains_each_kind_of_bad_curp():
    assert ids.curp_error("") == ids.CURP_OBLIGATORIA
    assert ids.curp_error("GODE561231HDF") == ids.CURP_LONGITUD
    assert ids.curp_error("GODE561331HDFRRN00") == ids.CURP_COMPONENTE  # month 13
    assert ids.curp_error("GODE561231HXXRRN00") == ids.CURP_COMPONENTE  # no such state
    assert ids.curp_error(curp_digito_erroneo(2)) == ids.CURP_DIGITO
    assert ids.curp_error(curp(2)) is None


@pytest.mark.parametrize(
    ("texto", "valor", "mensaje"),
    [
        ("452.37", Decimal("452.37"), None),
        ("452", Decimal("452.00"), None),
        ("452.4", Decimal("452.40"), None),
        ("452.370", Decimal("452.37"), None),
        ("", None, v.SBC_OBLIGATORIO),
        ("-5.00", None, v.SBC_POSITIVO),
        ("0", None, v.SBC_POSITIVO),
        ("0.00", None, v.SBC_POSITIVO),
        ("452.371", None, v.SBC_DECIMALES),
        ("1,234.00", None, v.SBC_NUMERO),
        ("abc", None, v.SBC_NUMERO),
        ("1e3", None, v.SBC_NUMERO),
        ("99999999999.00", None, v.SBC_MAXIMO),
    ],
)
def test_the_sbc_is_positive_with_at_most_two_decimals(texto, valor, mensaje):
    assert v.sbc_convertir(texto) == (valor, mensaje)


def test_an_rfc_needs_twelve_or_thirteen_characters_and_its_check_digit_is_only_a_warning():
    assert ids.rfc_error("") == ids.RFC_OBLIGATORIO
    assert ids.rfc_error("ABC010101") == ids.RFC_LONGITUD
    assert ids.rfc_error("AB1010101AB5") == ids.RFC_FORMATO
    assert ids.rfc_error("CLI010101AB1") is None  # structure is fine...
    assert not ids.rfc_digito_valido("CLI010101AB1")  # ...but the check digit is not
    assert ids.rfc_digito_valido("CLI010101AB5")


def test_the_validator_classes_raise_the_same_spanish_messages():
    with pytest.raises(ValidationError) as error:
        v.validar_nss(nss_digito_erroneo(1))
    assert error.value.messages == [ids.NSS_DIGITO]
    with pytest.raises(ValidationError) as error:
        v.validar_curp("X")
    assert error.value.messages == [ids.CURP_LONGITUD]
    v.validar_sbc(Decimal("10.50"))
    assert v.validar_nss == v.NssValidator()
