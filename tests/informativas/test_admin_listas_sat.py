"""Staff in the admin: the confirmations of contratantes «Definitivo» in 69-B (read-only), and the contratistas,
catálogo entries and contratos whose RFC has hits, by situation (one subquery in the changelist's query)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from contratistas.models import Contratista
from contratistas.services import contratista_obtener_o_crear
from informativas.cribado import confirmacion_registrar, contratantes_cribar
from informativas.models import ConfirmacionListaSat
from listas_sat.admin import filtro_listas_sat

pytestmark = pytest.mark.django_db

RFC = "CLI010101AB5"


@pytest.fixture
def admin(client, staff):
    client.force_login(staff)
    return client


def test_staff_see_the_confirmations_read_only(admin, contrato, lista_69b, contratista):
    hallazgo = contratantes_cribar(rfcs=[RFC])[RFC].hallazgos[0]
    confirmacion = confirmacion_registrar(informativa=contrato.informativa, hallazgo=hallazgo, usuario=contratista.usuario)

    lista = admin.get("/admin/informativas/confirmacionlistasat/").content.decode()
    assert RFC in lista and "Definitivo" in lista and "31 de mayo de 2026" in lista.replace("Mayo", "mayo")
    detalle = admin.get(f"/admin/informativas/confirmacionlistasat/{confirmacion.pk}/change/").content.decode()
    assert 'name="_save"' not in detalle
    assert admin.post(f"/admin/informativas/confirmacionlistasat/{confirmacion.pk}/delete/", {"post": "yes"}).status_code == 403
    assert ConfirmacionListaSat.objects.count() == 1


def test_the_contratos_filter_by_situation_lists_only_those_whose_contratante_has_that_hit(admin, contrato, lista_69b):
    definitivos = admin.get("/admin/informativas/contrato/?lista_sat=69b_definitivo").content.decode()
    presuntos = admin.get("/admin/informativas/contrato/?lista_sat=69b_presunto").content.decode()

    assert contrato.folio in definitivos
    assert contrato.folio not in presuntos
    assert "69-B: Definitivo" in definitivos  # the filter is offered


def test_the_contratistas_and_catalogo_filters_by_situation(admin, contrato, lista_69b):
    contratista_obtener_o_crear(rfc="SCO990101AA6", razon_social="SERVICIOS COSTA")

    presuntos = admin.get("/admin/contratistas/contratista/?lista_sat=69b_presunto").content.decode()
    definitivos = admin.get("/admin/contratistas/contratista/?lista_sat=69b_definitivo").content.decode()
    catalogo = admin.get("/admin/informativas/contratante/?lista_sat=69b_definitivo").content.decode()

    assert "SCO990101AA6" in presuntos and "ESI920427886" not in presuntos
    assert "SCO990101AA6" not in definitivos
    assert RFC in catalogo


def test_the_filter_is_one_query_whatever_the_number_of_rfcs(contrato, lista_69b):
    filtro = filtro_listas_sat("rfc")(None, {"lista_sat": ["cualquiera"]}, Contratista, None)
    contratista_obtener_o_crear(rfc="SCO990101AA6", razon_social="SERVICIOS COSTA")

    with CaptureQueriesContext(connection) as consultas:
        rfcs = sorted(filtro.queryset(None, Contratista.objects.all()).values_list("rfc", flat=True))

    assert rfcs == ["SCO990101AA6"]
    assert len(consultas.captured_queries) == 1
