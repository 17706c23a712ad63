"""The expediente's downloads on an informativa's page: the contratista and its capturista get the stored
bytes; a capturista of another contratista, or an RFC the informativa does not name, gets 404."""

from __future__ import annotations

import hashlib

import pytest
from django.core.cache import cache
from django.urls import reverse

from informativas.expediente.models import Expediente

from ..conftest import firmada_intacta
from .conftest import RFC_FISICA, filas_xlsx, texto_pdf

pytestmark = pytest.mark.django_db


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


def _url(informativa, rfc, formato):
    return reverse("informativas:expediente_descargar", args=[informativa.code, rfc, formato])


@pytest.fixture
def capturista_ajeno(db, otro_contratista):
    """A capturista working for another contratista only."""
    from accounts.models import User
    from capturistas.models import Relacion

    usuario = User.objects.create_user(
        username="MASA800101MDFRRN01", password="x", rol=User.Rol.CAPTURISTA, curp="MASA800101MDFRRN01",
        nombre_completo="SARA MARTÍNEZ", email="sara@example.com",
    )
    Relacion.objects.create(
        contratista=otro_contratista, capturista=usuario, estatus=Relacion.Estatus.ACTIVA, telefono="5512345678",
        correo=usuario.email, usuario_alta=otro_contratista.usuario,
    )
    return usuario


def test_the_contratista_downloads_each_file_and_gets_the_same_bytes_again(varios, cliente_contratista):
    pdf = cliente_contratista.get(_url(varios, RFC_FISICA, "pdf"))
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert f"Constancia-{varios.folio_definitivo}-{RFC_FISICA}.pdf" in pdf["Content-Disposition"]
    assert pdf["Cache-Control"] == "private, no-store"
    assert "ANA GARCÍA PÉREZ" in texto_pdf(pdf.content)
    xlsx = cliente_contratista.get(_url(varios, RFC_FISICA, "xlsx"))
    assert filas_xlsx(xlsx.content)["Contratos"][1][0] == varios.contratista.rfc
    manifiesto = cliente_contratista.get(_url(varios, RFC_FISICA, "manifiesto")).content.decode()
    assert hashlib.sha256(pdf.content).hexdigest() in manifiesto
    assert hashlib.sha256(xlsx.content).hexdigest() in manifiesto

    assert cliente_contratista.get(_url(varios, RFC_FISICA, "pdf")).content == pdf.content
    assert Expediente.objects.get().rfc_contratante == RFC_FISICA


def test_its_capturista_downloads_it_too(varios, cliente_capturista, capturista):
    respuesta = cliente_capturista.get(_url(varios, "CLI010101AB5", "pdf"))
    assert respuesta.status_code == 200
    assert Expediente.objects.get().created_by == capturista


def test_a_capturista_of_another_contratista_gets_404(varios, client, capturista_ajeno, otro_contratista, contratista):
    client.force_login(capturista_ajeno)
    sesion = client.session
    sesion["contratista_code"] = str(otro_contratista.code)
    sesion.save()
    assert client.get(_url(varios, RFC_FISICA, "pdf")).status_code == 404
    # Naming the first contratista in its session does not open its informativas either.
    sesion["contratista_code"] = str(contratista.code)
    sesion.save()
    assert client.get(_url(varios, RFC_FISICA, "pdf")).status_code in (302, 403, 404)
    assert not Expediente.objects.exists()


def test_an_rfc_the_informativa_does_not_name_or_an_unknown_format_gets_404(varios, cliente_contratista):
    assert cliente_contratista.get(_url(varios, "XAXX010101000", "pdf")).status_code == 404
    assert cliente_contratista.get(_url(varios, RFC_FISICA, "zip")).status_code == 404
    assert not Expediente.objects.exists()


def test_the_detail_of_a_presented_informativa_lists_an_expediente_per_contratante(varios, cliente_capturista):
    pagina = cliente_capturista.get(reverse("informativas:detalle", args=[varios.code])).content.decode()

    assert "Expedientes por contratante" in pagina
    for rfc in ("CLI010101AB5", RFC_FISICA, "SCO990101AA6"):
        for formato in ("pdf", "xlsx", "manifiesto"):
            assert f'href="{_url(varios, rfc, formato)}"' in pagina
    acuses = cliente_capturista.get(reverse("informativas:acuses")).content.decode()
    assert f'{reverse("informativas:detalle", args=[varios.code])}#expedientes' in acuses


# ----------------------------------------------------------------------------------------------------------
# Last in the module: what the tests above did (expedientes built, complementarias signed) stayed in each of
# them; the presented informativa is as it was made
# ----------------------------------------------------------------------------------------------------------
def test_the_earlier_tests_left_nothing_behind(_varios_del_modulo, db):
    assert not Expediente.objects.exists()
    firmada_intacta(_varios_del_modulo)
