from __future__ import annotations

import datetime
import smtplib

import pytest
from django.core import mail
from django.utils import timezone

from core import tasks
from core.models import Correo
from core.services import correo_encolar, correo_enviar, correos_programar_pendientes

pytestmark = pytest.mark.django_db


def _encolar(**kwargs) -> Correo:
    return correo_encolar(para="a@example.com", plantilla="prueba", contexto={"mensaje": "uno"}, **kwargs)


def test_it_writes_the_rendered_triplet_to_the_outbox():
    correo = _encolar()

    assert correo.estatus == Correo.Estatus.PENDIENTE
    assert correo.asunto == "ICSOE: correo de prueba"
    assert "uno" in correo.cuerpo_texto
    assert "<p>uno</p>" in correo.cuerpo_html
    assert correo.remitente == "icsoe@imss.gob.mx"


def test_it_sends_an_email_once_and_never_twice(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    correo = _encolar()

    assert correo_enviar(correo_id=correo.pk) is True
    assert correo_enviar(correo_id=correo.pk) is False

    assert len(mail.outbox) == 1
    assert mail.outbox[0].subject == "ICSOE: correo de prueba"
    assert mail.outbox[0].alternatives[0][1] == "text/html"
    correo.refresh_from_db()
    assert correo.estatus == Correo.Estatus.ENVIADO
    assert correo.enviado_at is not None


def test_it_attaches_a_file(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    correo = _encolar(adjunto=("acuse.pdf", b"%PDF-1.7 prueba", "application/pdf"))

    correo_enviar(correo_id=correo.pk)

    assert mail.outbox[0].attachments == [("acuse.pdf", b"%PDF-1.7 prueba", "application/pdf")]


class FallaSmtp:
    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise smtplib.SMTPServerDisconnected("conexión cerrada")


def test_an_smtp_failure_keeps_the_email_pending_and_records_the_attempt(settings):
    settings.EMAIL_BACKEND = "tests.core.test_outbox.FallaSmtp"
    correo = _encolar()

    with pytest.raises(smtplib.SMTPServerDisconnected):
        correo_enviar(correo_id=correo.pk)

    correo.refresh_from_db()
    assert correo.estatus == Correo.Estatus.PENDIENTE
    assert correo.intentos == 1
    assert "conexión cerrada" in correo.ultimo_error
    assert correo.programado_at is not None  # the attempt: its retry is scheduled from now
    antes = timezone.now() - tasks.SIN_REINTENTO_PENDIENTE
    assert correos_programar_pendientes(inactivos_desde=antes) == []
    assert correos_programar_pendientes(inactivos_desde=timezone.now() + datetime.timedelta(seconds=1)) == [
        correo.pk
    ]


def test_the_sweep_queues_only_emails_no_retry_is_scheduled_for_and_marks_them():
    """Queueing again an email whose retry is already scheduled would start a second chain of retries, and
    every sweep (one a minute) one more: the sweep takes only what was never queued (the broker was down) or
    has had no attempt for longer than the longest backoff."""
    ahora = timezone.now()
    recien_intentado, sin_encolar, agotado, enviado = (_encolar() for _ in range(4))
    Correo.objects.filter(pk=recien_intentado.pk).update(programado_at=ahora - datetime.timedelta(minutes=9))
    Correo.objects.filter(pk=sin_encolar.pk).update(programado_at=None)
    Correo.objects.filter(pk=agotado.pk).update(programado_at=ahora - datetime.timedelta(minutes=12))
    Correo.objects.filter(pk=enviado.pk).update(
        estatus=Correo.Estatus.ENVIADO, programado_at=ahora - datetime.timedelta(hours=1)
    )
    antes = ahora - tasks.SIN_REINTENTO_PENDIENTE

    assert correos_programar_pendientes(inactivos_desde=antes) == [sin_encolar.pk, agotado.pk]
    # Both are queued now: the next sweep, a minute later, leaves them to the sends it just queued.
    assert correos_programar_pendientes(inactivos_desde=antes + datetime.timedelta(minutes=1)) == []
    for correo in (sin_encolar, agotado):
        correo.refresh_from_db()
        assert correo.programado_at >= ahora
    recien_intentado.refresh_from_db()
    assert recien_intentado.programado_at == ahora - datetime.timedelta(minutes=9)


def test_the_sweep_waits_longer_than_the_longest_backoff():
    assert tasks.correo_enviar.retry_backoff_max == tasks.ESPERA_MAXIMA
    assert tasks.SIN_REINTENTO_PENDIENTE > datetime.timedelta(seconds=tasks.correo_enviar.retry_backoff_max)

