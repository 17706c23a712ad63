"""Celery application.

With ``REDIS_URL`` unset (``make run``) every task runs in-process (``task_always_eager``); with it set,
tasks go to Redis and a worker runs them.
"""

from __future__ import annotations

import os

from celery import Celery
from celery.signals import worker_process_init

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "icsoe.settings")

app = Celery("icsoe")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
app.autodiscover_tasks(
    ["informativas.carga", "informativas.nomina", "informativas.bloque", "informativas.listado", "informativas.expediente"]
)  # informativas' tasks: its sub-packages


def limitar_memoria(limite: int | None = None) -> int:
    """Caps this process's address space (RLIMIT_AS) at ``ICSOE_WORKER_MEMORIA_MAX`` bytes: an allocation
    beyond it raises MemoryError in the task instead of taking the host's memory. Returns the limit set (0:
    none). Called in every worker child as it starts; the web processes are not capped: they read no upload (the
    carga masiva, Importar nómina and Contratos en bloque are read and stored only by these tasks)."""
    import resource

    from django.conf import settings

    limite = settings.ICSOE_WORKER_MEMORIA_MAX if limite is None else limite
    if limite <= 0:
        return 0
    _, duro = resource.getrlimit(resource.RLIMIT_AS)
    if duro != resource.RLIM_INFINITY:
        limite = min(limite, duro)
    resource.setrlimit(resource.RLIMIT_AS, (limite, duro if duro != resource.RLIM_INFINITY else limite))
    return limite


@worker_process_init.connect
def _al_iniciar_proceso(**_kwargs) -> None:
    limitar_memoria()
