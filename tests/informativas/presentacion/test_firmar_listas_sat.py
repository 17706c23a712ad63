"""Firmar screens every contratante of the informativa against the SAT's lists (one call): the hits shown,
and a «Definitivo» of 69-B not confirmed at capture asks for the confirmation there before signing."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.urls import reverse

from core.models import Bitacora
from informativas.cribado import confirmacion_registrar, contratantes_cribar
from informativas.models import ConfirmacionListaSat, FolioContador, Informativa
from tests.firma_navegador import firmar_en_pagina, validar

pytestmark = pytest.mark.django_db

RFC = "CLI010101AB5"
CONFIRMACION = "Confirmo que conozco que este contratante aparece como Definitivo en la lista del artículo 69-B del CFF"


@pytest.fixture(autouse=True)
def _sin_bloqueos():
    cache.clear()


def _urls(informativa) -> dict[str, str]:
    return {
        "url_validar": reverse("informativas:firmar_validar", args=[informativa.code]),
        "url_enviar": reverse("informativas:firmar", args=[informativa.code]),
    }


def test_firmar_shows_the_hits_and_asks_for_the_confirmation_before_validar(
    cliente_contratista, pendiente, fiel, lista_69b
):
    html = cliente_contratista.get(reverse("informativas:firmar", args=[pendiente.code])).content.decode()

    assert "Art. 69-B CFF: listado completo" in html and "Definitivo" in html
    assert "fecha de corte 31/05/2026" in html
    assert CONFIRMACION in html and f'value="{RFC}"' in html
    reto = validar(cliente_contratista, _urls(pendiente)["url_validar"], cer=fiel.cer, rfc=fiel.rfc)
    assert reto["error"].startswith("Confirma que conoces que el contratante CLI010101AB5 aparece como Definitivo")
    assert not FolioContador.objects.filter(serie="N26").exists()


def test_the_confirmation_at_firmar_is_stored_in_the_audit_trail_and_then_the_informativa_is_signed(
    cliente_contratista, pendiente, fiel, lista_69b, contratista
):
    url = reverse("informativas:firmar_listas_sat", args=[pendiente.code])

    cliente_contratista.post(url, {})
    assert not ConfirmacionListaSat.objects.exists()

    respuesta = cliente_contratista.post(url, {"confirmar_lista_sat": RFC})
    assert respuesta["Location"] == reverse("informativas:firmar", args=[pendiente.code])
    confirmacion = ConfirmacionListaSat.objects.get()
    assert (confirmacion.informativa, confirmacion.rfc, confirmacion.usuario) == (pendiente, RFC, contratista.usuario)
    assert Bitacora.objects.filter(accion="informativas.informativa.lista_sat_confirmada", objeto_id=str(pendiente.pk)).count() == 1

    html = cliente_contratista.get(reverse("informativas:firmar", args=[pendiente.code])).content.decode()
    assert CONFIRMACION not in html
    assert "Art. 69-B CFF: listado completo" in html  # the hit is still shown
    firmar_en_pagina(cliente_contratista, efirma=fiel, **_urls(pendiente))
    pendiente.refresh_from_db()
    assert pendiente.estatus == Informativa.Estatus.PRESENTADA


def test_a_confirmation_given_at_capture_is_not_asked_again_at_firmar(
    cliente_contratista, pendiente, fiel, lista_69b, contratista
):
    hallazgo = contratantes_cribar(rfcs=[RFC])[RFC].hallazgos[0]
    confirmacion_registrar(informativa=pendiente, hallazgo=hallazgo, usuario=contratista.usuario)

    html = cliente_contratista.get(reverse("informativas:firmar", args=[pendiente.code])).content.decode()

    assert CONFIRMACION not in html
    firmar_en_pagina(cliente_contratista, efirma=fiel, **_urls(pendiente))
    pendiente.refresh_from_db()
    assert pendiente.estatus == Informativa.Estatus.PRESENTADA
    assert ConfirmacionListaSat.objects.count() == 1
