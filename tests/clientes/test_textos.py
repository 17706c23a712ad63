"""The contratante's pages read as a contratante reads them (Spanish, tú): what its home shows, the way back to
its own pages from a page outside its capacity when the account is a contratista too, and a refusal whose title
says what its heading says (issue 25)."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from accounts.services import terminos_aceptar, terminos_vigentes
from clientes import services
from clientes.capacidad import CONTRATANTE, SESSION_KEY

from .conftest import NOMBRE_CLIENTE, RFC_CLIENTE, autorizado_por_otro

pytestmark = pytest.mark.django_db


def _main(html: str) -> str:
    """The visible words of the page's main, in one line."""
    main = re.search(r"<main.*?</main>", html, re.S).group(0)
    main = re.sub(r'<div class="mensajes" data-sesion-recuperado.*?</div>', "", main, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", main)).strip()


def _contratante(contratista) -> Client:
    services.autorizacion_otorgar(contratista=contratista, rfc=RFC_CLIENTE, usuario=contratista.usuario)
    usuario = services.contratante_usuario(rfc=RFC_CLIENTE, nombre=NOMBRE_CLIENTE)
    if terminos := terminos_vigentes():
        terminos_aceptar(usuario=usuario, terminos=terminos, ip=None)
    client = Client()
    client.force_login(usuario)
    return client


def _dual_en_capacidad_contratante(contratista) -> Client:
    autorizado_por_otro(contratista)
    client = Client()
    client.force_login(contratista.usuario)
    sesion = client.session
    sesion[SESSION_KEY] = CONTRATANTE
    sesion.save()
    return client


def test_its_home_says_in_one_sentence_what_it_shows(presentada, contratista):
    texto = _main(_contratante(contratista).get("/contratante/").text)

    assert (
        "Aquí consultas, de cada periodo, la informativa en vigor que presentó cada contratista que te autorizó, "
        f"con los contratos que celebró contigo (RFC {RFC_CLIENTE})." in texto
    )


def test_a_contratista_outside_its_contratante_capacity_is_shown_the_way_to_enter_as_contratista(contratista):
    fuera = _dual_en_capacidad_contratante(contratista).get("/informativas/")

    assert fuera.status_code == 403
    assert "Entraste como contratante" in fuera.text
    assert re.search(r'<a href="/contratante/como-entrar/">Entrar como contratista</a>', fuera.text)


def test_an_account_that_is_only_a_contratante_is_not_offered_the_contratistas_pages(contratista):
    fuera = _contratante(contratista).get("/informativas/")

    assert fuera.status_code == 403 and "Entraste como contratante" in fuera.text
    assert "Entrar como contratista" not in fuera.text


def test_the_refusal_of_a_revoked_authorisation_is_titled_as_its_heading(presentada, contratista):
    client = _contratante(contratista)
    services.autorizacion_revocar(autorizacion=services.autorizaciones_de(contratista).get(), usuario=contratista.usuario)

    respuesta = client.get(f"/contratante/informativas/{presentada.code}/")

    assert respuesta.status_code == 403
    titulo = re.search(r"<title>\s*(.*?)\s*·", respuesta.text, re.S).group(1)
    encabezado = re.search(r"<h1>(.*?)</h1>", respuesta.text, re.S).group(1)
    assert titulo == encabezado == "Autorización revocada"
    assert services.MENSAJE_REVOCADA in respuesta.text


def test_choosing_the_capacity_says_what_the_rfc_is_registered_as(contratista):
    client = _dual_en_capacidad_contratante(contratista)

    texto = _main(client.get("/contratante/como-entrar/").text)

    assert "Tu RFC está registrado como contratista en el portal y, además, un contratista te autorizó" in texto
