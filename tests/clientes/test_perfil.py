"""The Perfil strip says the capacity the session works in: «Contratante», with its RFC and name, in the
contratante's; «Contratista» only in the contratista's (issue 25)."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from accounts.models import User
from accounts.services import terminos_aceptar, terminos_vigentes
from clientes import services
from clientes.capacidad import CONTRATANTE, SESSION_KEY

from .conftest import NOMBRE_CLIENTE, RFC_CLIENTE, autorizado_por_otro

pytestmark = pytest.mark.django_db


def _perfil(html: str) -> dict[str, str]:
    """The strip's data as the page shows them: {"rfc": …, "nombre": …, "rol": …} and its labels."""
    seccion = re.search(r'<section class="perfil".*?</section>', html, re.S)
    assert seccion, "la página no tiene la franja de Perfil del usuario"
    texto = seccion.group(0)
    datos = dict(re.findall(r'<dd data-perfil="(\w+)">(.*?)</dd>', texto, re.S))
    datos["etiquetas"] = " | ".join(re.findall(r"<dt>(.*?)</dt>", texto))
    return datos


def _con_terminos(usuario: User) -> User:
    if terminos := terminos_vigentes():
        terminos_aceptar(usuario=usuario, terminos=terminos, ip=None)
    return usuario


def _dual(contratista) -> None:
    """Another contratista authorises ESI920427886 as its contratante: one account, two capacities."""
    autorizado_por_otro(contratista)


def _en_capacidad_contratante(client: Client) -> None:
    sesion = client.session
    sesion[SESSION_KEY] = CONTRATANTE
    sesion.save()


def test_the_contratista_reads_contratista_with_its_rfc_and_razon_social(contratista):
    client = Client()
    client.force_login(contratista.usuario)

    perfil = _perfil(client.get("/contratista/").text)

    assert perfil["rfc"] == contratista.rfc
    assert perfil["nombre"] == contratista.razon_social
    assert perfil["rol"] == "Contratista"
    assert perfil["etiquetas"] == "RFC | Denominación o razón social / Nombre completo | Rol"


def test_an_account_that_is_only_a_contratante_reads_contratante_with_its_rfc_and_name(contratista):
    services.autorizacion_otorgar(contratista=contratista, rfc=RFC_CLIENTE, usuario=contratista.usuario)
    contratante = _con_terminos(services.contratante_usuario(rfc=RFC_CLIENTE, nombre=NOMBRE_CLIENTE))
    client = Client()
    client.force_login(contratante)

    pagina = client.get("/contratante/")

    assert pagina.status_code == 200
    perfil = _perfil(pagina.text)
    assert perfil["rfc"] == RFC_CLIENTE
    assert perfil["nombre"] == NOMBRE_CLIENTE
    assert perfil["rol"] == "Contratante"
    assert perfil["etiquetas"] == "RFC | Denominación o razón social / Nombre completo | Rol"
    assert "Contratista" not in perfil.values()


def test_a_contratista_that_entered_as_contratante_reads_contratante_and_back_in_its_own_contratista(contratista):
    _dual(contratista)
    client = Client()
    client.force_login(contratista.usuario)
    _en_capacidad_contratante(client)

    pagina = client.get("/contratante/")

    assert pagina.status_code == 200
    perfil = _perfil(pagina.text)
    assert perfil["rfc"] == contratista.rfc
    assert perfil["nombre"] == contratista.razon_social
    assert perfil["rol"] == "Contratante"
    # Its «fuera de capacidad» page too: the strip says the session's capacity wherever it is.
    fuera = client.get("/contratista/")
    assert fuera.status_code == 403 and _perfil(fuera.text)["rol"] == "Contratante"

    client.post("/contratante/como-entrar/", {"capacidad": "contratista"})
    perfil = _perfil(client.get("/contratista/").text)
    assert (perfil["rfc"], perfil["nombre"], perfil["rol"]) == (contratista.rfc, contratista.razon_social, "Contratista")
