"""contratistas.domicilio, the one owner of the domicilio: every domicilio a screen stores (the contratista's
social and fiscal, the informativa's convencional, each contratante's social and convencional) goes through
domicilio_guardar, so "Sin número" keeps no número exterior in each of them; the SEPOMEX lookups and the
Sí/No answer are the same for every screen."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from contratistas.domicilio import (
    DomicilioForm,
    colonias_de,
    domicilio_guardar,
    problema_codigo_postal,
    si_no,
    si_no_inicial,
)
from contratistas.models import Asentamiento, CodigoPostal, Contratista, Domicilio, Estado, Municipio
from contratistas.services import DatosGenerales, acuse_stps_subir, datos_generales_guardar

from .conftest import pdf

pytestmark = pytest.mark.django_db
HOY = datetime.date(2026, 6, 1)


@pytest.fixture
def colonia(db) -> Asentamiento:
    estado = Estado.objects.create(clave="09", nombre="CIUDAD DE MÉXICO")
    municipio = Municipio.objects.create(estado=estado, clave="010", nombre="ÁLVARO OBREGÓN")
    cp = CodigoPostal.objects.create(codigo="01000", municipio=municipio, ciudad="CIUDAD DE MÉXICO")
    return Asentamiento.objects.create(codigo_postal=cp, clave="0001", nombre="SAN ÁNGEL", tipo="Colonia")


def _sin_numero(colonia: Asentamiento) -> dict:
    """What a user sends who typed a número exterior and then ticked "Sin número"."""
    return {"asentamiento": colonia, "calle": "CAMINO REAL", "numero_exterior": "1500", "sin_numero": True}


def _social_del_contratista(contratista: Contratista, colonia: Asentamiento) -> Domicilio:
    return _datos_generales(contratista, colonia, domicilio_social=_sin_numero(colonia)).domicilio_social


def _fiscal_del_contratista(contratista: Contratista, colonia: Asentamiento) -> Domicilio:
    # No SAT registry entry for the contratista: the datos generales capture its domicilio fiscal once.
    return _datos_generales(contratista, colonia, domicilio_fiscal=_sin_numero(colonia)).domicilio_fiscal


def _datos_generales(contratista: Contratista, colonia: Asentamiento, **domicilios) -> Contratista:
    archivo = SimpleUploadedFile("Registro_STPS.pdf", pdf(), content_type="application/pdf")
    acuse = acuse_stps_subir(contratista=contratista, archivo=archivo, usuario=contratista.usuario)
    datos = DatosGenerales(
        correo="contacto@empresa.com.mx",
        celular="5512345678",
        registro_repse="AR12345/2021",
        domicilio_social_igual_fiscal="domicilio_social" not in domicilios,
        domicilio_fiscal=domicilios.get("domicilio_fiscal") or _sin_numero(colonia) | {"sin_numero": False},
        domicilio_social=domicilios.get("domicilio_social"),
    )
    return datos_generales_guardar(contratista=contratista, datos=datos, acuse_pendiente=acuse, usuario=contratista.usuario)


def _informativa(contratista: Contratista):
    from informativas.captura import services

    return services.informativa_crear(
        contratista=contratista, anio=2026, cuatrimestre=1, tipo="NORMAL", usuario=contratista.usuario, hoy=HOY
    )


def _convencional_de_la_informativa(contratista: Contratista, colonia: Asentamiento) -> Domicilio:
    from informativas.captura import services

    informativa = services.informativa_contratista_guardar(
        informativa=_informativa(contratista), igual_fiscal=False, domicilio=_sin_numero(colonia), usuario=contratista.usuario
    )
    return informativa.domicilio_convencional


def _contrato(contratista: Contratista, colonia: Asentamiento):
    from informativas.captura import services

    informativa = services.informativa_contratista_guardar(
        informativa=_informativa(contratista), igual_fiscal=True, domicilio=None, usuario=contratista.usuario
    )
    contratante = services.DatosContratante(
        rfc="CLI010101AB5",
        razon_social="CLIENTE INDUSTRIAL SA DE CV",
        correo="compras@cliente.mx",
        celular="5511112222",
        domicilio_social_igual_fiscal=False,
        domicilio_social=_sin_numero(colonia),
        domicilio_convencional_igual_fiscal=False,
        domicilio_convencional=_sin_numero(colonia),
    )
    return services.contrato_crear(informativa=informativa, contratante=contratante, usuario=contratista.usuario)


def _social_del_contratante(contratista: Contratista, colonia: Asentamiento) -> Domicilio:
    return _contrato(contratista, colonia).domicilio_social


def _convencional_del_contratante(contratista: Contratista, colonia: Asentamiento) -> Domicilio:
    return _contrato(contratista, colonia).domicilio_convencional


@pytest.mark.parametrize(
    "guardar",
    [
        _social_del_contratista,
        _fiscal_del_contratista,
        _convencional_de_la_informativa,
        _social_del_contratante,
        _convencional_del_contratante,
    ],
)
def test_sin_numero_keeps_no_numero_exterior_in_every_domicilio(contratista, colonia, guardar):
    domicilio = guardar(contratista, colonia)

    domicilio.refresh_from_db()
    assert (domicilio.sin_numero, domicilio.numero_exterior) == (True, "")
    assert str(domicilio).startswith("CAMINO REAL S/N, SAN ÁNGEL")


def test_a_domicilio_with_a_numero_exterior_keeps_it(colonia):
    domicilio = domicilio_guardar(actual=None, datos=_sin_numero(colonia) | {"sin_numero": False})

    domicilio.refresh_from_db()
    assert (domicilio.sin_numero, domicilio.numero_exterior) == (False, "1500")


@pytest.mark.parametrize(
    ("datos", "mensaje"),
    [(None, "Captura el domicilio."), ({"calle": "CAMINO REAL", "sin_numero": True}, "Selecciona la colonia.")],
)
def test_the_save_refuses_a_domicilio_without_colonia_and_stores_nothing(datos, mensaje, colonia):
    with pytest.raises(ValidationError) as error:
        domicilio_guardar(actual=None, datos=datos)

    assert error.value.messages == [mensaje]
    assert not Domicilio.objects.exists()


def test_the_sepomex_lookups_find_the_colonias_of_a_codigo_postal_and_say_why_one_cannot_be_used(colonia):
    assert list(colonias_de("01000")) == [colonia]
    assert list(colonias_de(" 01000 ")) == [colonia]
    assert list(colonias_de("0100")) == []
    assert problema_codigo_postal("01000") is None
    assert problema_codigo_postal("") == "Captura el código postal."
    assert problema_codigo_postal("01A00") == "El código postal debe tener 5 dígitos."
    assert problema_codigo_postal("99999") == "El código postal no existe en el catálogo de SEPOMEX."


def test_the_form_turns_sin_numero_into_no_numero_exterior(colonia):
    form = DomicilioForm(
        {"d-codigo_postal": "01000", "d-asentamiento": colonia.pk, "d-calle": "camino real", "d-numero_exterior": "15",
         "d-sin_numero": "on"},
        prefix="d",
    )

    assert form.is_valid(), form.errors
    assert form.datos() | {"asentamiento": None} == {
        "asentamiento": None,
        "calle": "CAMINO REAL",
        "numero_exterior": "",
        "sin_numero": True,
        "numero_interior": "",
        "entre_calle": "",
        "y_calle": "",
        "calle_posterior": "",
        "descripcion": "",
    }


@pytest.mark.parametrize(("valor", "respuesta"), [("si", True), ("no", False), ("", None), (None, None)])
def test_si_no_reads_the_answer_and_gives_it_back(valor, respuesta):
    assert si_no(valor) is respuesta
    assert si_no_inicial(respuesta) == (valor or None)
