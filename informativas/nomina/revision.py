"""Phase one of Importar nómina: from the CFDIs read out of the ZIP to the trabajadores of each contrato.

Keeps the payroll CFDIs of the contratista (Emisor RFC) paid in the informativa's cuatrimestre, gathers each
worker's CFDIs (the SBC taken is the one of the latest FechaPago; every value is kept for the user to see),
checks NSS, CURP and SBC with the carga masiva's own checks (``informativas.validators``), and assigns each
worker to the contratos whose contratante RFC is a ``SubContratacion/@RfcLabora`` (whole informativa) or to the
contrato chosen. Staff with no SubContratacion are counted apart. Nothing here touches the database.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from core.identificadores import curp_error, nss_error

from ..periodos import Periodo
from ..trabajadores import MENSAJE_CURP_REGISTRADA, MENSAJE_NSS_REGISTRADO
from ..validators import sbc_convertir
from .cfdi import Cfdi, Problema

MENSAJE_OTRO_EMISOR = "El CFDI lo emitió otro RFC ({rfc}), no el contratista; se omitió."
MENSAJE_SIN_FECHA = "El CFDI no tiene una FechaPago válida."
MENSAJE_FUERA_PERIODO = "La FechaPago ({fecha}) está fuera del periodo que se informa ({periodo}); se omitió."
# SAT stopped stamping CFDI 3.3 on 1 April 2023 (Anexo 20): only one stamped before then counts.
FIN_CFDI33 = "2023-04-01"
MENSAJE_CFDI33_RETIRADO = (
    "El CFDI es versión 3.3 y se timbró el {fecha}; el SAT dejó de timbrar la versión 3.3 el 1 de abril de "
    "2023, así que sólo cuenta un CFDI 3.3 timbrado antes de esa fecha; se omitió."
)
MENSAJE_CFDI33_SIN_TIMBRE = (
    "El CFDI es versión 3.3 y no tiene FechaTimbrado (TimbreFiscalDigital): sólo cuenta un CFDI 3.3 "
    "timbrado antes del 1 de abril de 2023; se omitió."
)
MENSAJE_UUID_REPETIDO = "El CFDI (UUID {uuid}) ya se leyó en {archivo}; se omitió."
MENSAJE_NSS_OTRA_CURP = "El NSS aparece con otra CURP ({curp}) en {archivo}."
MENSAJE_CURP_OTRO_NSS = "La CURP aparece con otro NSS ({nss}) en {archivo}."
MENSAJE_RFC_SIN_CONTRATO = (
    "El RfcLabora {rfc} no corresponde al contratante de ningún contrato de la informativa."
)
MENSAJE_RFC_OTRO_CONTRATANTE = (
    "El trabajador está subcontratado con {rfcs}, no con el contratante de este contrato ({rfc})."
)


@dataclass(frozen=True)
class ContratoDestino:
    code: str
    folio: str
    contratante_rfc: str


@dataclass
class Trabajador:
    """One worker of the payroll: the SBC, CURP and placement of its latest CFDI in the period."""

    nss: str
    curp: str
    sbc: str
    fecha: str
    archivo: str
    subcontrataciones: list[list[str]]
    valores: list[list[str]] = field(default_factory=list)  # [FechaPago, SBC, archivo] of every CFDI

    def como_dict(self) -> dict:
        datos = {
            "nss": self.nss,
            "curp": self.curp,
            "sbc": self.sbc,
            "fecha": self.fecha,
            "archivo": self.archivo,
            "sub": self.subcontrataciones,
        }
        if len({v[1] for v in self.valores}) > 1:
            datos["valores"] = sorted(self.valores)
        return datos


@dataclass
class Revision:
    archivos: int = 0
    cfdis_nomina: int = 0
    trabajadores: dict[str, Trabajador] = field(default_factory=dict)
    problemas: list[list[str]] = field(default_factory=list)
    invalidos: set[str] = field(default_factory=set)  # NSS of workers left out by a problem

    def problema(self, archivo: str, campo: str, valor: str, mensaje: str) -> None:
        self.problemas.append([archivo, campo, valor[:80], mensaje])


def revisar_cfdis(  # noqa: C901 - one branch per reason a CFDI de nómina is rejected
    cfdis: Iterable[Cfdi | Problema],
    *,
    emisor_rfc: str,
    periodo: Periodo,
    avance: Callable[[int], None] | None = None,
) -> Revision:
    """Reads every CFDI once and gathers the valid workers; every CFDI left out is a problem with its file."""
    revision = Revision()
    uuids: dict[str, str] = {}
    curp_de_nss: dict[str, tuple[str, str]] = {}
    nss_de_curp: dict[str, tuple[str, str]] = {}
    validos: set[str] = set()  # NSS, CURP and SBC already checked once
    inicio, fin = periodo.inicio.isoformat(), periodo.fin.isoformat()
    descripcion = str(periodo)
    for cfdi in cfdis:
        revision.archivos += 1
        if avance:
            avance(revision.archivos)  # it decides when a step is worth recording
        if isinstance(cfdi, Problema):
            revision.problemas.append(cfdi.como_lista())
            continue
        a = cfdi.archivo
        if cfdi.emisor_rfc != emisor_rfc:
            revision.problema(
                a, "Emisor Rfc", cfdi.emisor_rfc, MENSAJE_OTRO_EMISOR.format(rfc=cfdi.emisor_rfc)
            )
            continue
        if cfdi.version == "3.3" and not _cfdi33_vigente(revision, cfdi):
            continue
        fecha = cfdi.fecha_pago[:10]
        try:
            datetime.date.fromisoformat(fecha)
        except ValueError:
            revision.problema(a, "FechaPago", cfdi.fecha_pago, MENSAJE_SIN_FECHA)
            continue
        if not inicio <= fecha <= fin:
            revision.problema(
                a, "FechaPago", fecha, MENSAJE_FUERA_PERIODO.format(fecha=_dmy(fecha), periodo=descripcion)
            )
            continue
        if cfdi.uuid:
            if cfdi.uuid in uuids:
                revision.problema(
                    a,
                    "UUID",
                    cfdi.uuid,
                    MENSAJE_UUID_REPETIDO.format(uuid=cfdi.uuid, archivo=uuids[cfdi.uuid]),
                )
                continue
            uuids[cfdi.uuid] = a
        revision.cfdis_nomina += 1
        if not _campos_validos(revision, cfdi, validos):
            continue
        nss, curp = cfdi.nss, cfdi.curp
        sbc = str(sbc_convertir(cfdi.sbc)[0])
        previo = curp_de_nss.get(nss)
        if previo and previo[0] != curp:
            revision.problema(
                a, "Curp", curp, MENSAJE_NSS_OTRA_CURP.format(curp=previo[0], archivo=previo[1])
            )
            revision.invalidos.add(nss)
            continue
        previo = nss_de_curp.get(curp)
        if previo and previo[0] != nss:
            revision.problema(
                a, "NumSeguridadSocial", nss, MENSAJE_CURP_OTRO_NSS.format(nss=previo[0], archivo=previo[1])
            )
            revision.invalidos.add(previo[0])
            continue
        curp_de_nss.setdefault(nss, (curp, a))
        nss_de_curp.setdefault(curp, (nss, a))
        sub = [list(s) for s in cfdi.subcontrataciones]
        trabajador = revision.trabajadores.get(nss)
        if trabajador is None:
            revision.trabajadores[nss] = Trabajador(nss, curp, sbc, fecha, a, sub, [[fecha, sbc, a]])
            continue
        trabajador.valores.append([fecha, sbc, a])
        if fecha >= trabajador.fecha:
            trabajador.sbc, trabajador.fecha, trabajador.archivo = sbc, fecha, a
            trabajador.subcontrataciones = sub
    for nss in revision.invalidos:
        revision.trabajadores.pop(nss, None)
    return revision


def _cfdi33_vigente(revision: Revision, cfdi: Cfdi) -> bool:
    """A CFDI 3.3 counts only when stamped before SAT retired the version; otherwise it is a problem."""
    timbrado = cfdi.fecha_timbrado[:10]
    try:
        datetime.date.fromisoformat(timbrado)
    except ValueError:
        revision.problema(cfdi.archivo, "FechaTimbrado", cfdi.fecha_timbrado, MENSAJE_CFDI33_SIN_TIMBRE)
        return False
    if timbrado >= FIN_CFDI33:
        revision.problema(
            cfdi.archivo, "FechaTimbrado", cfdi.fecha_timbrado, MENSAJE_CFDI33_RETIRADO.format(fecha=_dmy(timbrado))
        )
        return False
    return True


def _campos_validos(revision: Revision, cfdi: Cfdi, validos: set[str]) -> bool:
    ok = True
    for campo, valor, revisar in (
        ("NumSeguridadSocial", cfdi.nss, nss_error),
        ("Curp", cfdi.curp, curp_error),
        ("SalarioBaseCotApor", cfdi.sbc, lambda v: sbc_convertir(v)[1]),
    ):
        clave = f"{campo}:{valor}"
        if clave in validos:
            continue
        if mensaje := revisar(valor):
            revision.problema(cfdi.archivo, campo, valor, mensaje)
            ok = False
        else:
            validos.add(clave)
    return ok


def _dmy(fecha: str) -> str:
    return f"{fecha[8:10]}/{fecha[5:7]}/{fecha[:4]}"


# ----------------------------------------------------------------------------------------------------------
# Assignment to contratos
# ----------------------------------------------------------------------------------------------------------
@dataclass
class Asignacion:
    """Which workers each contrato would receive: ``por_contrato[code]`` holds indexes into the worker list.
    ``candidatos`` are the contratos of each contratante RFC (the user picks when there are several)."""

    por_contrato: dict[str, list[int]] = field(default_factory=dict)
    staff: list[int] = field(default_factory=list)
    problemas: list[list[str]] = field(default_factory=list)
    candidatos: dict[str, list[str]] = field(default_factory=dict)


def asignar(
    trabajadores: list[dict], *, contratos: list[ContratoDestino], contrato_elegido: str | None
) -> Asignacion:
    """Whole informativa (``contrato_elegido`` None): every contrato of each RfcLabora is a candidate.
    One contrato: it receives every worker except those placed only with other contratantes."""
    asignacion = Asignacion()
    por_rfc: dict[str, list[str]] = {}
    for c in contratos:
        por_rfc.setdefault(c.contratante_rfc, []).append(c.code)
    if contrato_elegido:
        destino = next(c for c in contratos if c.code == contrato_elegido)
        asignacion.por_contrato[destino.code] = []
        for i, t in enumerate(trabajadores):
            rfcs = [s[0] for s in t["sub"]]
            if rfcs and destino.contratante_rfc not in rfcs:
                asignacion.problemas.append(
                    [
                        t["archivo"],
                        "RfcLabora",
                        ", ".join(rfcs),
                        MENSAJE_RFC_OTRO_CONTRATANTE.format(
                            rfcs=", ".join(rfcs), rfc=destino.contratante_rfc
                        ),
                    ]
                )
                continue
            if not rfcs:
                asignacion.staff.append(i)
            asignacion.por_contrato[destino.code].append(i)
        return asignacion
    for c in contratos:
        asignacion.por_contrato[c.code] = []
    sin_contrato: set[str] = set()
    for i, t in enumerate(trabajadores):
        if not t["sub"]:
            asignacion.staff.append(i)
            continue
        for rfc, _pct in t["sub"]:
            codes = por_rfc.get(rfc)
            if not codes:
                asignacion.problemas.append(
                    [t["archivo"], "RfcLabora", rfc, MENSAJE_RFC_SIN_CONTRATO.format(rfc=rfc)]
                )
                sin_contrato.add(rfc)
                continue
            asignacion.candidatos[rfc] = codes
            for code in codes:
                asignacion.por_contrato[code].append(i)
    return asignacion


@dataclass
class Cruce:
    """A contrato's side of the import, against the workers it already has."""

    nuevos: list[int] = field(default_factory=list)
    registrados: int = 0
    problemas: list[list[str]] = field(default_factory=list)


def cruzar(
    trabajadores: list[dict],
    indices: list[int],
    *,
    folio: str,
    nss_existentes: set[str],
    curp_existentes: set[str],
    pares_existentes: set[tuple[str, str]],
) -> Cruce:
    """Idempotent: a worker already in the contrato with the same NSS and CURP is counted, not stored again;
    one whose NSS or CURP is already there with the other value is a problem (the carga masiva's message)."""
    cruce = Cruce()
    for i in indices:
        t = trabajadores[i]
        if (t["nss"], t["curp"]) in pares_existentes:
            cruce.registrados += 1
            continue
        if t["nss"] in nss_existentes:
            cruce.problemas.append(
                [t["archivo"], "NumSeguridadSocial", t["nss"], f"{MENSAJE_NSS_REGISTRADO} ({folio})"]
            )
            continue
        if t["curp"] in curp_existentes:
            cruce.problemas.append(
                [t["archivo"], "Curp", t["curp"], f"{MENSAJE_CURP_REGISTRADA} ({folio})"]
            )
            continue
        cruce.nuevos.append(i)
    return cruce
