"""IMSS staff add the días inhábiles IMSS publishes in the admin; the deadline and the Extemporánea marking
follow at once."""

from __future__ import annotations

import datetime

import pytest

from informativas.captura import services as captura
from informativas.periodos import Periodo
from plazos.models import DiaInhabil

pytestmark = pytest.mark.django_db

URL = "/admin/plazos/diainhabil/"


@pytest.fixture
def admin(client, staff):
    client.force_login(staff)
    return client


def test_staff_add_a_dia_inhabil_in_the_admin_and_the_deadline_moves(admin):
    assert Periodo(2026, 2).fecha_limite == datetime.date(2026, 9, 17)

    respuesta = admin.post(URL + "add/", {"fecha": "17/09/2026", "motivo": "Acuerdo ACDO.AS2.HCT.2026"})

    assert respuesta.status_code == 302, respuesta.content.decode()
    assert DiaInhabil.objects.get().fecha == datetime.date(2026, 9, 17)
    assert Periodo(2026, 2).fecha_limite == datetime.date(2026, 9, 18)
    assert "Acuerdo ACDO.AS2.HCT.2026" in admin.get(URL).content.decode()


def test_the_admin_refuses_the_same_dia_inhabil_twice(admin):
    DiaInhabil.objects.create(fecha=datetime.date(2026, 9, 17), motivo="Primero")

    respuesta = admin.post(URL + "add/", {"fecha": "17/09/2026", "motivo": "Otra vez"})

    assert respuesta.status_code == 200
    assert "Ya existe" in respuesta.content.decode()
    assert DiaInhabil.objects.count() == 1


def test_the_extemporanea_marking_follows_a_dia_inhabil(contratista):
    """A Normal of May–August 2026 started on 18 September is late, unless staff made the 17th inhábil."""
    tarde = captura.informativa_crear(
        contratista=contratista,
        anio=2026,
        cuatrimestre=2,
        tipo="NORMAL",
        usuario=contratista.usuario,
        hoy=datetime.date(2026, 9, 18),
    )
    assert tarde.extemporanea
    tarde.delete()

    DiaInhabil.objects.create(fecha=datetime.date(2026, 9, 17), motivo="Acuerdo del IMSS")
    a_tiempo = captura.informativa_crear(
        contratista=contratista,
        anio=2026,
        cuatrimestre=2,
        tipo="NORMAL",
        usuario=contratista.usuario,
        hoy=datetime.date(2026, 9, 18),
    )
    assert not a_tiempo.extemporanea
