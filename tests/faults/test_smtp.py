"""The SMTP sink down: Celery retries the email with exponential backoff, delivers it once the sink is back,
and never twice.

No periodic sweep runs here (the test services have no Celery beat, and the test never calls it before the
delivery): every attempt is the one task, retried by Celery. Its own log says when each retry is due ("Retry
in Ns"), and its result says how it ended."""

from __future__ import annotations

import datetime
import os
import re
from pathlib import Path

import pytest
from celery.result import AsyncResult
from celery.signals import after_task_publish
from django.db import transaction

from core.models import Correo
from core.services import correo_encolar
from core.tasks import correo_enviar, correos_enviar_pendientes

from . import servicios

pytestmark = pytest.mark.django_db(transaction=True)

PARA = "smtp.caido@example.com"
FALLAS_CON_EL_SMTP_CAIDO = 3
LINEA = re.compile(
    r"^\[(?P<hora>[\d-]+ [\d:]+,\d+): [^\]]*\] Task core\.tasks\.correo_enviar\[(?P<id>[^\]]+)\] (?P<que>.*)$"
)


def _registro_de(tarea_id: str, desde: int) -> list[tuple[datetime.datetime, str]]:
    """(time, message) of the worker's log lines about this task, from that offset of its log."""
    with open(Path(os.environ["ICSOE_SERVICES_DIR"]) / "celery.log", "rb") as log:
        log.seek(desde)
        texto = log.read().decode("utf-8", "replace")
    lineas = []
    for linea in texto.splitlines():
        if (m := LINEA.match(linea)) and m["id"] == tarea_id:
            lineas.append((datetime.datetime.strptime(m["hora"], "%Y-%m-%d %H:%M:%S,%f"), m["que"]))
    return lineas


def _reintentos(lineas) -> list[tuple[datetime.datetime, int]]:
    """(when the attempt failed, seconds until the retry Celery scheduled)."""
    return [(hora, int(m[1])) for hora, que in lineas if (m := re.match(r"retry: Retry in (\d+)s", que))]


def test_an_email_sent_while_smtp_is_down_is_retried_with_backoff_and_delivered_exactly_once(smtp_sink):
    publicadas: list[str] = []

    def al_publicar(sender=None, headers=None, **kwargs):
        if sender == correo_enviar.name:
            publicadas.append(headers["id"])

    after_task_publish.connect(al_publicar, weak=False)
    log = Path(os.environ["ICSOE_SERVICES_DIR"]) / "celery.log"
    desde = log.stat().st_size if log.exists() else 0
    servicios.smtp_detener()
    try:
        assert not servicios.smtp_activo()
        with transaction.atomic():
            correo = correo_encolar(para=PARA, plantilla="prueba", contexto={"mensaje": "Reintento."})
        assert len(publicadas) == 1  # queued once, after commit
        tarea = AsyncResult(publicadas[0])

        # The worker tries, fails, records the attempt and Celery schedules the retry; and again.
        servicios.esperar(
            lambda: len(_reintentos(_registro_de(tarea.id, desde))) >= FALLAS_CON_EL_SMTP_CAIDO,
            timeout=90,
            que=f"{FALLAS_CON_EL_SMTP_CAIDO} intentos fallidos, cada uno con su reintento programado",
        )
        assert tarea.state == "RETRY"
        fallido = Correo.objects.get(pk=correo.pk)
        assert fallido.estatus == Correo.Estatus.PENDIENTE and fallido.enviado_at is None
        assert fallido.intentos >= FALLAS_CON_EL_SMTP_CAIDO
        assert fallido.ultimo_error
        assert smtp_sink.contar(para=PARA) == 0
    finally:
        after_task_publish.disconnect(al_publicar)
        servicios.smtp_iniciar()

    # The retry already scheduled delivers it: nobody queues it again.
    smtp_sink.esperar(para=PARA, asunto_contiene="correo de prueba", timeout=120)
    assert tarea.get(timeout=60) is True
    enviado = Correo.objects.get(pk=correo.pk)
    assert enviado.estatus == Correo.Estatus.ENVIADO and enviado.ultimo_error == ""

    lineas = _registro_de(tarea.id, desde)
    reintentos = _reintentos(lineas)
    exito = [hora for hora, que in lineas if que.startswith("succeeded")]
    assert len(exito) == 1
    assert enviado.intentos == len(reintentos) + 1  # every failure was retried, then one success
    # Exponential backoff: retry k waits at most 5 * 2**k seconds (jitter picks anywhere up to it), and the
    # next attempt comes no earlier than that.
    intentos = [hora for hora, _ in reintentos] + exito
    for k, (falla, espera) in enumerate(reintentos):
        assert espera <= 5 * 2**k
        assert (intentos[k + 1] - falla).total_seconds() >= espera - 0.05
    assert (intentos[-1] - intentos[0]).total_seconds() >= sum(espera for _, espera in reintentos) - 0.05

    # Never twice: the sweep finds nothing pending, and a late duplicate of the task sends nothing.
    assert correos_enviar_pendientes.delay().get(timeout=30) == 0
    assert correo_enviar.delay(correo.pk).get(timeout=30) is False
    assert smtp_sink.contar(para=PARA) == 1
