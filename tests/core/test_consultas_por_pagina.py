"""What every page of a logged-in user costs the database: the middleware reads the session and the user (with
the contratista, for the Perfil strip) and writes nothing; the términos acceptance (the fixture's contratista
has accepted them) is checked once per session. The bandeja, the busiest page on deadline day, adds one query
for its rows."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.conftest import sin_reloj_de_prueba

pytestmark = pytest.mark.django_db

EFIRMA = "contratistas.backends.EfirmaBackend"


def _tablas(consultas) -> list[set[str]]:
    return [set(re.findall(r'(?:FROM|JOIN|UPDATE|INTO) "(\w+)"', q["sql"])) for q in sin_reloj_de_prueba(consultas)]


def _escrituras(consultas) -> list[str]:
    return [
        q["sql"]
        for q in consultas.captured_queries
        if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))
    ]


def test_the_terminos_are_checked_once_per_session_and_nothing_is_written_after(client, contratista):
    client.force_login(contratista.usuario, backend=EFIRMA)

    with CaptureQueriesContext(connection) as primera:
        assert client.get("/inicio/").status_code == 200
    with CaptureQueriesContext(connection) as segunda:
        assert client.get("/inicio/").status_code == 200

    assert any("accounts_terminoscondiciones" in t for t in _tablas(primera))
    assert len(_escrituras(primera)) == 1  # the session remembers the acceptance
    assert not any("accounts_terminoscondiciones" in t for t in _tablas(segunda))
    assert _escrituras(segunda) == []


def test_the_bandeja_reads_session_user_with_contratista_and_its_rows_only(client, contratista):
    from informativas.captura import services

    services.informativa_crear(
        contratista=contratista,
        anio=2025,
        cuatrimestre=1,
        tipo="NORMAL",
        usuario=contratista.usuario,
    )
    client.force_login(contratista.usuario, backend=EFIRMA)
    client.get("/informativas/")

    with CaptureQueriesContext(connection) as consultas:
        html = client.get("/informativas/").content.decode()

    assert contratista.razon_social in html  # the Perfil strip
    assert "Bandeja de trabajo" in html and "data-informativa=" in html
    assert _tablas(consultas) == [
        {"django_session"},
        {"accounts_user", "contratistas_contratista"},
        {"informativas_informativa"},
    ]
    assert _escrituras(consultas) == []
