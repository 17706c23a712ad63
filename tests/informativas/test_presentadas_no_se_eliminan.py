"""Presented filings can't be deleted (security review, finding 8): the admin offered "Eliminar informativas
seleccionadas" on presented ones. No bulk deletion is offered, a presented one's delete page is refused, staff
has no delete permission on it, and the model itself refuses, one by one or in bulk; only a complementaria Sin
efectos takes a filing out of force. The presented Normal is signed once for the module; an object loaded
before signing: test_presentada_cargada_antes_de_firmar.py."""

from __future__ import annotations

import pytest
from django.contrib import admin as django_admin
from django.core.exceptions import ValidationError
from django.db.models import ProtectedError

from informativas.admin import InformativaAdmin
from informativas.captura import services
from informativas.models import MENSAJE_PRESENTADA_NO_SE_ELIMINA, Informativa
from informativas.presentacion import services as presentacion

from .conftest import firmada_intacta

pytestmark = pytest.mark.django_db

LISTA = "/admin/informativas/informativa/"


@pytest.fixture
def presentada(normal_firmada_del_modulo):
    """Signed once for the module (conftest's normal_firmada_del_modulo)."""
    return normal_firmada_del_modulo


@pytest.fixture
def contratista(presentada):
    return presentada.contratista


@pytest.fixture
def borrador(presentada, contratista):
    """A Corrección of it, still in capture (deletable)."""
    return presentacion.complementaria_crear(origen=presentada, tipo="CORRECCION", usuario=contratista.usuario)


@pytest.fixture
def staff_cliente(client, staff):
    client.force_login(staff)
    return client


def test_the_admin_list_offers_no_bulk_deletion(presentada, borrador, staff_cliente, rf, staff):
    html = staff_cliente.get(LISTA).content.decode()
    assert "delete_selected" not in html
    assert "Eliminar informativas seleccionad" not in html

    request = rf.get(LISTA)
    request.user = staff
    assert "delete_selected" not in InformativaAdmin(Informativa, django_admin.site).get_actions(request)


def test_the_bulk_action_posted_anyway_deletes_nothing(presentada, borrador, staff_cliente):
    respuesta = staff_cliente.post(
        LISTA, {"action": "delete_selected", "_selected_action": [presentada.pk, borrador.pk], "post": "yes"}
    )
    assert respuesta.status_code in (200, 302)  # "no action selected": the action does not exist
    assert Informativa.objects.filter(pk__in=[presentada.pk, borrador.pk]).count() == 2


def test_a_presented_filing_has_no_delete_permission_link_or_page(presentada, borrador, staff_cliente, rf, staff):
    pagina = InformativaAdmin(Informativa, django_admin.site)
    request = rf.get(LISTA)
    request.user = staff  # a superuser
    assert not pagina.has_delete_permission(request, presentada)
    assert pagina.has_delete_permission(request, borrador)

    cambio = staff_cliente.get(f"{LISTA}{presentada.pk}/change/").content.decode()
    assert f"{LISTA}{presentada.pk}/delete/" not in cambio
    assert staff_cliente.get(f"{LISTA}{presentada.pk}/delete/").status_code == 403
    assert staff_cliente.post(f"{LISTA}{presentada.pk}/delete/", {"post": "yes"}).status_code == 403
    assert Informativa.objects.filter(pk=presentada.pk).exists()


def test_the_model_refuses_to_delete_a_presented_filing_one_by_one_or_in_bulk(presentada, borrador):
    with pytest.raises(ProtectedError, match=MENSAJE_PRESENTADA_NO_SE_ELIMINA):
        presentada.delete()
    with pytest.raises(ProtectedError, match=MENSAJE_PRESENTADA_NO_SE_ELIMINA):
        Informativa.objects.filter(pk__in=[presentada.pk, borrador.pk]).delete()
    with pytest.raises(ProtectedError):
        Informativa.objects.all().delete()
    assert Informativa.objects.filter(pk__in=[presentada.pk, borrador.pk]).count() == 2


def test_the_portal_service_refuses_too_and_a_replaced_filing_is_kept(presentada, borrador, contratista):
    with pytest.raises(ValidationError):
        services.informativa_eliminar(informativa=presentada, usuario=contratista.usuario)
    Informativa.objects.filter(pk=presentada.pk).update(estatus=Informativa.Estatus.SUSTITUIDA)
    with pytest.raises(ProtectedError):
        Informativa.objects.get(pk=presentada.pk).delete()


def test_a_draft_is_still_deleted_on_its_admin_page(presentada, borrador, staff_cliente):
    respuesta = staff_cliente.post(f"{LISTA}{borrador.pk}/delete/", {"post": "yes"})
    assert respuesta.status_code == 302
    assert not Informativa.objects.filter(pk=borrador.pk).exists()
    assert Informativa.objects.filter(pk=presentada.pk).exists()


def test_a_draft_is_still_deleted_by_the_portal_service(borrador, contratista):
    services.informativa_eliminar(informativa=borrador, usuario=contratista.usuario)
    assert not Informativa.objects.filter(pk=borrador.pk).exists()


# Last in the module: whatever the tests above deleted or changed stayed in each of them
def test_the_earlier_tests_left_nothing_behind(_normal_firmada_del_modulo, db):
    firmada_intacta(_normal_firmada_del_modulo)
