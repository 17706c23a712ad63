"""Realistic payroll CFDIs for tests, the benchmark and the demo: CFDI 4.0 (and 3.3) with the Complemento de
Nómina 1.2, several pay periods, workers placed with several clients (``SubContratacion`` with
``PorcentajeTiempo``, part-time splits across clients), staff with no placement, and CFDIs of other kinds
(ingreso, pago) and of other emitters mixed in.

The sellos are not real (the portal does not verify the CFDI seal, and says so on screen): they are random
base64 of the length SAT's are, so the files weigh what real ones weigh.
"""

from __future__ import annotations

import base64
import datetime
import hashlib
import io
import random
import uuid
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal

from stdnum import luhn
from stdnum.mx import curp as stdnum_curp

ENTIDADES = (
    "AS BC BS CC CL CM CS CH DF DG GT GR HG JC MC MN MS NT NL OC PL QT QR SP SL SR TC TS TL VZ YN ZS"
).split()
NOMBRES = ("JUAN", "MARIA", "JOSE", "GUADALUPE", "LUIS", "ANA", "CARLOS", "ROSA", "MIGUEL", "LAURA")
APELLIDOS = ("GARCIA", "HERNANDEZ", "LOPEZ", "MARTINEZ", "GONZALEZ", "PEREZ", "RODRIGUEZ", "SANCHEZ")

NS = {
    "4.0": "http://www.sat.gob.mx/cfd/4",
    "3.3": "http://www.sat.gob.mx/cfd/3",
}


def nss(i: int) -> str:
    """An NSS with its check digit, unique for i < 10**10 / 7919."""
    base = f"{(i * 7919 + 12345) % 10**10:010d}"
    return base + luhn.calc_check_digit(base)


def curp(i: int) -> str:
    """A CURP with its check digit, unique for i < 640,000 (birth date, sex and state vary with i)."""
    nacimiento = datetime.date(1960, 1, 1) + datetime.timedelta(days=i % 10000)
    sexo = "HM"[(i // 10000) % 2]
    base = f"ROLA{nacimiento:%y%m%d}{sexo}{ENTIDADES[(i // 20000) % 32]}RRN0"
    return base + stdnum_curp.calc_check_digit(base)


@dataclass
class TrabajadorNomina:
    """One worker of the payroll: ``colocaciones`` are (client RFC, PorcentajeTiempo); none for staff."""

    numero: int
    nss: str
    curp: str
    sbc: Decimal
    colocaciones: list[tuple[str, Decimal]] = field(default_factory=list)

    @property
    def rfc(self) -> str:
        """Unique per worker: the CURP's first ten characters and a homoclave from the worker's number."""
        digitos = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
        n = self.numero % 36**3
        return self.curp[:10] + digitos[n // 1296] + digitos[n // 36 % 36] + digitos[n % 36]

    @property
    def nombre(self) -> str:
        return (
            f"{NOMBRES[self.numero % len(NOMBRES)]} {APELLIDOS[self.numero % len(APELLIDOS)]} "
            f"{APELLIDOS[(self.numero // 7) % len(APELLIDOS)]}"
        )


def plantilla(
    n: int, *, clientes: list[str], staff_cada: int = 10, split_cada: int = 7, inicio: int = 0
) -> list[TrabajadorNomina]:
    """``n`` workers: every ``staff_cada``-th is staff (no SubContratacion), every ``split_cada``-th splits
    its time between two clients (60/40); the rest are placed full time with one client, round robin."""
    trabajadores = []
    for i in range(inicio, inicio + n):
        sbc = (Decimal(300 + (i * 37) % 1500) + Decimal(i % 100) / 100).quantize(Decimal("0.01"))
        colocaciones: list[tuple[str, Decimal]] = []
        if clientes and not (staff_cada and i % staff_cada == staff_cada - 1):
            uno = clientes[i % len(clientes)]
            if split_cada and len(clientes) > 1 and i % split_cada == 0:
                otro = clientes[(i + 1) % len(clientes)]
                colocaciones = [(uno, Decimal("60.000")), (otro, Decimal("40.000"))]
            else:
                colocaciones = [(uno, Decimal("100.000"))]
        trabajadores.append(TrabajadorNomina(i, nss(i), curp(i), sbc, colocaciones))
    return trabajadores


def _sello(semilla: str, n: int = 344) -> str:
    bloque = hashlib.sha512(semilla.encode()).digest()
    return base64.b64encode(bloque * (n * 3 // 4 // len(bloque) + 1)).decode()[:n]


def _uuid(semilla: str) -> str:
    return str(uuid.UUID(hashlib.md5(semilla.encode()).hexdigest())).upper()


def cfdi_nomina(
    *,
    emisor_rfc: str,
    trabajador: TrabajadorNomina,
    fecha_pago: datetime.date,
    dias: int = 15,
    version: str = "4.0",
    sbc: Decimal | None = None,
    registro_patronal: str = "Y5412345102",
    fecha_timbrado: datetime.datetime | None = None,
) -> bytes:
    """One payroll CFDI (TipoDeComprobante N) of ``trabajador`` paid on ``fecha_pago``, stamped at noon of that
    day unless ``fecha_timbrado`` says when (a CFDI 3.3 counts only when stamped before 1 April 2023)."""
    sbc = trabajador.sbc if sbc is None else sbc
    inicial = fecha_pago - datetime.timedelta(days=dias - 1)
    sueldo = (sbc * dias).quantize(Decimal("0.01"))
    isr = (sueldo * Decimal("0.1")).quantize(Decimal("0.01"))
    imss = (sueldo * Decimal("0.025")).quantize(Decimal("0.01"))
    deducciones = isr + imss
    total = sueldo - deducciones
    semilla = f"{emisor_rfc}|{trabajador.nss}|{fecha_pago}|{version}"
    ns = NS[version]
    esquema = "cfd/4/cfdv40.xsd" if version == "4.0" else "cfd/3/cfdv33.xsd"
    receptor = (
        f'<cfdi:Receptor Rfc="{trabajador.rfc}" Nombre="{trabajador.nombre}" DomicilioFiscalReceptor="01000" '
        f'RegimenFiscalReceptor="605" UsoCFDI="CN01"/>'
        if version == "4.0"
        else f'<cfdi:Receptor Rfc="{trabajador.rfc}" Nombre="{trabajador.nombre}" UsoCFDI="P01"/>'
    )
    objeto_imp = ' ObjetoImp="01"' if version == "4.0" else ""
    exportacion = ' Exportacion="01"' if version == "4.0" else ""
    subcontratacion = "".join(
        f'<nomina12:SubContratacion RfcLabora="{rfc}" PorcentajeTiempo="{pct}"/>'
        for rfc, pct in trabajador.colocaciones
    )
    fecha = f"{fecha_pago:%Y-%m-%d}T12:00:00"
    timbrado = f"{fecha_timbrado:%Y-%m-%dT%H:%M:%S}" if fecha_timbrado else fecha
    xml = f"""<?xml version="1.0" encoding="UTF-8"?>
<cfdi:Comprobante xmlns:cfdi="{ns}" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:nomina12="http://www.sat.gob.mx/nomina12" xsi:schemaLocation="{ns} http://www.sat.gob.mx/sitio_internet/{esquema} http://www.sat.gob.mx/nomina12 http://www.sat.gob.mx/sitio_internet/cfd/nomina/nomina12.xsd" Version="{version}" Serie="NOM" Folio="{trabajador.numero}{fecha_pago:%y%m%d}" Fecha="{fecha}" Sello="{_sello(semilla)}" NoCertificado="30001000000500003416" Certificado="{_sello(semilla + "c", 1600)}" SubTotal="{sueldo}" Descuento="{deducciones}" Moneda="MXN" Total="{total}" TipoDeComprobante="N"{exportacion} MetodoPago="PUE" LugarExpedicion="01000">
  <cfdi:Emisor Rfc="{emisor_rfc}" Nombre="SERVICIOS ESPECIALIZADOS DEMO" RegimenFiscal="601"/>
  {receptor}
  <cfdi:Conceptos>
    <cfdi:Concepto ClaveProdServ="84111505" Cantidad="1" ClaveUnidad="ACT" Descripcion="Pago de nómina" ValorUnitario="{sueldo}" Importe="{sueldo}" Descuento="{deducciones}"{objeto_imp}/>
  </cfdi:Conceptos>
  <cfdi:Complemento>
    <nomina12:Nomina Version="1.2" TipoNomina="O" FechaPago="{fecha_pago:%Y-%m-%d}" FechaInicialPago="{inicial:%Y-%m-%d}" FechaFinalPago="{fecha_pago:%Y-%m-%d}" NumDiasPagados="{dias}.000" TotalPercepciones="{sueldo}" TotalDeducciones="{deducciones}">
      <nomina12:Emisor RegistroPatronal="{registro_patronal}"/>
      <nomina12:Receptor Curp="{trabajador.curp}" NumSeguridadSocial="{trabajador.nss}" FechaInicioRelLaboral="2020-01-06" Antigüedad="P{(fecha_pago - datetime.date(2020, 1, 6)).days // 7}W" TipoContrato="01" TipoJornada="01" TipoRegimen="02" NumEmpleado="{trabajador.numero:06d}" Departamento="OPERACIONES" Puesto="TECNICO" RiesgoPuesto="2" PeriodicidadPago="04" SalarioBaseCotApor="{sbc}" SalarioDiarioIntegrado="{sbc}" ClaveEntFed="DIF">{subcontratacion}</nomina12:Receptor>
      <nomina12:Percepciones TotalSueldos="{sueldo}" TotalGravado="{sueldo}" TotalExento="0.00">
        <nomina12:Percepcion TipoPercepcion="001" Clave="001" Concepto="Sueldo" ImporteGravado="{sueldo}" ImporteExento="0.00"/>
      </nomina12:Percepciones>
      <nomina12:Deducciones TotalOtrasDeducciones="{imss}" TotalImpuestosRetenidos="{isr}">
        <nomina12:Deduccion TipoDeduccion="001" Clave="001" Concepto="Seguridad social" Importe="{imss}"/>
        <nomina12:Deduccion TipoDeduccion="002" Clave="002" Concepto="ISR" Importe="{isr}"/>
      </nomina12:Deducciones>
    </nomina12:Nomina>
    <tfd:TimbreFiscalDigital xmlns:tfd="http://www.sat.gob.mx/TimbreFiscalDigital" Version="1.1" UUID="{_uuid(semilla)}" FechaTimbrado="{timbrado}" RfcProvCertif="SAT970701NN3" SelloCFD="{_sello(semilla)}" NoCertificadoSAT="30001000000500003456" SelloSAT="{_sello(semilla + "s")}"/>
  </cfdi:Complemento>
</cfdi:Comprobante>
"""
    return xml.encode("utf-8")


def cfdi_ingreso(*, emisor_rfc: str, receptor_rfc: str, fecha: datetime.date, numero: int = 1) -> bytes:
    """A plain invoice (TipoDeComprobante I): what a payroll folder often has mixed in."""
    semilla = f"I|{emisor_rfc}|{receptor_rfc}|{fecha}|{numero}"
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<cfdi:Comprobante xmlns:cfdi="http://www.sat.gob.mx/cfd/4" Version="4.0" Serie="F" Folio="{numero}" Fecha="{fecha:%Y-%m-%d}T10:00:00" Sello="{_sello(semilla)}" NoCertificado="30001000000500003416" SubTotal="10000.00" Moneda="MXN" Total="11600.00" TipoDeComprobante="I" Exportacion="01" MetodoPago="PUE" LugarExpedicion="01000">
  <cfdi:Emisor Rfc="{emisor_rfc}" Nombre="SERVICIOS ESPECIALIZADOS DEMO" RegimenFiscal="601"/>
  <cfdi:Receptor Rfc="{receptor_rfc}" Nombre="CLIENTE" DomicilioFiscalReceptor="01000" RegimenFiscalReceptor="601" UsoCFDI="G03"/>
  <cfdi:Conceptos><cfdi:Concepto ClaveProdServ="80111600" Cantidad="1" ClaveUnidad="E48" Descripcion="Servicio especializado" ValorUnitario="10000.00" Importe="10000.00" ObjetoImp="02"/></cfdi:Conceptos>
  <cfdi:Complemento><tfd:TimbreFiscalDigital xmlns:tfd="http://www.sat.gob.mx/TimbreFiscalDigital" Version="1.1" UUID="{_uuid(semilla)}" FechaTimbrado="{fecha:%Y-%m-%d}T10:00:00" RfcProvCertif="SAT970701NN3" SelloCFD="{_sello(semilla)}" NoCertificadoSAT="30001000000500003456" SelloSAT="{_sello(semilla + "s")}"/></cfdi:Complemento>
</cfdi:Comprobante>
""".encode()


def fechas_quincenales(anio: int, cuatrimestre: int) -> list[datetime.date]:
    """The eight quincenal pay dates of a cuatrimestre (the 15th and the last day of each month)."""
    fechas = []
    for mes in range(4 * (cuatrimestre - 1) + 1, 4 * cuatrimestre + 1):
        siguiente = datetime.date(anio + mes // 12, mes % 12 + 1, 1)
        fechas += [datetime.date(anio, mes, 15), siguiente - datetime.timedelta(days=1)]
    return fechas


@dataclass
class Lote:
    """What ``zip_nomina`` wrote, to check an import against."""

    cfdis_nomina: int = 0
    otros: int = 0
    archivos: int = 0


def archivos_nomina(
    *,
    emisor_rfc: str,
    trabajadores: list[TrabajadorNomina],
    fechas_pago: list[datetime.date],
    version: str = "4.0",
    aumento_cada: int = 5,
    mezclar: bool = True,
    semilla: int = 15,
) -> Iterator[tuple[str, bytes]]:
    """(file name, XML) for every worker and pay date; every ``aumento_cada``-th worker gets a raise half-way
    (so the import must take the latest SBC). With ``mezclar``, invoices of the emitter and payroll CFDIs of
    another emitter are mixed in."""
    azar = random.Random(semilla)
    mitad = len(fechas_pago) // 2
    for j, fecha in enumerate(fechas_pago):
        for t in trabajadores:
            sbc = t.sbc
            if aumento_cada and t.numero % aumento_cada == 0 and j >= mitad:
                sbc = (t.sbc * Decimal("1.05")).quantize(Decimal("0.01"))
            xml = cfdi_nomina(emisor_rfc=emisor_rfc, trabajador=t, fecha_pago=fecha, version=version, sbc=sbc)
            yield f"nomina/{fecha:%Y%m%d}/{t.rfc}_{fecha:%Y%m%d}.xml", xml
        if mezclar:
            yield (
                f"facturas/F{j + 1:04d}.xml",
                cfdi_ingreso(emisor_rfc=emisor_rfc, receptor_rfc="XAXX010101000", fecha=fecha, numero=j + 1),
            )
            otro = trabajadores[azar.randrange(len(trabajadores))] if trabajadores else None
            if otro:
                yield (
                    f"otra-empresa/{otro.rfc}_{fecha:%Y%m%d}.xml",
                    cfdi_nomina(
                        emisor_rfc="OTR010101AB4", trabajador=otro, fecha_pago=fecha, version=version
                    ),
                )


def zip_nomina(destino, archivos: Iterator[tuple[str, bytes]], *, nivel: int = 6) -> Lote:
    """Writes the files into a ZIP (``destino``: a path or a binary file object)."""
    lote = Lote()
    with zipfile.ZipFile(destino, "w", zipfile.ZIP_DEFLATED, compresslevel=nivel) as zf:
        for nombre, datos in archivos:
            zf.writestr(nombre, datos)
            lote.archivos += 1
            if b'TipoDeComprobante="N"' in datos and not nombre.startswith("otra-empresa/"):
                lote.cfdis_nomina += 1
            else:
                lote.otros += 1
    return lote


def zip_en_memoria(archivos: Iterator[tuple[str, bytes]]) -> bytes:
    salida = io.BytesIO()
    zip_nomina(salida, archivos)
    return salida.getvalue()
