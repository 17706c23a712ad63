"""The contratante accepts the términos y condiciones as a contratista does: the same text (the terms of use of
the system ICSOE: the custody of its e.firma, the notices by email, its personal data), once per version per
account, recorded in AceptacionTerminos; then it lands on its own home. The account that is contratista and
contratante is never asked twice for the same version (issue 25)."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.test import Client
from django.utils import timezone
from django.utils.http import urlencode

from accounts.models import AceptacionTerminos, TerminosCondiciones, User
from clientes import services
from clientes.capacidad import CONTRATANTE, SESSION_KEY
from core.models import Bitacora

from .conftest import RFC_CLIENTE, autorizado_por_otro, entrar_como_contratante

pytestmark = pytest.mark.django_db

TERMINOS = "/acceso/terminos/"


@pytest.fixture(autouse=True)
def _sin_bloqueos():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def version_nueva():
    """A version published after the one every fixture's contratista accepted."""
    return TerminosCondiciones.objects.create(
        version="2.0", texto="Nuevos términos del sistema ICSOE.", vigente_desde=timezone.now()
    )


def _autorizar(contratista, rfc=RFC_CLIENTE):
    return services.autorizacion_otorgar(contratista=contratista, rfc=rfc, usuario=contratista.usuario)


def _dual(contratista) -> None:
    """Another contratista authorises ESI920427886 as its contratante: one account, two capacities."""
    autorizado_por_otro(contratista)


def test_a_contratante_accepts_the_current_version_on_its_first_entry_and_then_lands_on_its_own_home(
    presentada, contratista, fiel_cliente
):
    _autorizar(contratista)
    client = Client()

    entrada = entrar_como_contratante(client, fiel_cliente, aceptar_terminos=False)

    assert entrada.status_code == 302 and entrada["Location"] == f"{TERMINOS}?{urlencode({'next': '/contratante/'})}"
    # Every page of its own waits for the acceptance, as a contratista's do.
    for ruta in ("/contratante/", f"/contratante/informativas/{presentada.code}/"):
        assert client.get(ruta)["Location"] == TERMINOS, ruta
    pagina = client.get(entrada["Location"])
    assert pagina.status_code == 200 and "TÉRMINOS Y CONDICIONES DE USO DEL SISTEMA ICSOE" in pagina.text
    sin_aceptar = client.post(entrada["Location"], {})
    assert "Para ingresar debes aceptar los términos y condiciones." in sin_aceptar.text

    aceptado = client.post(entrada["Location"], {"acepto": "on"})

    assert aceptado.status_code == 302 and aceptado["Location"] == "/contratante/"
    usuario = User.objects.get(rfc=RFC_CLIENTE, rol=User.Rol.CONTRATANTE)
    aceptacion = AceptacionTerminos.objects.get(usuario=usuario)
    assert aceptacion.terminos.version == "1.0" and aceptacion.ip == "127.0.0.1"
    assert Bitacora.objects.filter(accion="accounts.terminos.aceptados", usuario=usuario).count() == 1
    inicio = client.get("/contratante/")
    assert inicio.status_code == 200 and contratista.razon_social in inicio.text
    assert client.get(f"/contratante/informativas/{presentada.code}/").status_code == 200

    # Its next entry is not asked again; a new version is asked once.
    assert entrar_como_contratante(Client(), fiel_cliente, aceptar_terminos=False)["Location"] == "/contratante/"
    TerminosCondiciones.objects.create(version="2.0", texto="Nuevos términos.", vigente_desde=timezone.now())
    otra = Client()
    assert entrar_como_contratante(otra, fiel_cliente, aceptar_terminos=False)["Location"].startswith(TERMINOS)
    assert "Nuevos términos." in otra.get(TERMINOS).text


def test_accepting_without_a_next_lands_on_the_contratantes_home_not_the_contratistas(contratista):
    _autorizar(contratista)
    contratante = services.contratante_usuario(rfc=RFC_CLIENTE, nombre="CLIENTE INDUSTRIAL SA DE CV")
    client = Client()
    client.force_login(contratante)
    assert client.get("/contratante/")["Location"] == TERMINOS

    aceptado = client.post(TERMINOS, {"acepto": "on"}, follow=True)

    assert aceptado.redirect_chain[-1] == ("/contratante/", 302)
    assert aceptado.status_code == 200 and "Mis contratistas" in aceptado.text
    # Once accepted, the términos page sends it home too.
    assert client.get(TERMINOS, follow=True).redirect_chain[-1] == ("/contratante/", 302)


def test_the_next_after_accepting_never_leaves_the_portal(contratista):
    _autorizar(contratista)
    client = Client()
    client.force_login(services.contratante_usuario(rfc=RFC_CLIENTE, nombre="CLIENTE INDUSTRIAL SA DE CV"))

    aceptado = client.post(f"{TERMINOS}?next=https://otro.example/robar/", {"acepto": "on"})

    assert aceptado.status_code == 302 and not aceptado["Location"].startswith("https://otro.example")


def test_the_contratista_that_accepted_is_not_asked_again_when_it_enters_as_contratante(contratista, fiel):
    _dual(contratista)
    antes = AceptacionTerminos.objects.filter(usuario=contratista.usuario).count()
    client = Client()

    assert entrar_como_contratante(client, fiel, aceptar_terminos=False)["Location"] == "/contratante/como-entrar/"
    client.post("/contratante/como-entrar/", {"capacidad": "contratante"})

    assert client.get("/contratante/").status_code == 200
    assert AceptacionTerminos.objects.filter(usuario=contratista.usuario).count() == antes


def test_a_new_version_is_accepted_once_by_the_account_that_is_contratista_and_contratante(
    contratista, fiel, version_nueva
):
    _dual(contratista)
    client = Client()

    entrada = entrar_como_contratante(client, fiel, aceptar_terminos=False)

    # Asked first, then back to «¿Cómo quieres entrar?».
    assert entrada["Location"] == f"{TERMINOS}?{urlencode({'next': '/contratante/como-entrar/'})}"
    assert client.post(entrada["Location"], {"acepto": "on"})["Location"] == "/contratante/como-entrar/"
    client.post("/contratante/como-entrar/", {"capacidad": "contratante"})
    assert client.get("/contratante/").status_code == 200
    # The other capacity, and its next session in either, are not asked for the same version again.
    client.post("/contratante/como-entrar/", {"capacidad": "contratista"})
    assert client.get("/contratista/").status_code == 200
    otra = Client()
    otra.force_login(contratista.usuario)
    assert otra.get("/contratista/").status_code == 200
    assert AceptacionTerminos.objects.filter(usuario=contratista.usuario, terminos=version_nueva).count() == 1


def test_a_contratista_session_in_the_contratante_capacity_accepts_and_lands_on_the_contratantes_home(
    contratista, version_nueva
):
    _dual(contratista)
    client = Client()
    client.force_login(contratista.usuario)
    sesion = client.session
    sesion[SESSION_KEY] = CONTRATANTE
    sesion.save()
    assert client.get("/contratante/")["Location"] == TERMINOS

    aceptado = client.post(TERMINOS, {"acepto": "on"}, follow=True)

    assert aceptado.redirect_chain[-1] == ("/contratante/", 302)
    assert "Mis contratistas" in aceptado.text
    assert AceptacionTerminos.objects.filter(usuario=contratista.usuario, terminos=version_nueva).exists()
