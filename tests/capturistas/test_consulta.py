"""Consulta: the grid of the contratista's capturistas and its actions (Editar, Enviar email, Eliminar,
Activar), each scoped to the contratista that owns the relation."""

from __future__ import annotations

import pytest
from django.test import Client
from django.utils.timezone import localtime

from accounts.models import User
from capturistas.models import Liga, Relacion
from capturistas.services import MENSAJE_SOLO_ANTES_DE_ACTIVAR
from core.models import Bitacora, Correo
from tests.capturistas.conftest import dar_de_alta, ultima_liga
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


@pytest.fixture
def registrada(contratista, maria):
    return dar_de_alta(contratista, maria, correo="maria@example.com")


@pytest.fixture
def activa(capturista):
    return capturista.relaciones_capturista.get()


def _contacto(telefono: str, correo: str, *, confirmar: str | None = None) -> dict[str, str]:
    return {"telefono": telefono, "correo": correo, "confirmar_correo": confirmar or correo}


def _fila(html: str, curp: str) -> str:
    inicio = html.index(f'<tr data-curp="{curp}">')
    return html[inicio : html.index("</tr>", inicio)]


def test_the_grid_shows_the_guide_columns_and_the_relations(
    como_contratista, contratista, registrada, activa
):
    html = como_contratista.get("/usuarios/").content.decode()

    columnas = (
        "Id", "Rol", "Clave Usuario (CURP)", "Razón Social/Nombre", "Correo", "Estatus", "Grupo",
        "Contratista relacionado", "Fecha Alta", "Usuario Alta", "Editar", "Enviar email", "Activar", "Eliminar",
    )
    for columna in columnas:
        assert f">{columna}</th>" in html
    fila = _fila(html, registrada.capturista.curp)
    datos = (
        str(registrada.pk), "Capturista", "MARÍA FERNANDA LÓPEZ HERNÁNDEZ", "maria@example.com", "Registrada",
        "Contratista", contratista.razon_social, localtime(registrada.created_at).strftime("%d/%m/%Y"), contratista.rfc,
    )
    for dato in datos:
        assert f">{dato}<" in fila
    assert "Activa" in _fila(html, activa.capturista.curp)


def test_editar_and_enviar_email_are_offered_only_before_activation(como_contratista, registrada, activa):
    html = como_contratista.get("/usuarios/").content.decode()

    pendiente, activado = _fila(html, registrada.capturista.curp), _fila(html, activa.capturista.curp)
    assert f"/usuarios/{registrada.code}/editar/" in pendiente
    assert f"/usuarios/{registrada.code}/enviar-email/" in pendiente
    assert "editar" not in activado
    assert "enviar-email" not in activado
    assert f"/usuarios/{activa.code}/baja/" in activado
    assert "activar" not in activado


def test_the_grid_shows_only_the_contratista_own_relations(como_otro_contratista, registrada):
    html = como_otro_contratista.get("/usuarios/").content.decode()

    assert registrada.capturista.curp not in html
    assert "Aún no has dado de alta usuarios capturistas." in html


def test_editar_corrects_the_contact_data(como_contratista, registrada):
    pagina = como_contratista.get(f"/usuarios/{registrada.code}/editar/").content.decode()
    assert "Modificar Usuario" in pagina
    assert "Actualizar usuario" in pagina
    assert 'value="maria@example.com"' in pagina

    respuesta = como_contratista.post(
        f"/usuarios/{registrada.code}/editar/",
        _contacto("3312345678", "maria.f@example.com"),
        follow=True,
    )

    assert "El usuario se actualizó exitosamente" in respuesta.content.decode()
    registrada.refresh_from_db()
    assert (registrada.telefono, registrada.correo) == ("3312345678", "maria.f@example.com")
    assert Bitacora.objects.filter(accion="capturistas.relacion.editada", objeto_id=str(registrada.pk)).count() == 1


def test_changing_the_email_invalidates_the_link_sent_to_the_old_one(client, como_contratista, registrada):
    vieja = ultima_liga("maria@example.com")

    como_contratista.post(
        f"/usuarios/{registrada.code}/editar/",
        _contacto("5512345678", "maria.f@example.com"),
    )

    assert User.objects.get(pk=registrada.capturista.pk).email == "maria.f@example.com"
    respuesta = client.get(vieja)
    assert respuesta.status_code == 410
    assert "cambió el correo electrónico" in respuesta.content.decode()


def test_editar_refuses_mismatched_emails_and_keeps_what_was_typed(como_contratista, registrada):
    respuesta = como_contratista.post(
        f"/usuarios/{registrada.code}/editar/",
        _contacto("3312345678", "maria.f@example.com", confirmar="maria.g@example.com"),
    )

    html = respuesta.content.decode()
    assert "Los correos electrónicos no coinciden." in html
    assert 'value="3312345678"' in html
    assert 'value="maria.g@example.com"' in html
    registrada.refresh_from_db()
    assert registrada.correo == "maria@example.com"


def test_editar_is_refused_after_activation_with_the_services_message(como_contratista, activa):
    pagina = como_contratista.get(f"/usuarios/{activa.code}/editar/", follow=True)
    respuesta = como_contratista.post(
        f"/usuarios/{activa.code}/editar/",
        {"telefono": "3312345678", "correo": "x@example.com", "confirmar_correo": "x@example.com"},
        follow=True,
    )

    for html in (pagina.content.decode(), respuesta.content.decode()):
        assert MENSAJE_SOLO_ANTES_DE_ACTIVAR in html
        assert "Modificar Usuario" not in html
    activa.refresh_from_db()
    assert activa.correo == "capturista@example.com"


def test_editar_is_refused_when_the_person_set_a_password_through_another_contratista(
    como_contratista, registrada
):
    # Still Registrada here (a stale row), but the person already works: the service's rule decides.
    capturista = registrada.capturista
    capturista.set_password(PASSWORD)
    capturista.save(update_fields=["password"])

    respuesta = como_contratista.get(f"/usuarios/{registrada.code}/editar/", follow=True)

    assert MENSAJE_SOLO_ANTES_DE_ACTIVAR in respuesta.content.decode()


def test_enviar_email_sends_a_new_link(como_contratista, registrada):
    respuesta = como_contratista.post(f"/usuarios/{registrada.code}/enviar-email/", follow=True)

    assert "Se envió una nueva liga de activación a maria@example.com." in respuesta.content.decode()
    assert Correo.objects.filter(para="maria@example.com", plantilla="capturista_activacion").count() == 2
    assert Liga.objects.filter(usuario=registrada.capturista, invalidada_at__isnull=True).count() == 1


def test_enviar_email_is_refused_after_activation(como_contratista, activa):
    respuesta = como_contratista.post(f"/usuarios/{activa.code}/enviar-email/", follow=True)

    assert MENSAJE_SOLO_ANTES_DE_ACTIVAR in respuesta.content.decode()
    assert not Correo.objects.exists()


def test_enviar_email_needs_a_post(como_contratista, registrada):
    assert como_contratista.get(f"/usuarios/{registrada.code}/enviar-email/").status_code == 405


def test_eliminar_asks_for_confirmation_naming_the_user(como_contratista, activa):
    html = como_contratista.get(f"/usuarios/{activa.code}/baja/").content.decode()

    assert "Baja de usuario" in html
    assert "Estás dando de baja al usuario <strong>ERNESTO GÓMEZ DÍAZ</strong> ¿Deseas continuar?" in html
    assert "Cancelar" in html and "Continuar" in html
    activa.refresh_from_db()
    assert activa.estatus == Relacion.Estatus.ACTIVA


def test_continuar_puts_the_relation_in_baja(como_contratista, activa):
    respuesta = como_contratista.post(f"/usuarios/{activa.code}/baja/", follow=True)

    assert "Relación con el usuario en baja." in respuesta.content.decode()
    activa.refresh_from_db()
    assert activa.estatus == Relacion.Estatus.BAJA
    assert activa.fecha_baja is not None
    assert Bitacora.objects.filter(accion="capturistas.relacion.baja", objeto_id=str(activa.pk)).exists()


def test_baja_affects_only_that_contratista_relation(como_contratista, otro_contratista, capturista, activa):
    otra = Relacion.objects.create(
        contratista=otro_contratista, capturista=capturista, estatus=Relacion.Estatus.ACTIVA,
        telefono="5512345678", correo=capturista.email,
    )

    como_contratista.post(f"/usuarios/{activa.code}/baja/")

    otra.refresh_from_db()
    assert otra.estatus == Relacion.Estatus.ACTIVA
    assert User.objects.get(pk=capturista.pk).is_active


def test_activar_reactivates_the_relation(como_contratista, activa):
    como_contratista.post(f"/usuarios/{activa.code}/baja/")
    html = como_contratista.get("/usuarios/").content.decode()
    assert f"/usuarios/{activa.code}/activar/" in _fila(html, activa.capturista.curp)
    assert "¿Deseas continuar?" in como_contratista.get(f"/usuarios/{activa.code}/activar/").content.decode()

    respuesta = como_contratista.post(f"/usuarios/{activa.code}/activar/", follow=True)

    assert "Se reactivó la relación con el usuario." in respuesta.content.decode()
    activa.refresh_from_db()
    assert activa.estatus == Relacion.Estatus.ACTIVA
    assert activa.fecha_baja is None


def test_activar_returns_to_registrada_when_the_password_was_never_set(como_contratista, registrada):
    como_contratista.post(f"/usuarios/{registrada.code}/baja/")

    como_contratista.post(f"/usuarios/{registrada.code}/activar/")

    registrada.refresh_from_db()
    assert registrada.estatus == Relacion.Estatus.REGISTRADA


def test_activar_refuses_a_relation_that_is_not_in_baja(como_contratista, activa):
    respuesta = como_contratista.post(f"/usuarios/{activa.code}/activar/", follow=True)

    assert "La relación con el usuario no está en baja." in respuesta.content.decode()


def test_a_capturista_in_baja_with_every_contratista_cannot_log_in(como_contratista, capturista, activa):
    como_contratista.post(f"/usuarios/{activa.code}/baja/")
    client = Client()

    respuesta = client.post("/acceso/", {"login": capturista.curp, "password": PASSWORD})

    assert respuesta.status_code == 200
    assert "Tu usuario no tiene una relación activa con ningún contratista." in respuesta.content.decode()
    assert f'value="{capturista.curp}"' in respuesta.content.decode()
    assert client.get("/inicio/").status_code == 302


@pytest.mark.parametrize(
    ("metodo", "ruta"),
    [("get", "editar"), ("post", "editar"), ("post", "enviar-email"), ("get", "baja"), ("post", "baja"),
     ("get", "activar"), ("post", "activar")],
)
def test_another_contratista_gets_404_for_every_action(como_otro_contratista, registrada, metodo, ruta):
    from django.conf import settings

    respuesta = getattr(como_otro_contratista, metodo)(f"/usuarios/{registrada.code}/{ruta}/")

    assert respuesta.status_code == 404
    if not settings.DEBUG:  # under DEBUG (make run) Django shows its technical 404 page instead of the portal's
        assert "no existe o no está disponible para ti" in respuesta.content.decode()
    registrada.refresh_from_db()
    assert registrada.estatus == Relacion.Estatus.REGISTRADA


@pytest.mark.parametrize("ruta", ["/usuarios/", "/usuarios/exportar/", "/usuarios/alta/"])
def test_a_capturista_is_refused_the_administracion_by_url(client, capturista, contratista, ruta):
    client.force_login(capturista)
    sesion = client.session
    sesion["contratista_code"] = str(contratista.code)
    sesion.save()

    respuesta = client.get(ruta)

    assert respuesta.status_code == 403
    assert "No tienes permiso para realizar esta acción con tu rol." in respuesta.content.decode()


def test_a_capturista_cannot_act_on_a_relation_by_url(client, capturista, registrada):
    client.force_login(capturista)

    assert client.post(f"/usuarios/{registrada.code}/baja/").status_code == 403
    registrada.refresh_from_db()
    assert registrada.estatus == Relacion.Estatus.REGISTRADA


def test_the_grid_is_paginated(como_contratista, contratista):
    capturistas = [
        User(username=f"U{i:03d}", rol=User.Rol.CAPTURISTA, curp=f"C{i:017d}", nombre_completo=f"PERSONA {i}")
        for i in range(55)
    ]
    User.objects.bulk_create(capturistas)
    Relacion.objects.bulk_create(
        Relacion(contratista=contratista, capturista=u, telefono="5512345678", correo="x@example.com")
        for u in User.objects.filter(username__startswith="U")
    )

    primera = como_contratista.get("/usuarios/").content.decode()
    segunda = como_contratista.get("/usuarios/?pagina=2").content.decode()

    assert primera.count("<tr data-curp=") == 50
    assert segunda.count("<tr data-curp=") == 5
    assert "Página 1 de 2 (55 usuarios)" in primera


def test_enviar_email_is_rate_limited_per_user(como_contratista, registrada, monkeypatch):
    from capturistas import views

    monkeypatch.setattr(views, "LIMITE_REENVIOS_HORA", 2)
    for _ in range(2):
        como_contratista.post(f"/usuarios/{registrada.code}/enviar-email/")

    respuesta = como_contratista.post(f"/usuarios/{registrada.code}/enviar-email/", follow=True)

    assert "Hiciste demasiadas solicitudes en poco tiempo." in respuesta.content.decode()
    assert Correo.objects.filter(para="maria@example.com").count() == 3  # the alta's email and two re-sends


def test_imss_staff_can_find_relations_and_links_in_the_admin(client, staff, registrada):
    client.force_login(staff)

    relaciones = client.get("/admin/capturistas/relacion/", {"q": registrada.capturista.curp})
    ligas = client.get("/admin/capturistas/liga/", {"q": registrada.capturista.curp})

    assert relaciones.status_code == ligas.status_code == 200
    assert "MARÍA FERNANDA LÓPEZ HERNÁNDEZ" in relaciones.content.decode()
    assert "maria@example.com" in ligas.content.decode()
    assert Liga.objects.get().token_hash not in ligas.content.decode()


# ----------------------------------------------------------------------------------------------------------
# Issue 14: reactivating a capturista who never set a password sends a fresh link
# ----------------------------------------------------------------------------------------------------------
def test_activar_sends_a_fresh_activation_link_to_a_capturista_without_password(contratista, maria):
    from capturistas.models import Liga
    from capturistas.services import capturista_activar, capturista_baja, liga_verificar
    from core.models import Correo

    relacion = dar_de_alta(contratista, maria)
    capturista_baja(relacion=relacion, usuario=contratista.usuario)
    antes = Correo.objects.filter(para="maria@example.com").count()

    liga = capturista_activar(relacion=relacion, usuario=contratista.usuario)

    assert liga is not None and liga.tipo == Liga.Tipo.ACTIVACION and liga.para == "maria@example.com"
    assert Correo.objects.filter(para="maria@example.com").count() == antes + 1
    assert liga_verificar(token=ultima_liga("maria@example.com").rstrip("/").rsplit("/", 1)[1]) == liga


def test_activar_sends_no_link_to_a_capturista_with_password(contratista, capturista):
    from capturistas.models import Relacion
    from capturistas.services import capturista_activar, capturista_baja

    relacion = Relacion.objects.get(capturista=capturista)
    capturista_baja(relacion=relacion, usuario=contratista.usuario)

    assert capturista_activar(relacion=relacion, usuario=contratista.usuario) is None
    assert Relacion.objects.get(pk=relacion.pk).estatus == Relacion.Estatus.ACTIVA


def test_a_link_cancelled_by_the_baja_says_what_to_ask_for(client, contratista, maria):
    from capturistas.services import capturista_baja

    relacion = dar_de_alta(contratista, maria)
    liga = ultima_liga("maria@example.com")
    capturista_baja(relacion=relacion, usuario=contratista.usuario)

    html = client.get(liga).content.decode()

    assert "el contratista dio de baja la relación" in html
    assert "pídele que dé clic en «Enviar email»" in html
