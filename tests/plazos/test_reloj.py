"""The test clock shared by every process: a date in the database that, only with ICSOE_RELOJ_PRUEBA on, is
"today" for the web, the worker and beat; never in production (`check --deploy` fails with it on)."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from informativas import periodos
from plazos import reloj
from plazos.apps import reloj_prueba_apagado
from plazos.models import RelojPrueba

pytestmark = pytest.mark.django_db

FECHA = datetime.date(2027, 1, 8)


@pytest.fixture(autouse=True)
def sin_fecha_fija(settings):
    settings.ICSOE_HOY = ""


def test_with_the_setting_on_the_clock_is_today_for_every_caller(settings):
    settings.ICSOE_RELOJ_PRUEBA = True
    reloj.reloj_prueba_fijar(fecha=FECHA)
    assert reloj.hoy() == FECHA
    assert periodos.hoy() == FECHA  # the bandeja, Nueva informativa, signing: all ask informativas.periodos
    assert reloj.fecha_fijada()


def test_the_clock_overrides_icsoe_hoy_and_clearing_it_goes_back(settings):
    settings.ICSOE_RELOJ_PRUEBA = True
    settings.ICSOE_HOY = "2026-06-01"
    reloj.reloj_prueba_fijar(fecha=FECHA)
    assert reloj.hoy() == FECHA
    reloj.reloj_prueba_quitar()
    assert reloj.hoy() == datetime.date(2026, 6, 1)
    settings.ICSOE_HOY = ""
    assert reloj.hoy() == timezone.localdate()
    assert not reloj.fecha_fijada()


def test_with_the_setting_off_a_stored_date_is_ignored_without_a_query(settings, django_assert_num_queries):
    RelojPrueba.objects.create(hoy=FECHA)
    settings.ICSOE_RELOJ_PRUEBA = False
    with django_assert_num_queries(0):
        assert reloj.hoy() == timezone.localdate()


def test_setting_the_clock_is_refused_with_the_setting_off(settings):
    settings.ICSOE_RELOJ_PRUEBA = False
    with pytest.raises(ImproperlyConfigured, match="ICSOE_RELOJ_PRUEBA"):
        reloj.reloj_prueba_fijar(fecha=FECHA)
    assert not RelojPrueba.objects.exists()


def test_the_clock_is_one_row_moved_in_place(settings):
    settings.ICSOE_RELOJ_PRUEBA = True
    reloj.reloj_prueba_fijar(fecha=FECHA)
    reloj.reloj_prueba_fijar(fecha=FECHA + datetime.timedelta(days=3))
    assert list(RelojPrueba.objects.values_list("pk", "hoy")) == [(1, datetime.date(2027, 1, 11))]


def test_check_deploy_fails_while_the_test_clock_is_on(settings):
    settings.ICSOE_RELOJ_PRUEBA = True
    (error,) = reloj_prueba_apagado(None)
    assert error.id == "plazos.E001"
    settings.ICSOE_RELOJ_PRUEBA = False
    assert reloj_prueba_apagado(None) == []


def test_the_command_sets_shows_and_clears_the_clock(settings, capsys):
    settings.ICSOE_RELOJ_PRUEBA = True
    call_command("reloj_prueba", "2027-01-08")
    assert "Hoy es 2027-01-08 (reloj de prueba)" in capsys.readouterr().out
    call_command("reloj_prueba", "--quitar")
    assert f"Hoy es {timezone.localdate():%Y-%m-%d}" in capsys.readouterr().out
    with pytest.raises(CommandError, match="AAAA-MM-DD"):
        call_command("reloj_prueba", "08/01/2027")
    settings.ICSOE_RELOJ_PRUEBA = False
    with pytest.raises(CommandError, match="nunca en producción"):
        call_command("reloj_prueba", "2027-01-08")
