"""Issue 22: every field a lookup fills on the Contratante tab belongs to the RFC it was filled for. Validar of
another RFC clears them all (without JavaScript too), and the server refuses, at save, contact data that the
catálogo filled for another RFC; the same correo typed by hand for two clients is accepted."""

from __future__ import annotations

import pytest
from django.urls import reverse
from lxml import html as lxml_html

from informativas.captura import services
from informativas.models import Contratante, Contrato

from ..conftest import datos_contratante

pytestmark = pytest.mark.django_db

EN_CATALOGO = "CCO8605231N4"  # in the catálogo, not in the SAT registry
OTRO = "EKU9003173C9"


@pytest.fixture
def catalogo_cco(informativa, contratista):
    services.contrato_crear(
        informativa=informativa,
        contratante=datos_contratante(
            EN_CATALOGO, razon_social="COMERCIALIZADORA CCO SA DE CV", correo="compras@cco.mx", celular="5511112222"
        ),
        usuario=contratista.usuario,
    )


def _validar(cliente, informativa, datos: dict) -> str:
    url = reverse("informativas:contratante_validar", args=[informativa.code])
    return cliente.post(url, datos).content.decode()


def _formulario(pagina: str) -> dict[str, str]:
    """What the browser would send back: the Contratante form's controls as the page left them."""
    form = lxml_html.fromstring(pagina).get_element_by_id("contratante-form")
    return dict(form.form_values())


def test_validar_of_another_rfc_clears_every_field_the_catalog_filled(
    cliente_contratista, informativa, catalogo_cco
):
    pagina = _validar(cliente_contratista, informativa, {"rfc": EN_CATALOGO, "telefono_fijo": "5599990000"})
    datos = _formulario(pagina)
    assert (datos["correo"], datos["celular"]) == ("compras@cco.mx", "5511112222")
    assert datos["razon_social"] == "COMERCIALIZADORA CCO SA DE CV"

    datos["rfc"] = OTRO
    pagina = _validar(cliente_contratista, informativa, datos)

    datos = _formulario(pagina)
    assert datos.get("correo", "") == datos.get("celular", "") == datos.get("razon_social", "") == ""
    assert "compras@cco.mx" not in pagina
    assert datos.get("domicilio_convencional_igual_fiscal") is None
    # What the user typed is theirs, whatever the RFC
    assert datos["telefono_fijo"] == "5599990000"


def test_contact_data_filled_for_another_rfc_is_refused_at_save(cliente_contratista, informativa, catalogo_cco):
    datos = _formulario(_validar(cliente_contratista, informativa, {"rfc": EN_CATALOGO}))
    # Without Validar again (no JavaScript), the RFC is changed and the contrato is added
    datos.update(rfc=OTRO, razon_social="EKU SA DE CV")
    respuesta = cliente_contratista.post(reverse("informativas:paso", args=[informativa.code, "contratante"]), datos)

    assert respuesta.status_code == 200
    assert not Contrato.objects.filter(contratante_rfc=OTRO).exists()
    assert not Contratante.objects.filter(rfc=OTRO).exists()
    pagina = lxml_html.fromstring(respuesta.content.decode())
    for campo in ("correo", "celular"):
        error = pagina.xpath(f'//*[@id="id_{campo}"]/ancestor::div[contains(@class, "campo")][1]')[0].text_content()
        assert f"catálogo de contratantes para el RFC {EN_CATALOGO}" in error


def test_the_same_correo_typed_by_hand_for_another_client_is_accepted(
    cliente_contratista, informativa, catalogo_cco
):
    datos = _formulario(_validar(cliente_contratista, informativa, {"rfc": OTRO}))
    datos.update(razon_social="EKU SA DE CV", correo="compras@cco.mx", celular="5511112222")
    datos.update(domicilio_social_igual_fiscal="si", domicilio_convencional_igual_fiscal="si")
    cliente_contratista.post(reverse("informativas:paso", args=[informativa.code, "contratante"]), datos)

    contrato = Contrato.objects.get(contratante_rfc=OTRO)
    assert (contrato.contratante_correo, contrato.contratante_celular) == ("compras@cco.mx", "5511112222")


def test_validar_of_an_rfc_only_in_the_catalog_says_the_name_came_from_the_catalog(
    cliente_contratista, informativa, catalogo_cco
):
    pagina = lxml_html.fromstring(_validar(cliente_contratista, informativa, {"rfc": EN_CATALOGO}))
    aviso = pagina.get_element_by_id("rfc-validado").text_content()
    assert "no se encontró en el padrón del SAT" in aviso
    assert "captura la denominación" not in aviso
    assert "la denominación o razón social se tomó del catálogo de contratantes" in aviso


def test_validar_of_an_rfc_in_neither_asks_for_the_name(cliente_contratista, informativa, catalogo_cco):
    pagina = lxml_html.fromstring(_validar(cliente_contratista, informativa, {"rfc": OTRO}))
    aviso = pagina.get_element_by_id("rfc-validado").text_content()
    assert f"El RFC {OTRO} no se encontró en el padrón del SAT: captura la denominación o razón social." in aviso


FISICA = "PEGJ800101AB6"


def _pregunta_social(pagina: str):
    return lxml_html.fromstring(pagina).get_element_by_id("pregunta-domicilio-social")


def test_the_domicilio_social_is_asked_only_of_a_persona_moral(cliente_contratista, informativa):
    inicio = cliente_contratista.get(reverse("informativas:paso", args=[informativa.code, "contratante"]))
    assert _pregunta_social(inicio.content.decode()).get("hidden") is not None
    assert "aplica sólo cuando el contratante es persona moral" not in inicio.content.decode()
    assert _pregunta_social(_validar(cliente_contratista, informativa, {"rfc": FISICA})).get("hidden") is not None
    assert _pregunta_social(_validar(cliente_contratista, informativa, {"rfc": OTRO})).get("hidden") is None


def test_without_javascript_a_fisica_needs_no_domicilio_social_and_a_moral_does(cliente_contratista, informativa):
    url = reverse("informativas:paso", args=[informativa.code, "contratante"])
    datos = {
        "razon_social": "JUAN PEREZ GOMEZ",
        "correo": "juan@cliente.mx",
        "celular": "5511112222",
        "domicilio_convencional_igual_fiscal": "si",
    }
    moral = cliente_contratista.post(url, {**datos, "rfc": OTRO})
    assert "Indica si el domicilio social es igual al fiscal." in moral.content.decode()
    assert _pregunta_social(moral.content.decode()).get("hidden") is None
    assert not Contrato.objects.exists()

    cliente_contratista.post(url, {**datos, "rfc": FISICA})
    contrato = Contrato.objects.get(contratante_rfc=FISICA)
    assert contrato.domicilio_social_igual_fiscal is None and contrato.domicilio_social is None


def test_a_link_naming_the_rfc_validates_it_and_agregar_contrato_returns_where_it_came_from(
    cliente_contratista, informativa, catalogo_cco
):
    url = reverse("informativas:paso", args=[informativa.code, "contratante"])
    volver = reverse("informativas:nomina_subir", args=[informativa.code])
    pagina = cliente_contratista.get(url, {"rfc": OTRO, "siguiente": volver}).content.decode()
    datos = _formulario(pagina)
    assert datos["rfc"] == OTRO and datos["siguiente"] == volver
    assert "no se encontró en el padrón del SAT" in pagina
    datos.update(razon_social="EKU SA DE CV", correo="compras@eku.mx", celular="5511112222")
    datos.update(domicilio_social_igual_fiscal="si", domicilio_convencional_igual_fiscal="si")
    respuesta = cliente_contratista.post(url, datos)
    assert respuesta.status_code == 302 and respuesta["Location"] == volver
    assert Contrato.objects.filter(contratante_rfc=OTRO).exists()
    # Another site is never where it returns to
    pagina = cliente_contratista.get(url, {"rfc": OTRO, "siguiente": "//otro.example/x"}).content.decode()
    assert "siguiente" not in _formulario(pagina)


def test_validar_of_an_rfc_not_in_the_registry_with_a_name_typed_asks_to_check_it(
    cliente_contratista, informativa, catalogo_cco
):
    pagina = _validar(cliente_contratista, informativa, {"rfc": OTRO, "razon_social": "EKU SA DE CV"})
    aviso = lxml_html.fromstring(pagina).get_element_by_id("rfc-validado").text_content()
    assert f"El RFC {OTRO} no se encontró en el padrón del SAT: revisa la denominación o razón social que capturaste." in aviso
    assert _formulario(pagina)["razon_social"] == "EKU SA DE CV"
