"""Read-side queries shared by the bandeja, the consulta and the wizard; always starting from the contratista."""

from __future__ import annotations

from django.db.models import Count, IntegerField, OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce

from contratistas.models import Contratista

from .models import Contrato, Informativa, Trabajador


def _conteo(qs: QuerySet, campo: str) -> Coalesce:
    sub = qs.filter(**{campo: OuterRef("pk")}).order_by().values(campo).annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(sub, output_field=IntegerField()), Value(0))


def informativas_de(contratista: Contratista) -> QuerySet[Informativa]:
    """The contratista's informativas with "Contratos relacionados" and "Total de trabajadores"."""
    return Informativa.objects.filter(contratista_id=contratista.pk).annotate(
        num_contratos=_conteo(Contrato.objects.all(), "informativa"),
        num_trabajadores=_conteo(Trabajador.objects.all(), "contrato__informativa"),
    )


def bandeja(contratista: Contratista) -> QuerySet[Informativa]:
    """ "Informativas en captura": drafts and those waiting for the contratista's e.firma."""
    return informativas_de(contratista).filter(
        estatus__in=[Informativa.Estatus.EN_CAPTURA, Informativa.Estatus.PENDIENTE_FIRMA]
    )


def contratos_con_totales(informativa: Informativa) -> list[Contrato]:
    return list(
        informativa.contratos.annotate(num_trabajadores=Count("trabajadores")).order_by("created_at", "pk")
    )
