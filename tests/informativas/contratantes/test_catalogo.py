"""Catálogo de contratantes: kept by every contrato saved, filled into the Contratante tab from the RFC,
edited and removed by the user, never changing what a contrato (or a presented informativa) holds."""

from __future__ import annotations

import pytest
from django.urls import reverse

from informativas.captura import services
from informativas.models import Contratante, Contrato

from ..conftest import datos_contratante

pytestmark = pytest.mark.django_db

RFC_FISICA = "PEGJ800101AB1"


def test_saving_a_contrato_adds_its_contratante_to_the_catalog(contrato, contratista, padron_sat):
    contratante = Contratante.objects.get(contratista=contratista)
    assert contratante.rfc == contrato.contratante_rfc == padron_sat.rfc
    assert contratante.razon_social == "CLIENTE INDUSTRIAL SA DE CV"
    assert contratante.correo == "compras@cliente.mx" and contratante.celular == "5511112222"
    assert contratante.domicilio_convencional_igual_fiscal is True


def test_a_second_contrato_of_the_same_client_updates_its_entry_not_a_new_one(
    contrato, informativa, contratista, padron_sat
):
    services.contrato_crear(
        informativa=informativa,
        contratante=datos_contratante(padron_sat.rfc, correo="nuevo@cliente.mx"),
        usuario=contratista.usuario,
    )
    assert Contratante.objects.filter(contratista=contratista).count() == 1
    assert Contratante.objects.get().correo == "nuevo@cliente.mx"


def test_a_domicilio_captured_in_a_contrato_is_kept_as_the_form_fills_it(informativa, contratista, sepomex):
    colonia = sepomex["tlacopac"]
    domicilio = {
        "asentamiento": colonia,
        "calle": "INSURGENTES",
        "numero_exterior": "10",
        "sin_numero": False,
        "numero_interior": "",
        "entre_calle": "",
        "y_calle": "",
    }
    services.contrato_crear(
        informativa=informativa,
        contratante=datos_contratante(
            RFC_FISICA,
            razon_social="JUAN PEREZ",
            domicilio_convencional_igual_fiscal=False,
            domicilio_convencional=domicilio,
            domicilio_social_igual_fiscal=None,
        ),
        usuario=contratista.usuario,
    )
    contratante = Contratante.objects.get(rfc=RFC_FISICA)
    assert contratante.domicilio_convencional == {
        "codigo_postal": "01000",
        "asentamiento": colonia.pk,
        "calle": "INSURGENTES",
        "numero_exterior": "10",
        "sin_numero": False,
        "numero_interior": "",
        "entre_calle": "",
        "y_calle": "",
        "calle_posterior": "",
        "descripcion": "",
    }


def test_validar_fills_the_contratante_tab_from_the_catalog(
    cliente_contratista, informativa, contratista, sepomex
):
    colonia = sepomex["tlacopac"]
    domicilio = {
        "asentamiento": colonia,
        "calle": "INSURGENTES",
        "numero_exterior": "10",
        "sin_numero": False,
        "numero_interior": "",
        "entre_calle": "",
        "y_calle": "",
    }
    services.contrato_crear(
        informativa=informativa,
        contratante=datos_contratante(
            RFC_FISICA,
            razon_social="JUAN PEREZ",
            correo="juan@cliente.mx",
            domicilio_convencional_igual_fiscal=False,
            domicilio_convencional=domicilio,
        ),
        usuario=contratista.usuario,
    )
    respuesta = cliente_contratista.post(
        reverse("informativas:contratante_validar", args=[informativa.code]), {"rfc": RFC_FISICA.lower()}
    )
    html = respuesta.content.decode()
    assert "Datos tomados del catálogo de contratantes" in html
    assert 'value="juan@cliente.mx"' in html and 'value="JUAN PEREZ"' in html
    assert 'value="INSURGENTES"' in html and f'<option value="{colonia.pk}" selected>' in html
    assert '<datalist id="catalogo-rfc">' in html


def test_what_the_user_typed_wins_over_the_catalog(cliente_contratista, contrato, informativa, padron_sat):
    respuesta = cliente_contratista.post(
        reverse("informativas:contratante_validar", args=[informativa.code]),
        {"rfc": padron_sat.rfc, "correo": "otro@cliente.mx"},
    )
    html = respuesta.content.decode()
    assert 'value="otro@cliente.mx"' in html and 'value="5511112222"' in html


def test_editing_the_catalog_leaves_contratos_and_presented_informativas_as_filed(
    cliente_contratista, contrato, contratista
):
    contratante = Contratante.objects.get()
    url = reverse("informativas:contratante_editar", args=[contratante.code])
    respuesta = cliente_contratista.post(
        url, {"razon_social": "nuevo nombre", "correo": "x@y.mx", "celular": "55 1234-5678"}
    )
    assert respuesta.status_code == 302
    contratante.refresh_from_db()
    assert (contratante.razon_social, contratante.celular) == ("NUEVO NOMBRE", "5512345678")
    contrato = Contrato.objects.get(pk=contrato.pk)
    assert contrato.contratante_razon_social == "CLIENTE INDUSTRIAL SA DE CV"
    assert contrato.contratante_correo == "compras@cliente.mx"


def test_a_bad_phone_is_shown_with_what_was_typed(cliente_contratista, contrato):
    contratante = Contratante.objects.get()
    respuesta = cliente_contratista.post(
        reverse("informativas:contratante_editar", args=[contratante.code]),
        {"razon_social": "NOMBRE TECLEADO", "correo": "x@y.mx", "celular": "123"},
    )
    html = respuesta.content.decode()
    assert "El teléfono debe tener 10 dígitos." in html and 'value="NOMBRE TECLEADO"' in html
    assert Contratante.objects.get().razon_social == "CLIENTE INDUSTRIAL SA DE CV"


def test_removing_an_entry_keeps_the_contrato(cliente_contratista, contrato):
    contratante = Contratante.objects.get()
    cliente_contratista.post(reverse("informativas:contratante_eliminar", args=[contratante.code]))
    assert not Contratante.objects.exists()
    assert Contrato.objects.get(pk=contrato.pk).contratante_rfc == contratante.rfc


def test_the_list_shows_only_the_contratistas_own_clients(cliente_contratista, contrato, otro_contratista):
    Contratante.objects.create(
        contratista=otro_contratista,
        rfc="OTR010101AB4",
        razon_social="AJENO",
        correo="a@b.mx",
        celular="5511112222",
    )
    html = cliente_contratista.get(reverse("informativas:contratantes")).content.decode()
    assert 'data-rfc="CLI010101AB5"' in html and "OTR010101AB4" not in html


def test_another_contratistas_entry_answers_404(client, otro_contratista, contrato):
    client.force_login(otro_contratista.usuario)
    contratante = Contratante.objects.get()
    assert client.get(reverse("informativas:contratante_editar", args=[contratante.code])).status_code == 404
    assert (
        client.post(reverse("informativas:contratante_eliminar", args=[contratante.code])).status_code == 404
    )
    assert Contratante.objects.exists()


def test_anonymous_goes_to_login_and_staff_is_refused(client, staff):
    assert client.get(reverse("informativas:contratantes"))["Location"].startswith("/acceso/")
    client.force_login(staff)
    assert client.get(reverse("informativas:contratantes")).status_code == 403
