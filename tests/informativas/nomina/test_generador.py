"""The test-data generator makes CFDIs that a real XML parser reads as SAT lays them out."""

from __future__ import annotations

import datetime
import io
import zipfile
from decimal import Decimal

from lxml import etree
from stdnum import luhn
from stdnum.mx import curp as stdnum_curp

from informativas.nomina import generador

NS = {
    "cfdi": "http://www.sat.gob.mx/cfd/4",
    "cfdi33": "http://www.sat.gob.mx/cfd/3",
    "nomina12": "http://www.sat.gob.mx/nomina12",
    "tfd": "http://www.sat.gob.mx/TimbreFiscalDigital",
}


def test_workers_have_valid_and_unique_nss_and_curp():
    trabajadores = generador.plantilla(2000, clientes=["CLI010101AB5"])
    assert len({t.nss for t in trabajadores}) == 2000
    assert len({t.curp for t in trabajadores}) == 2000
    assert all(luhn.is_valid(t.nss) for t in trabajadores)
    assert all(stdnum_curp.is_valid(t.curp) for t in trabajadores)


def test_the_plantilla_has_staff_full_time_and_split_placements():
    trabajadores = generador.plantilla(30, clientes=["CLI010101AB5", "CLT020202CD7"])
    staff = [t for t in trabajadores if not t.colocaciones]
    divididos = [t for t in trabajadores if len(t.colocaciones) == 2]
    assert len(staff) == 3
    assert divididos and all(sum(p for _, p in t.colocaciones) == 100 for t in divididos)
    assert {t.colocaciones[0][0] for t in trabajadores if t.colocaciones} == {"CLI010101AB5", "CLT020202CD7"}


def test_a_cfdi_4_nomina_carries_the_fields_an_informativa_needs():
    t = generador.plantilla(1, clientes=["CLI010101AB5", "CLT020202CD7"])[0]
    raiz = etree.fromstring(
        generador.cfdi_nomina(emisor_rfc="ESI920427886", trabajador=t, fecha_pago=datetime.date(2026, 1, 15))
    )
    assert raiz.get("Version") == "4.0" and raiz.get("TipoDeComprobante") == "N"
    assert raiz.find("cfdi:Emisor", NS).get("Rfc") == "ESI920427886"
    nomina = raiz.find("cfdi:Complemento/nomina12:Nomina", NS)
    assert nomina.get("Version") == "1.2" and nomina.get("FechaPago") == "2026-01-15"
    receptor = nomina.find("nomina12:Receptor", NS)
    assert receptor.get("Curp") == t.curp and receptor.get("NumSeguridadSocial") == t.nss
    assert Decimal(receptor.get("SalarioBaseCotApor")) == t.sbc
    sub = [
        (s.get("RfcLabora"), s.get("PorcentajeTiempo"))
        for s in receptor.findall("nomina12:SubContratacion", NS)
    ]
    assert sub == [("CLI010101AB5", "60.000"), ("CLT020202CD7", "40.000")]
    assert len(raiz.find("cfdi:Complemento/tfd:TimbreFiscalDigital", NS).get("UUID")) == 36


def test_a_cfdi_3_3_uses_its_own_namespace_with_the_same_nomina():
    t = generador.plantilla(1, clientes=["CLI010101AB5"])[0]
    raiz = etree.fromstring(
        generador.cfdi_nomina(
            emisor_rfc="ESI920427886", trabajador=t, fecha_pago=datetime.date(2021, 6, 15), version="3.3"
        )
    )
    assert raiz.tag == "{http://www.sat.gob.mx/cfd/3}Comprobante" and raiz.get("Version") == "3.3"
    assert raiz.find("cfdi33:Complemento/nomina12:Nomina/nomina12:Receptor", NS).get("Curp") == t.curp


def test_a_cfdi_is_stamped_when_it_is_paid_or_at_the_fechatimbrado_asked_for():
    t = generador.plantilla(1, clientes=["CLI010101AB5"])[0]

    def timbre(**kw):
        xml = generador.cfdi_nomina(
            emisor_rfc="ESI920427886", trabajador=t, fecha_pago=datetime.date(2025, 5, 15), version="3.3", **kw
        )
        return etree.fromstring(xml).find("cfdi33:Complemento/tfd:TimbreFiscalDigital", NS).get("FechaTimbrado")

    assert timbre() == "2025-05-15T12:00:00"
    assert timbre(fecha_timbrado=datetime.datetime(2023, 3, 31, 23, 59, 59)) == "2023-03-31T23:59:59"


def test_the_zip_mixes_periods_invoices_and_another_emitter():
    trabajadores = generador.plantilla(5, clientes=["CLI010101AB5"])
    fechas = generador.fechas_quincenales(2026, 1)
    assert (
        len(fechas) == 8
        and fechas[0] == datetime.date(2026, 1, 15)
        and fechas[-1] == datetime.date(2026, 4, 30)
    )
    salida = io.BytesIO()
    lote = generador.zip_nomina(
        salida,
        generador.archivos_nomina(emisor_rfc="ESI920427886", trabajadores=trabajadores, fechas_pago=fechas),
    )
    assert lote.cfdis_nomina == 40 and lote.otros == 16
    with zipfile.ZipFile(salida) as zf:
        nombres = zf.namelist()
        tipos = {etree.fromstring(zf.read(n)).get("TipoDeComprobante") for n in nombres}
        emisores = {etree.fromstring(zf.read(n)).find("cfdi:Emisor", NS).get("Rfc") for n in nombres}
    assert len(nombres) == 56 and tipos == {"N", "I"} and emisores == {"ESI920427886", "OTR010101AB4"}


def test_every_fifth_worker_gets_a_raise_half_way():
    t = generador.plantilla(1, clientes=["CLI010101AB5"])[0]
    fechas = generador.fechas_quincenales(2026, 1)
    sbcs = [
        Decimal(etree.fromstring(x).find(".//nomina12:Receptor", NS).get("SalarioBaseCotApor"))
        for _, x in generador.archivos_nomina(
            emisor_rfc="ESI920427886", trabajadores=[t], fechas_pago=fechas, mezclar=False
        )
    ]
    assert sbcs[:4] == [t.sbc] * 4 and sbcs[4:] == [(t.sbc * Decimal("1.05")).quantize(Decimal("0.01"))] * 4


def test_file_names_and_rfcs_are_unique_across_a_large_payroll():
    trabajadores = generador.plantilla(12_500, clientes=["CLI010101AB5"])
    assert len({t.rfc for t in trabajadores}) == 12_500


def test_the_demo_command_writes_a_zip_the_import_reads(tmp_path):
    from django.core.management import call_command

    from informativas.nomina import cfdi

    ruta = tmp_path / "n.zip"
    salida = io.StringIO()
    call_command(
        "nomina_demo",
        str(ruta),
        rfc="esi920427886",
        clientes=["CLI010101AB5"],
        anio=2026,
        cuatrimestre=1,
        trabajadores=3,
        stdout=salida,
    )
    assert "24 CFDI de nómina" in salida.getvalue()
    with ruta.open("rb") as f:
        leidos = list(cfdi.cfdis_del_zip(f, limites=cfdi.Limites(2**20, 2**24, 100, 100)))
    assert sum(isinstance(x, cfdi.Cfdi) and x.emisor_rfc == "ESI920427886" for x in leidos) == 24
