from __future__ import annotations

import smtplib

import pytest
from django.core import mail

from core.models import Correo
from core.services import correo_encolar, correo_enviar, correos_pendientes_ids

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
    assert correos_pendientes_ids() == [correo.pk]
