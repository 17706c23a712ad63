"""The capacity model of `make bench` (bench/load/capacidad_modelo.py): how each request a filing's browser
journey makes is classified, the CPU of one filing from its requests, and the cores for the deadline."""

from __future__ import annotations

import uuid

import pytest
from django.urls import reverse

from bench.load import capacidad_modelo as m

INF, CON, CAR = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()


def _url(nombre: str, **kwargs) -> str:
    return reverse(f"informativas:{nombre}", kwargs={"code": INF, **kwargs})


@pytest.mark.parametrize(
    ("metodo", "ruta", "tipo", "clase"),
    [
        ("GET", "/informativas/", "document", m.PAGINA),
        ("GET", "/static/css/icsoe.css", "stylesheet", m.ESTATICO),
        ("GET", "/static/vendor/fonts/noto-sans/noto-sans-latin-400-normal.woff2", "font", m.ESTATICO),
        ("POST", "/acceso/efirma/validar/", "fetch", m.INGRESO_VALIDAR),
        ("POST", "/acceso/efirma/", "document", m.INGRESO),
        ("POST", reverse("informativas:nueva"), "document", m.CREAR),
        ("POST", _url("paso", paso="contratista"), "document", m.GUARDAR),
        ("POST", _url("contratante_validar"), "xhr", m.FRAGMENTO),
        ("POST", _url("paso_contrato", contrato_code=CON, paso="contrato"), "document", m.GUARDAR),
        ("POST", _url("paso_contrato", contrato_code=CON, paso="trabajadores"), "document", m.TRABAJADOR),
        ("POST", _url("carga_subir", contrato_code=CON), "document", m.CARGA_SUBIR),
        ("GET", _url("carga_progreso", carga_code=CAR), "xhr", m.SONDEO),
        ("POST", _url("carga_confirmar", carga_code=CAR), "document", m.CARGA_CONFIRMAR),
        ("GET", _url("carga", carga_code=CAR), "document", m.PAGINA),
        ("POST", _url("enviar_a_firma"), "document", m.CREAR),
        ("POST", _url("firmar_validar"), "fetch", m.FIRMAR_VALIDAR),
        ("POST", _url("firmar"), "document", m.FIRMAR),
        ("GET", _url("firmar"), "document", m.PAGINA),
        ("GET", _url("acuse_descargar"), "document", m.ACUSE),
        ("POST", _url("complementaria"), "document", m.CREAR),
    ],
)
def test_each_request_of_a_journey_gets_its_kind(metodo, ruta, tipo, clase):
    assert m.clasificar(metodo, ruta, tipo) == clase


COSTOS = {
    m.PAGINA: {"gunicorn": 0.010, "postgres": 0.002},
    m.GUARDAR: {"gunicorn": 0.020, "postgres": 0.005},
    m.FIRMAR: {"gunicorn": 0.400, "postgres": 0.020, "redis": 0.004},
    m.CARGA: {"gunicorn": 0.050, "postgres": 0.100, "celery": 0.110},
}


def test_a_filing_costs_its_requests_and_fragments_and_one_off_writes_are_priced_as_their_kin():
    solicitudes = {m.PAGINA: 10, m.FRAGMENTO: 2, m.GUARDAR: 3, m.CREAR: 2, m.FIRMAR: 1}
    cpu = m.por_presentacion(solicitudes, COSTOS, con_carga=False)
    assert cpu["gunicorn"] == pytest.approx(12 * 0.010 + 5 * 0.020 + 0.400)
    assert cpu["postgres"] == pytest.approx(12 * 0.002 + 5 * 0.005 + 0.020)
    assert cpu["redis"] == pytest.approx(0.004)
    assert "celery" not in cpu


def test_a_carga_counts_once_per_filing_whatever_its_upload_and_confirm_requests():
    solicitudes = {m.PAGINA: 4, m.CARGA_SUBIR: 1, m.CARGA_CONFIRMAR: 1}
    con = m.por_presentacion(solicitudes, COSTOS, con_carga=True)
    sin = m.por_presentacion(solicitudes, COSTOS, con_carga=False)
    assert con["celery"] == pytest.approx(0.110)
    assert con["postgres"] - sin["postgres"] == pytest.approx(0.100)
    assert sin["gunicorn"] == pytest.approx(4 * 0.010)  # the upload and the confirm are inside the carga


def test_the_cores_for_42000_filings_in_three_days_with_the_busiest_hour_at_five_times_the_mean():
    assert m.presentaciones_por_segundo_pico() == pytest.approx(42_000 / (3 * 24 * 3600) * 5)
    modelo = {k: {"gunicorn": 0.8, "postgres": 0.2} for k in m.MEZCLA}
    modelo["carga"] = {"gunicorn": 1.0, "postgres": 0.4, "celery": 0.2}
    media, nucleos = m.nucleos_necesarios(modelo, m.MEZCLA)
    assert sum(media.values()) == pytest.approx((1 - m.MEZCLA["carga"]) * 1.0 + m.MEZCLA["carga"] * 1.6)
    por_segundo = 42_000 / (3 * 24 * 3600) * 5
    assert nucleos["celery"] == pytest.approx(m.MEZCLA["carga"] * 0.2 * por_segundo / 0.60)
    assert sum(nucleos.values()) == pytest.approx(sum(media.values()) * por_segundo / 0.60)


def test_a_mix_that_does_not_add_up_to_every_filing_is_refused():
    with pytest.raises(ValueError, match="la mezcla debe sumar 1"):
        m.nucleos_necesarios({k: {} for k in m.MEZCLA}, {"carga": 0.5, "mano": 0.2})
