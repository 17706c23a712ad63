"""/verificar-acuse/ recognises a contratante's constancia and its Excel (issue 25): by the informativa's folio
and the constancia's code (its QR's link), or by uploading the bytes; it shows only that contratante's data,
says whether the filing is still in force, and keeps the acuse's throttle."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from informativas.expediente import services
from informativas.expediente.models import Expediente
from informativas.presentacion import services as presentacion
from informativas.presentacion import verificacion

from ..conftest import firmada_intacta, firmar
from .conftest import RFC_FISICA, RFC_MORAL_2, identificadores, presentes

pytestmark = pytest.mark.django_db
URL = "/verificar-acuse/"


@pytest.fixture
def varios(varios_del_modulo):
    """Signed once for the module (conftest's _varios_del_modulo)."""
    return varios_del_modulo


@pytest.fixture
def contratista(varios):
    return varios.contratista


@pytest.fixture(autouse=True)
def _sin_bloqueos():
    cache.clear()


def _pagina(client, **datos) -> str:
    archivo = datos.pop("archivo", None)
    if archivo is not None:
        datos["archivo"] = archivo
    respuesta = client.post(URL, datos)
    assert respuesta.status_code == 200
    return respuesta.content.decode()


def _archivo(expediente, formato) -> SimpleUploadedFile:
    a = services.expediente_archivo(expediente=expediente, formato=formato)
    return SimpleUploadedFile(a.nombre, a.contenido, content_type=a.content_type)


def test_the_qr_link_of_a_constancia_verifies_it_and_shows_only_its_contratante(varios, client):
    expediente = services.expediente_de(informativa=varios, rfc=RFC_FISICA)
    assert reverse("verificacion:acuse") == URL

    pagina = client.get(URL, {"folio": varios.folio_definitivo, "codigo": expediente.codigo_verificacion_mostrar}).content.decode()

    assert 'data-constancia="valida"' in pagina
    assert f'data-constancia="rfc">{RFC_FISICA}<' in pagina
    assert 'data-constancia="estado">Vigente' in pagina
    assert "ANA GARCÍA PÉREZ" in pagina
    for otro in ("CLI010101AB5", RFC_MORAL_2):
        assert presentes(pagina, identificadores(varios, otro)) == [], otro
    assert 'data-verificacion="valido"' not in pagina  # not the acuse's page, which lists every contratante


@pytest.mark.parametrize("formato", ["pdf", "xlsx"])
def test_uploading_the_constancia_or_its_excel_finds_it_byte_for_byte(varios, client, formato):
    expediente = services.expediente_de(informativa=varios, rfc=RFC_MORAL_2)

    pagina = _pagina(client, archivo=_archivo(expediente, formato))

    assert 'data-archivo="identico"' in pagina and 'data-constancia="valida"' in pagina
    assert ("al Excel del expediente" in pagina) == (formato == "xlsx")
    assert f'data-constancia="folio">{varios.folio_definitivo}<' in pagina


def test_a_changed_file_is_not_the_constancia(varios, client):
    expediente = services.expediente_de(informativa=varios, rfc=RFC_MORAL_2)
    contenido = services.expediente_archivo(expediente=expediente, formato="pdf").contenido
    editado = SimpleUploadedFile("c.pdf", contenido + b"\n%%", content_type="application/pdf")

    assert verificacion.MENSAJE_PDF_NO_EMITIDO in _pagina(client, archivo=editado)
    # With its folio and code, the page says which file it is not.
    editado.seek(0)
    pagina = _pagina(client, folio=varios.folio_definitivo, codigo=expediente.codigo_verificacion, archivo=editado)
    assert 'data-archivo="distinto"' in pagina and 'data-constancia="valida"' in pagina


def test_a_wrong_code_finds_nothing_and_counts_against_the_address(varios, client):
    services.expediente_de(informativa=varios, rfc=RFC_MORAL_2)
    paginas = [
        _pagina(client, folio=varios.folio_definitivo, codigo="ZZZZZ-ZZZZZ-ZZZZZ-ZZZZZ")
        for _ in range(verificacion.VERIFICACION_POR_DIRECCION.presupuesto + 1)
    ]
    assert all(verificacion.MENSAJE_NO_COINCIDE in p for p in paginas[:-1])
    assert all(RFC_MORAL_2 not in p for p in paginas)
    expediente = varios.expedientes.get()
    pagina = _pagina(client, folio=varios.folio_definitivo, codigo=expediente.codigo_verificacion)
    assert "espera" in pagina and 'data-constancia="valida"' not in pagina  # the budget is spent


def test_a_later_correccion_and_sin_efectos_change_what_verification_says(varios, client, contratista, fiel):
    usuario = contratista.usuario
    original = services.expediente_de(informativa=varios, rfc=RFC_FISICA)
    from informativas.captura import services as captura

    correccion = presentacion.complementaria_crear(origen=varios, tipo="CORRECCION", usuario=usuario)
    captura.informativa_enviar_a_firma(informativa=correccion, usuario=usuario)
    correccion = firmar(correccion, fiel, usuario=usuario)
    datos = {"folio": varios.folio_definitivo, "codigo": original.codigo_verificacion}

    pagina = _pagina(client, **datos)
    assert f'data-constancia="estado">Sustituida por {correccion.folio_definitivo}' in pagina
    assert f'data-constancia="vigente">Folio {correccion.folio_definitivo}<' in pagina
    assert 'data-constancia="valida"' in pagina  # still authentic: it is what was filed then

    nueva = services.expediente_de(informativa=correccion, rfc=RFC_FISICA)
    sin_efectos = presentacion.complementaria_crear(origen=correccion, tipo="SIN_EFECTOS", usuario=usuario)
    sin_efectos = firmar(sin_efectos, fiel, usuario=usuario)

    pagina = _pagina(client, folio=correccion.folio_definitivo, codigo=nueva.codigo_verificacion)
    assert f'data-constancia="estado">Dejada sin efectos por la informativa con folio {sin_efectos.folio_definitivo}' in pagina
    assert 'data-constancia="vigente">El periodo no tiene informativa vigente.<' in pagina
    pagina = _pagina(client, **datos)
    assert f"Sustituida por {correccion.folio_definitivo}" in pagina and "no tiene informativa vigente" in pagina


def test_an_acuse_is_still_verified_as_before(varios, client):
    services.expediente_de(informativa=varios, rfc=RFC_FISICA)
    pagina = _pagina(client, folio=varios.folio_definitivo, codigo=varios.acuse.codigo_verificacion)
    assert 'data-verificacion="valido"' in pagina and "verificacion-constancia" not in pagina


# ----------------------------------------------------------------------------------------------------------
# Last in the module: what the tests above did (expedientes built, complementarias signed) stayed in each of
# them; the presented informativa is as it was made
# ----------------------------------------------------------------------------------------------------------
def test_the_earlier_tests_left_nothing_behind(_varios_del_modulo, db):
    assert not Expediente.objects.exists()
    firmada_intacta(_varios_del_modulo)
