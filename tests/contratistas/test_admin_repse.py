"""Staff in the admin: each contratista's REPSE registration date, its expiry and state (issue 26) in the list
and the form, the date editable, filtered by state; «sin fecha» without one."""

from __future__ import annotations

import datetime

import pytest

from contratistas.models import Contratista
from contratistas.services import contratista_obtener_o_crear

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin(client, staff, settings):
    settings.ICSOE_HOY = "2026-11-20"
    client.force_login(staff)
    return client


@pytest.fixture
def registrados(contratista):
    Contratista.objects.filter(pk=contratista.pk).update(repse_fecha_registro=datetime.date(2024, 6, 15))
    en_ventana = contratista_obtener_o_crear(rfc="SCO990101AA6", razon_social="SERVICIOS COSTA")
    Contratista.objects.filter(pk=en_ventana.pk).update(repse_fecha_registro=datetime.date(2023, 12, 20))
    sin_fecha = contratista_obtener_o_crear(rfc="PEJJ800101AB6", razon_social="JUAN PÉREZ JIMÉNEZ")
    return contratista, en_ventana, sin_fecha


def test_the_list_shows_each_registration_date_its_expiry_and_state(admin, registrados):
    html = admin.get("/admin/contratistas/contratista/").content.decode()

    assert "Fecha de registro o última renovación REPSE" in html and "Vencimiento REPSE" in html
    assert "15 de junio de 2024" in html.lower() and "15/06/2027 (Vigente)" in html
    assert "20/12/2026 (En ventana de renovación)" in html
    assert "Sin fecha de registro REPSE" in html


def test_the_list_filters_by_the_registrations_state(admin, registrados):
    vigente, en_ventana, sin_fecha = registrados

    html = admin.get("/admin/contratistas/contratista/?repse=en_ventana").content.decode()
    assert en_ventana.rfc in html and vigente.rfc not in html and sin_fecha.rfc not in html
    html = admin.get("/admin/contratistas/contratista/?repse=sin_fecha").content.decode()
    assert sin_fecha.rfc in html and vigente.rfc not in html and en_ventana.rfc not in html


def test_staff_edit_the_date_and_see_its_expiry_in_the_form(admin, registrados):
    vigente = registrados[0]
    url = f"/admin/contratistas/contratista/{vigente.pk}/change/"

    html = admin.get(url).content.decode()
    assert 'name="repse_fecha_registro"' in html
    assert "15/06/2027" in html and "renovación desde el 15/03/2027" in html
