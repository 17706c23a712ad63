"""«Seleccionar Contratista» returns to the page that asked for it (a `next` parameter, e.g. the period a
reminder links to) after «Continuar», only when `next` is a URL of this portal: an external one is ignored
and the capturista lands on Inicio, as without it."""

from __future__ import annotations

import re
from urllib.parse import quote

import pytest
from django.test import RequestFactory
from django.urls import reverse

from capturistas.access import SESSION_KEY, siguiente_local
from capturistas.models import Relacion

pytestmark = pytest.mark.django_db

PERIODO = "/informativas/periodos/{code}/2026/3/"
EXTERNAS = [
    "https://sitio-falso.example/acceso/",
    "//sitio-falso.example/acceso/",
    "http:///sitio-falso.example/",
    "/\\sitio-falso.example/",
    "javascript:alert(1)",
    "ftp://testserver/acuses/",
]


@pytest.fixture
def dos_contratistas(capturista, contratista, otro_contratista):
    Relacion.objects.create(
        contratista=otro_contratista, capturista=capturista, estatus=Relacion.Estatus.ACTIVA,
        telefono="5512345678", correo=capturista.email,
    )
    return contratista, otro_contratista


@pytest.mark.parametrize(
    "valor", ["/informativas/periodos/abc/2026/3/", "/informativas/?estatus=1&pagina=2", "http://testserver/inicio/"]
)
def test_a_url_of_this_portal_is_kept(valor):
    assert siguiente_local(RequestFactory().get("/"), valor) == valor


@pytest.mark.parametrize("valor", [*EXTERNAS, "", None])
def test_another_site_or_nothing_is_none(valor):
    assert siguiente_local(RequestFactory().get("/"), valor) is None


def test_confirming_with_a_local_next_returns_there(client, capturista, dos_contratistas):
    _, otro = dos_contratistas
    client.force_login(capturista)
    destino = PERIODO.format(code=otro.code)
    confirmar = reverse("capturistas:seleccionar_confirmar", args=[otro.code])

    html = client.get(f"{confirmar}?next={quote(destino)}").content.decode()
    assert f'<input type="hidden" name="next" value="{destino}">' in html
    respuesta = client.post(confirmar, {"next": destino})

    assert respuesta.status_code == 302
    assert respuesta["Location"] == destino
    assert client.session[SESSION_KEY] == str(otro.code)


@pytest.mark.parametrize("externa", EXTERNAS)
def test_an_external_next_is_ignored_and_the_capturista_lands_on_inicio(client, capturista, dos_contratistas, externa):
    _, otro = dos_contratistas
    client.force_login(capturista)
    confirmar = reverse("capturistas:seleccionar_confirmar", args=[otro.code])

    html = client.get(f"{confirmar}?next={quote(externa)}").content.decode()
    respuesta = client.post(f"{confirmar}?next={quote(externa)}", {"next": externa})

    assert 'name="next"' not in html
    assert 'href="/usuarios/seleccionar/">Cancelar<' in html
    assert respuesta["Location"] == reverse("core:inicio")
    assert client.session[SESSION_KEY] == str(otro.code)  # the selection itself still happens


def test_the_next_goes_through_both_steps_of_seleccionar(client, capturista, dos_contratistas):
    _, otro = dos_contratistas
    client.force_login(capturista)
    destino = "/informativas/?pagina=2"

    lista = client.get(f"/usuarios/seleccionar/?next={quote(destino)}").content.decode()
    assert '<input type="hidden" name="next" value="/informativas/?pagina=2">' in lista
    siguiente = client.post("/usuarios/seleccionar/", {"contratista": str(otro.code), "next": destino})
    confirmar = reverse("capturistas:seleccionar_confirmar", args=[otro.code])
    assert siguiente["Location"] == f"{confirmar}?next=%2Finformativas%2F%3Fpagina%3D2"
    html = client.get(siguiente["Location"]).content.decode()
    assert re.search(r'href="/usuarios/seleccionar/\?next=%2Finformativas%2F%3Fpagina%3D2">Cancelar<', html)

    continuar = client.post(confirmar, {"next": re.search(r'name="next" value="([^"]+)"', html).group(1)})

    assert continuar["Location"] == destino


def test_a_choice_missing_keeps_the_next(client, capturista, dos_contratistas):
    client.force_login(capturista)

    html = client.post("/usuarios/seleccionar/", {"next": "/informativas/"}).content.decode()

    assert "Selecciona un contratista." in html
    assert '<input type="hidden" name="next" value="/informativas/">' in html


def test_a_page_that_needs_a_contratista_sends_the_capturista_to_select_one_and_back(client, capturista, contratista):
    client.force_login(capturista)

    respuesta = client.get("/informativas/consulta/?pagina=1")

    assert respuesta["Location"] == "/usuarios/seleccionar/?next=%2Finformativas%2Fconsulta%2F%3Fpagina%3D1"
    confirmar = client.post(
        reverse("capturistas:seleccionar_confirmar", args=[contratista.code]), {"next": "/informativas/consulta/?pagina=1"}
    )
    assert confirmar["Location"] == "/informativas/consulta/?pagina=1"
