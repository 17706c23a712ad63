"""The SMTP sink down: the email is retried with backoff, delivered once the sink is back, and never twice."""

from __future__ import annotations

import time

import pytest
from django.db import transaction

from core.models import Correo
from core.services import correo_encolar
from core.tasks import correo_enviar, correos_enviar_pendientes

from . import servicios

pytestmark = pytest.mark.django_db(transaction=True)

PARA = "smtp.caido@example.com"


def test_an_email_sent_while_smtp_is_down_is_retried_and_delivered_exactly_once(smtp_sink):
    servicios.smtp_detener()
    try:
        assert not servicios.smtp_activo()
        with transaction.atomic():
            correo = correo_encolar(para=PARA, plantilla="prueba", contexto={"mensaje": "Reintento."})

        # The worker tries, fails, records the error and schedules a retry with backoff.
        fallido = servicios.esperar(
            lambda: (c := Correo.objects.get(pk=correo.pk)).intentos >= 1 and c,
            timeout=30,
            que="primer intento fallido",
        )
        assert fallido.estatus == Correo.Estatus.PENDIENTE
        assert fallido.ultimo_error
        assert fallido.enviado_at is None
        # The periodic sweep runs meanwhile and queues it again: still nothing can go out.
        correos_enviar_pendientes.delay().get(timeout=30)
        servicios.esperar(
            lambda: Correo.objects.get(pk=correo.pk).intentos >= 2, timeout=30, que="segundo intento fallido"
        )
        assert smtp_sink.contar(para=PARA) == 0
    finally:
        servicios.smtp_iniciar()

    # Retried with backoff (5 s, then 10 s... with jitter) until the sink accepts it; the sweep would send it
    # too, so run it once more: both paths race for the row lock, and only one may send.
    correos_enviar_pendientes.delay()
    smtp_sink.esperar(para=PARA, asunto_contiene="correo de prueba", timeout=120)
    enviado = servicios.esperar(
        lambda: (c := Correo.objects.get(pk=correo.pk)).estatus == Correo.Estatus.ENVIADO and c,
        timeout=30,
        que="correo marcado como enviado",
    )
    assert enviado.intentos >= 3  # two failures at least, then the one that went out
    assert enviado.ultimo_error == ""
    # Any retry still scheduled finds it sent and does nothing.
    assert correo_enviar.delay(correo.pk).get(timeout=30) is False
    time.sleep(1)
    assert smtp_sink.contar(para=PARA) == 1
