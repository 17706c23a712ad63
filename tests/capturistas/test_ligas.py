"""The activation link: create the password once, within 24 hours, and only with the newest link."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone, translation

from accounts.models import User
from capturistas.models import Liga, Relacion
from capturistas.services import (
    ContrasenaError,
    LigaError,
    capturista_reenviar_liga,
    contrasena_establecer,
    liga_verificar,
)
from core.models import Bitacora, Correo
from tests.capturistas.conftest import dar_de_alta, ultima_liga

pytestmark = pytest.mark.django_db

NUEVA = "Tortuga-Azul-2026"


@pytest.fixture
def registrada(contratista, maria):
    return dar_de_alta(contratista, maria, correo="maria@example.com")


def _guardar(client, liga: str, contrasena: str = NUEVA, confirmar: str | None = None):
    datos = {"contrasena": contrasena, "confirmar_contrasena": confirmar or contrasena}
    return client.post(liga, datos, follow=True)


def test_the_link_opens_the_password_page_with_the_rules(client, registrada):
    html = client.get(ultima_liga("maria@example.com")).content.decode()

    assert "Contraseña nueva*:" in html
    assert "Confirmar contraseña*:" in html
    assert "Guardar Contraseña" in html
    assert registrada.capturista.curp in html
    assert "al menos 8 caracteres" in html  # Django's validators, in Spanish
    assert "Tu contraseña no puede tener sólo números." in html


def test_guardar_contrasena_sets_it_activates_the_relation_and_sends_the_confirmation(client, registrada):
    respuesta = _guardar(client, ultima_liga("maria@example.com"))

    assert "La contraseña se registró correctamente." in respuesta.content.decode()
    assert "Aceptar" in respuesta.content.decode()
    usuario = User.objects.get(pk=registrada.capturista.pk)
    assert usuario.check_password(NUEVA)
    registrada.refresh_from_db()
    assert registrada.estatus == Relacion.Estatus.ACTIVA
    confirmacion = Correo.objects.get(plantilla="capturista_contrasena_registrada")
    assert confirmacion.para == "maria@example.com"
    assert "se ha registrado la contraseña" in confirmacion.cuerpo_texto
    assert Bitacora.objects.filter(accion="capturistas.contrasena.registrada", objeto_id=str(usuario.pk)).exists()


def test_a_used_link_cannot_be_used_again(client, registrada):
    liga = ultima_liga("maria@example.com")
    _guardar(client, liga)

    respuesta = _guardar(client, liga, contrasena="Otra-Clave-Distinta-9")

    assert respuesta.status_code == 410
    assert "Esta liga ya fue utilizada" in respuesta.content.decode()
    assert User.objects.get(pk=registrada.capturista.pk).check_password(NUEVA)
    assert client.get(liga).status_code == 410


def test_an_expired_link_is_refused(client, registrada):
    liga = ultima_liga("maria@example.com")
    Liga.objects.filter(usuario=registrada.capturista).update(expira_at=timezone.now() - timedelta(seconds=1))

    respuesta = client.get(liga)

    assert respuesta.status_code == 410
    assert "La liga ha expirado: era válida durante 24 horas." in respuesta.content.decode()
    assert _guardar(client, liga).status_code == 410
    assert not User.objects.get(pk=registrada.capturista.pk).has_usable_password()


def test_the_link_lasts_24_hours(registrada):
    liga = Liga.objects.get(usuario=registrada.capturista)
    token = ultima_liga("maria@example.com").rstrip("/").rsplit("/", 1)[1]

    assert liga.expira_at - liga.created_at == pytest.approx(timedelta(hours=24), abs=timedelta(seconds=1))
    assert liga_verificar(token=token, ahora=liga.created_at + timedelta(hours=23, minutes=59)) == liga
    with pytest.raises(LigaError, match="expirado"):
        liga_verificar(token=token, ahora=liga.created_at + timedelta(hours=24, seconds=1))


def test_a_resend_makes_every_earlier_link_invalid(client, contratista, registrada):
    primera = ultima_liga("maria@example.com")
    capturista_reenviar_liga(relacion=registrada, usuario=contratista.usuario)
    segunda = ultima_liga("maria@example.com")
    capturista_reenviar_liga(relacion=registrada, usuario=contratista.usuario)
    tercera = ultima_liga("maria@example.com")

    for vieja in (primera, segunda):
        respuesta = client.get(vieja)
        assert respuesta.status_code == 410
        assert "se envió una liga más reciente" in respuesta.content.decode()
    assert client.get(tercera).status_code == 200
    assert len({primera, segunda, tercera}) == 3


def test_a_weak_password_is_refused_and_the_link_still_works(client, registrada):
    liga = ultima_liga("maria@example.com")

    respuesta = _guardar(client, liga, contrasena="12345678")

    html = respuesta.content.decode()
    assert respuesta.status_code == 200
    assert "Tu contraseña es muy común: elige otra." in html
    assert "Tu contraseña tiene sólo números: agrega letras o símbolos." in html
    assert not User.objects.get(pk=registrada.capturista.pk).has_usable_password()
    assert client.get(liga).status_code == 200


def test_the_service_itself_refuses_a_weak_password_in_spanish_and_changes_nothing(registrada):
    token = ultima_liga("maria@example.com").rstrip("/").rsplit("/", 1)[1]

    with translation.override("en"), pytest.raises(ContrasenaError) as error:  # whatever the caller's language
        contrasena_establecer(token=token, password="12345678")

    assert error.value.campo == "contrasena"
    assert "Tu contraseña es muy común: elige otra." in error.value.mensajes
    assert "Tu contraseña tiene sólo números: agrega letras o símbolos." in error.value.mensajes
    assert not User.objects.get(pk=registrada.capturista.pk).has_usable_password()
    registrada.refresh_from_db()
    assert registrada.estatus == Relacion.Estatus.REGISTRADA
    assert liga_verificar(token=token).usada_at is None
    assert not Correo.objects.filter(plantilla="capturista_contrasena_registrada").exists()


def test_the_service_refuses_a_password_like_the_persons_curp(registrada):
    token = ultima_liga("maria@example.com").rstrip("/").rsplit("/", 1)[1]

    with pytest.raises(ContrasenaError, match="se parece demasiado"):
        contrasena_establecer(token=token, password=registrada.capturista.curp.lower())


def test_a_password_too_similar_to_the_curp_is_refused(client, registrada):
    curp = registrada.capturista.curp.lower()

    respuesta = _guardar(client, ultima_liga("maria@example.com"), contrasena=curp)

    assert "se parece demasiado" in respuesta.content.decode()


def test_mismatched_passwords_are_refused(client, registrada):
    respuesta = _guardar(client, ultima_liga("maria@example.com"), confirmar="Tortuga-Roja-2026")

    assert "Las contraseñas no coinciden." in respuesta.content.decode()
    assert not User.objects.get(pk=registrada.capturista.pk).has_usable_password()


def test_an_unknown_link_is_refused(client):
    respuesta = client.get("/usuarios/contrasena/no-existe-esta-liga/")

    assert respuesta.status_code == 410
    assert "La liga no es válida." in respuesta.content.decode()


def test_the_service_refuses_a_spent_link_even_if_the_form_was_already_shown(registrada):
    token = ultima_liga("maria@example.com").rstrip("/").rsplit("/", 1)[1]
    contrasena_establecer(token=token, password=NUEVA)

    with pytest.raises(LigaError, match="ya fue utilizada"):
        contrasena_establecer(token=token, password="Otra-Clave-Distinta-9")


def test_setting_the_password_activates_every_pending_relation_of_the_person(
    client, contratista, otro_contratista, registrada, maria
):
    segunda = dar_de_alta(otro_contratista, maria, correo="maria.otra@example.com")

    _guardar(client, ultima_liga("maria@example.com"))

    registrada.refresh_from_db()
    segunda.refresh_from_db()
    assert registrada.estatus == segunda.estatus == Relacion.Estatus.ACTIVA
    assert not Correo.objects.filter(para="maria.otra@example.com").exists()


def test_a_relation_in_baja_stays_in_baja_when_the_password_is_set(client, otro_contratista, registrada, maria):
    from capturistas.services import capturista_baja

    segunda = dar_de_alta(otro_contratista, maria)
    capturista_baja(relacion=segunda, usuario=otro_contratista.usuario)

    _guardar(client, ultima_liga("maria@example.com"))

    segunda.refresh_from_db()
    assert segunda.estatus == Relacion.Estatus.BAJA
