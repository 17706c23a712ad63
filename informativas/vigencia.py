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
"""

from __future__ import annotations

from dataclasses import dataclass

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
    efectos)."""
    return (
        Informativa.objects.filter(
            contratista_id=contratista_id,
            anio=anio,
            cuatrimestre=cuatrimestre,
            estatus=Informativa.Estatus.PRESENTADA,
        )
        .exclude(tipo=Informativa.Tipo.SIN_EFECTOS)
        .first()
    )


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
