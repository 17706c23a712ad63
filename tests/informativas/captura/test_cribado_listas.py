"""Screening the contratante at the Contratante tab's Validar against the SAT's lists: each hit with its list,
situation, publication and cut dates; a «Definitivo» of 69-B confirmed once per RFC per informativa and kept in
the audit trail; «no verificado» (never a clean result) when the last confirmed check of SAT's file is too old."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from core.models import Bitacora
from informativas.models import ConfirmacionListaSat, Contrato
from listas_sat.models import Verificacion

from .test_vistas import _contratante

pytestmark = pytest.mark.django_db

RFC = "CLI010101AB5"  # padron_sat's, «Definitivo» in lista_69b (tests/informativas/conftest.py)
CONFIRMACION = "Confirmo que conozco que este contratante aparece como Definitivo en la lista del artículo 69-B del CFF"


def _validar(cliente, informativa, rfc=RFC):
    return cliente.post(f"/informativas/{informativa.code}/contratante/validar/", {"rfc": rfc}).content.decode()


def test_validar_shows_the_hit_with_its_list_situation_and_dates_and_asks_for_the_confirmation(
    cliente_contratista, informativa, lista_69b
):
    html = _validar(cliente_contratista, informativa)

    assert "Art. 69-B CFF: listado completo" in html
    assert "Definitivo" in html
    assert "publicado el 20/03/2026" in html
    assert "fecha de corte 31/05/2026" in html
    assert CONFIRMACION in html
    assert 'name="confirmar_lista_sat"' in html


def test_a_presunto_is_shown_without_asking_for_a_confirmation(cliente_contratista, informativa, lista_69b):
    html = _validar(cliente_contratista, informativa, "SCO990101AA6")

    assert "Presunto" in html
    assert 'name="confirmar_lista_sat"' not in html


def test_an_rfc_on_no_list_reads_sin_coincidencias_when_the_lists_are_verified(
    cliente_contratista, informativa, lista_69b
):
    html = _validar(cliente_contratista, informativa, "ABC010101AB1")

    assert "Sin coincidencias en las listas del SAT" in html


def test_a_definitivo_is_confirmed_once_per_rfc_per_informativa_and_kept_in_the_audit_trail(
    cliente_contratista, informativa, lista_69b, contratista
):
    url = f"/informativas/{informativa.code}/captura/contratante/"

    html = cliente_contratista.post(url, _contratante()).content.decode()
    assert not Contrato.objects.exists()
    assert "Confirma que conoces que este contratante aparece como Definitivo" in html

    cliente_contratista.post(url, {**_contratante(), "confirmar_lista_sat": RFC})
    assert Contrato.objects.count() == 1
    confirmacion = ConfirmacionListaSat.objects.get()
    assert (confirmacion.informativa, confirmacion.rfc, confirmacion.lista, confirmacion.situacion) == (
        informativa, RFC, "69b", "Definitivo"
    )
    assert confirmacion.usuario == contratista.usuario
    entrada = Bitacora.objects.get(accion="informativas.informativa.lista_sat_confirmada")
    assert entrada.objeto_id == str(informativa.pk)
    assert entrada.datos["rfc"] == RFC and entrada.datos["situacion"] == "Definitivo"

    # Not asked again for the same RFC in the same informativa: the page says it was confirmed
    html = _validar(cliente_contratista, informativa)
    assert 'name="confirmar_lista_sat"' not in html
    assert "Confirmaste que conoces esta situación" in html
    cliente_contratista.post(url, _contratante())
    assert Contrato.objects.count() == 2
    assert ConfirmacionListaSat.objects.count() == 1


def test_with_the_last_confirmed_check_8_days_old_the_page_says_no_verificado(
    cliente_contratista, informativa, lista_69b
):
    Verificacion.objects.update(created_at=timezone.now() - datetime.timedelta(days=8))

    html = _validar(cliente_contratista, informativa, "ABC010101AB1")

    assert "No verificado" in html
    assert "no se ha confirmado el archivo vigente del SAT en más de 7 días" in html
    assert "Sin coincidencias" not in html


def test_a_list_never_loaded_reads_no_verificado_with_its_reason(cliente_contratista, informativa, settings):
    settings.ICSOE_LISTAS_SAT_ESPERADAS = ["69b"]

    html = _validar(cliente_contratista, informativa, "ABC010101AB1")

    assert "No verificado" in html
    assert "la lista nunca se ha cargado" in html
    assert "Sin coincidencias" not in html
