"""Which filing of a period is in force, and the chain of complementarias that led there.

The rules (ICSOE-DOMAIN.md 3.2 and 3.3, DOF 5.6):
- a period has at most one filing in force: a presented Normal, Sin información, Corrección or Actualización
  that no complementaria has replaced or cancelled (``Informativa.vigente``; a partial unique index backs it);
- a Corrección or an Actualización replaces the filing it modifies, which becomes *Sustituida*;
- a Sin efectos cancels the filing it modifies, which becomes *Dejada sin efectos*; the Sin efectos itself is
  final (never the base of another complementaria) and brings nothing back: the period then has no filing in
  force, and a new Normal or Sin información may be presented for it;
- only the filing in force may be modified.

Each presented filing points to the one it modified (``informativa_origen``), so the chain of a period is read
backwards through that link and forwards through the presented complementaria of each filing.

The state of a period (``estado_del_periodo``) is decided here, once, for every screen that shows it: the
board and its cell, the bandeja's pending periods, the period page a reminder links to, the reminders and the
public verification. Which periods a contratista owes is decided here too (``primer_periodo_exigible``): from
the period of its alta in the portal, at most two years back (the board's columns).
"""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple

from django.db import models
from django.db.models import Q
from django.utils import timezone

from .models import Informativa
from .periodos import Periodo

ESTATUS_CON_ACUSE = (Informativa.Estatus.PRESENTADA, *Informativa.ESTATUS_SIN_VIGENCIA)
COMPLEMENTARIAS_POR_PERIODO = 4  # DOF 5.6; Actualización does not count
MENSAJE_SIN_COMPLEMENTARIAS = (
    "Ya se usaron las {maximo} informativas complementarias permitidas para el periodo {periodo}: "
    "si presentas una nueva informativa {tipo}, no podrás corregirla ni dejarla sin efectos."
)


def complementarias_usadas(*, contratista_id: int, anio: int, cuatrimestre: int) -> int:
    """Corrección and Sin efectos of the period, drafts included (a draft deleted frees its place). The count
    is the period's, whatever filing they modified: a new Normal after a Sin efectos does not reset it."""
    return Informativa.objects.filter(
        contratista_id=contratista_id,
        anio=anio,
        cuatrimestre=cuatrimestre,
        tipo__in=[Informativa.Tipo.CORRECCION, Informativa.Tipo.SIN_EFECTOS],
    ).count()


def complementarias_restantes_del_periodo(*, contratista_id: int, anio: int, cuatrimestre: int) -> int:
    usadas = complementarias_usadas(contratista_id=contratista_id, anio=anio, cuatrimestre=cuatrimestre)
    return max(0, COMPLEMENTARIAS_POR_PERIODO - usadas)


def aviso_sin_complementarias(*, contratista_id: int, anio: int, cuatrimestre: int, tipo: str) -> str:
    """The warning "Nueva informativa" gives, and asks to confirm, before a Normal or Sin información is
    started in a period with no complementarias left (once presented it could never be corrected); "" otherwise."""
    restantes = complementarias_restantes_del_periodo(
        contratista_id=contratista_id, anio=anio, cuatrimestre=cuatrimestre
    )
    if restantes:
        return ""
    periodo = Periodo(anio, cuatrimestre)
    return MENSAJE_SIN_COMPLEMENTARIAS.format(
        maximo=COMPLEMENTARIAS_POR_PERIODO,
        periodo=str(periodo),
        tipo=dict(Informativa.Tipo.choices)[tipo],
    )


MAXIMO_ESLABONES = 50  # a guard against a cycle written into the database by hand


def reemplazo_de(informativa: Informativa) -> Informativa | None:
    """The presented complementaria that replaced or cancelled ``informativa``, if any."""
    if informativa.estatus not in Informativa.ESTATUS_SIN_VIGENCIA:
        return None
    return (
        informativa.complementarias.filter(estatus__in=ESTATUS_CON_ACUSE)
        .order_by("fecha_presentacion", "pk")
        .first()
    )


def vigente_del_periodo(*, contratista_id: int, anio: int, cuatrimestre: int) -> Informativa | None:
    """The period's filing in force, or None when it has none (nothing presented yet, or after a Sin
    efectos): the one ``estado_del_periodo`` names."""
    estado = estado_de(contratista_id=contratista_id, periodo=Periodo(anio, cuatrimestre))
    if estado.vigente is None:
        return None
    return Informativa.objects.get(code=estado.vigente)


# ----------------------------------------------------------------------------------------------------------
# The state of a period
# ----------------------------------------------------------------------------------------------------------
PERIODOS_EXIGIBLES = 6  # two years of cuatrimestres: the board's columns and the bandeja's reach


class Estado(models.TextChoices):
    SIN_INICIAR = "sin_iniciar", "Sin iniciar"
    BORRADOR = "borrador", "Borrador"
    EN_FIRMA = "en_firma", "En firma"
    PRESENTADA = "presentada", "Presentada"
    PRESENTADA_EXTEMPORANEA = "presentada_extemporanea", "Presentada extemporánea"
    COMPLEMENTARIA_EN_CURSO = "complementaria_en_curso", "Complementaria en curso"
    # Every filing presented was left without effect by a Sin efectos: none in force, to present again.
    SIN_EFECTOS = "sin_efectos", "Dejada sin efectos"
    # Nothing filed for a period that ended before the contratista's alta in the portal: not owed.
    ANTES_DEL_ALTA = "antes_del_alta", "Antes del registro"


# The states of a period with no filing in force: to present (when owed), the only ones a deadline applies to.
ESTADOS_POR_PRESENTAR = (Estado.SIN_INICIAR, Estado.SIN_EFECTOS, Estado.BORRADOR, Estado.EN_FIRMA)
_EN_CURSO = (Informativa.Estatus.EN_CAPTURA, Informativa.Estatus.PENDIENTE_FIRMA)
# What the state reads of each informativa of the period, in this order (``InformativaDelPeriodo``).
CAMPOS = ("code", "tipo", "estatus", "extemporanea", "fecha_presentacion", "folio_definitivo")


class InformativaDelPeriodo(NamedTuple):
    """What the state of a period reads of one of its informativas (``CAMPOS``)."""

    code: uuid.UUID
    tipo: str
    estatus: str
    extemporanea: bool
    fecha_presentacion: datetime.datetime | None
    folio: str = ""


class EstadoDelPeriodo(NamedTuple):
    estado: Estado
    informativa: uuid.UUID | None  # the informativa its screens open; None: start one
    vigente: uuid.UUID | None = None  # the filing in force, if any
    folio: str = ""  # the folio of the filing in force, or of the Sin efectos that left the period with none
    exigible: bool = True  # the period is owed (it ended after the contratista's alta, within two years)

    @property
    def por_presentar(self) -> bool:
        """Owed and with no filing in force: what the bandeja lists, the reminders remind of, the board's
        «vence en» filter picks."""
        return self.exigible and self.estado in ESTADOS_POR_PRESENTAR


def _en_vigor(i: InformativaDelPeriodo) -> bool:
    """As ``Informativa.vigente``: presented, neither replaced nor cancelled, and not a Sin efectos."""
    return i.estatus == Informativa.Estatus.PRESENTADA and i.tipo != Informativa.Tipo.SIN_EFECTOS


def _fecha(i: InformativaDelPeriodo) -> datetime.datetime:
    return i.fecha_presentacion or datetime.datetime.min.replace(tzinfo=datetime.UTC)


def _ultima(informativas: Sequence[InformativaDelPeriodo]) -> InformativaDelPeriodo | None:
    """The last one presented: by presentation time, which is kept to the second (it is the acuse's), and then
    by the order given (oldest first), so two filings signed within the same second still have an order."""
    ultima = max(enumerate(informativas), key=lambda par: (_fecha(par[1]), par[0]), default=None)
    return ultima[1] if ultima is not None else None


def estado_del_periodo(informativas: Sequence[InformativaDelPeriodo], *, exigible: bool = True) -> EstadoDelPeriodo:
    """The state of one contratista's period from its informativas (oldest first), and the one its screens open.

    - a filing in force: *presentada*, or *presentada extemporánea* when the Normal or Sin información that
      opened its chain was filed after the deadline (its ``extemporanea``, which signing sets from ``plazos`` and
      which is part of the signed cadena: every screen says what the acuse says); *complementaria en curso*
      while a complementaria of it is captured or waits for the e.firma (it opens the complementaria);
    - none in force, one in progress: the draft's own state, *en firma* (pendiente de firma) or *borrador*
      (en captura); also a new Normal or Sin información started after a Sin efectos;
    - none in force, some presented (every one left without effect by a Sin efectos): *dejada sin efectos*;
    - nothing: *sin iniciar*, or *antes del registro* when the period is not ``exigible``.
    """
    vigente = next((i for i in informativas if _en_vigor(i)), None)
    en_curso = [i for i in informativas if i.estatus in _EN_CURSO]
    if vigente is not None:
        complementaria = next((i for i in en_curso if i.tipo in Informativa.TIPOS_COMPLEMENTARIA), None)
        if complementaria is not None:
            return EstadoDelPeriodo(
                Estado.COMPLEMENTARIA_EN_CURSO, complementaria.code, vigente.code, vigente.folio, exigible
            )
        # The chain in force was opened by the last Normal or Sin información presented: a new one can only be
        # presented once a Sin efectos has left the period with none in force.
        abre = _ultima(
            [
                i
                for i in informativas
                if i.tipo in Informativa.TIPOS_UNICOS_POR_PERIODO and i.estatus in Informativa.ESTATUS_PRESENTADAS
            ]
        )
        estado = Estado.PRESENTADA_EXTEMPORANEA if abre is not None and abre.extemporanea else Estado.PRESENTADA
        return EstadoDelPeriodo(estado, vigente.code, vigente.code, vigente.folio, exigible)
    if en_curso:
        # A new Normal or Sin información before anything else (a complementaria in progress without a filing in
        # force cannot be signed any more).
        borrador = min(en_curso, key=lambda i: i.tipo not in Informativa.TIPOS_UNICOS_POR_PERIODO)
        pendiente = borrador.estatus == Informativa.Estatus.PENDIENTE_FIRMA
        return EstadoDelPeriodo(Estado.EN_FIRMA if pendiente else Estado.BORRADOR, borrador.code, exigible=exigible)
    sin_efectos = [
        i for i in informativas if i.tipo == Informativa.Tipo.SIN_EFECTOS and i.estatus == Informativa.Estatus.PRESENTADA
    ]
    ultimo_sin_efectos = _ultima(sin_efectos)
    if ultimo_sin_efectos is not None:
        return EstadoDelPeriodo(Estado.SIN_EFECTOS, None, folio=ultimo_sin_efectos.folio, exigible=exigible)
    return EstadoDelPeriodo(Estado.SIN_INICIAR if exigible else Estado.ANTES_DEL_ALTA, None, exigible=exigible)


# ----------------------------------------------------------------------------------------------------------
# Which periods a contratista owes
# ----------------------------------------------------------------------------------------------------------
def _clave(periodo: Periodo) -> tuple[int, int]:
    return periodo.anio, periodo.cuatrimestre


def alta_de(contratista: Any) -> datetime.date:
    """The day the contratista registered in the portal (Mexico City time)."""
    return timezone.localdate(contratista.created_at) if contratista.created_at else timezone.localdate()


def primer_periodo_exigible(*, alta: datetime.date, hoy: datetime.date) -> Periodo:
    """The first period a contratista owes on ``hoy``: the one of its alta in the portal (a contratista that
    registers in the middle of a cuatrimestre owes it), or the oldest of the last two years (the board's oldest
    column: ``PERIODOS_EXIGIBLES`` before today's) if later.

    The portal knows nothing of a contratista before its alta, so it never calls a period before it overdue:
    the bandeja does not list it, no reminder is sent for it, the board says «Antes del registro» (a filing made
    for it anyway is shown as it is)."""
    hace_dos_anios = Periodo.de_fecha(hoy)
    for _ in range(PERIODOS_EXIGIBLES):
        hace_dos_anios = hace_dos_anios.anterior
    return max(Periodo.de_fecha(alta), hace_dos_anios, key=_clave)


def es_exigible(periodo: Periodo, *, primero: Periodo) -> bool:
    return _clave(periodo) >= _clave(primero)


def registrados_a_tiempo(periodo: Periodo) -> Q:
    """The contratistas (a filter of ``Contratista``) that owe ``periodo`` by their alta: registered before it
    ended (``primer_periodo_exigible`` in SQL, for the reminders' query)."""
    fin = timezone.make_aware(datetime.datetime.combine(periodo.siguiente_dia, datetime.time.min))
    return Q(created_at__lt=fin)


def en_vigor() -> Q:
    """The filings in force (a filter of ``Informativa``), as ``estado_del_periodo`` sees them."""
    return Q(estatus=Informativa.Estatus.PRESENTADA) & ~Q(tipo=Informativa.Tipo.SIN_EFECTOS)


def estados_de(
    *, contratista_id: int, periodos: Iterable[Periodo], primero: Periodo | None = None
) -> dict[Periodo, EstadoDelPeriodo]:
    """The state of each of ``periodos`` of one contratista, in one query. ``primero``: the first period it owes
    (``primer_periodo_exigible``); None: every period is owed."""
    periodos = list(periodos)
    if not periodos:
        return {}
    informativas: dict[Periodo, list[InformativaDelPeriodo]] = {p: [] for p in periodos}
    filas = (
        Informativa.objects.filter(contratista_id=contratista_id, anio__in={p.anio for p in periodos})
        .order_by("created_at", "pk")
        .values_list("anio", "cuatrimestre", *CAMPOS)
    )
    for anio, cuatrimestre, *campos in filas:
        periodo = Periodo(anio, cuatrimestre)
        if periodo in informativas:
            informativas[periodo].append(InformativaDelPeriodo(*campos))
    return {
        p: estado_del_periodo(lista, exigible=primero is None or es_exigible(p, primero=primero))
        for p, lista in informativas.items()
    }


def estado_de(*, contratista_id: int, periodo: Periodo, primero: Periodo | None = None) -> EstadoDelPeriodo:
    """The state of one period of one contratista (one query)."""
    return estados_de(contratista_id=contratista_id, periodos=[periodo], primero=primero)[periodo]


def relacion_con_origen(informativa: Informativa) -> str:
    """What a complementaria did to the filing it modified, in words ("" for a Normal or Sin información)."""
    origen = informativa.informativa_origen if informativa.informativa_origen_id else None
    if origen is None:
        return ""
    if informativa.tipo == Informativa.Tipo.SIN_EFECTOS:
        return f"Deja sin efectos la informativa con folio {origen.folio_definitivo}."
    return f"Sustituye a la informativa con folio {origen.folio_definitivo}."


def estado(informativa: Informativa, reemplazo: Informativa | None = None) -> str:
    """The state of a presented filing in words, naming what replaced or cancelled it."""
    if informativa.vigente:
        return "Vigente: es la informativa en vigor del periodo."
    presentada = informativa.estatus == Informativa.Estatus.PRESENTADA
    if informativa.tipo == Informativa.Tipo.SIN_EFECTOS and presentada:
        return "Presentada. Es definitiva: no puede modificarse."
    por = f" por la informativa con folio {reemplazo.folio_definitivo}" if reemplazo else ""
    if informativa.estatus == Informativa.Estatus.DEJADA_SIN_EFECTOS:
        return f"Dejada sin efectos{por}."
    if informativa.estatus == Informativa.Estatus.SUSTITUIDA:
        return f"Sustituida{por}."
    return informativa.get_estatus_display()


@dataclass(frozen=True)
class Eslabon:
    """One presented filing of a chain, with what it did and what became of it."""

    informativa: Informativa
    relacion: str  # what it did to the one before ("" for the first)
    estado: str  # what became of it

    @property
    def folio(self) -> str:
        return self.informativa.folio_definitivo

    @property
    def tipo(self) -> str:
        i = self.informativa
        return f"Complementaria de {i.tipo_complementaria}" if i.es_complementaria else i.get_tipo_display()


def historial(informativa: Informativa) -> list[Eslabon]:
    """The chain ``informativa`` belongs to, oldest first: back through what each one modified, then forward
    through what replaced or cancelled each one. Only presented filings (drafts are nobody's business)."""
    anteriores: list[Informativa] = []
    actual = informativa
    while actual.informativa_origen_id and len(anteriores) < MAXIMO_ESLABONES:
        actual = Informativa.objects.select_related("informativa_origen").get(pk=actual.informativa_origen_id)
        anteriores.append(actual)
    cadena = [*reversed(anteriores), informativa]
    siguiente = reemplazo_de(informativa)
    while siguiente is not None and len(cadena) < MAXIMO_ESLABONES:
        cadena.append(siguiente)
        siguiente = reemplazo_de(siguiente)
    eslabones = []
    for posicion, filing in enumerate(cadena):
        posterior = cadena[posicion + 1] if posicion + 1 < len(cadena) else None
        eslabones.append(Eslabon(filing, relacion_con_origen(filing), estado(filing, posterior)))
    return eslabones
