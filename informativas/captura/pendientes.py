"""The bandeja's deadlines: the periods still to present before their deadline, with the days left, and the ones
the contratista owes with no filing in force (the later of its alta in the portal and two years ago: the same
periods and the same state the board shows, both from ``vigencia``)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from contratistas.models import Contratista
from plazos.services import fechas_limite

from .. import vigencia
from ..periodos import Periodo, PlazoDePeriodo


@dataclass(frozen=True)
class Plazos:
    por_vencer: list[PlazoDePeriodo]
    no_presentados: list[PlazoDePeriodo]


def plazos_de(*, contratista: Contratista, hoy: datetime.date) -> Plazos:
    """Every ended period the contratista owes (``vigencia.primer_periodo_exigible``: since the later of its alta
    and two years ago, the board's columns) with no filing in force (``vigencia.estado_del_periodo``: nothing
    presented, a draft, or every filing left without effect by a Sin efectos): those whose deadline is today or
    later go in ``por_vencer``, the rest in ``no_presentados`` (oldest first). Two queries (the periods'
    informativas, the staff's días inhábiles), none when no period has ended since the alta."""
    primero = vigencia.primer_periodo_exigible(alta=vigencia.alta_de(contratista), hoy=hoy)
    concluidos: list[Periodo] = []
    periodo = primero
    while periodo.concluido(fecha=hoy):
        concluidos.append(periodo)
        periodo = periodo.siguiente
    if not concluidos:
        return Plazos(por_vencer=[], no_presentados=[])
    estados = vigencia.estados_de(contratista_id=contratista.pk, periodos=concluidos, primero=primero)
    pendientes = [p for p in concluidos if estados[p].por_presentar]
    limites = fechas_limite(periodos=[(p.anio, p.cuatrimestre) for p in pendientes])
    por_vencer: list[PlazoDePeriodo] = []
    no_presentados: list[PlazoDePeriodo] = []
    for periodo in pendientes:
        limite = limites[(periodo.anio, periodo.cuatrimestre)]
        plazo = PlazoDePeriodo.de(periodo, fecha_limite=limite, hoy=hoy)
        (por_vencer if plazo.dias >= 0 else no_presentados).append(plazo)
    return Plazos(por_vencer=por_vencer, no_presentados=no_presentados)
