"""The board of a capturista who files for several contratistas (an accounting firm): one row per contratista
it serves, one column per cuatrimestre of the last two years, each cell the state of that period's filing.

Only the contratistas of the capturista's active relaciones are read (the same rule as "Seleccionar
contratista"), in one query: the contratistas LEFT JOINed to their informativas of the board's periods. The
deadlines come from ``plazos`` (one more query, for the staff's días inhábiles).
"""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from django.db import models
from django.db.models import FilteredRelation, Q
from django.utils import timezone

from capturistas.models import Relacion
from contratistas.models import Contratista
from contratistas.repse import VigenciaRepse, vigencia_repse
from plazos.services import fechas_limite

from ..periodos import Periodo, PlazoDePeriodo
from ..periodos import hoy as hoy_mexico
from ..vigencia import (
    CAMPOS,
    ESTADOS_POR_PRESENTAR,
    PERIODOS_EXIGIBLES,
    Estado,
    EstadoDelPeriodo,
    InformativaDelPeriodo,
    alta_de,
    es_exigible,
    estado_de,
    estado_del_periodo,
    primer_periodo_exigible,
)

# The state of a cell is the period's state (vigencia.py decides it for every screen); re-exported for the board.
__all__ = ["ESTADOS_POR_PRESENTAR", "Estado", "EstadoDelPeriodo", "InformativaDelPeriodo", "estado_del_periodo"]

PERIODOS_EN_TABLERO = PERIODOS_EXIGIBLES  # two years of cuatrimestres: the periods a contratista may owe


@dataclass(frozen=True)
class Celda:
    columna: PlazoDePeriodo
    estado: Estado
    informativa: uuid.UUID | None
    coincide: bool = False  # matches every filter given
    exigible: bool = True  # owed: it ended after the contratista's alta (vigencia.primer_periodo_exigible)

    @property
    def por_presentar(self) -> bool:
        return self.exigible and self.estado in ESTADOS_POR_PRESENTAR

    @property
    def periodo(self) -> Periodo:
        return self.columna.periodo


@dataclass
class FilaDelTablero:
    code: uuid.UUID
    rfc: str
    razon_social: str
    alta: datetime.date
    repse_fecha_registro: datetime.date | None = None
    repse: VigenciaRepse | None = None  # set by tablero_de for its "today"
    celdas: list[Celda] = field(default_factory=list)


@dataclass(frozen=True)
class Tablero:
    columnas: list[PlazoDePeriodo]
    filas: list[FilaDelTablero]  # the contratistas that match the filters
    total: int  # every contratista the capturista serves


def periodos_del_tablero(*, hoy: datetime.date) -> list[Periodo]:
    """The last ``PERIODOS_EN_TABLERO`` cuatrimestres that have ended by ``hoy`` (the ones that can be filed),
    newest first."""
    periodo = Periodo.de_fecha(hoy).anterior
    periodos = []
    for _ in range(PERIODOS_EN_TABLERO):
        periodos.append(periodo)
        periodo = periodo.anterior
    return periodos


def contratistas_de(*, capturista: Any) -> models.QuerySet[Contratista]:
    """The contratistas a capturista serves now: its active relaciones (as "Seleccionar contratista")."""
    return Contratista.objects.filter(
        relaciones__capturista_id=capturista.pk, relaciones__estatus=Relacion.Estatus.ACTIVA
    )


def _en_periodos(periodos: Sequence[Periodo]) -> Q:
    """informativas of the board's periods (consecutive): between the oldest and the newest."""
    desde, hasta = min(periodos, key=lambda p: (p.anio, p.cuatrimestre)), max(
        periodos, key=lambda p: (p.anio, p.cuatrimestre)
    )
    despues = Q(informativas__anio__gt=desde.anio) | Q(
        informativas__anio=desde.anio, informativas__cuatrimestre__gte=desde.cuatrimestre
    )
    antes = Q(informativas__anio__lt=hasta.anio) | Q(
        informativas__anio=hasta.anio, informativas__cuatrimestre__lte=hasta.cuatrimestre
    )
    return despues & antes


Informativas = dict[tuple[uuid.UUID, int, int], list[InformativaDelPeriodo]]


def _leer(*, capturista: Any, periodos: Sequence[Periodo]) -> tuple[list[FilaDelTablero], Informativas]:
    """One query: every contratista served (by razón social), with its informativas of the periods (a
    contratista without any comes back once, with NULLs)."""
    filas: dict[uuid.UUID, FilaDelTablero] = {}
    informativas: Informativas = {}
    registros = (
        contratistas_de(capturista=capturista)
        .annotate(inf=FilteredRelation("informativas", condition=_en_periodos(periodos)))
        .order_by("razon_social", "rfc", "inf__created_at", "inf__pk")
        .values_list(
            "code",
            "rfc",
            "razon_social",
            "created_at",
            "repse_fecha_registro",
            "inf__anio",
            "inf__cuatrimestre",
            *(f"inf__{campo}" for campo in CAMPOS),
        )
    )
    for code, rfc, razon_social, alta, repse, anio, cuatrimestre, *informativa in registros:
        if code not in filas:
            filas[code] = FilaDelTablero(
                code=code,
                rfc=rfc,
                razon_social=razon_social,
                alta=timezone.localdate(alta),
                repse_fecha_registro=repse,
            )
        if informativa[0] is not None:
            informativas.setdefault((code, anio, cuatrimestre), []).append(InformativaDelPeriodo(*informativa))
    return list(filas.values()), informativas


def celda_coincide(celda: Celda, *, estado: str | None = None, vence_en: int | None = None) -> bool:
    """Whether a cell matches the board's filters: its state is ``estado``, and (with ``vence_en``) the period
    is still to present and its deadline is today or within the next ``vence_en`` days."""
    if estado and celda.estado != estado:
        return False
    if vence_en is not None:
        return celda.por_presentar and 0 <= celda.columna.dias <= vence_en
    return True


def repse_coincide(vigencia: VigenciaRepse, *, repse_vence_en: int | None) -> bool:
    """Whether a row matches «REPSE vence en N días»: its registration expires within ``repse_vence_en`` days
    or has already lapsed (the most urgent); a contratista without a registration date never matches."""
    if repse_vence_en is None:
        return True
    return vigencia.dias is not None and vigencia.dias <= repse_vence_en


def tablero_de(
    *,
    capturista: Any,
    hoy: datetime.date,
    estado: str | None = None,
    vence_en: int | None = None,
    repse_vence_en: int | None = None,
) -> Tablero:
    """The board of ``capturista`` on ``hoy``: a row per contratista it serves (by razón social) with its REPSE
    registration's expiry, a cell per period. With ``estado`` and/or ``vence_en`` only the rows with a cell
    matching both are kept, and those cells are marked ``coincide``; with ``repse_vence_en`` only the rows whose
    REPSE matches too. Two queries: the board, and the staff's días inhábiles."""
    periodos = periodos_del_tablero(hoy=hoy)
    filas, informativas = _leer(capturista=capturista, periodos=periodos)
    limites = fechas_limite(periodos=[(p.anio, p.cuatrimestre) for p in periodos])
    columnas = [PlazoDePeriodo.de(p, fecha_limite=limites[(p.anio, p.cuatrimestre)], hoy=hoy) for p in periodos]
    filtrado = bool(estado) or vence_en is not None
    mostradas = []
    for fila in filas:
        fila.repse = vigencia_repse(fecha_registro=fila.repse_fecha_registro, hoy=hoy)
        primero = primer_periodo_exigible(alta=fila.alta, hoy=hoy)
        for columna in columnas:
            p = columna.periodo
            actual = estado_del_periodo(
                informativas.get((fila.code, p.anio, p.cuatrimestre), ()), exigible=es_exigible(p, primero=primero)
            )
            celda = Celda(
                columna=columna, estado=actual.estado, informativa=actual.informativa, exigible=actual.exigible
            )
            if filtrado and celda_coincide(celda, estado=estado, vence_en=vence_en):
                celda = replace(celda, coincide=True)
            fila.celdas.append(celda)
        if (not filtrado or any(c.coincide for c in fila.celdas)) and repse_coincide(
            fila.repse, repse_vence_en=repse_vence_en
        ):
            mostradas.append(fila)
    return Tablero(columnas=columnas, filas=mostradas, total=len(filas))


def celda_de(
    *, capturista: Any, contratista_code: uuid.UUID, periodo: Periodo, hoy: datetime.date | None = None
) -> tuple[Contratista, EstadoDelPeriodo] | None:
    """One cell again, for the link that opens it: the contratista (only one the capturista serves now; None
    otherwise) and the state of its period."""
    contratista = contratistas_de(capturista=capturista).filter(code=contratista_code).first()
    if contratista is None:
        return None
    primero = primer_periodo_exigible(alta=alta_de(contratista), hoy=hoy or hoy_mexico())
    return contratista, estado_de(contratista_id=contratista.pk, periodo=periodo, primero=primero)

