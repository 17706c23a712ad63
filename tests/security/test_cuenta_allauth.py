"""Accounts can't be changed behind the portal's back (security review, finding 2): with a capturista's session,
allauth's /cuenta/email/ added an unverified address and made it primary, and "¿Olvidaste tu contraseña?" with
the CURP and that address sent the reset link there. allauth's account pages the portal does not use are closed
(accounts/cuenta_urls.py); the password change asks for the current password."""

from __future__ import annotations

import pytest
from allauth.account.models import EmailAddress
from django.test import Client
from django.urls import reverse

from accounts.cuenta_urls import ABIERTAS
from accounts.models import User
from capturistas.models import Liga
from core.models import Correo
from tests.conftest import PASSWORD

from .test_acceso_matriz import PATRONES, ROLES, _cliente

pytestmark = pytest.mark.django_db

ATACANTE = "atacante@example.net"
ALLAUTH = [p for p in PATRONES if p[0].startswith("account_")]


@pytest.fixture
def cliente_capturista(capturista, contratista):
    from capturistas.access import SESSION_KEY

    cliente = Client()
    cliente.force_login(capturista)
    sesion = cliente.session
    sesion[SESSION_KEY] = str(contratista.code)
    sesion.save()
    return cliente


def test_the_takeover_through_allauths_email_page_fails(cliente_capturista, capturista, client):
    # 1. Add an unverified address and 2. make it primary: both pages are gone.
    agregar = cliente_capturista.post("/cuenta/email/", {"action_add": "", "email": ATACANTE})
    primaria = cliente_capturista.post("/cuenta/email/", {"action_primary": "", "email": ATACANTE})
    assert (agregar.status_code, primaria.status_code) == (404, 404)
    capturista.refresh_from_db()
    assert capturista.email == "capturista@example.com"
    assert not EmailAddress.objects.filter(email__iexact=ATACANTE).exists()

    # 3. "¿Olvidaste tu contraseña?" with the CURP and the attacker's address: the same answer, and nothing sent.
    respuesta = client.post(reverse("capturistas:recuperar"), {"curp": capturista.curp, "correo": ATACANTE})
    assert respuesta.status_code == 302 and respuesta["Location"] == reverse("capturistas:recuperar_enviado")
    assert not Correo.objects.filter(para__iexact=ATACANTE).exists()
    assert not Liga.objects.filter(usuario=capturista).exists()

    # 4. The password is still the capturista's.
    capturista.refresh_from_db()
    assert capturista.check_password(PASSWORD)


def test_a_contratista_cannot_give_itself_a_password(contratista):
    cliente = Client()
    cliente.force_login(contratista.usuario)
    respuesta = cliente.post("/cuenta/password/set/", {"password1": "Otra-Clave-9876", "password2": "Otra-Clave-9876"})
    assert respuesta.status_code == 404
    assert cliente.get("/cuenta/password/change/").status_code == 404
    contratista.usuario.refresh_from_db()
    assert not contratista.usuario.has_usable_password()


def test_the_password_change_asks_for_the_current_password(cliente_capturista, capturista):
    pagina = cliente_capturista.get("/cuenta/password/change/")
    assert pagina.status_code == 200
    assert 'name="oldpassword"' in pagina.content.decode()

    nueva = "Nueva-Clave-Segura-2026"
    sin_actual = cliente_capturista.post("/cuenta/password/change/", {"password1": nueva, "password2": nueva})
    equivocada = cliente_capturista.post(
        "/cuenta/password/change/", {"oldpassword": "no-es-la-mia", "password1": nueva, "password2": nueva}
    )
    assert (sin_actual.status_code, equivocada.status_code) == (200, 200)
    assert "Escribe tu contraseña actual: la que usas para ingresar." in equivocada.content.decode()
    capturista.refresh_from_db()
    assert capturista.check_password(PASSWORD)

    correcta = cliente_capturista.post(
        "/cuenta/password/change/", {"oldpassword": PASSWORD, "password1": nueva, "password2": nueva}
    )
    assert correcta.status_code == 302
    capturista.refresh_from_db()
    assert capturista.check_password(nueva)


def test_the_allauth_reset_by_key_is_closed_even_with_a_valid_key(capturista, client):
    """allauth's own reset link (uidb36-key) would set a password without the portal's link rules."""
    from allauth.account.forms import default_token_generator
    from allauth.account.utils import user_pk_to_url_str

    clave = default_token_generator.make_token(capturista)
    url = f"/cuenta/password/reset/key/{user_pk_to_url_str(capturista)}-{clave}/"
    assert client.get(url).status_code == 404
    assert client.post(url, {"password1": "Robada-Clave-2026", "password2": "Robada-Clave-2026"}).status_code == 404
    capturista.refresh_from_db()
    assert capturista.check_password(PASSWORD)


def test_allauths_email_only_reset_form_still_sends_nothing(capturista, client):
    respuesta = client.post("/cuenta/password/reset/", {"email": capturista.email})
    assert respuesta.status_code == 200
    assert not Correo.objects.exists()


def test_only_the_pages_the_portal_uses_remain_open():
    nombres = {nombre for nombre, _, _ in ALLAUTH}
    assert ABIERTAS <= nombres
    assert "account_email" in nombres and "account_set_password" in nombres  # closed, yet reversible


# ----------------------------------------------------------------------------------------------------------
# Every allauth URL, every role, GET and POST (the access matrix covers GET; POST is what changes accounts)
# ----------------------------------------------------------------------------------------------------------
# name: (anonymous, contratista, capturista, staff, otro contratista) for an empty POST
POST_ABIERTAS = {
    "account_login": (200, 302, 302, 302, 302),  # the form again with its errors; logged in: away
    "account_logout": (302, 302, 302, 302, 302),
    "account_inactive": (405, 405, 405, 405, 405),
    "account_change_password": (302, 404, 200, 200, 404),  # anonymous: to the login; contratistas: no password
    "account_reset_password": (200, 200, 200, 200, 200),  # the form's refusal, nothing sent
}


@pytest.fixture
def mundo_cuentas(contratista, otro_contratista, capturista, staff):
    return {
        "contratista": contratista,
        "usuarios": {
            "contratista": contratista.usuario,
            "capturista": capturista,
            "staff": staff,
            "otro": otro_contratista.usuario,
        },
    }


@pytest.mark.parametrize(("nombre", "ruta", "parametros"), ALLAUTH, ids=[p[0] for p in ALLAUTH])
@pytest.mark.parametrize("metodo", ["GET", "POST"])
def test_every_allauth_url_answers_every_role(nombre, ruta, parametros, metodo, mundo_cuentas):
    kwargs = {"token": "x", "key": "clave-que-no-existe", "uidb36": "1"}
    url = reverse(nombre, kwargs={p: kwargs[p] for p in parametros} or None)
    fallas = []
    for i, rol in enumerate(ROLES):
        respuesta = _cliente(rol, mundo_cuentas).generic(metodo, url)
        if nombre not in ABIERTAS:
            esperado = 404
        elif metodo == "POST":
            esperado = POST_ABIERTAS[nombre][i]
        else:
            continue  # GET of the open pages: the access matrix
        if respuesta.status_code != esperado:
            fallas.append(f"{rol}: esperado {esperado}, obtuvo {respuesta.status_code}")
    assert not fallas, f"{metodo} {url}\n" + "\n".join(fallas)
    assert User.objects.filter(email__iexact=ATACANTE).count() == 0
