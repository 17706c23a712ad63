"""PostgreSQL restarted: a request while it is down gets the Spanish error page and writes nothing; once it
is back, the next request is served normally, also by a process that held a persistent connection."""

from __future__ import annotations

import pytest
from django.db import close_old_connections, connection
from django.test import Client

from informativas.models import Informativa

from . import servicios

pytestmark = pytest.mark.django_db(transaction=True)

NUEVA = {"anio": "2026", "cuatrimestre": "1", "tipo": "NORMAL"}


def _cliente(contratista) -> Client:
    cliente = Client(raise_request_exception=False)
    cliente.force_login(contratista.usuario)
    return cliente


def test_a_request_while_postgresql_is_down_gets_a_spanish_page_and_writes_nothing(contratista):
    cliente = _cliente(contratista)
    assert cliente.get("/informativas/").status_code == 200

    servicios.postgres_detener()
    try:
        lectura = cliente.get("/informativas/")
        escritura = cliente.post("/informativas/nueva/", NUEVA)
    finally:
        servicios.postgres_iniciar()
        connection.close()

    for respuesta in (lectura, escritura):
        html = respuesta.content.decode()
        assert respuesta.status_code == 500
        assert '<html lang="es-MX">' in html
        assert "El servicio no está disponible por el momento" in html
        assert "Lo que ya habías guardado está a salvo" in html
        assert "Traceback" not in html and "OperationalError" not in html
    # Normal service again, and the POST made during the outage left nothing behind.
    assert cliente.get("/informativas/").status_code == 200
    assert not Informativa.objects.filter(contratista=contratista).exists()
    respuesta = cliente.post("/informativas/nueva/", NUEVA)
    assert respuesta.status_code == 302
    assert Informativa.objects.filter(contratista=contratista).count() == 1


def test_a_persistent_connection_survives_a_restart_between_two_requests(contratista):
    cliente = _cliente(contratista)
    original = dict(connection.settings_dict)
    connection.close()
    connection.settings_dict["CONN_MAX_AGE"] = 600  # as a gunicorn worker with persistent connections
    try:
        assert cliente.get("/informativas/").status_code == 200
        pid_antes = connection.connection.info.backend_pid
        servicios.postgres_detener()
        servicios.postgres_iniciar()

        # Django's WSGI handler runs this at the start of every request (gunicorn does); the test client
        # skips it, so run it as the handler would: it health-checks the persistent connection.
        close_old_connections()
        respuesta = cliente.get("/informativas/")

        assert respuesta.status_code == 200, respuesta.content.decode()[:300]
        assert connection.connection.info.backend_pid != pid_antes
    finally:
        if not servicios.postgres_activo():
            servicios.postgres_iniciar()
        connection.close()
        connection.settings_dict.clear()
        connection.settings_dict.update(original)
