"""The bandeja's deadlines: the periods still to present before their deadline, with the days left, and the ones
the contratista never presented since the later of its alta in the portal and two years ago."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.utils import timezone

from contratistas.models import Contratista
from plazos.services import fechas_limite

from ..models import Informativa
from ..periodos import MESES, Periodo


def fecha_larga(fecha: datetime.date) -> str:
    """ "18 de mayo de 2026"."""
    return f"{fecha.day} de {MESES[fecha.month - 1].lower()} de {fecha.year}"


@dataclass(frozen=True)
class PlazoDePeriodo:
    periodo: Periodo
    fecha_limite: datetime.date
    dias: int  # calendar days left; negative once the deadline has passed

    @property
    def leyenda(self) -> str:
        fecha = fecha_larga(self.fecha_limite)
        if self.dias > 1:
            return f"Vence el {fecha} (faltan {self.dias} días)"
        if self.dias == 1:
            return f"Vence el {fecha} (falta 1 día)"
        if self.dias == 0:
            return f"Vence hoy, {fecha}"
        return f"Venció el {fecha}"


@dataclass(frozen=True)
class Plazos:
    por_vencer: list[PlazoDePeriodo]
    no_presentados: list[PlazoDePeriodo]


def _hace_dos_anios(hoy: datetime.date) -> datetime.date:
    try:
        return hoy.replace(year=hoy.year - 2)
    except ValueError:  # 29 February
        return hoy.replace(year=hoy.year - 2, day=28)


def _periodo_de(fecha: datetime.date) -> Periodo:
    return Periodo(fecha.year, (fecha.month - 1) // 4 + 1)


def _siguiente(periodo: Periodo) -> Periodo:
    if periodo.cuatrimestre == 3:
        return Periodo(periodo.anio + 1, 1)
    return Periodo(periodo.anio, periodo.cuatrimestre + 1)


def plazos_de(*, contratista: Contratista, hoy: datetime.date) -> Plazos:
    """Every ended period since max(alta, two years ago) with no informativa presented (a Normal or Sin
    información, or one since replaced by a complementaria): those whose deadline is today or later go in
    ``por_vencer``, the rest in ``no_presentados`` (oldest first). Two queries (presented informativas, the
    staff's días inhábiles), none when no period has ended since the alta."""
    alta = timezone.localdate(contratista.created_at) if contratista.created_at else hoy
    concluidos: list[Periodo] = []
    periodo = _periodo_de(max(alta, _hace_dos_anios(hoy)))
    while periodo.concluido(fecha=hoy):
        concluidos.append(periodo)
        periodo = _siguiente(periodo)
    if not concluidos:
        return Plazos(por_vencer=[], no_presentados=[])
    presentados = set(
        Informativa.objects.filter(
            contratista_id=contratista.pk,
            estatus__in=Informativa.ESTATUS_PRESENTADAS,
            anio__gte=concluidos[0].anio,
        ).values_list("anio", "cuatrimestre")
    )
    pendientes = [p for p in concluidos if (p.anio, p.cuatrimestre) not in presentados]
    limites = fechas_limite(periodos=[(p.anio, p.cuatrimestre) for p in pendientes])
    por_vencer: list[PlazoDePeriodo] = []
    no_presentados: list[PlazoDePeriodo] = []
    for periodo in pendientes:
        limite = limites[(periodo.anio, periodo.cuatrimestre)]
        plazo = PlazoDePeriodo(periodo=periodo, fecha_limite=limite, dias=(limite - hoy).days)
        (por_vencer if plazo.dias >= 0 else no_presentados).append(plazo)
    return Plazos(por_vencer=por_vencer, no_presentados=no_presentados)
