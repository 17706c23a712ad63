"""Contratos en bloque screened against the SAT's lists: the summary shown before phase two lists each hit (list,
situation, publication and cut dates) or «no verificado» with its reason; a «Definitivo» of 69-B is confirmed
there (as Validar records it, so Firmar does not ask again) before phase two can be confirmed; nothing else is
blocked; the RFCs of the whole upload are screened in one query."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.models import Bitacora
from informativas import cribado
from informativas.bloque import services
from informativas.models import CargaContratos, ConfirmacionListaSat, Contrato

from ..fases import en_el_worker
from .test_bloque import BUENA, _subir, libro

pytestmark = pytest.mark.django_db

RFC = "CLI010101AB5"  # padron_sat's, «Definitivo» in lista_69b (tests/informativas/conftest.py)
PRESUNTO = {"rfc": "SCO990101AA6", "razon_social": "SERVICIOS COSTA", "objeto": "OC 2"}
CONFIRMACION = "Confirmo que conozco que este contratante aparece como Definitivo en la lista del artículo 69-B del CFF"


def _pagina(cliente, carga) -> str:
    return cliente.get(reverse("informativas:bloque", args=[carga.informativa.code, carga.code])).content.decode()


def _confirmar(cliente, carga, **datos):
    return cliente.post(reverse("informativas:bloque_confirmar", args=[carga.informativa.code, carga.code]), datos)


def test_the_summary_lists_each_hit_and_asks_for_the_definitivo(
    cliente_contratista, informativa, contratista, padron_sat, lista_69b, media
):
    carga = _subir(informativa, contratista.usuario, libro([BUENA, PRESUNTO]))

    html = _pagina(cliente_contratista, carga)
    assert 'data-hallazgo="69b"' in html and "Art. 69-B CFF: listado completo" in html
    assert f"El RFC {RFC} aparece" in html and "Definitivo" in html
    assert "El RFC SCO990101AA6 aparece" in html and "Presunto" in html
    assert "publicado el 20/03/2026" in html and "fecha de corte 31/05/2026" in html
    assert CONFIRMACION in html
    assert f'name="confirmar_lista_sat" value="{RFC}"' in html
    assert 'value="SCO990101AA6"' not in html  # a Presunto is shown, never asked for


def test_phase_two_waits_for_the_definitivo_confirmation_recorded_as_validar_records_it(
    cliente_contratista, informativa, contratista, padron_sat, lista_69b, media
):
    carga = _subir(informativa, contratista.usuario, libro([BUENA, PRESUNTO]))

    respuesta = _confirmar(cliente_contratista, carga)
    assert CargaContratos.objects.get().estatus == "VALIDADA"
    html = cliente_contratista.get(respuesta["Location"]).content.decode()
    assert f"Confirma que conoces que el contratante {RFC} aparece como Definitivo" in html
    assert "antes de confirmar la carga" in html
    assert not ConfirmacionListaSat.objects.exists()

    _confirmar(cliente_contratista, carga, confirmar_lista_sat=RFC)
    carga = en_el_worker(carga)
    assert carga.estatus == "APLICADA" and Contrato.objects.count() == 2
    confirmacion = ConfirmacionListaSat.objects.get()
    assert (confirmacion.informativa, confirmacion.rfc, confirmacion.lista, confirmacion.situacion) == (
        informativa, RFC, "69b", "Definitivo"
    )
    assert confirmacion.usuario == contratista.usuario
    entrada = Bitacora.objects.get(accion="informativas.informativa.lista_sat_confirmada")
    assert entrada.datos["rfc"] == RFC and entrada.datos["corte"] == "31/05/2026"
    # Firmar does not ask again
    assert not cribado.pendientes_de_confirmar(
        informativa=informativa, consultas=cribado.informativa_cribar(informativa=informativa)
    )


def test_a_definitivo_already_confirmed_in_the_informativa_is_not_asked_again(
    cliente_contratista, informativa, contratista, padron_sat, lista_69b, media
):
    primera = _subir(informativa, contratista.usuario, libro([BUENA]))
    _confirmar(cliente_contratista, primera, confirmar_lista_sat=RFC)
    en_el_worker(primera)

    carga = _subir(informativa, contratista.usuario, libro([{**BUENA, "objeto": "OC 3"}]))
    html = _pagina(cliente_contratista, carga)
    assert "Definitivo" in html and 'name="confirmar_lista_sat"' not in html
    _confirmar(cliente_contratista, carga)
    assert en_el_worker(carga).estatus == "APLICADA"
    assert ConfirmacionListaSat.objects.count() == 1


def test_without_a_definitivo_nothing_is_asked_and_nothing_blocked(
    cliente_contratista, informativa, contratista, padron_sat, lista_69b, media
):
    carga = _subir(informativa, contratista.usuario, libro([PRESUNTO]))

    assert 'name="confirmar_lista_sat"' not in _pagina(cliente_contratista, carga)
    _confirmar(cliente_contratista, carga)
    assert en_el_worker(carga).estatus == "APLICADA"


def test_a_list_never_loaded_reads_no_verificado_with_its_reason(
    cliente_contratista, informativa, contratista, padron_sat, settings, media
):
    settings.ICSOE_LISTAS_SAT_ESPERADAS = ["69b"]
    carga = _subir(informativa, contratista.usuario, libro([BUENA]))

    html = _pagina(cliente_contratista, carga)
    assert "No verificado" in html and "la lista nunca se ha cargado" in html
    assert "Sin coincidencias" not in html
    _confirmar(cliente_contratista, carga)
    assert en_el_worker(carga).estatus == "APLICADA"  # not verified never blocks


def test_the_rfcs_of_the_whole_upload_are_screened_in_one_query(
    informativa, contratista, padron_sat, lista_69b, media
):
    def consultas(carga) -> list[str]:
        carga = CargaContratos.objects.defer("aceptadas").get(pk=carga.pk)
        with CaptureQueriesContext(connection) as capturadas:
            services.bloque_listas_sat(carga=carga)
        return [q["sql"] for q in capturadas.captured_queries]

    una = _subir(informativa, contratista.usuario, libro([BUENA]))
    filas = [{**BUENA, "rfc": rfc, "razon_social": f"CLIENTE {i}", "confirmar_rfc": "Sí"} for i, rfc in enumerate(
        ["ABC010101AB1", "XYZ010101AB2", "DEF010101AB3", "GHI010101AB4"]
    )]
    varias = _subir(informativa, contratista.usuario, libro([BUENA, PRESUNTO, *filas]))
    assert varias.aceptados == 6

    assert len(consultas(varias)) == len(consultas(una))
    assert sum("coincidencia" in q.lower() for q in consultas(varias)) == 1
    assert {c.rfc for c in services.bloque_listas_sat(carga=varias).con_hallazgos} == {RFC, "SCO990101AA6"}


def test_a_carga_checked_before_its_rfcs_were_kept_is_screened_from_its_accepted_rows(
    cliente_contratista, informativa, contratista, padron_sat, lista_69b, media
):
    carga = _subir(informativa, contratista.usuario, libro([BUENA]))
    CargaContratos.objects.filter(pk=carga.pk).update(contratantes_rfc=None)  # as the previous release left it

    assert f'name="confirmar_lista_sat" value="{RFC}"' in _pagina(cliente_contratista, carga)
    _confirmar(cliente_contratista, carga)
    assert CargaContratos.objects.get().estatus == "VALIDADA"
    _confirmar(cliente_contratista, carga, confirmar_lista_sat=RFC)
    assert en_el_worker(carga).estatus == "APLICADA" and ConfirmacionListaSat.objects.get().rfc == RFC
