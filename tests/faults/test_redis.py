"""Redis stopped while a contratista adds a capturista: the page answers at once, the outbox keeps the email,
and it reaches the SMTP sink once Redis is back (the periodic sweep queues it)."""

from __future__ import annotations

import time

import pytest
from django.test import Client

from accounts.models import PersonaRenapo
from capturistas.models import Relacion
from core.models import Correo
from core.tasks import correos_enviar_pendientes
from tests.capturistas.conftest import MARIA, aceptar_terminos

from . import servicios

pytestmark = pytest.mark.django_db(transaction=True)


def _datos_alta() -> dict:
    return {
        "curp": MARIA["curp"],
        "rol": "capturista",
        "telefono": "5512345678",
        "correo": "maria.redis@example.com",
        "confirmar_correo": "maria.redis@example.com",
    }


def test_a_capturista_added_while_redis_is_down_gets_the_email_after_redis_returns(contratista, smtp_sink):
    PersonaRenapo.objects.create(**MARIA)
    aceptar_terminos(contratista.usuario)
    cliente = Client(raise_request_exception=False)
    cliente.force_login(contratista.usuario)  # the session lives in PostgreSQL, not in Redis

    servicios.redis_detener()
    try:
        assert not servicios.redis_activo()
        inicio = time.monotonic()
        respuesta = cliente.post("/usuarios/alta/", _datos_alta())
        duracion = time.monotonic() - inicio

        assert respuesta.status_code == 302, respuesta.content.decode()[:500]
        assert respuesta["Location"] == "/usuarios/"
        assert duracion < 15, f"la solicitud tardó {duracion:.1f} s con Redis detenido"
        assert Relacion.objects.filter(contratista=contratista, capturista__curp=MARIA["curp"]).exists()
        correo = Correo.objects.get(para="maria.redis@example.com")
        assert correo.estatus == Correo.Estatus.PENDIENTE
        assert smtp_sink.contar(para="maria.redis@example.com") == 0
        # The follow-up page renders too (rate limits and messages fail open, not with a 500).
        assert "El usuario se guardó exitosamente" in cliente.get("/usuarios/").content.decode()
    finally:
        servicios.redis_iniciar()

    # What Celery beat does every minute: queue whatever is still pending.
    correos_enviar_pendientes.delay()

    mensaje = smtp_sink.esperar(para="maria.redis@example.com", asunto_contiene="", timeout=60)
    assert mensaje["X-ICSOE-Correo"] == str(correo.code)
    servicios.esperar(
        lambda: Correo.objects.get(pk=correo.pk).estatus == Correo.Estatus.ENVIADO, timeout=30, que="correo enviado"
    )
    correos_enviar_pendientes.delay().get(timeout=30)  # a second sweep finds nothing to send
    time.sleep(1)
    assert smtp_sink.contar(para="maria.redis@example.com") == 1
    assert Correo.objects.get(pk=correo.pk).intentos == 1
