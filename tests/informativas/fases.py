"""An upload's phases as the worker runs them, for tests.

The upload request and «Confirmar» only store and queue (``dos_fases.encolar``, once the transaction commits);
a test's transaction never commits, so nothing is queued: ``en_el_worker`` runs the phase the upload waits for
with the worker's own task (``apply``: in this process, the task's body and its failure handling exactly as the
worker runs them) and returns the upload as it is now."""

from __future__ import annotations

from typing import TypeVar

from django.db.models import Model

M = TypeVar("M", bound=Model)


def _tarea(subida: Model):
    from informativas.bloque import tasks as bloque
    from informativas.carga import tasks as carga
    from informativas.models import CargaContratos, CargaMasiva, ImportacionNomina
    from informativas.nomina import tasks as nomina

    aplicando = subida.estatus == subida.Estatus.APLICANDO  # type: ignore[attr-defined]
    tareas = {
        CargaMasiva: (carga.carga_validar, carga.carga_aplicar),
        ImportacionNomina: (nomina.nomina_validar, nomina.nomina_aplicar),
        CargaContratos: (bloque.bloque_validar, bloque.bloque_aplicar),
    }[type(subida)]
    return tareas[1] if aplicando else tareas[0]


def en_el_worker(subida: M) -> M:
    """Runs the queued phase of ``subida`` (phase one while Recibida, phase two while Guardando) as the worker
    does; a task's failure is raised here, after the task has marked the upload."""
    subida = type(subida)._default_manager.get(pk=subida.pk)
    _tarea(subida).apply(args=[subida.pk], throw=True)
    return type(subida)._default_manager.get(pk=subida.pk)
