"""The board's rules: the state of each cell, the periods shown, the filters, whose contratistas, one query."""

from __future__ import annotations

import datetime
import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from contratistas.models import Contratista
from informativas.captura.pendientes import plazos_de
from informativas.models import Informativa
from informativas.periodos import Periodo
from informativas.tablero.services import (
    Estado,
    InformativaDelPeriodo,
    celda_de,
    estado_del_periodo,
    periodos_del_tablero,
    tablero_de,
)
from plazos.models import DiaInhabil
from tests.conftest import contratista_con_terminos

from .conftest import HOY_TABLERO, borrador, presentar_sin_informacion, relacionar, sin_informacion

pytestmark = pytest.mark.django_db

D = datetime.date
T = datetime.datetime


def _inf(tipo="NORMAL", estatus="EN_CAPTURA", extemporanea=False, dia=None) -> InformativaDelPeriodo:
    fecha = T(2026, 5, dia, 12, tzinfo=datetime.UTC) if dia else None
    return InformativaDelPeriodo(uuid.uuid4(), tipo, estatus, extemporanea, fecha)


def _par(estado) -> tuple:
    """The state and the informativa its cell opens."""
    return estado.estado, estado.informativa


# ----------------------------------------------------------------------------------------------------------
# The state of a period (one rule each)
# ----------------------------------------------------------------------------------------------------------
def test_a_period_without_informativas_is_sin_iniciar_and_opens_nothing():
    assert _par(estado_del_periodo([])) == (Estado.SIN_INICIAR, None)


def test_a_draft_is_borrador_and_opens_the_draft():
    draft = _inf()
    assert estado_del_periodo([draft]).estado == Estado.BORRADOR
    assert estado_del_periodo([draft]).informativa == draft.code


def test_one_pending_signature_is_en_firma():
    pendiente = _inf("SIN_INFORMACION", "PENDIENTE_FIRMA")
    assert _par(estado_del_periodo([pendiente])) == (Estado.EN_FIRMA, pendiente.code)


def test_a_filing_presented_on_time_is_presentada():
    presentada = _inf("NORMAL", "PRESENTADA", dia=10)
    assert _par(estado_del_periodo([presentada])) == (Estado.PRESENTADA, presentada.code)


def test_a_filing_presented_late_is_presentada_extemporanea():
    presentada = _inf("SIN_INFORMACION", "PRESENTADA", extemporanea=True, dia=20)
    assert _par(estado_del_periodo([presentada])) == (Estado.PRESENTADA_EXTEMPORANEA, presentada.code)


def test_a_late_filing_replaced_by_a_correccion_stays_extemporanea_and_opens_the_one_in_force():
    original = _inf("NORMAL", "SUSTITUIDA", extemporanea=True, dia=20)
    correccion = _inf("CORRECCION", "PRESENTADA", extemporanea=False, dia=25)

    assert _par(estado_del_periodo([original, correccion])) == (Estado.PRESENTADA_EXTEMPORANEA, correccion.code)


@pytest.mark.parametrize(("tipo", "estatus"), [("CORRECCION", "EN_CAPTURA"), ("SIN_EFECTOS", "PENDIENTE_FIRMA")])
def test_a_complementaria_in_progress_after_the_filing_is_complementaria_en_curso(tipo, estatus):
    presentada = _inf("NORMAL", "PRESENTADA", dia=10)
    complementaria = _inf(tipo, estatus)

    assert _par(estado_del_periodo([presentada, complementaria])) == (Estado.COMPLEMENTARIA_EN_CURSO, complementaria.code)


def test_a_period_left_without_effect_has_none_in_force_is_to_present_and_opens_nothing():
    dejada = _inf("NORMAL", "SIN_EFECTOS", dia=10)
    sin_efectos = _inf("SIN_EFECTOS", "PRESENTADA", dia=12)

    estado = estado_del_periodo([dejada, sin_efectos])

    assert _par(estado) == (Estado.SIN_EFECTOS, None)
    assert estado.por_presentar and estado.vigente is None
    assert Estado.SIN_EFECTOS.label == "Dejada sin efectos"


def test_normal_correccion_sin_efectos_leaves_the_period_with_none_in_force_even_if_the_normal_was_late():
    """The issue's chain: the board said «Presentada extemporánea» while the period page said «Aún no has
    presentado»."""
    normal = _inf("NORMAL", "SUSTITUIDA", extemporanea=True, dia=20)
    correccion = _inf("CORRECCION", "SIN_EFECTOS", dia=22)
    sin_efectos = _inf("SIN_EFECTOS", "PRESENTADA", dia=25)

    assert _par(estado_del_periodo([normal, correccion, sin_efectos])) == (Estado.SIN_EFECTOS, None)


def test_filings_signed_within_the_same_second_are_ordered_as_given():
    """The presentation time is the acuse's, kept to the second: a Normal left without effect, its Sin efectos
    and a late Normal signed within one second (CI found it) still say the late one opened the chain."""
    dejada = _inf("NORMAL", "SIN_EFECTOS", extemporanea=False, dia=12)
    sin_efectos = _inf("SIN_EFECTOS", "PRESENTADA", dia=12)
    tardia = _inf("NORMAL", "PRESENTADA", extemporanea=True, dia=12)

    assert _par(estado_del_periodo([dejada, sin_efectos, tardia])) == (Estado.PRESENTADA_EXTEMPORANEA, tardia.code)
    otro = _inf("SIN_EFECTOS", "PRESENTADA", dia=12)._replace(folio="OTRO")
    assert estado_del_periodo([dejada, sin_efectos, otro]).folio == "OTRO"


def test_a_new_normal_started_after_a_sin_efectos_is_borrador():
    dejada = _inf("NORMAL", "SIN_EFECTOS", dia=10)
    sin_efectos = _inf("SIN_EFECTOS", "PRESENTADA", dia=12)
    nueva = _inf("NORMAL", "EN_CAPTURA")

    assert _par(estado_del_periodo([dejada, sin_efectos, nueva])) == (Estado.BORRADOR, nueva.code)


# ----------------------------------------------------------------------------------------------------------
# The periods shown: the six last that have ended
# ----------------------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("hoy", "primero", "ultimo"),
    [
        (D(2027, 1, 10), (2026, 3), (2025, 1)),
        (D(2027, 1, 1), (2026, 3), (2025, 1)),
        (D(2026, 12, 31), (2026, 2), (2024, 3)),
        (D(2026, 5, 1), (2026, 1), (2024, 2)),
    ],
)
def test_the_board_shows_the_six_last_periods_that_have_ended_newest_first(hoy, primero, ultimo):
    periodos = periodos_del_tablero(hoy=hoy)

    assert len(periodos) == 6 and len(set(periodos)) == 6
    assert (periodos[0].anio, periodos[0].cuatrimestre) == primero
    assert (periodos[-1].anio, periodos[-1].cuatrimestre) == ultimo
    assert all(p.concluido(fecha=hoy) for p in periodos)


# ----------------------------------------------------------------------------------------------------------
# The board from the database: whose rows, the states, the deadlines
# ----------------------------------------------------------------------------------------------------------
def _estados(tablero) -> dict[str, list[str]]:
    return {fila.rfc: [str(c.estado) for c in fila.celdas] for fila in tablero.filas}


def test_the_board_has_a_row_per_contratista_the_capturista_serves_and_no_other(despacho):
    borrador(despacho.e, 2026, 3, hoy=HOY_TABLERO)  # another capturista's contratista
    borrador(despacho.d, 2026, 3, hoy=HOY_TABLERO)  # a relation given de baja

    tablero = tablero_de(capturista=despacho.capturista, hoy=HOY_TABLERO)

    assert [f.razon_social for f in tablero.filas] == [
        "CONSTRUCTORA TRES RÍOS SA DE CV",
        "EMPRESA DE SERVICIOS INTEGRALES SA DE CV",
        "JUAN PÉREZ JIMÉNEZ",
    ]
    assert tablero.total == 3
    assert [(c.periodo.anio, c.periodo.cuatrimestre) for c in tablero.columnas][:2] == [(2026, 3), (2026, 2)]
    otro = tablero_de(capturista=despacho.otro_capturista, hoy=HOY_TABLERO)
    assert [f.rfc for f in otro.filas] == [despacho.e.rfc]


def test_each_cell_shows_the_state_of_its_period(despacho):
    a = borrador(despacho.a, 2026, 3, hoy=HOY_TABLERO)
    sin_informacion(despacho.b, 2026, 3, hoy=HOY_TABLERO)
    Informativa.objects.create(contratista=despacho.b, anio=2024, cuatrimestre=3, tipo="NORMAL")  # not on the board

    tablero = tablero_de(capturista=despacho.capturista, hoy=HOY_TABLERO)

    estados = _estados(tablero)
    assert estados[despacho.a.rfc] == ["borrador"] + ["sin_iniciar"] * 5
    assert estados[despacho.b.rfc] == ["en_firma"] + ["sin_iniciar"] * 5
    assert estados[despacho.c.rfc] == ["sin_iniciar"] * 6
    fila_a = next(f for f in tablero.filas if f.rfc == despacho.a.rfc)
    assert fila_a.celdas[0].informativa == a.code and fila_a.celdas[1].informativa is None


def test_the_columns_carry_the_deadline_and_days_left_from_plazos(despacho):
    tablero = tablero_de(capturista=despacho.capturista, hoy=HOY_TABLERO)

    assert tablero.columnas[0].fecha_limite == D(2027, 1, 18) and tablero.columnas[0].dias == 8
    assert tablero.columnas[1].fecha_limite == D(2026, 9, 17) and tablero.columnas[1].dias < 0


def test_presented_on_the_deadline_is_presentada_and_a_day_later_extemporanea_as_plazos_says(despacho, fieles):
    # January–April 2026 is due on 18 May 2026 (the 17th is a Sunday: CFF art. 12).
    presentar_sin_informacion(despacho.c, 2026, 1, fieles, hoy=D(2026, 5, 18))
    presentar_sin_informacion(despacho.b, 2026, 1, fieles, hoy=D(2026, 5, 19))
    # A día inhábil staff add moves the deadline, and a filing made after it counts as on time.
    DiaInhabil.objects.create(fecha=D(2026, 5, 18), motivo="Acuerdo del IMSS de prueba")
    presentar_sin_informacion(despacho.a, 2026, 1, fieles, hoy=D(2026, 5, 19))

    estados = _estados(tablero_de(capturista=despacho.capturista, hoy=HOY_TABLERO))

    assert estados[despacho.c.rfc][2] == "presentada"
    assert estados[despacho.b.rfc][2] == "presentada_extemporanea"
    assert estados[despacho.a.rfc][2] == "presentada"


# ----------------------------------------------------------------------------------------------------------
# The alta: the board and the bandeja count the same periods (issue 22)
# ----------------------------------------------------------------------------------------------------------
def _alta(contratista, fecha: datetime.date) -> None:
    alta = timezone.make_aware(datetime.datetime.combine(fecha, datetime.time(12)))
    type(contratista).objects.filter(pk=contratista.pk).update(created_at=alta)


def test_the_periods_before_the_contratistas_alta_are_not_owed_on_the_board(despacho):
    _alta(despacho.a, D(2026, 2, 10))  # registered in January–April 2026
    borrador(despacho.a, 2025, 2, hoy=HOY_TABLERO)  # it may still file an earlier period: the board shows it

    tablero = tablero_de(capturista=despacho.capturista, hoy=HOY_TABLERO)

    assert _estados(tablero)[despacho.a.rfc] == ["sin_iniciar"] * 3 + ["antes_del_alta", "borrador", "antes_del_alta"]
    fila_a = next(f for f in tablero.filas if f.rfc == despacho.a.rfc)
    assert [c.por_presentar for c in fila_a.celdas] == [True] * 3 + [False] * 3
    assert Estado.ANTES_DEL_ALTA.label == "Antes del registro"
    hasta_hoy = tablero_de(capturista=despacho.capturista, hoy=HOY_TABLERO, estado="antes_del_alta")
    assert [f.rfc for f in hasta_hoy.filas] == [despacho.a.rfc]


def test_the_cells_still_to_present_are_the_bandejas_pending_periods(despacho, fieles):
    _alta(despacho.a, D(2026, 2, 10))
    _alta(despacho.b, D(2021, 9, 1))  # long before the two years
    _alta(despacho.c, D(2025, 7, 1))
    borrador(despacho.a, 2026, 3, hoy=HOY_TABLERO)
    presentar_sin_informacion(despacho.a, 2026, 1, fieles, hoy=D(2026, 5, 12))
    sin_informacion(despacho.b, 2025, 3, hoy=HOY_TABLERO)
    presentar_sin_informacion(despacho.c, 2025, 2, fieles, hoy=D(2025, 9, 30))

    tablero = tablero_de(capturista=despacho.capturista, hoy=HOY_TABLERO)

    for fila in tablero.filas:
        contratista = Contratista.objects.get(code=fila.code)
        plazos = plazos_de(contratista=contratista, hoy=HOY_TABLERO)
        por_vencer = [c.periodo for c in fila.celdas if c.por_presentar and c.columna.dias >= 0]
        vencidas = [c.periodo for c in fila.celdas if c.por_presentar and c.columna.dias < 0]
        assert [p.periodo for p in plazos.por_vencer] == por_vencer, fila.razon_social
        assert [p.periodo for p in plazos.no_presentados] == vencidas[::-1], fila.razon_social
    assert len([p for f in tablero.filas for p in f.celdas if p.por_presentar]) == 2 + 6 + 4


# ----------------------------------------------------------------------------------------------------------
# Filters
# ----------------------------------------------------------------------------------------------------------
def test_the_state_filter_keeps_the_rows_with_a_cell_in_that_state_and_marks_it(despacho):
    borrador(despacho.a, 2026, 3, hoy=HOY_TABLERO)
    sin_informacion(despacho.b, 2026, 3, hoy=HOY_TABLERO)

    tablero = tablero_de(capturista=despacho.capturista, hoy=HOY_TABLERO, estado="en_firma")

    assert [f.rfc for f in tablero.filas] == [despacho.b.rfc] and tablero.total == 3
    assert [c.coincide for c in tablero.filas[0].celdas] == [True] + [False] * 5


def test_vence_en_keeps_the_periods_still_to_present_whose_deadline_is_within_the_days(despacho, fieles):
    borrador(despacho.a, 2026, 3, hoy=HOY_TABLERO)
    presentar_sin_informacion(despacho.b, 2026, 3, fieles, hoy=HOY_TABLERO)

    en_8 = tablero_de(capturista=despacho.capturista, hoy=HOY_TABLERO, vence_en=8)
    en_7 = tablero_de(capturista=despacho.capturista, hoy=HOY_TABLERO, vence_en=7)

    assert {f.rfc for f in en_8.filas} == {despacho.a.rfc, despacho.c.rfc}  # B presented; the rest are overdue
    assert all(f.celdas[0].coincide and not any(c.coincide for c in f.celdas[1:]) for f in en_8.filas)
    assert en_7.filas == []


def test_both_filters_must_match_the_same_cell(despacho):
    borrador(despacho.a, 2026, 3, hoy=HOY_TABLERO)  # A: borrador due in 8 days, sin iniciar (overdue) before
    sin_informacion(despacho.b, 2026, 3, hoy=HOY_TABLERO)  # B: en firma, due in 8 days

    solo_a_tiempo = tablero_de(capturista=despacho.capturista, hoy=HOY_TABLERO, estado="sin_iniciar", vence_en=10)

    assert [f.rfc for f in solo_a_tiempo.filas] == [despacho.c.rfc]


# ----------------------------------------------------------------------------------------------------------
# One query for the table, whatever the number of contratistas
# ----------------------------------------------------------------------------------------------------------
def _consultas(capturista) -> list[str]:
    with CaptureQueriesContext(connection) as consultas:
        tablero_de(capturista=capturista, hoy=HOY_TABLERO, estado="borrador")
    return [c["sql"] for c in consultas.captured_queries]


def test_the_board_reads_its_table_in_one_query_whatever_the_number_of_contratistas(despacho):
    borrador(despacho.a, 2026, 3, hoy=HOY_TABLERO)
    pocas = _consultas(despacho.capturista)
    for i in range(20):
        otro = contratista_con_terminos(rfc=f"MUC{i:06d}AB1", razon_social=f"MUCHOS {i} SA DE CV")
        relacionar(otro, despacho.capturista)
        borrador(otro, 2026, 2, hoy=HOY_TABLERO)
        sin_informacion(otro, 2026, 1, hoy=HOY_TABLERO)

    muchas = _consultas(despacho.capturista)

    assert len(pocas) == len(muchas) == 2
    assert sum('"informativas_informativa"' in sql for sql in muchas) == 1
    assert sum('"plazos_diainhabil"' in sql for sql in muchas) == 1
    assert len(tablero_de(capturista=despacho.capturista, hoy=HOY_TABLERO).filas) == 23


# ----------------------------------------------------------------------------------------------------------
# One cell again (the link that opens it)
# ----------------------------------------------------------------------------------------------------------
def test_a_cell_of_a_contratista_not_served_is_not_found(despacho):
    periodo = Periodo(2026, 3)

    assert celda_de(capturista=despacho.capturista, contratista_code=despacho.e.code, periodo=periodo) is None
    assert celda_de(capturista=despacho.capturista, contratista_code=despacho.d.code, periodo=periodo) is None
    contratista, estado = celda_de(capturista=despacho.capturista, contratista_code=despacho.c.code, periodo=periodo)
    assert contratista == despacho.c and estado.estado == Estado.SIN_INICIAR
