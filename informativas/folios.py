"""Folios from the database: unique across processes, gap-tolerant (a rolled-back transaction or a deleted
contract leaves a hole, which is allowed), and the same code on PostgreSQL and SQLite.

Each series (``A25P``, ``N25``, ``SI26``...) has one counter row, locked with SELECT ... FOR UPDATE while the
number is taken. The lock lasts until the caller's transaction ends, so call this as late as possible in it.
"""

from __future__ import annotations

import re

from django.db import transaction

from .models import FolioContador, Informativa

PREFIJOS_INFORMATIVA = {
    "NORMAL": "N",
    "SIN_INFORMACION": "SI",
    "CORRECCION": "C",
    "SIN_EFECTOS": "SE",
    "ACTUALIZACION": "A",
}
LETRA_CUATRIMESTRE = {1: "P", 2: "S", 3: "T"}
DIGITOS = 7


def folio_siguiente(*, prefijo: str, anio: int, sufijo: str = "") -> str:
    """Next folio of the series ``prefijo + yy + sufijo``: ``N250000001``; a contract ``A25P0000001``."""
    serie = f"{prefijo}{anio % 100:02d}{sufijo}"
    with transaction.atomic():
        # Creating the row may race with another first folio of the series: ignore_conflicts makes it safe.
        FolioContador.objects.bulk_create([FolioContador(serie=serie)], ignore_conflicts=True)
        contador = FolioContador.objects.select_for_update().get(serie=serie)
        contador.ultimo += 1
        contador.save(update_fields=["ultimo"])
    return f"{serie}{contador.ultimo:0{DIGITOS}d}"


def folios_reservar(*, prefijo: str, anio: int, sufijo: str = "", cantidad: int) -> list[str]:
    """``cantidad`` consecutive folios of the series taken at once (one counter update): Contratos en bloque."""
    if cantidad <= 0:
        return []
    serie = f"{prefijo}{anio % 100:02d}{sufijo}"
    with transaction.atomic():
        FolioContador.objects.bulk_create([FolioContador(serie=serie)], ignore_conflicts=True)
        contador = FolioContador.objects.select_for_update().get(serie=serie)
        primero = contador.ultimo + 1
        contador.ultimo += cantidad
        contador.save(update_fields=["ultimo"])
    return [f"{serie}{n:0{DIGITOS}d}" for n in range(primero, contador.ultimo + 1)]


def folio_contrato(*, anio: int, cuatrimestre: int) -> str:
    """``A`` + two-digit year + P/S/T (primero, segundo, tercero) + sequence, as IMSS's ``A26P3662382``."""
    return folio_siguiente(prefijo="A", anio=anio, sufijo=LETRA_CUATRIMESTRE[cuatrimestre])


def folios_contrato(*, anio: int, cuatrimestre: int, cantidad: int) -> list[str]:
    """``cantidad`` consecutive contract folios of the period (see ``folio_contrato``)."""
    return folios_reservar(prefijo="A", anio=anio, sufijo=LETRA_CUATRIMESTRE[cuatrimestre], cantidad=cantidad)


def folio_informativa(*, tipo: str, anio: int) -> str:
    """For the signing issue: the folio definitivo of a presented informativa (``N``, ``SI``, ``C``...)."""
    return folio_siguiente(prefijo=PREFIJOS_INFORMATIVA[tipo], anio=anio)


def folio_informativa_reservar(*, informativa: Informativa) -> str:
    """The folio definitivo ``informativa`` will be presented with: taken from its series the first time it is
    asked for ("Validar" on Firmar, which signs a cadena holding it) and kept on the informativa, so every later
    Validar of it, in any tab or session, gets the same one and Firmar makes it final. One folio per
    informativa, however many Validars: they cannot burn the shared series. A new one only if the informativa
    moved to another series since (its type or year changed); the one it held is then a gap, as folios allow."""
    serie = f"{PREFIJOS_INFORMATIVA[informativa.tipo]}{informativa.anio % 100:02d}"
    with transaction.atomic():
        # The row's lock makes two first Validars of one informativa take one folio, not two.
        folio = Informativa.objects.select_for_update().values_list("folio_reservado", flat=True).get(pk=informativa.pk)
        if not re.fullmatch(rf"{serie}\d{{{DIGITOS}}}", folio):
            folio = folio_informativa(tipo=informativa.tipo, anio=informativa.anio)
            Informativa.objects.filter(pk=informativa.pk).update(folio_reservado=folio)
    informativa.folio_reservado = folio
    return folio
