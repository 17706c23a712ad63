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
from typing import Any, NamedTuple

from django.db import models
from django.db.models import FilteredRelation, Q

from capturistas.models import Relacion
from contratistas.models import Contratista
from plazos.services import fechas_limite

from ..captura.pendientes import PlazoDePeriodo
from ..models import Informativa
from ..periodos import Periodo

PERIODOS_EN_TABLERO = 6  # two years of cuatrimestres


class Estado(models.TextChoices):
    SIN_INICIAR = "sin_iniciar", "Sin iniciar"
    BORRADOR = "borrador", "Borrador"
    EN_FIRMA = "en_firma", "En firma"
    PRESENTADA = "presentada", "Presentada"
    PRESENTADA_EXTEMPORANEA = "presentada_extemporanea", "Presentada extemporánea"
    COMPLEMENTARIA_EN_CURSO = "complementaria_en_curso", "Complementaria en curso"


# The states of a period still to present: the only ones a deadline ("vence en N días") applies to.
ESTADOS_POR_PRESENTAR = (Estado.SIN_INICIAR, Estado.BORRADOR, Estado.EN_FIRMA)
_EN_CURSO = (Informativa.Estatus.EN_CAPTURA, Informativa.Estatus.PENDIENTE_FIRMA)


class InformativaDelPeriodo(NamedTuple):
    """What the board reads of one informativa."""

    code: uuid.UUID
    tipo: str
    estatus: str
    extemporanea: bool
    fecha_presentacion: datetime.datetime | None


class EstadoDelPeriodo(NamedTuple):
    estado: Estado
    informativa: uuid.UUID | None  # the informativa the cell opens; None: start one


@dataclass(frozen=True)
class Celda:
    columna: PlazoDePeriodo
    estado: Estado
    informativa: uuid.UUID | None
    coincide: bool = False  # matches every filter given

    @property
    def por_presentar(self) -> bool:
        return self.estado in ESTADOS_POR_PRESENTAR

    @property
    def periodo(self) -> Periodo:
        return self.columna.periodo


@dataclass
class FilaDelTablero:
    code: uuid.UUID
    rfc: str
    razon_social: str
    celdas: list[Celda] = field(default_factory=list)


@dataclass(frozen=True)
class Tablero:
    columnas: list[PlazoDePeriodo]
    filas: list[FilaDelTablero]  # the contratistas that match the filters
    total: int  # every contratista the capturista serves


def periodos_del_tablero(*, hoy: datetime.date) -> list[Periodo]:
    """The last ``PERIODOS_EN_TABLERO`` cuatrimestres that have ended by ``hoy`` (the ones that can be filed),
    newest first."""
    periodo = Periodo(hoy.year, (hoy.month - 1) // 4 + 1).anterior
    periodos = []
    for _ in range(PERIODOS_EN_TABLERO):
        periodos.append(periodo)
        periodo = periodo.anterior
    return periodos


def estado_del_periodo(informativas: Sequence[InformativaDelPeriodo]) -> EstadoDelPeriodo:
    """The state of one contratista's period from its informativas, and the one its cell opens.

    - nothing: *sin iniciar*;
    - once presented, a complementaria being captured or waiting for the e.firma: *complementaria en curso*;
    - presented, nothing in progress: *presentada*, or *presentada extemporánea* when the Normal or Sin
      información that opened the period's chain was filed after the deadline (its ``extemporanea``, which
      signing sets from ``plazos`` and which is part of the signed cadena: the board says what the acuse says);
    - otherwise the draft's own state: *en firma* (pendiente de firma) or *borrador* (en captura). This is also
      the case of a new Normal or Sin información started after a Sin efectos left the period with none in force.
    """
    presentadas = [i for i in informativas if i.estatus in Informativa.ESTATUS_PRESENTADAS]
    en_curso = [i for i in informativas if i.estatus in _EN_CURSO]
    complementarias = [i for i in en_curso if i.tipo in Informativa.TIPOS_COMPLEMENTARIA]
    if presentadas and complementarias:
        return EstadoDelPeriodo(Estado.COMPLEMENTARIA_EN_CURSO, complementarias[0].code)
    if en_curso:
        borrador = en_curso[0]
        estado = Estado.EN_FIRMA if borrador.estatus == Informativa.Estatus.PENDIENTE_FIRMA else Estado.BORRADOR
        return EstadoDelPeriodo(estado, borrador.code)
    if not presentadas:
        return EstadoDelPeriodo(Estado.SIN_INICIAR, None)

    def fecha(i: InformativaDelPeriodo) -> datetime.datetime:
        return i.fecha_presentacion or datetime.datetime.min.replace(tzinfo=datetime.UTC)

    vigentes = [
        i for i in presentadas if i.estatus == Informativa.Estatus.PRESENTADA and i.tipo != Informativa.Tipo.SIN_EFECTOS
    ]
    abre = max(
        (i for i in presentadas if i.tipo in Informativa.TIPOS_UNICOS_POR_PERIODO), key=fecha, default=None
    )
    tarde = abre is not None and abre.extemporanea
    mostrar = vigentes[0] if vigentes else max(presentadas, key=fecha)
    return EstadoDelPeriodo(Estado.PRESENTADA_EXTEMPORANEA if tarde else Estado.PRESENTADA, mostrar.code)


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
        .order_by("razon_social", "rfc", "inf__created_at")
        .values_list(
            "code",
            "rfc",
            "razon_social",
            "inf__code",
            "inf__anio",
            "inf__cuatrimestre",
            "inf__tipo",
            "inf__estatus",
            "inf__extemporanea",
            "inf__fecha_presentacion",
        )
    )
    for code, rfc, razon_social, inf_code, anio, cuatrimestre, tipo, estatus, extemporanea, fecha in registros:
        if code not in filas:
            filas[code] = FilaDelTablero(code=code, rfc=rfc, razon_social=razon_social)
        if inf_code is not None:
            informativas.setdefault((code, anio, cuatrimestre), []).append(
                InformativaDelPeriodo(inf_code, tipo, estatus, extemporanea, fecha)
            )
    return list(filas.values()), informativas


def celda_coincide(celda: Celda, *, estado: str | None = None, vence_en: int | None = None) -> bool:
    """Whether a cell matches the board's filters: its state is ``estado``, and (with ``vence_en``) the period
    is still to present and its deadline is today or within the next ``vence_en`` days."""
    if estado and celda.estado != estado:
        return False
    if vence_en is not None:
        return celda.por_presentar and 0 <= celda.columna.dias <= vence_en
    return True


def tablero_de(
    *,
    capturista: Any,
    hoy: datetime.date,
    estado: str | None = None,
    vence_en: int | None = None,
) -> Tablero:
    """The board of ``capturista`` on ``hoy``: a row per contratista it serves (by razón social), a cell per
    period. With ``estado`` and/or ``vence_en`` only the rows with a cell matching both are kept, and those
    cells are marked ``coincide``. Two queries: the board, and the staff's días inhábiles."""
    periodos = periodos_del_tablero(hoy=hoy)
    filas, informativas = _leer(capturista=capturista, periodos=periodos)
    limites = fechas_limite(periodos=[(p.anio, p.cuatrimestre) for p in periodos])
    columnas = [
        PlazoDePeriodo(
            periodo=p,
            fecha_limite=limites[(p.anio, p.cuatrimestre)],
            dias=(limites[(p.anio, p.cuatrimestre)] - hoy).days,
        )
        for p in periodos
    ]
    filtrado = bool(estado) or vence_en is not None
    mostradas = []
    for fila in filas:
        for columna in columnas:
            p = columna.periodo
            actual = estado_del_periodo(informativas.get((fila.code, p.anio, p.cuatrimestre), ()))
            celda = Celda(columna=columna, estado=actual.estado, informativa=actual.informativa)
            if filtrado and celda_coincide(celda, estado=estado, vence_en=vence_en):
                celda = replace(celda, coincide=True)
            fila.celdas.append(celda)
        if not filtrado or any(c.coincide for c in fila.celdas):
            mostradas.append(fila)
    return Tablero(columnas=columnas, filas=mostradas, total=len(filas))


def celda_de(
    *, capturista: Any, contratista_code: uuid.UUID, periodo: Periodo
) -> tuple[Contratista, EstadoDelPeriodo] | None:
    """One cell again, for the link that opens it: the contratista (only one the capturista serves now; None
    otherwise) and the state of its period."""
    contratista = contratistas_de(capturista=capturista).filter(code=contratista_code).first()
    if contratista is None:
        return None
    informativas = [
        InformativaDelPeriodo(*valores)
        for valores in Informativa.objects.filter(
            contratista_id=contratista.pk, anio=periodo.anio, cuatrimestre=periodo.cuatrimestre
        )
        .order_by("created_at")
        .values_list("code", "tipo", "estatus", "extemporanea", "fecha_presentacion")
    ]
    return contratista, estado_del_periodo(informativas)

