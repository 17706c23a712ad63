"""Phase one's rules, without the database: which CFDIs count, which SBC is taken, where each worker goes."""

from __future__ import annotations

import datetime
import io

from core.identificadores import CURP_DIGITO, NSS_DIGITO
from informativas.nomina import cfdi, generador
from informativas.nomina import revision as rev
from informativas.periodos import Periodo

from .conftest import CLIENTE, CLIENTE_2, EMISOR, nomina_zip, un_cfdi, zip_de

LIMITES = cfdi.Limites(entrada=1024 * 1024, total=200 * 1024 * 1024, razon=100, entradas=100_000)
PERIODO = Periodo(2026, 1)


def _revisar(datos: bytes) -> rev.Revision:
    return rev.revisar_cfdis(
        cfdi.cfdis_del_zip(io.BytesIO(datos), limites=LIMITES), emisor_rfc=EMISOR, periodo=PERIODO
    )


def test_it_keeps_only_the_contratistas_payroll_of_the_period_and_names_the_rest():
    revision = _revisar(nomina_zip(20))
    assert revision.archivos == 20 * 8 + 16
    assert revision.cfdis_nomina == 160
    assert len(revision.trabajadores) == 20
    motivos = {(p[1], p[3].split(" (")[0]) for p in revision.problemas}
    assert motivos == {
        ("TipoDeComprobante", "El CFDI no es de nómina"),
        ("Emisor Rfc", "El CFDI lo emitió otro RFC"),
    }


def test_a_cfdi_paid_outside_the_cuatrimestre_is_left_out_with_its_date():
    revision = _revisar(
        zip_de(
            {
                "dic.xml": un_cfdi(0, fecha=datetime.date(2025, 12, 31)),
                "may.xml": un_cfdi(1, fecha=datetime.date(2026, 5, 1)),
            }
        )
    )
    assert revision.trabajadores == {}
    assert [p[:3] for p in revision.problemas] == [
        ["dic.xml", "FechaPago", "2025-12-31"],
        ["may.xml", "FechaPago", "2026-05-01"],
    ]
    assert revision.problemas[0][3] == rev.MENSAJE_FUERA_PERIODO.format(
        fecha="31/12/2025", periodo=str(PERIODO)
    )


def test_a_pay_period_spanning_two_cuatrimestres_counts_where_it_was_paid():
    """Paid on 2 May for 20 April to 1 May: it belongs to the second cuatrimestre, not this one."""
    revision = _revisar(zip_de({"a.xml": un_cfdi(0, fecha=datetime.date(2026, 4, 30), dias=15)}))
    assert len(revision.trabajadores) == 1
    revision = _revisar(zip_de({"b.xml": un_cfdi(0, fecha=datetime.date(2026, 5, 2), dias=15)}))
    assert revision.trabajadores == {}


def test_the_latest_sbc_of_the_period_is_taken_and_every_value_is_kept():
    revision = _revisar(nomina_zip(6, mezclar=False))
    t0 = generador.plantilla(1, clientes=[CLIENTE])[0]
    trabajador = revision.trabajadores[t0.nss].como_dict()
    assert trabajador["fecha"] == "2026-04-30"
    assert trabajador["sbc"] == str((t0.sbc * generador.Decimal("1.05")).quantize(generador.Decimal("0.01")))
    assert [v[1] for v in trabajador["valores"]] == [str(t0.sbc)] * 4 + [trabajador["sbc"]] * 4
    sin_aumento = revision.trabajadores[generador.nss(1)].como_dict()
    assert "valores" not in sin_aumento  # one value only: nothing to show


def test_check_digits_are_checked_with_the_carga_masivas_messages():
    malo = un_cfdi(0).replace(
        generador.nss(0).encode(),
        (generador.nss(0)[:10] + str((int(generador.nss(0)[10]) + 1) % 10)).encode(),
    )
    curp = generador.curp(1)
    mala = un_cfdi(1).replace(curp.encode(), (curp[:17] + str((int(curp[17]) + 1) % 10)).encode())
    sin_nss = un_cfdi(2).replace(
        f'NumSeguridadSocial="{generador.nss(2)}"'.encode(), b'NumSeguridadSocial=""'
    )
    revision = _revisar(zip_de({"nss.xml": malo, "curp.xml": mala, "sin.xml": sin_nss}))
    assert revision.trabajadores == {}
    assert [(p[0], p[1], p[3]) for p in revision.problemas] == [
        ("nss.xml", "NumSeguridadSocial", NSS_DIGITO),
        ("curp.xml", "Curp", CURP_DIGITO),
        ("sin.xml", "NumSeguridadSocial", "El NSS es obligatorio."),
    ]


def test_the_same_cfdi_twice_is_read_once():
    xml = un_cfdi(0)
    revision = _revisar(zip_de({"a.xml": xml, "copia/a.xml": xml}))
    assert len(revision.trabajadores) == 1 and revision.cfdis_nomina == 1
    assert revision.problemas[0][:2] == ["copia/a.xml", "UUID"]


def test_an_nss_seen_with_two_curps_leaves_the_worker_out():
    otro = un_cfdi(0, fecha=datetime.date(2026, 3, 15)).replace(
        generador.curp(0).encode(), generador.curp(5).encode()
    )
    revision = _revisar(zip_de({"a.xml": un_cfdi(0), "b.xml": otro}))
    assert revision.trabajadores == {}
    assert revision.problemas[0][:2] == ["b.xml", "Curp"] and "otra CURP" in revision.problemas[0][3]


def _trabajadores(n: int) -> list[dict]:
    return [t.como_dict() for t in _revisar(nomina_zip(n, mezclar=False)).trabajadores.values()]


def test_whole_informativa_workers_go_to_the_contratos_of_their_rfclabora_and_staff_apart():
    trabajadores = _trabajadores(20)
    contratos = [rev.ContratoDestino("a", "F1", CLIENTE), rev.ContratoDestino("b", "F2", CLIENTE_2)]
    asignacion = rev.asignar(trabajadores, contratos=contratos, contrato_elegido=None)
    assert len(asignacion.staff) == 2  # every tenth
    assert asignacion.problemas == []
    divididos = [i for i, t in enumerate(trabajadores) if len(t["sub"]) == 2]
    for i in divididos:  # a 60/40 split: the worker goes to both contratos, its SBC untouched
        assert i in asignacion.por_contrato["a"] and i in asignacion.por_contrato["b"]
    assert len(asignacion.por_contrato["a"]) + len(asignacion.por_contrato["b"]) == 18 + len(divididos)


def test_an_rfclabora_with_no_contrato_is_a_problem_and_several_contratos_are_candidates():
    trabajadores = _trabajadores(10)
    contratos = [rev.ContratoDestino("a", "F1", CLIENTE), rev.ContratoDestino("a2", "F3", CLIENTE)]
    asignacion = rev.asignar(trabajadores, contratos=contratos, contrato_elegido=None)
    assert asignacion.candidatos == {CLIENTE: ["a", "a2"]}
    assert {p[1] for p in asignacion.problemas} == {"RfcLabora"}
    assert all(p[2] == CLIENTE_2 for p in asignacion.problemas)
    assert asignacion.problemas[0][3] == rev.MENSAJE_RFC_SIN_CONTRATO.format(rfc=CLIENTE_2)


def test_one_contrato_takes_staff_and_its_contratantes_workers_but_not_another_clients():
    trabajadores = _trabajadores(10)
    contratos = [rev.ContratoDestino("a", "F1", CLIENTE)]
    asignacion = rev.asignar(trabajadores, contratos=contratos, contrato_elegido="a")
    ajenos = [t for t in trabajadores if t["sub"] and CLIENTE not in [s[0] for s in t["sub"]]]
    assert len(asignacion.por_contrato["a"]) == 10 - len(ajenos)
    assert len(asignacion.problemas) == len(ajenos) > 0
    assert "no con el contratante de este contrato (CLI010101AB5)" in asignacion.problemas[0][3]


def test_crossing_with_a_contrato_is_idempotent_and_names_conflicts():
    trabajadores = _trabajadores(3)
    t0, t1, t2 = trabajadores
    cruce = rev.cruzar(
        trabajadores,
        [0, 1, 2],
        folio="F1",
        nss_existentes={t0["nss"], t1["nss"]},
        curp_existentes={t0["curp"], "OTRA"},
        pares_existentes={(t0["nss"], t0["curp"]), (t1["nss"], "OTRA")},
    )
    assert cruce.registrados == 1 and cruce.nuevos == [2]
    assert cruce.problemas == [
        [t1["archivo"], "NumSeguridadSocial", t1["nss"], "El NSS ya está registrado en este contrato. (F1)"]
    ]


def _revisar_en(datos: bytes, periodo: Periodo) -> rev.Revision:
    return rev.revisar_cfdis(
        cfdi.cfdis_del_zip(io.BytesIO(datos), limites=LIMITES), emisor_rfc=EMISOR, periodo=periodo
    )


def test_a_cfdi_3_3_stamped_after_sat_retired_it_is_left_out_by_file():
    """SAT stopped stamping CFDI 3.3 on 1 April 2023: one paid (and stamped) on 15 May 2025 does not count."""
    revision = _revisar_en(
        zip_de(
            {
                "v33.xml": un_cfdi(0, fecha=datetime.date(2025, 5, 15), version="3.3"),
                "v40.xml": un_cfdi(1, fecha=datetime.date(2025, 5, 15)),
            }
        ),
        Periodo(2025, 2),
    )
    assert list(revision.trabajadores) == [generador.nss(1)]
    assert revision.cfdis_nomina == 1
    assert revision.problemas == [
        [
            "v33.xml",
            "FechaTimbrado",
            "2025-05-15T12:00:00",
            rev.MENSAJE_CFDI33_RETIRADO.format(fecha="15/05/2025"),
        ]
    ]
    assert "1 de abril de 2023" in rev.MENSAJE_CFDI33_RETIRADO


def test_a_cfdi_3_3_stamped_before_1_april_2023_counts():
    ultimo = datetime.datetime(2023, 3, 31, 23, 59, 59)
    revision = _revisar_en(
        zip_de(
            {
                "a.xml": un_cfdi(0, fecha=datetime.date(2023, 3, 31), version="3.3", fecha_timbrado=ultimo),
                "b.xml": un_cfdi(
                    1,
                    fecha=datetime.date(2023, 3, 31),
                    version="3.3",
                    fecha_timbrado=datetime.datetime(2023, 4, 1, 0, 0, 0),
                ),
            }
        ),
        Periodo(2023, 1),
    )
    assert list(revision.trabajadores) == [generador.nss(0)]
    assert [p[:3] for p in revision.problemas] == [["b.xml", "FechaTimbrado", "2023-04-01T00:00:00"]]


def test_a_cfdi_3_3_without_its_timbre_is_left_out():
    xml = un_cfdi(0, fecha=datetime.date(2023, 3, 15), version="3.3")
    sin_timbre = xml.replace(b'FechaTimbrado="2023-03-15T12:00:00"', b"")
    revision = _revisar_en(zip_de({"a.xml": sin_timbre}), Periodo(2023, 1))
    assert revision.trabajadores == {}
    assert revision.problemas == [["a.xml", "FechaTimbrado", "", rev.MENSAJE_CFDI33_SIN_TIMBRE]]
