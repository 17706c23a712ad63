"""The contratantes of an informativa screened against the SAT's published lists (listas_sat): the hits to
show, and the «Definitivo» of 69-B that asks for an explicit confirmation, once per contratante RFC per
informativa, kept in the audit trail. Nothing is blocked: a hit is a warning, the filing is still due."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from core.services import bitacora_registrar
from listas_sat.services import Consulta, Hallazgo, NoVerificada, listas_consultar

from .models import ConfirmacionListaSat, Informativa

# The 69-B hits that ask for the confirmation: the full list's and its «definitivos» file's.
LISTAS_69B = {"69b", "69b_definitivos"}
DEFINITIVO = "DEFINITIVO"
TEXTO_CONFIRMACION = (
    "Confirmo que conozco que este contratante aparece como Definitivo en la lista del artículo 69-B del CFF"
)
MENSAJE_CONFIRMACION_FALTANTE = (
    "Confirma que conoces que este contratante aparece como Definitivo en la lista del artículo 69-B del CFF."
)


def es_definitivo(hallazgo: Hallazgo) -> bool:
    return hallazgo.lista in LISTAS_69B and hallazgo.situacion.strip().upper() == DEFINITIVO


def rfcs_confirmados(*, informativa: Informativa, rfcs: Iterable[str] | None = None) -> set[str]:
    confirmaciones = ConfirmacionListaSat.objects.filter(informativa=informativa)
    if rfcs is not None:
        confirmaciones = confirmaciones.filter(rfc__in=list(rfcs))
    return set(confirmaciones.values_list("rfc", flat=True))


def contratantes_cribar(*, rfcs: Iterable[str]) -> dict[str, Consulta]:
    """One call for every RFC (the lists' hits in one query)."""
    return listas_consultar(rfcs=rfcs)


def informativa_cribar(*, informativa: Informativa) -> dict[str, Consulta]:
    """Every contratante of the informativa, in one call."""
    return contratantes_cribar(
        rfcs=informativa.contratos.order_by("folio").values_list("contratante_rfc", flat=True)
    )


def definitivo_de(consulta: Consulta | None) -> Hallazgo | None:
    return next((h for h in consulta.hallazgos if es_definitivo(h)), None) if consulta else None


def pendientes_de_confirmar(*, informativa: Informativa, consultas: dict[str, Consulta]) -> dict[str, Hallazgo]:
    """RFC -> its «Definitivo» hit, for the RFCs not yet confirmed in this informativa."""
    definitivos = {rfc: h for rfc, c in consultas.items() if (h := definitivo_de(c))}
    confirmados = rfcs_confirmados(informativa=informativa, rfcs=definitivos) if definitivos else set()
    return {rfc: h for rfc, h in definitivos.items() if rfc not in confirmados}


def confirmacion_registrar(*, informativa: Informativa, hallazgo: Hallazgo, usuario: Any) -> ConfirmacionListaSat:
    """Stores the confirmation and its audit entry; a second one for the same RFC answers the first."""
    try:
        with transaction.atomic():
            confirmacion = ConfirmacionListaSat.objects.create(
                informativa=informativa, rfc=hallazgo.rfc, lista=hallazgo.lista, situacion=hallazgo.situacion,
                fecha_corte=hallazgo.fecha_corte, usuario=usuario,
            )
            bitacora_registrar(
                accion="informativas.informativa.lista_sat_confirmada", objeto=informativa, usuario=usuario,
                datos={
                    "rfc": hallazgo.rfc, "lista_sat": hallazgo.nombre_lista, "situacion": hallazgo.situacion,
                    "corte": f"{hallazgo.fecha_corte:%d/%m/%Y}" if hallazgo.fecha_corte else "",
                },
            )
    except IntegrityError:
        return ConfirmacionListaSat.objects.get(informativa=informativa, rfc=hallazgo.rfc)
    return confirmacion


def confirmaciones_registrar(
    *, informativa: Informativa, rfcs: Iterable[str], usuario: Any, consultas: dict[str, Consulta] | None = None
) -> dict[str, Hallazgo]:
    """Firmar's confirmations: those of ``rfcs`` among the informativa's pending ones are stored; answers the
    ones still pending."""
    consultas = informativa_cribar(informativa=informativa) if consultas is None else consultas
    pendientes = pendientes_de_confirmar(informativa=informativa, consultas=consultas)
    marcados = set(rfcs)
    for rfc in [r for r in pendientes if r in marcados]:
        confirmacion_registrar(informativa=informativa, hallazgo=pendientes.pop(rfc), usuario=usuario)
    return pendientes


def mensaje_pendientes(pendientes: Iterable[str], *, antes_de: str = "firmar") -> str:
    rfcs = list(pendientes)
    if len(rfcs) == 1:
        return (
            f"Confirma que conoces que el contratante {rfcs[0]} aparece como Definitivo en la lista del "
            f"artículo 69-B del CFF antes de {antes_de}."
        )
    return (
        f"Confirma que conoces que los contratantes {', '.join(rfcs)} aparecen como Definitivo en la lista del "
        f"artículo 69-B del CFF antes de {antes_de}."
    )


# ----------------------------------------------------------------------------------------------------------
# The summaries of Contratos en bloque and Importar nómina, before their phase two
# ----------------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Resumen:
    """What a summary shows of the RFCs of an upload: those with hits, the lists not verified (with their
    reason) and the «Definitivo» not yet confirmed in the informativa (RFC -> its hit)."""

    con_hallazgos: list[Consulta]
    no_verificadas: list[NoVerificada]
    pendientes: dict[str, Hallazgo]

    def __bool__(self) -> bool:
        return bool(self.con_hallazgos or self.no_verificadas)


def resumen_de(*, informativa: Informativa, rfcs: Iterable[str]) -> Resumen:
    """The RFCs screened in one call (one query for the hits, whatever their number)."""
    consultas = contratantes_cribar(rfcs=rfcs)
    if not consultas:
        return Resumen([], [], {})
    return Resumen(
        [c for c in consultas.values() if c.hallazgos],
        next(iter(consultas.values())).no_verificadas,
        pendientes_de_confirmar(informativa=informativa, consultas=consultas),
    )


def confirmaciones_exigir(
    *, informativa: Informativa, rfcs: Iterable[str], marcados: Iterable[str], usuario: Any, antes_de: str
) -> None:
    """Before an upload's phase two: every «Definitivo» among ``rfcs`` not yet confirmed in the informativa
    must be among ``marcados`` (the user's checkboxes), else nothing is stored and the error names the ones
    missing; given, each is stored as Validar stores it (so Firmar does not ask again)."""
    pendientes, marcados = resumen_de(informativa=informativa, rfcs=rfcs).pendientes, set(marcados)
    if faltan := [rfc for rfc in pendientes if rfc not in marcados]:
        raise ValidationError(mensaje_pendientes(faltan, antes_de=antes_de), code="lista_sat_sin_confirmar")
    for hallazgo in pendientes.values():
        confirmacion_registrar(informativa=informativa, hallazgo=hallazgo, usuario=usuario)
