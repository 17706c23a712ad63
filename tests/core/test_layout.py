from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


def test_the_landing_offers_both_ways_in(client):
    html = client.get("/").content.decode()

    assert "Ingresar con E.Firma" in html
    assert "Ingresar con Usuario y contraseña" in html
    assert 'lang="es-MX"' in html


def test_the_contratista_sees_the_perfil_strip_and_the_administracion_menu(client, contratista):
    client.force_login(contratista.usuario)

    html = client.get("/inicio/").content.decode()

    assert "Perfil del usuario" in html
    assert contratista.rfc in html
    assert contratista.razon_social in html
    assert "Administración" in html
    assert "Alta de usuarios" in html
    assert "Capturar informativa" in html


def test_a_capturista_does_not_see_the_administracion_menu(client, capturista):
    client.force_login(capturista)

    html = client.get("/inicio/").content.decode()

    assert "Alta de usuarios" not in html
    assert "Capturar informativa" in html
    assert "Capturista" in html


def test_anonymous_users_are_sent_to_the_login(client):
    respuesta = client.get("/inicio/")

    assert respuesta.status_code == 302
    assert respuesta["Location"].startswith("/acceso/")


def test_every_page_carries_the_security_headers(client):
    respuesta = client.get("/")

    assert "frame-ancestors 'none'" in respuesta["Content-Security-Policy"]
    assert respuesta["X-Frame-Options"] == "DENY"
    assert respuesta["Referrer-Policy"] == "same-origin"
    assert respuesta["X-Content-Type-Options"] == "nosniff"


def test_the_dev_mailbox_lists_outbox_emails_when_enabled(client, settings):
    from core.services import correo_encolar

    settings.DEBUG = True  # and the test client is 127.0.0.1

    correo = correo_encolar(para="x@example.com", plantilla="prueba", contexto={"mensaje": "https://liga.example/"})

    lista = client.get("/dev/correo/").content.decode()
    detalle = client.get(f"/dev/correo/{correo.code}/").content.decode()

    assert "ICSOE: correo de prueba" in lista
    assert 'href="https://liga.example/"' in detalle


def test_the_dev_mailbox_does_not_exist_in_production(client, settings):
    settings.ICSOE_DEV_MAILBOX = False

    assert client.get("/dev/correo/").status_code == 404


def test_the_health_check_touches_the_database(client):
    assert client.get("/salud/").json() == {"estatus": "ok"}


def test_a_refused_admin_request_gets_the_admin_403(client, staff):
    client.force_login(staff)

    respuesta = client.get("/admin/informativas/informativa/add/")

    html = respuesta.content.decode()
    assert respuesta.status_code == 403
    assert "ICSOE · Administración IMSS" in html and "Regresar a la administración" in html
    assert 'aria-label="Menú principal"' not in html
