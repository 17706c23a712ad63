"""What the benchmarks of the informativa's bulk paths share (carga masiva, Importar nómina, Contratos en
bloque): a contratista with a fresh draft Normal of 2025-1 and its contratos, the process's peak memory, the
CUMPLE / NO CUMPLE verdict and the machine's load. Each benchmark puts the repository on ``sys.path`` and
calls ``django.setup()`` before importing this."""

from __future__ import annotations

import datetime
import os
import resource
from collections.abc import Sequence
from typing import Any


def fases_en_este_proceso() -> None:
    """The bulk uploads' phases run only in the Celery worker (the web request stores the file and queues
    them): here they run in this process right after each commit, as ``make run`` does, so a benchmark times
    the worker's own services and leaves nothing in the broker. Their CPU is the worker's, not the web's."""
    import logging

    from icsoe.celery import app

    app.conf.task_always_eager = True
    logging.getLogger("celery.app.trace").setLevel(logging.WARNING)  # not a line per task in the figures


def de_nuevo(objeto: Any) -> Any:
    """The row as the phase that ran at commit left it (the service returned it as it was queued)."""
    return type(objeto)._default_manager.get(pk=objeto.pk)


def pico_mb() -> float:
    """The process's maximum resident set so far, in MB."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def cumple(ok: bool) -> str:
    return "CUMPLE" if ok else "NO CUMPLE"


def carga_de_la_maquina() -> str:
    """The load average line every benchmark prints beside its times (the machine may be shared)."""
    carga1, carga5, _ = os.getloadavg()
    return (
        f"carga de la máquina (load average 1 y 5 min, {os.cpu_count()} núcleos): {carga1:.1f} y {carga5:.1f}"
    )


def contrato_agregar(*, informativa: Any, usuario: Any, rfc: str, razon_social: str) -> Any:
    """A contrato of ``informativa`` with a complete contratante, through the wizard's service."""
    from informativas.captura import services

    return services.contrato_crear(
        informativa=informativa,
        usuario=usuario,
        contratante=services.DatosContratante(
            rfc=rfc,
            razon_social=razon_social,
            correo="c@example.com",
            celular="5511112222",
            domicilio_social_igual_fiscal=True,
            domicilio_convencional_igual_fiscal=True,
        ),
    )


def informativa_nueva(
    *, rfc: str, razon_social: str, contratantes: Sequence[tuple[str, str]] = ()
) -> tuple[Any, list[Any], Any]:
    """(informativa, contratos, usuario): the contratista ``rfc`` with every earlier informativa removed and
    a new draft Normal of 2025-1 holding one contrato per (RFC, razón social) of ``contratantes``."""
    from contratistas.services import contratista_obtener_o_crear
    from informativas.captura import services
    from informativas.models import Informativa

    contratista = contratista_obtener_o_crear(rfc=rfc, razon_social=razon_social)
    usuario = contratista.usuario
    for anterior in Informativa.objects.filter(contratista=contratista):
        if anterior.estatus != Informativa.Estatus.EN_CAPTURA:
            services.informativa_regresar_a_captura(informativa=anterior, usuario=usuario)
        services.informativa_eliminar(informativa=anterior, usuario=usuario)
    informativa = services.informativa_crear(
        contratista=contratista,
        anio=2025,
        cuatrimestre=1,
        tipo="NORMAL",
        usuario=usuario,
        hoy=datetime.date(2025, 5, 2),
    )
    contratos = [
        contrato_agregar(informativa=informativa, usuario=usuario, rfc=r, razon_social=nombre)
        for r, nombre in contratantes
    ]
    return informativa, contratos, usuario
