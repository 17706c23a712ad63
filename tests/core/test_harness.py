"""Proof that `make test` runs on real services: PostgreSQL, Redis, a Celery worker and an SMTP sink."""

from __future__ import annotations

import time

import pytest
from django.db import connection, transaction

from core.models import Correo
from core.services import correo_encolar
from core.tasks import ping
from icsoe.celery import app as celery_app
from tests.conftest import requiere_servicios, texto_de

pytestmark = requiere_servicios


def test_a_task_makes_a_round_trip_through_redis_and_the_worker():
    assert not celery_app.conf.task_always_eager
    assert celery_app.conf.broker_url.startswith("redis://")

    resultado = ping.delay("ida-y-vuelta")

    assert resultado.get(timeout=30) == "pong:ida-y-vuelta"
    assert resultado.successful()


@pytest.mark.django_db(transaction=True)
def test_an_email_reaches_the_smtp_sink_through_the_worker(smtp_sink):
    with transaction.atomic():
        correo = correo_encolar(
            para="destino@example.com", plantilla="prueba", contexto={"mensaje": "Hola desde la prueba."}
        )

    mensaje = smtp_sink.esperar(para="destino@example.com", asunto_contiene="correo de prueba")

    assert mensaje["From"] == "icsoe@imss.gob.mx"
    assert "Hola desde la prueba." in texto_de(mensaje)
    assert mensaje["X-ICSOE-Correo"] == str(correo.code)
    limite = time.monotonic() + 10
    while Correo.objects.get(pk=correo.pk).estatus != Correo.Estatus.ENVIADO and time.monotonic() < limite:
        time.sleep(0.1)
    enviado = Correo.objects.get(pk=correo.pk)
    assert enviado.estatus == Correo.Estatus.ENVIADO
    assert enviado.intentos == 1


@pytest.mark.django_db
def test_a_page_is_rendered_from_postgresql(client, contratista):
    assert connection.vendor == "postgresql"

    client.force_login(contratista.usuario)
    respuesta = client.get("/inicio/")

    assert respuesta.status_code == 200
    assert contratista.rfc in respuesta.content.decode()
