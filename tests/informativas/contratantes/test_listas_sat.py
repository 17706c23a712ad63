"""The catálogo de contratantes screened against the SAT's lists: each entry of the list shows its hits (list,
situation, publication and cut dates), the page's entries in one query; the edit page shows its entry's hits,
«sin coincidencias» or «no verificado» with its reason. Nothing is asked nor blocked there."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from informativas.captura import services
from informativas.models import Contratante
from listas_sat.models import Verificacion

from ..conftest import datos_contratante

pytestmark = pytest.mark.django_db

RFC = "CLI010101AB5"  # padron_sat's, «Definitivo» in lista_69b (tests/informativas/conftest.py)


def _entrada(informativa, contratista, rfc: str, razon_social: str) -> None:
    services.contrato_crear(
        informativa=informativa, contratante=datos_contratante(rfc, razon_social=razon_social),
        usuario=contratista.usuario,
    )


def _lista(cliente) -> str:
    return cliente.get(reverse("informativas:contratantes")).content.decode()


def test_each_entry_of_the_list_shows_its_hits(cliente_contratista, informativa, contratista, contrato, lista_69b):
    _entrada(informativa, contratista, "SCO990101AA6", "SERVICIOS COSTA")
    _entrada(informativa, contratista, "ABC010101AB1", "OTRO CLIENTE")

    html = _lista(cliente_contratista)
    fila = html.split(f'data-rfc="{RFC}"')[1].split("</tr>")[0]
    assert "Art. 69-B CFF: listado completo" in fila and "Definitivo" in fila
    assert "publicado el 20/03/2026" in fila and "corte 31/05/2026" in fila
    fila = html.split('data-rfc="SCO990101AA6"')[1].split("</tr>")[0]
    assert "Presunto" in fila
    fila = html.split('data-rfc="ABC010101AB1"')[1].split("</tr>")[0]
    assert "Sin coincidencias" in fila and "Definitivo" not in fila
    assert 'name="confirmar_lista_sat"' not in html


def test_the_page_is_screened_in_one_query_whatever_its_entries(
    cliente_contratista, informativa, contratista, contrato, lista_69b
):
    def consultas() -> list[str]:
        with CaptureQueriesContext(connection) as capturadas:
            cliente_contratista.get(reverse("informativas:contratantes"))
        return [q["sql"] for q in capturadas.captured_queries]

    consultas()  # the session's first request checks the términos y condiciones once
    una = consultas()
    for i, rfc in enumerate(["SCO990101AA6", "ABC010101AB1", "XYZ010101AB2"]):
        _entrada(informativa, contratista, rfc, f"CLIENTE {i}")

    assert Contratante.objects.count() == 4
    assert len(consultas()) == len(una)
    assert sum("listas_sat_coincidencia" in q for q in consultas()) == 1


def test_with_the_last_check_8_days_old_the_list_says_no_verificado(
    cliente_contratista, informativa, contratista, contrato, lista_69b
):
    _entrada(informativa, contratista, "ABC010101AB1", "OTRO CLIENTE")
    Verificacion.objects.update(created_at=timezone.now() - datetime.timedelta(days=8))

    html = _lista(cliente_contratista)
    assert "No verificado" in html and "más de 7 días" in html
    assert "Sin coincidencias" not in html
    assert "Definitivo" in html.split(f'data-rfc="{RFC}"')[1].split("</tr>")[0]  # a hit is still a hit


def test_the_edit_page_shows_the_entrys_hits(cliente_contratista, contrato, lista_69b):
    entrada = Contratante.objects.get(rfc=RFC)

    html = cliente_contratista.get(reverse("informativas:contratante_editar", args=[entrada.code])).content.decode()
    assert f"El RFC {RFC} aparece" in html and "Definitivo" in html and "fecha de corte 31/05/2026" in html


def test_the_edit_page_of_an_entry_on_no_list_says_so_or_no_verificado(
    cliente_contratista, informativa, contratista, contrato, lista_69b
):
    _entrada(informativa, contratista, "ABC010101AB1", "OTRO CLIENTE")
    url = reverse("informativas:contratante_editar", args=[Contratante.objects.get(rfc="ABC010101AB1").code])

    assert "Sin coincidencias en las listas del SAT" in cliente_contratista.get(url).content.decode()
    Verificacion.objects.update(created_at=timezone.now() - datetime.timedelta(days=8))
    html = cliente_contratista.get(url).content.decode()
    assert "No verificado" in html and "Sin coincidencias" not in html
