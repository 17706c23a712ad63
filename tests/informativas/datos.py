"""Valid identifiers for tests and the benchmark: NSS with their Luhn check digit and CURPs with theirs."""

from __future__ import annotations

import datetime

from stdnum import luhn
from stdnum.mx import curp as stdnum_curp

ENTIDADES = (
    "AS BC BS CC CL CM CS CH DF DG GT GR HG JC MC MN MS NT NL OC PL QT QR SP SL SR TC TS TL VZ YN ZS"
).split()


def nss(i: int) -> str:
    base = f"{(i * 7919) % 10**10:010d}"
    return base + luhn.calc_check_digit(base)


def nss_digito_erroneo(i: int) -> str:
    valido = nss(i)
    return valido[:10] + str((int(valido[10]) + 1) % 10)


def curp(i: int, sexo: str = "H") -> str:
    """Unique for i < 320,000: the birth date and the state vary with i."""
    nacimiento = datetime.date(1960, 1, 1) + datetime.timedelta(days=i % 10000)
    base = f"GAPA{nacimiento:%y%m%d}{sexo}{ENTIDADES[(i // 10000) % 32]}RRN0"
    return base + stdnum_curp.calc_check_digit(base)


def curp_digito_erroneo(i: int) -> str:
    valida = curp(i)
    return valida[:17] + str((int(valida[17]) + 1) % 10)


def csv_trabajadores(n: int, *, inicio: int = 0, encabezado: bool = True) -> str:
    filas = ["NSS,CURP,SBC"] if encabezado else []
    filas += [f"{nss(i)},{curp(i)},{300 + i % 1000}.{i % 100:02d}" for i in range(inicio, inicio + n)]
    return "\n".join(filas) + "\n"
