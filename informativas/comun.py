"""What every capability of an informativa shares: taking the informativa's lock before a change, writing its
audit entry, keeping its totals, and removing a carga's files once a deletion commits."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count

from core.services import bitacora_registrar

from .models import CargaMasiva, Contrato, Informativa, Trabajador

MENSAJE_NO_EDITABLE: dict[str, str] = {
    Informativa.Estatus.PENDIENTE_FIRMA: (
        "La informativa está pendiente de firma. Para modificarla, regrésala a captura."
    ),
    Informativa.Estatus.PRESENTADA: "La informativa ya fue presentada y no puede modificarse.",
    Informativa.Estatus.SUSTITUIDA: "La informativa fue sustituida y no puede modificarse.",
}


def usuario_o_nada(usuario: Any) -> Any:
    return usuario if getattr(usuario, "is_authenticated", False) else None


def registrar(accion: str, informativa: Informativa, usuario: Any, **datos: Any) -> None:
    bitacora_registrar(accion=f"informativas.{accion}", objeto=informativa, usuario=usuario, datos=datos)


def bloquear(informativa: Informativa) -> Informativa:
    """Locks the informativa for the rest of the transaction and checks it can still be captured."""
    # Only the informativa's row: FOR UPDATE over the join would lock the contratista too, and every capture
    # of all its informativas would wait on each other.
    bloqueada = (
        Informativa.objects.select_for_update(of=("self",))
        .select_related("contratista")
        .get(pk=informativa.pk)
    )
    if bloqueada.estatus != Informativa.Estatus.EN_CAPTURA:
        raise ValidationError(MENSAJE_NO_EDITABLE[bloqueada.estatus], code="no_editable")
    return bloqueada


def informativa_totales_actualizar(*, informativa: Informativa) -> None:
    """Counts the informativa's contratos and trabajadores into ``num_contratos`` and ``num_trabajadores``,
    and each contrato's trabajadores into its ``num_trabajadores``: the bandeja, the consultas and every step
    of the wizard show them without counting. Every service that adds or removes contratos or trabajadores
    calls it in its transaction, after the change (the informativa is locked then)."""
    por_contrato = dict(
        Trabajador.objects.filter(contrato__informativa_id=informativa.pk)
        .order_by()
        .values_list("contrato_id")
        .annotate(n=Count("pk"))
    )
    contratos = list(Contrato.objects.filter(informativa_id=informativa.pk).only("pk", "num_trabajadores"))
    cambiados = []
    for contrato in contratos:
        if contrato.num_trabajadores != por_contrato.get(contrato.pk, 0):
            contrato.num_trabajadores = por_contrato.get(contrato.pk, 0)
            cambiados.append(contrato)
    Contrato.objects.bulk_update(cambiados, ["num_trabajadores"])
    informativa.num_contratos = len(contratos)
    informativa.num_trabajadores = sum(por_contrato.values())
    Informativa.objects.filter(pk=informativa.pk).update(
        num_contratos=informativa.num_contratos, num_trabajadores=informativa.num_trabajadores
    )


def carga_archivos_borrar(carga: CargaMasiva) -> None:
    archivos = [carga.archivo, carga.archivo_rechazados]
    transaction.on_commit(lambda: [a.delete(save=False) for a in archivos if a])
