"""Read-side queries shared by the bandeja, the consulta and the wizard; always starting from the contratista."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

from django.db.models import Count, Max, QuerySet, Sum
from django.shortcuts import get_object_or_404

from contratistas.models import Contratista
from core.paginacion import PaginaSinConteo, pagina_sin_conteo

from .models import Contrato, Informativa, Trabajador


def informativas_de(contratista: Contratista) -> QuerySet[Informativa]:
    """The contratista's informativas. Their "Contratos relacionados" and "Total de trabajadores" are stored
    on each one (``num_contratos``, ``num_trabajadores``, kept by the services): listing never counts them."""
    return Informativa.objects.filter(contratista_id=contratista.pk)


def informativa_o_404(*, contratista: Contratista, code: Any) -> Informativa:
    """One of the contratista's informativas by its code; 404 for anyone else's (the views' one lookup)."""
    return get_object_or_404(
        Informativa.objects.select_related("contratista", "informativa_origen"), code=code, contratista_id=contratista.pk
    )


def presentadas(contratista: Contratista) -> QuerySet[Informativa]:
    """The filings in force, newest first, one per period at most: the ones "Modificar presentación" can start
    from (a Sin efectos is final; a replaced or cancelled filing is no longer in force: vigencia.py)."""
    return (
        informativas_de(contratista)
        .filter(estatus=Informativa.Estatus.PRESENTADA)
        .exclude(tipo=Informativa.Tipo.SIN_EFECTOS)
        .order_by("-anio", "-cuatrimestre", "-fecha_presentacion", "-pk")
    )


def bandeja(contratista: Contratista) -> QuerySet[Informativa]:
    """ "Informativas en captura": drafts and those waiting for the contratista's e.firma."""
    # Only the columns its rows show: the bandeja is the page opened most on the filing deadline, and loading
    # whole informativas (cadena original, sellos, domicilios...) cost more than its query.
    return (
        informativas_de(contratista)
        .filter(estatus__in=[Informativa.Estatus.EN_CAPTURA, Informativa.Estatus.PENDIENTE_FIRMA])
        .only("code", "anio", "cuatrimestre", "tipo", "estatus", "extemporanea", "num_contratos", "num_trabajadores")
        # A total order (the id breaks ties), so that its pages never repeat or skip a row.
        .order_by("-anio", "-cuatrimestre", "-created_at", "-pk")
    )


CAMPOS_BANDEJA = (
    "id", "code", "anio", "cuatrimestre", "tipo", "estatus", "extemporanea", "num_contratos", "num_trabajadores"
)
_CONTRATISTA_MARCA = -1  # the contratista's id while the bandeja's SQL is compiled once (see _sql_bandeja)


@cache
def _sql_bandeja() -> tuple[str, tuple[Any, ...], int]:
    """``bandeja()``'s SQL as the ORM compiles it, once per process, and where the contratista's id goes in its
    parameters: compiling it took about 0.3 ms of CPU on every request, five times running it."""
    consulta = bandeja(Contratista(pk=_CONTRATISTA_MARCA)).values_list(*CAMPOS_BANDEJA)
    sql, params = consulta.query.sql_with_params()
    return sql + " LIMIT %s OFFSET %s", tuple(params), params.index(_CONTRATISTA_MARCA)


class BandejaCompilada:
    """``bandeja()`` as core.paginacion.pagina_sin_conteo pages it (a slice, and a count past the last page),
    its rows read with the SQL compiled once (``_sql_bandeja``): informativas with only the listed columns
    loaded, the others deferred, as ``only()`` leaves them. ``raw()`` builds them through the backend's
    converters, as the ORM does: SQLite hands back a UUID as 32 hex characters, PostgreSQL as a UUID."""

    def __init__(self, contratista: Contratista) -> None:
        self.contratista = contratista

    def __getitem__(self, rebanada: slice) -> list[Informativa]:
        inicio = rebanada.start or 0
        sql, params, posicion = _sql_bandeja()
        params = (*params[:posicion], self.contratista.pk, *params[posicion + 1 :], rebanada.stop - inicio, inicio)
        return list(Informativa.objects.raw(sql, params))

    def count(self) -> int:
        return bandeja(self.contratista).count()


def contratos_con_totales(informativa: Informativa) -> list[Contrato]:
    """Its contratos with their stored ``num_trabajadores`` (kept by the services; nothing is counted)."""
    return list(informativa.contratos.order_by("created_at", "pk"))


def trabajadores_de(contrato: Contrato) -> QuerySet[Trabajador]:
    """The contract's trabajadores in the order they were captured, for lists paged 50 at a time.

    Ordered by (created_at, id), which only the trabajador_contrato_orden index serves. Ordered by id alone,
    PostgreSQL could walk the primary key and skip every other contract's rows, since it assumes a contract's
    rows are spread over the table. That made the first page of a recent contract as slow as the table is big.
    """
    return contrato.trabajadores.order_by("created_at", "pk")


# ----------------------------------------------------------------------------------------------------------
# One contratante of a filing: what its expediente, its link and its own view show (issue 25)
# ----------------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class ContratanteDeInformativa:
    """One contratante RFC named by an informativa's contratos: the name as captured (the greatest, should
    two contratos spell it differently), and how many contratos and trabajadores it has there."""

    rfc: str
    razon_social: str
    num_contratos: int
    num_trabajadores: int


def contratantes_de(informativa: Informativa) -> list[ContratanteDeInformativa]:
    """The contratantes an informativa names, by RFC, in one query: the RFC is who it is."""
    filas = (
        Contrato.objects.filter(informativa_id=informativa.pk)
        .values("contratante_rfc")
        .annotate(nombre=Max("contratante_razon_social"), n_contratos=Count("pk"), n_trabajadores=Sum("num_trabajadores"))
        .order_by("contratante_rfc")
    )
    return [
        ContratanteDeInformativa(f["contratante_rfc"], f["nombre"], f["n_contratos"], f["n_trabajadores"] or 0)
        for f in filas
    ]


def contratos_del_contratante(*, informativa: Informativa, rfc: str) -> QuerySet[Contrato]:
    """The informativa's contratos whose contratante is ``rfc``, by folio: nothing of any other contratante."""
    return Contrato.objects.filter(informativa_id=informativa.pk, contratante_rfc=rfc).order_by("folio", "pk")


def trabajadores_del_contratante(*, informativa: Informativa, rfc: str) -> QuerySet[Trabajador]:
    """The trabajadores of those contratos, contrato by contrato, each in the order it was captured."""
    return Trabajador.objects.filter(contrato__informativa_id=informativa.pk, contrato__contratante_rfc=rfc).order_by(
        "contrato__folio", "contrato_id", "created_at", "pk"
    )


# A page of a contratante's trabajadores wherever its client reads them (its own view, the page behind a link).
TRABAJADORES_POR_PAGINA = 50


@dataclass(frozen=True)
class TablasDelContratante:
    """What templates/informativas/fragment_contratante_contratos.html shows: the contratante's contratos and
    one page of their trabajadores as plain rows ``(folio, nss, curp, sbc)``, the SBC as filed."""

    informativa: Informativa
    rfc: str
    contratos: list[Contrato]
    trabajadores: PaginaSinConteo


def tablas_del_contratante(*, informativa: Informativa, rfc: str, pagina: Any) -> TablasDelContratante:
    """The contratos of contratante ``rfc`` in ``informativa`` and page ``pagina`` (the query string's text) of
    their trabajadores, without counting them. Plain values, not model instances: rendering 50 instances with
    localized Decimals was most of the link page's time (bench/bench_enlace.py)."""
    filas = trabajadores_del_contratante(informativa=informativa, rfc=rfc).values_list(
        "contrato__folio", "nss", "curp", "sbc"
    )
    return TablasDelContratante(
        informativa=informativa,
        rfc=rfc,
        contratos=list(contratos_del_contratante(informativa=informativa, rfc=rfc)),
        trabajadores=pagina_sin_conteo(filas, pagina, por_pagina=TRABAJADORES_POR_PAGINA),
    )
