from __future__ import annotations

import pytest

from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def test_a_capturista_logs_in_with_curp_and_password(client, capturista):
    respuesta = client.post("/acceso/", {"login": capturista.curp.lower(), "password": PASSWORD})

    assert respuesta.status_code == 302
    assert client.get("/inicio/").status_code == 200


def test_a_wrong_password_gets_a_spanish_error_and_keeps_the_curp(client, capturista):
    respuesta = client.post("/acceso/", {"login": capturista.curp, "password": "incorrecta"})

    html = respuesta.content.decode()
    assert respuesta.status_code == 200
    assert "no son correctos" in html
    assert f'value="{capturista.curp}"' in html


def test_self_signup_is_closed(client):
    respuesta = client.get("/cuenta/signup/")

    assert "registro" in respuesta.content.decode().lower() or respuesta.status_code in (302, 403, 404)
    assert 'name="password1"' not in respuesta.content.decode()


def test_the_admin_is_for_imss_staff(client, staff, capturista):
    client.force_login(capturista)
    assert client.get("/admin/").status_code == 302

    client.force_login(staff)
    assert client.get("/admin/").status_code == 200


def test_the_login_form_carries_no_second_forgot_password_link(client):
    html = client.get("/acceso/").content.decode()

    assert html.count("contraseña?</a>") == 1
    assert "¿Olvidaste tu contraseña?" in html
    assert "Ha olvidado" not in html
