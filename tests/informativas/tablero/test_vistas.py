"""The board's page, its links (which switch the contratista), and who may see it."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from capturistas.access import SESSION_KEY
from informativas.tablero.views import MENSAJE_CELDA
from tests.conftest import contratista_con_terminos, sin_reloj_de_prueba

from .conftest import HOY_TABLERO, borrador, relacionar, sin_informacion

pytestmark = pytest.mark.django_db

URL = "/informativas/tablero/"


@pytest.fixture(autouse=True)
def _hoy(settings):
    settings.ICSOE_HOY = HOY_TABLERO.isoformat()


@pytest.fixture
def cliente(client, despacho):
    client.force_login(despacho.capturista)
    return client


def _texto(respuesta) -> str:
    return respuesta.content.decode()


def test_the_capturista_sees_a_row_per_contratista_it_serves_with_headers_and_caption(cliente, despacho):
    borrador(despacho.a, 2026, 3, hoy=HOY_TABLERO)
    borrador(despacho.e, 2026, 3, hoy=HOY_TABLERO)

    respuesta = cliente.get(URL)

    html = _texto(respuesta)
    assert respuesta.status_code == 200
    assert "<caption>Estado de la informativa por contratista y periodo" in html
    assert html.count('<th scope="col"') == 8 and html.count('<th scope="row"') == 3
    for contratista in (despacho.a, despacho.b, despacho.c):
        assert contratista.razon_social in html
    assert despacho.d.razon_social not in html and despacho.e.razon_social not in html
    assert "Septiembre - Diciembre 2026" in html and "Vence el 18/01/2027 (faltan 8 días)" in html
    assert re.search(r'data-estado="borrador"[^>]*>\s*<button[^>]*>Borrador', html)
    assert "Trabajas con 3 contratistas." in html


def test_the_state_filter_keeps_only_matching_rows(cliente, despacho):
    sin_informacion(despacho.b, 2026, 3, hoy=HOY_TABLERO)

    html = _texto(cliente.get(URL, {"estado": "en_firma"}))

    assert despacho.b.razon_social in html
    assert despacho.a.razon_social not in html and despacho.c.razon_social not in html
    assert "1 de 3 contratistas coincide con los filtros." in html
    assert "tablero__celda--coincide" in html


def test_a_filter_that_matches_nothing_says_so(cliente, despacho):
    html = _texto(cliente.get(URL, {"vence_en": "3"}))

    assert "Ningún contratista coincide con los filtros." in html


@pytest.mark.parametrize(
    ("valor", "mensaje"),
    [
        ("diez", "Escribe el número de días con cifras, por ejemplo 10."),
        ("-2", "Escribe un número de días de 0 en adelante."),
        ("9999", "Escribe un número de días de 366 o menos."),
    ],
)
def test_a_wrong_number_of_days_is_explained_and_kept_and_the_board_is_not_filtered(cliente, despacho, valor, mensaje):
    html = _texto(cliente.get(URL, {"vence_en": valor, "estado": "borrador"}))

    assert mensaje in html
    assert f'value="{valor}"' in html
    assert all(c.razon_social in html for c in (despacho.a, despacho.b, despacho.c))


def test_the_board_costs_the_same_queries_for_three_or_thirty_contratistas(cliente, despacho):
    borrador(despacho.a, 2026, 3, hoy=HOY_TABLERO)
    cliente.get(URL)  # the session's first page also writes the session (as on any page)
    # session and user; the board's table; the staff's días inhábiles
    with CaptureQueriesContext(connection) as consultas:
        assert cliente.get(URL).status_code == 200
    assert len(sin_reloj_de_prueba(consultas)) == 4
    for i in range(27):
        otro = contratista_con_terminos(rfc=f"MUC{i:06d}AB1", razon_social=f"MUCHOS {i} SA DE CV")
        relacionar(otro, despacho.capturista)
        borrador(otro, 2026, 2, hoy=HOY_TABLERO)
    with CaptureQueriesContext(connection) as consultas:
        respuesta = cliente.get(URL)
    assert len(sin_reloj_de_prueba(consultas)) == 4
    assert _texto(respuesta).count('<th scope="row"') == 30


def test_the_menu_offers_the_board_to_a_capturista_only(cliente, despacho, client):
    assert "Tablero de contratistas" in _texto(cliente.get(reverse("core:inicio")))
    client.force_login(despacho.a.usuario)
    assert "Tablero de contratistas" not in _texto(client.get(reverse("core:inicio")))


def test_anonymous_goes_to_login_and_contratista_or_staff_are_refused(client, despacho, staff):
    assert client.get(URL)["Location"].startswith("/acceso/?next=")
    client.force_login(despacho.a.usuario)
    assert client.get(URL).status_code == 403
    client.force_login(staff)
    assert client.get(URL).status_code == 403


# ----------------------------------------------------------------------------------------------------------
# A cell's link: switch to that contratista and open its informativa of the period
# ----------------------------------------------------------------------------------------------------------
def _abrir(cliente, contratista, clave="2026-3", **extra):
    return cliente.post(reverse("informativas:tablero_abrir"), {"celda": f"{contratista.code}:{clave}"}, **extra)


def test_a_cell_with_an_informativa_switches_the_contratista_and_opens_it(cliente, despacho):
    informativa = borrador(despacho.a, 2026, 3, hoy=HOY_TABLERO)

    respuesta = _abrir(cliente, despacho.a, follow=True)

    assert respuesta.redirect_chain[0][0] == reverse("informativas:detalle", args=[informativa.code])
    assert cliente.session[SESSION_KEY] == str(despacho.a.code)
    html = _texto(respuesta)
    assert "Ahora trabajas con el contratista EMPRESA DE SERVICIOS INTEGRALES SA DE CV (RFC ESI920427886)." in html


def test_a_cell_sin_iniciar_opens_nueva_informativa_with_the_period_chosen(cliente, despacho):
    respuesta = _abrir(cliente, despacho.c)

    assert respuesta["Location"] == reverse("informativas:nueva") + "?anio=2026&cuatrimestre=3"
    assert cliente.session[SESSION_KEY] == str(despacho.c.code)
    nueva = cliente.get(respuesta["Location"])
    assert nueva.status_code == 200 and nueva.context["form"].initial == {"anio": "2026", "cuatrimestre": "3"}


@pytest.mark.parametrize("quien", ["e", "d"])
def test_a_contratista_not_served_now_is_not_opened_and_the_session_keeps_its_contratista(cliente, despacho, quien):
    sesion = cliente.session
    sesion[SESSION_KEY] = str(despacho.a.code)
    sesion.save()
    borrador(getattr(despacho, quien), 2026, 3, hoy=HOY_TABLERO)

    respuesta = _abrir(cliente, getattr(despacho, quien), follow=True)

    assert respuesta.redirect_chain[-1][0] == URL
    assert MENSAJE_CELDA in _texto(respuesta)
    assert cliente.session[SESSION_KEY] == str(despacho.a.code)


@pytest.mark.parametrize("celda", ["", "no-es-uuid:2026-3", "{code}:2020-1", "{code}:2026-9", "{code}"])
def test_a_malformed_or_old_cell_is_refused_with_the_message(cliente, despacho, celda):
    respuesta = cliente.post(
        reverse("informativas:tablero_abrir"), {"celda": celda.format(code=despacho.a.code)}, follow=True
    )

    assert MENSAJE_CELDA in _texto(respuesta)
    assert SESSION_KEY not in cliente.session


def test_opening_a_cell_needs_a_post(cliente, despacho):
    assert cliente.get(reverse("informativas:tablero_abrir")).status_code == 405
