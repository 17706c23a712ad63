"""Issue 26, the REPSE registration at capture: a contrato whose start date falls after the contratista's REPSE
expiry, or whose «Folio del registro REPSE» is not the contratista's own, gets a warning at its field (never an
error: it saves and the informativa can still be sent to sign); the Resumen lists them before Enviar a firma."""

from __future__ import annotations

import datetime

import pytest

from contratistas.models import Contratista
from informativas.captura import services
from informativas.captura.wizard import PASO_CONTRATO, PASO_RESUMEN

pytestmark = pytest.mark.django_db

FOLIO_PROPIO = "AR12345/2021"  # the contrato fixture's folio
VENCIDO_ANTES = datetime.date(2023, 1, 10)  # expires 10 January 2026, before the contrato's start (1 Feb 2026)
MENSAJE_FOLIO = (
    "El folio del registro REPSE del contrato (AR12345/2021) no es el de tu registro REPSE (AR99999/2022) en "
    "Información del contratista."
)
MENSAJE_INICIO = (
    "La fecha de inicio (01/02/2026) es posterior al vencimiento de tu registro REPSE (10/01/2026): un servicio "
    "prestado con el registro vencido no queda amparado por el artículo 15 A de la Ley Federal del Trabajo."
)


def repse(contratista, *, folio: str = FOLIO_PROPIO, fecha: datetime.date | None = None) -> None:
    Contratista.objects.filter(pk=contratista.pk).update(registro_repse=folio, repse_fecha_registro=fecha)
    contratista.refresh_from_db()


def advertencias(informativa):
    informativa.refresh_from_db()  # its contratista as stored now
    return [(a.contrato.folio, a.campo, a.mensaje) for a in services.advertencias_repse(informativa=informativa)]


def test_none_when_the_folio_is_its_own_and_the_registration_covers_the_start(informativa, contrato, contratista):
    repse(contratista, fecha=datetime.date(2024, 1, 10))

    assert advertencias(informativa) == []


def test_none_about_the_expiry_without_a_registration_date(informativa, contrato, contratista):
    repse(contratista, fecha=None)

    assert advertencias(informativa) == []


def test_another_folio_and_a_start_after_the_expiry_are_warned_at_their_fields(informativa, contrato, contratista):
    repse(contratista, folio="AR99999/2022", fecha=VENCIDO_ANTES)

    assert advertencias(informativa) == [
        (contrato.folio, "registro_repse", MENSAJE_FOLIO),
        (contrato.folio, "fecha_inicio", MENSAJE_INICIO),
    ]


def test_the_contrato_tab_shows_them_at_the_fields_and_still_saves(cliente_contratista, informativa, contrato, contratista):
    repse(contratista, folio="AR99999/2022", fecha=VENCIDO_ANTES)
    url = PASO_CONTRATO.url(informativa, contrato)

    html = cliente_contratista.get(url).content.decode()
    assert html.index(MENSAJE_FOLIO) < html.index('name="servicio"')  # under the folio's own field
    assert html.index('name="fecha_inicio"') < html.index(MENSAJE_INICIO)
    assert 'class="campo__advertencia"' in html

    r = cliente_contratista.post(
        url,
        {
            "objeto": contrato.objeto,
            "registro_repse": FOLIO_PROPIO,
            "servicio": contrato.servicio,
            "fecha_inicio": "2026-02-01",
            "fecha_termino": "",
        },
    )
    assert r.status_code == 302  # a warning, not an error
    avisos = [str(m) for m in r.wsgi_request._messages]
    assert MENSAJE_FOLIO in " ".join(avisos)


def test_the_resumen_lists_them_before_enviar_a_firma_which_stays_enabled(
    cliente_contratista, informativa, trabajador, contrato, contratista
):
    repse(contratista, folio="AR99999/2022", fecha=VENCIDO_ANTES)
    services.informativa_contratos_declarados_guardar(informativa=informativa, numero=1, usuario=contratista.usuario)

    html = cliente_contratista.get(PASO_RESUMEN.url(informativa)).content.decode()

    assert 'id="advertencias-repse"' in html
    assert html.index(MENSAJE_FOLIO) < html.index("Enviar a firma</button>")
    assert html.index(MENSAJE_INICIO) < html.index("Enviar a firma</button>")
    assert f"Contrato {contrato.folio}" in html
    assert "Enviar a firma</button>" in html and " disabled>Enviar a firma" not in html


def test_the_resumen_has_no_repse_block_when_all_is_well(cliente_contratista, informativa, trabajador, contratista):
    repse(contratista, fecha=datetime.date(2024, 1, 10))

    html = cliente_contratista.get(PASO_RESUMEN.url(informativa)).content.decode()

    assert 'id="advertencias-repse"' not in html
