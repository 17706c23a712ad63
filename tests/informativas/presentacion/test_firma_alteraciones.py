"""Tampering after signing makes verification fail: the stored rows, the cadena and its hash, the PDF and its
hash, a portal certificate planted in the database. The presented Normal is signed once for the module; each
test alters it inside its own savepoint and its own copy of the stored files."""

from __future__ import annotations

import hashlib
from decimal import Decimal

import pytest
from django.core.cache import cache

from firma import sat
from informativas.models import Acuse, Informativa, Trabajador
from informativas.presentacion import acuses

from ..conftest import firmada_intacta

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _sin_bloqueos():
    cache.clear()


def _pdf(informativa: Informativa) -> bytes:
    with informativa.acuse.pdf.open("rb") as f:
        return f.read()


# ----------------------------------------------------------------------------------------------------------
# Tampering after signing makes verification fail
# ----------------------------------------------------------------------------------------------------------
@pytest.fixture
def presentada(normal_firmada_del_modulo):
    """Signed once for the module (conftest's normal_firmada_del_modulo); valid before each test alters it."""
    assert acuses.acuse_verificar(folio=normal_firmada_del_modulo.folio_definitivo).valida
    return normal_firmada_del_modulo


@pytest.fixture
def contratista(presentada):
    return presentada.contratista


@pytest.fixture
def trabajador(presentada):
    return Trabajador.objects.get(contrato__informativa=presentada)


def test_changing_a_workers_stored_sbc_is_detected(presentada, trabajador):
    Trabajador.objects.filter(pk=trabajador.pk).update(sbc=Decimal("999.99"))

    resultado = acuses.acuse_verificar(folio=presentada.folio_definitivo)

    assert not resultado.valida
    assert acuses.MENSAJE_CONTENIDO in resultado.problemas


def test_adding_a_worker_after_signing_is_detected(presentada, trabajador):
    from ..datos import curp, nss

    Trabajador.objects.create(contrato=trabajador.contrato, nss=nss(2), curp=curp(2), sbc=Decimal("300.00"))

    resultado = acuses.acuse_verificar(folio=presentada.folio_definitivo)

    assert not resultado.valida
    assert acuses.MENSAJE_CONTENIDO in resultado.problemas


def test_changing_a_stored_contract_value_is_detected(presentada):
    presentada.contratos.update(contratante_razon_social="OTRO CLIENTE SA DE CV")

    assert acuses.MENSAJE_CONTENIDO in acuses.acuse_verificar(folio=presentada.folio_definitivo).problemas


def test_changing_the_stored_date_of_presentation_is_detected(presentada):
    import datetime

    Informativa.objects.filter(pk=presentada.pk).update(
        fecha_presentacion=presentada.fecha_presentacion - datetime.timedelta(days=30)
    )

    problemas = acuses.acuse_verificar(folio=presentada.folio_definitivo).problemas

    assert acuses.MENSAJE_CADENA in problemas and acuses.MENSAJE_SELLO_CONTRATISTA in problemas


def test_signing_and_verifying_build_the_cadena_from_one_mapping_of_the_informativa(presentada):
    """The informativa's fields go into the cadena in one place (acuses.cadena_informativa): signing gives it
    the contratista's RFC and razón social, verification the acuse's stored ones and its version."""
    acuse = presentada.acuse

    cadena = acuses.cadena_informativa(
        presentada,
        detalle=acuses.resumen(presentada, colonias=acuse.colonias),
        folio=presentada.folio_definitivo,
        rfc=acuse.rfc,
        razon_social=acuse.razon_social,
        fecha=presentada.fecha_presentacion,
        numero_certificado=presentada.numero_certificado,
        version=acuse.version,
    )

    assert cadena == presentada.cadena_original
    assert acuses.acuse_verificar(folio=presentada.folio_definitivo).valida


def test_rewriting_the_cadena_and_its_hash_together_still_fails_on_the_sellos(presentada, trabajador):
    Trabajador.objects.filter(pk=trabajador.pk).update(sbc=Decimal("999.99"))
    nuevo = acuses.resumen(presentada).sha256
    campos = presentada.cadena_original.split("|")
    campos[11] = nuevo
    Informativa.objects.filter(pk=presentada.pk).update(cadena_original="|".join(campos))
    Acuse.objects.filter(pk=presentada.acuse.pk).update(contenido_sha256=nuevo)

    problemas = acuses.acuse_verificar(folio=presentada.folio_definitivo).problemas

    assert acuses.MENSAJE_SELLO_CONTRATISTA in problemas and acuses.MENSAJE_SELLO_PORTAL in problemas


def test_changing_the_pdf_file_is_detected(presentada):
    acuse = presentada.acuse
    datos = _pdf(presentada)
    with open(acuse.pdf.path, "wb") as f:
        f.write(datos.replace(presentada.folio_definitivo.encode(), b"N269999999", 1) + b"\n%alterado")

    resultado = acuses.acuse_verificar(folio=presentada.folio_definitivo)

    assert resultado.problemas == [acuses.MENSAJE_PDF]


def test_changing_the_pdf_and_its_stored_hash_together_is_detected(presentada):
    acuse = presentada.acuse
    alterado = _pdf(presentada) + b"\n%alterado"
    with open(acuse.pdf.path, "wb") as f:
        f.write(alterado)
    Acuse.objects.filter(pk=acuse.pk).update(pdf_sha256=hashlib.sha256(alterado).hexdigest())

    assert acuses.acuse_verificar(folio=presentada.folio_definitivo).problemas == [acuses.MENSAJE_PDF]


def test_a_portal_certificate_found_only_in_the_database_is_not_trusted(presentada):
    """Whoever can write the database swaps the acuse PDF and re-seals everything with a pair of their own."""
    from cryptography.hazmat.primitives import serialization

    from firma.demo import emitir_sello_portal

    cer, key = emitir_sello_portal()
    llave, falso = serialization.load_pem_private_key(key, None), sat.cargar_certificado(cer)
    folio = presentada.folio_definitivo
    alterado = _pdf(presentada) + b"\n%alterado"
    with open(presentada.acuse.pdf.path, "wb") as f:
        f.write(alterado)
    pdf_sha256 = hashlib.sha256(alterado).hexdigest()
    sellado = acuses.datos_sello_portal(presentada.cadena_original, presentada.firma_b64)
    Acuse.objects.filter(pk=presentada.acuse.pk).update(
        pdf_sha256=pdf_sha256,
        sello_pdf=acuses.b64(sat.firmar(llave, acuses.datos_sello_pdf(folio, pdf_sha256))),
        sello_portal=acuses.b64(sat.firmar(llave, sellado)),
        portal_certificado=falso.der,
        portal_numero_certificado=falso.numero_certificado,
    )

    assert acuses.acuse_verificar(folio=folio).problemas == [acuses.MENSAJE_PORTAL_DESCONOCIDO]


def test_an_unknown_folio_is_not_found():
    resultado = acuses.acuse_verificar(folio="N260000999")

    assert not resultado.encontrada and not resultado.valida


def test_the_admin_refuses_to_change_a_presented_informativa_and_its_acuse(presentada, staff, client):
    client.force_login(staff)

    respuesta = client.post(
        f"/admin/informativas/informativa/{presentada.pk}/change/", {"anio": 2020, "cuatrimestre": 2}
    )
    assert respuesta.status_code == 403
    assert client.post(f"/admin/informativas/acuse/{presentada.acuse.pk}/delete/", {"post": "yes"}).status_code == 403
    assert client.post(f"/admin/informativas/informativa/{presentada.pk}/delete/", {"post": "yes"}).status_code == 403
    presentada.refresh_from_db()
    assert presentada.anio == 2026
    assert acuses.acuse_verificar(folio=presentada.folio_definitivo).valida


# ----------------------------------------------------------------------------------------------------------
# Last in the module: every alteration above stayed in its own test; the signed Normal still verifies
# ----------------------------------------------------------------------------------------------------------
def test_the_earlier_tests_left_nothing_behind(_normal_firmada_del_modulo, db):
    firmada_intacta(_normal_firmada_del_modulo)
    assert acuses.acuse_verificar(folio=_normal_firmada_del_modulo.informativa.folio_definitivo).valida
