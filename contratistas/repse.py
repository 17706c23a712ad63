"""The REPSE registration's validity: it lasts three years from its registration (or last renewal) date and is
renewed in the three months before it expires (art. 15 of the Ley Federal del Trabajo; DOF 21 Feb 2024, the
«Disposiciones de carácter general» of the REPSE). A contrato served after the expiry is plain subcontracting,
outside art. 15 A: the page, the reminders, the capture's warnings and the board all read it from here."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

VIGENCIA_ANIOS = 3
VENTANA_MESES = 3

SIN_FECHA = "sin_fecha"
VIGENTE = "vigente"
EN_VENTANA = "en_ventana"
VENCIDO = "vencido"
LEYENDAS = {
    SIN_FECHA: "Sin fecha de registro REPSE",
    VIGENTE: "Vigente",
    EN_VENTANA: "En ventana de renovación",
    VENCIDO: "Vencido",
}


def _mover_meses(fecha: datetime.date, meses: int) -> datetime.date:
    """``fecha`` moved by whole months, on the month's last day when the day does not exist there."""
    total = fecha.year * 12 + fecha.month - 1 + meses
    anio, mes = divmod(total, 12)
    dia = fecha.day
    while True:
        try:
            return datetime.date(anio, mes + 1, dia)
        except ValueError:
            dia -= 1


def vence_de(*, fecha_registro: datetime.date) -> datetime.date:
    """The last day the registration covers: three years after it (a 29 February expires on the 28th)."""
    return _mover_meses(fecha_registro, VIGENCIA_ANIOS * 12)


def ventana_desde(*, vence: datetime.date) -> datetime.date:
    """The first day of the renewal window: three months before the expiry."""
    return _mover_meses(vence, -VENTANA_MESES)


@dataclass(frozen=True)
class VigenciaRepse:
    fecha_registro: datetime.date | None
    vence: datetime.date | None
    ventana_desde: datetime.date | None
    dias: int | None  # vence − hoy, in calendar days (negative once it lapsed)
    estado: str

    @property
    def leyenda(self) -> str:
        return LEYENDAS[self.estado]

    @property
    def sin_fecha(self) -> bool:
        return self.estado == SIN_FECHA


def vigencia_repse(*, fecha_registro: datetime.date | None, hoy: datetime.date) -> VigenciaRepse:
    """The expiry, renewal window and state of a registration dated ``fecha_registro``, seen on ``hoy``."""
    if fecha_registro is None:
        return VigenciaRepse(None, None, None, None, SIN_FECHA)
    vence = vence_de(fecha_registro=fecha_registro)
    desde = ventana_desde(vence=vence)
    if hoy > vence:
        estado = VENCIDO
    elif hoy >= desde:
        estado = EN_VENTANA
    else:
        estado = VIGENTE
    return VigenciaRepse(fecha_registro, vence, desde, (vence - hoy).days, estado)


def limites_de_estado(*, hoy: datetime.date) -> tuple[datetime.date, datetime.date]:
    """(A, B): the registration dates that split the states on ``hoy``, so a query can filter by state: a date
    before A has lapsed, from A up to B (excluded) is in its renewal window, from B on is vigente. Exact, month
    ends included: the expiry and the window's start only grow with the registration date."""

    def primero(cumple) -> datetime.date:
        fecha = _mover_meses(hoy, -VIGENCIA_ANIOS * 12) - datetime.timedelta(days=5)
        while not cumple(fecha):
            fecha += datetime.timedelta(days=1)
        return fecha

    a = primero(lambda f: vence_de(fecha_registro=f) >= hoy)
    b = primero(lambda f: ventana_desde(vence=vence_de(fecha_registro=f)) > hoy)
    return a, b
