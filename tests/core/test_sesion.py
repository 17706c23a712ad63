"""The session's expiry the page can warn about: activity slides it (written at most once a minute), the page
carries the seconds left, and "Seguir trabajando" renews it."""

from __future__ import annotations

import datetime
import re

import pytest
from django.contrib.sessions.models import Session
from django.urls import reverse
from django.utils import timezone

from core import sesion
from core.tasks import sesiones_depurar

pytestmark = pytest.mark.django_db


@pytest.fixture
def reloj(monkeypatch):
    ahora = {"t": 1_800_000_000}
    monkeypatch.setattr(sesion, "_ahora", lambda: ahora["t"])
    return ahora


def test_a_page_carries_the_seconds_left_and_when_to_warn(client, contratista, settings, reloj):
    settings.SESSION_COOKIE_AGE = 3600
    settings.ICSOE_SESION_AVISO = 300
    client.force_login(contratista.usuario)
    client.get(reverse("core:inicio"))
    reloj["t"] += 40
    html = client.get(reverse("core:inicio")).content.decode()
    assert 'data-sesion-segundos="3560"' in html  # the activity recorded 40 s ago (not rewritten within a minute)
    assert 'data-sesion-aviso="300"' in html
    assert re.search(r'<dialog class="sesion-aviso"[^>]*aria-labelledby="sesion-aviso-titulo"', html)


def test_activity_is_written_at_most_once_a_minute(client, contratista, reloj):
    client.force_login(contratista.usuario)
    client.get(reverse("core:inicio"))
    primera = client.session[sesion.ACTIVIDAD_KEY]
    reloj["t"] += 30
    client.get(reverse("core:inicio"))
    assert client.session[sesion.ACTIVIDAD_KEY] == primera
    reloj["t"] += 31
    client.get(reverse("core:inicio"))
    assert client.session[sesion.ACTIVIDAD_KEY] == primera + 61


def test_seguir_trabajando_renews_the_session_to_its_full_age(client, contratista, settings, reloj):
    settings.SESSION_COOKIE_AGE = 900
    client.force_login(contratista.usuario)
    client.get(reverse("core:inicio"))
    reloj["t"] += 45
    respuesta = client.post(reverse("core:sesion_seguir"))
    assert respuesta.status_code == 200
    assert respuesta.json() == {"segundos": 900}
    assert client.session[sesion.ACTIVIDAD_KEY] == reloj["t"]


def test_an_expired_session_cannot_be_renewed(client):
    respuesta = client.post(reverse("core:sesion_seguir"))
    assert respuesta.status_code == 302
    assert respuesta["Location"].startswith("/acceso/?next=")


def test_seguir_trabajando_only_answers_post(client, contratista):
    client.force_login(contratista.usuario)
    assert client.get(reverse("core:sesion_seguir")).status_code == 405


def test_anonymous_pages_carry_no_session_warning(client):
    html = client.get(reverse("core:landing")).content.decode()
    assert "data-sesion-segundos" not in html and "sesion-aviso" not in html


def _usuario_de_la_pagina(client) -> str:
    return re.search(r'data-sesion-usuario="([^"]+)"', client.get(reverse("core:inicio")).content.decode()).group(1)


def test_the_page_names_its_user_by_an_opaque_id_the_same_in_every_session(client, contratista, otro_contratista):
    """What portal.js keys a draft by: the same user in a new session gets its draft back, another user never."""
    from django.test import Client

    client.force_login(contratista.usuario)
    opaco = _usuario_de_la_pagina(client)
    otra_sesion = Client()
    otra_sesion.force_login(contratista.usuario)
    otro = Client()
    otro.force_login(otro_contratista.usuario)

    assert _usuario_de_la_pagina(otra_sesion) == opaco
    assert _usuario_de_la_pagina(otro) != opaco
    usuario = contratista.usuario
    assert re.fullmatch(r"[0-9a-f]{32}", opaco)
    assert contratista.rfc.lower() not in opaco and usuario.username.lower() not in opaco


def test_the_nightly_task_deletes_expired_sessions_and_keeps_live_ones():
    """Anonymous visitors of the public pages leave session rows (throttles, restored drafts): the beat task
    ``core.tasks.sesiones_depurar`` deletes the expired ones, as ``clearsessions`` would."""
    ahora = timezone.now()
    Session.objects.create(session_key="v" * 32, session_data="", expire_date=ahora + datetime.timedelta(hours=1))
    Session.objects.create(session_key="x" * 32, session_data="", expire_date=ahora - datetime.timedelta(seconds=1))

    sesiones_depurar()

    assert list(Session.objects.values_list("session_key", flat=True)) == ["v" * 32]
