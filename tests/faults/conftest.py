"""Fault tests: real processes (Redis, PostgreSQL, the SMTP sink, the Celery worker) are stopped and started
by the test. Whatever a test does, every service is running again when it ends, also when it fails."""

from __future__ import annotations

import pytest

from tests.conftest import servicios_reales
from tests.informativas.conftest import contratista, contrato, hoy_fijo, informativa, padron_sat  # noqa: F401

from . import servicios


@pytest.fixture(autouse=True)
def servicios_restaurados(request):
    if not servicios_reales():
        pytest.skip("necesita los servicios reales: ejecuta `make test`")
    yield
    # The tests restore what they stop in their own try/finally; this is the net under them.
    if not servicios.redis_activo():
        servicios.redis_iniciar()
    if not servicios.postgres_activo():
        servicios.postgres_iniciar()
    if not servicios.smtp_activo():
        servicios.smtp_iniciar()
    if not servicios.celery_activo():
        servicios.celery_iniciar(base_de_datos=_base_de_datos())
    from django.db import connections

    for conexion in connections.all():
        conexion.close()


def _base_de_datos() -> str:
    from django.db import connection

    return connection.settings_dict["NAME"]


@pytest.fixture
def base_de_datos(db) -> str:
    """The name of the test database (the worker must use it when a test restarts it)."""
    return _base_de_datos()
