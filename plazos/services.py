"""The one place that answers when a cuatrimestre's informativa is due, whether a filing is late, and how many
days are left (DOF 13/04/2022 numeral 5.3; Código Fiscal de la Federación, art. 12).

The informativa of a cuatrimestre is due by the 17th of the month after it ends (January for
September–December, May for January–April, September for May–August). When the 17th is not a business day the
deadline moves to the next business day. Not business days: Saturdays and Sundays, the federal holidays (the
``holidays`` package's Mexico calendar, which follows Ley Federal del Trabajo art. 74), 5 May (CFF art. 12 adds
it) and the días inhábiles staff record in the admin (``DiaInhabil``). Every date is a calendar date in Mexico
City time (the project's TIME_ZONE): a filing made on the deadline day, Mexico City time, is on time.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from functools import lru_cache

from .models import DiaInhabil

DIA_DEL_PLAZO = 17
# Searching ahead for a business day: never more than a long weekend plus a few días inhábiles in a row.
_VENTANA = 31


@lru_cache(maxsize=64)
def _festivos_federales(anio: int) -> frozenset[datetime.date]:
    import holidays  # ~2 MB of calendars every process would load at start, for the few that compute a deadline

    return frozenset(holidays.country_holidays("MX", years=anio).keys())


def _inhabiles_de_personal(*, desde: datetime.date, hasta: datetime.date) -> set[datetime.date]:
    return set(DiaInhabil.objects.filter(fecha__range=(desde, hasta)).values_list("fecha", flat=True))


def _es_habil(fecha: datetime.date, *, de_personal: set[datetime.date]) -> bool:
    return not (
        fecha.weekday() >= 5
        or fecha in _festivos_federales(fecha.year)
        or (fecha.month, fecha.day) == (5, 5)
        or fecha in de_personal
    )


def es_dia_habil(*, fecha: datetime.date) -> bool:
    return _es_habil(fecha, de_personal=_inhabiles_de_personal(desde=fecha, hasta=fecha))


def _habil_desde(fecha: datetime.date, *, de_personal: set[datetime.date], hasta: datetime.date) -> datetime.date:
    """The first business day from ``fecha``; ``de_personal`` holds the staff's días inhábiles up to ``hasta``."""
    dia = fecha
    while not _es_habil(dia, de_personal=de_personal):
        dia += datetime.timedelta(days=1)
        if dia > hasta:  # a whole window inhábil: read the next one
            hasta = dia + datetime.timedelta(days=_VENTANA)
            de_personal = de_personal | _inhabiles_de_personal(desde=dia, hasta=hasta)
    return dia


def dia_habil_desde(*, fecha: datetime.date) -> datetime.date:
    """``fecha`` when it is a business day, otherwise the next business day (one query)."""
    hasta = fecha + datetime.timedelta(days=_VENTANA)
    return _habil_desde(fecha, de_personal=_inhabiles_de_personal(desde=fecha, hasta=hasta), hasta=hasta)


def _dia_17(anio: int, cuatrimestre: int) -> datetime.date:
    if cuatrimestre not in (1, 2, 3):
        raise ValueError(f"cuatrimestre fuera de rango: {cuatrimestre}")
    if cuatrimestre == 3:
        return datetime.date(anio + 1, 1, DIA_DEL_PLAZO)
    return datetime.date(anio, cuatrimestre * 4 + 1, DIA_DEL_PLAZO)


def fecha_limite(*, anio: int, cuatrimestre: int) -> datetime.date:
    """The last day to present the informativa of cuatrimestre 1, 2 or 3 of ``anio`` on time."""
    return dia_habil_desde(fecha=_dia_17(anio, cuatrimestre))


def fechas_limite(*, periodos: Iterable[tuple[int, int]]) -> dict[tuple[int, int], datetime.date]:
    """``fecha_limite`` of many (anio, cuatrimestre) at once, with one query for the staff's días inhábiles."""
    dias_17 = {periodo: _dia_17(*periodo) for periodo in periodos}
    if not dias_17:
        return {}
    hasta = max(dias_17.values()) + datetime.timedelta(days=_VENTANA)
    de_personal = _inhabiles_de_personal(desde=min(dias_17.values()), hasta=hasta)
    return {periodo: _habil_desde(dia, de_personal=de_personal, hasta=hasta) for periodo, dia in dias_17.items()}


def es_extemporanea(*, anio: int, cuatrimestre: int, fecha: datetime.date) -> bool:
    """Whether a filing made on ``fecha`` (Mexico City date) is late."""
    return fecha > fecha_limite(anio=anio, cuatrimestre=cuatrimestre)


def dias_restantes(*, anio: int, cuatrimestre: int, hoy: datetime.date) -> int:
    """Calendar days from ``hoy`` to the deadline: 0 on the deadline itself, negative once it has passed."""
    return (fecha_limite(anio=anio, cuatrimestre=cuatrimestre) - hoy).days
