"""The capturista's way in: CURP + password login, "¿Olvidaste tu contraseña?", and "Seleccionar
Contratista"."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone

from capturistas.models import Liga, Relacion
from core.models import Bitacora, Correo
from tests.capturistas.conftest import dar_de_alta, ultima_liga
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db

NUEVA = "Tortuga-Azul-2026"


def _entrar(client, capturista, password=PASSWORD, **extra):
    return client.post("/acceso/", {"login": capturista.curp, "password": password}, **extra)


# ----------------------------------------------------------------------------------------------------------
# Login
# ----------------------------------------------------------------------------------------------------------
def test_a_capturista_logs_in_with_curp_and_lands_on_inicio_with_the_seleccionar_button(client, capturista):
    respuesta = _entrar(client, capturista)

    assert respuesta.status_code == 302
    html = client.get(respuesta["Location"]).content.decode()
    assert "Seleccionar Contratista" in html
    assert "Alta de usuarios" not in html


def test_a_capturista_without_a_password_yet_cannot_log_in(client, contratista, maria):
    relacion = dar_de_alta(contratista, maria)

    for intento in ("", "cualquier-cosa", relacion.capturista.curp):
        respuesta = client.post("/acceso/", {"login": maria.curp, "password": intento})
        assert respuesta.status_code == 200
    assert client.get("/inicio/").status_code == 302


def test_a_capturista_with_one_relation_in_baja_and_another_active_can_log_in(client, otro_contratista, capturista):
    Relacion.objects.filter(capturista=capturista).update(estatus=Relacion.Estatus.BAJA)
    Relacion.objects.create(
        contratista=otro_contratista, capturista=capturista, estatus=Relacion.Estatus.ACTIVA,
        telefono="5512345678", correo=capturista.email,
    )

    assert _entrar(client, capturista).status_code == 302


def test_failed_logins_from_one_address_slow_that_curp_there_and_say_what_to_do(client, capturista):
    ip = {"REMOTE_ADDR": "10.9.8.7"}
    for _ in range(6):
        client.post("/acceso/", {"login": capturista.curp, "password": "mala"}, **ip)

    respuesta = client.post("/acceso/", {"login": capturista.curp, "password": PASSWORD}, **ip)

    html = " ".join(respuesta.content.decode().split())
    assert respuesta.status_code == 200
    assert "Hubo varios intentos fallidos con este usuario desde tu conexión. Espera 30 segundos" in html
    assert "usa «¿Olvidaste tu contraseña?»" in html
    assert client.get("/inicio/").status_code == 302
    assert _entrar(client, capturista, **{"REMOTE_ADDR": "10.9.8.8"}).status_code == 302  # not locked


# ----------------------------------------------------------------------------------------------------------
# ¿Olvidaste tu contraseña?
# ----------------------------------------------------------------------------------------------------------
def test_the_login_links_to_the_reset_which_asks_curp_and_correo(client):
    login = client.get("/acceso/").content.decode()
    assert "¿Olvidaste tu contraseña?" in login

    html = client.get("/cuenta/password/reset/").content.decode()

    assert "Restablecer Contraseña" in html
    assert "CURP*:" in html
    assert "Correo electrónico*:" in html
    assert 'action="/usuarios/contrasena/olvidada/"' in html


def test_the_answer_is_the_same_whether_curp_and_correo_match_or_not(client, capturista):
    casos = [
        (capturista.curp, capturista.email),  # match
        (capturista.curp, "otro@example.com"),  # wrong email
        ("LOHF900514MJCPRR06", capturista.email),  # someone else's CURP
        ("NO-ES-CURP", "nadie@example.com"),
    ]
    respuestas = []
    for curp, correo in casos:
        datos = {"curp": curp, "correo": correo}
        respuesta = client.post("/usuarios/contrasena/olvidada/", datos, follow=True)
        html = " ".join(respuesta.content.decode().split())
        respuestas.append((respuesta.status_code, respuesta.redirect_chain, html))

    assert all(r == respuestas[0] for r in respuestas)
    assert "Si la CURP y el correo electrónico corresponden a un usuario capturista" in respuestas[0][2]
    assert Correo.objects.count() == 1
    assert Correo.objects.get().para == capturista.email


def test_a_matching_reset_request_only_queues_its_email_for_after_the_commit(
    client, capturista, settings, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    datos = {"curp": capturista.curp, "correo": capturista.email}

    with django_capture_on_commit_callbacks() as ajena:
        client.post("/usuarios/contrasena/olvidada/", {**datos, "correo": "otro@example.com"})
    with django_capture_on_commit_callbacks() as propia:
        client.post("/usuarios/contrasena/olvidada/", datos)

    assert (len(ajena), len(propia)) == (0, 1)  # the send is scheduled on commit, never done in the request
    assert mail.outbox == []
    assert Correo.objects.get(plantilla="capturista_recuperacion").estatus == Correo.Estatus.PENDIENTE


def test_the_reset_link_sets_a_new_password_and_sends_a_confirmation(client, capturista):
    datos = {"curp": capturista.curp.lower(), "correo": capturista.email.upper()}
    client.post("/usuarios/contrasena/olvidada/", datos)
    liga = ultima_liga(capturista.email)
    correo = Correo.objects.get(plantilla="capturista_recuperacion")
    assert correo.remitente == "icsoe@imss.gob.mx"
    assert "24 horas" in correo.cuerpo_texto
    assert "Restablecer Contraseña" in client.get(liga).content.decode()

    respuesta = client.post(liga, {"contrasena": NUEVA, "confirmar_contrasena": NUEVA}, follow=True)

    assert "La contraseña se actualizó correctamente." in respuesta.content.decode()
    capturista.refresh_from_db()
    assert capturista.check_password(NUEVA)
    confirmacion = Correo.objects.get(plantilla="capturista_contrasena_actualizada")
    assert confirmacion.para == capturista.email
    assert Bitacora.objects.filter(accion="capturistas.contrasena.restablecida").exists()
    assert _entrar(Client(), capturista, NUEVA).status_code == 302
    otra = {"contrasena": "Otra-Clave-9876", "confirmar_contrasena": "Otra-Clave-9876"}
    assert client.post(liga, otra).status_code == 410


def test_a_reset_request_invalidates_earlier_reset_links(client, capturista):
    datos = {"curp": capturista.curp, "correo": capturista.email}
    client.post("/usuarios/contrasena/olvidada/", datos)
    primera = ultima_liga(capturista.email)
    client.post("/usuarios/contrasena/olvidada/", datos)

    respuesta = client.get(primera)

    assert respuesta.status_code == 410
    assert "se envió una liga más reciente" in respuesta.content.decode()
    assert Liga.objects.filter(usuario=capturista, tipo=Liga.Tipo.RECUPERACION).count() == 2


def test_a_reset_link_older_than_24_hours_is_refused_and_a_new_one_works(client, capturista):
    datos = {"curp": capturista.curp, "correo": capturista.email}
    client.post("/usuarios/contrasena/olvidada/", datos)
    vieja = ultima_liga(capturista.email)
    hace = timezone.now() - timedelta(hours=24, minutes=1)
    Liga.objects.filter(usuario=capturista).update(created_at=hace, expira_at=hace + timedelta(hours=24))

    respuesta = client.get(vieja)

    html = respuesta.content.decode()
    assert respuesta.status_code == 410
    assert "La liga ha expirado: era válida durante 24 horas." in html
    assert "Solicita una nueva en «¿Olvidaste tu contraseña?»." in html
    assert client.post(vieja, {"contrasena": NUEVA, "confirmar_contrasena": NUEVA}).status_code == 410
    capturista.refresh_from_db()
    assert capturista.check_password(PASSWORD)

    client.post("/usuarios/contrasena/olvidada/", datos)
    nueva = ultima_liga(capturista.email)
    respuesta = client.post(nueva, {"contrasena": NUEVA, "confirmar_contrasena": NUEVA}, follow=True)

    assert nueva != vieja
    assert "La contraseña se actualizó correctamente." in respuesta.content.decode()
    capturista.refresh_from_db()
    assert capturista.check_password(NUEVA)


def test_the_reset_request_keeps_what_was_typed_when_a_field_is_missing(client):
    respuesta = client.post("/usuarios/contrasena/olvidada/", {"curp": "GODE561231HDFRRN00", "correo": ""})

    html = respuesta.content.decode()
    assert respuesta.status_code == 200
    assert "obligatorio" in html
    assert 'value="GODE561231HDFRRN00"' in html


def test_allauth_email_only_reset_sends_nothing(client, capturista):
    respuesta = client.post("/cuenta/password/reset/", {"email": capturista.email})

    assert respuesta.status_code == 200
    assert "captura tu CURP y tu correo electrónico" in respuesta.content.decode()
    assert not Correo.objects.exists()


# ----------------------------------------------------------------------------------------------------------
# Seleccionar Contratista
# ----------------------------------------------------------------------------------------------------------
@pytest.fixture
def dos_contratistas(capturista, contratista, otro_contratista):
    Relacion.objects.create(
        contratista=otro_contratista, capturista=capturista, estatus=Relacion.Estatus.ACTIVA,
        telefono="5512345678", correo=capturista.email,
    )
    return contratista, otro_contratista


def test_seleccionar_lists_only_the_active_relations(client, capturista, contratista, otro_contratista):
    Relacion.objects.create(
        contratista=otro_contratista, capturista=capturista, estatus=Relacion.Estatus.BAJA,
        telefono="5512345678", correo=capturista.email,
    )
    client.force_login(capturista)

    html = client.get("/usuarios/seleccionar/").content.decode()

    assert "Contratista a trabajar" in html
    assert contratista.razon_social in html
    assert otro_contratista.razon_social not in html
    assert "Siguiente" in html


def test_siguiente_without_choosing_asks_to_choose(client, capturista):
    client.force_login(capturista)

    respuesta = client.post("/usuarios/seleccionar/", {})

    assert "Selecciona un contratista." in respuesta.content.decode()


def test_selecting_asks_for_confirmation_then_works_for_that_contratista(
    client, capturista, dos_contratistas
):
    _, otro = dos_contratistas
    client.force_login(capturista)

    siguiente = client.post("/usuarios/seleccionar/", {"contratista": str(otro.code)})
    confirmacion = client.get(siguiente["Location"]).content.decode()
    assert f"Seleccionaste al contratista <strong>{otro.razon_social}</strong>" in confirmacion
    assert "Continuar" in confirmacion
    assert client.get("/inicio/").content.decode().count(otro.rfc) == 0  # nothing chosen until Continuar

    continuar = client.post(siguiente["Location"])

    assert continuar["Location"] == "/inicio/"
    html = client.get("/inicio/").content.decode()
    perfil = html[html.index('aria-label="Perfil del usuario"') :]
    assert f'data-perfil="rfc">{otro.rfc}<' in perfil
    assert f'data-perfil="nombre">{otro.razon_social}<' in perfil
    assert 'data-perfil="rol">Capturista<' in perfil
    assert "Alta de usuarios" not in html


def test_the_capturista_can_switch_contratista(client, capturista, dos_contratistas):
    primero, segundo = dos_contratistas
    client.force_login(capturista)
    client.post(f"/usuarios/seleccionar/{primero.code}/")
    assert f'data-perfil="rfc">{primero.rfc}<' in client.get("/inicio/").content.decode()

    client.post(f"/usuarios/seleccionar/{segundo.code}/")

    assert f'data-perfil="rfc">{segundo.rfc}<' in client.get("/inicio/").content.decode()


def test_a_contratista_without_an_active_relation_cannot_be_selected(client, capturista, otro_contratista):
    Relacion.objects.create(
        contratista=otro_contratista, capturista=capturista, estatus=Relacion.Estatus.BAJA,
        telefono="5512345678", correo=capturista.email,
    )
    client.force_login(capturista)

    siguiente = client.post("/usuarios/seleccionar/", {"contratista": str(otro_contratista.code)})
    assert siguiente.status_code == 200
    assert "Selecciona un contratista." in siguiente.content.decode()
    assert client.post(f"/usuarios/seleccionar/{otro_contratista.code}/").status_code == 404
    assert "contratista_code" not in client.session


def test_a_selected_contratista_stops_counting_once_its_relation_is_in_baja(client, capturista, contratista):
    client.force_login(capturista)
    client.post(f"/usuarios/seleccionar/{contratista.code}/")
    Relacion.objects.filter(capturista=capturista).update(estatus=Relacion.Estatus.BAJA)

    html = client.get("/inicio/").content.decode()

    assert f'data-perfil="rfc">{contratista.rfc}<' not in html


def test_seleccionar_is_for_capturistas(como_contratista):
    assert como_contratista.get("/usuarios/seleccionar/").status_code == 403
