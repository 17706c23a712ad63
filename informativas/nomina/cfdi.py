"""Payroll CFDIs from a ZIP, read through ``core.lector_seguro`` (the one owner of reading an untrusted file):
the archive is inspected before anything is inflated (entry and total uncompressed sizes, compression ratio,
number of entries, encryption, overlapping entries, from the ZIP's directories alone), its entries are read
one at a time, and each XML is parsed with DTDs, entities and the network off. An XML that declares a DOCTYPE
is refused without being parsed: a CFDI never has one, and refusing is safer than trusting the parser not to
expand what it declares (billion laughs, external entities). This module interprets what was read: every
field it keeps is capped (``recortar``), so a 1 MB attribute never reaches a problem's message whole.

Nothing here touches the database.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import IO, Any

from core.errores import ErrorConMensaje
from core.lector_seguro import LecturaError, recortar, xml_raiz, zip_abierto
from core.zip_seguro import LimitesZip, ZipInseguroError

CFDI_NS = {"http://www.sat.gob.mx/cfd/4": "4.0", "http://www.sat.gob.mx/cfd/3": "3.3"}
NOMINA_NS = "http://www.sat.gob.mx/nomina12"
TFD_NS = "http://www.sat.gob.mx/TimbreFiscalDigital"

MENSAJE_NO_ZIP = "El archivo no es un ZIP válido. Comprime los XML de nómina en un archivo .zip."
MENSAJE_VACIO = "El archivo está vacío."
MENSAJE_ZIP_CIFRADO = "El ZIP está protegido con contraseña; súbelo sin contraseña."
MENSAJE_ZIP_SIN_XML = "El ZIP no contiene archivos XML."
MENSAJE_ENTRADA_GRANDE = (
    "El archivo {nombre} del ZIP mide {mb:,.0f} MB descomprimido; el máximo por archivo es {max:g} MB."
)
MENSAJE_TOTAL_GRANDE = (
    "El contenido del ZIP mide más de {max:,.1f} GB descomprimido, el máximo permitido. "
    "Divide los XML en varios ZIP."
)
MENSAJE_RAZON = (
    "El archivo {nombre} del ZIP está comprimido más de {razon} a 1, lo que no corresponde a un XML de "
    "nómina: por seguridad no se procesa el ZIP."
)
MENSAJE_ENTRADAS = "El ZIP tiene más de {max:,} archivos. Divide los XML en varios ZIP."
MENSAJE_DTD = "El XML declara un DOCTYPE o entidades; un CFDI no los lleva y por seguridad no se procesa."
MENSAJE_XML_MAL_FORMADO = "El archivo no es un XML bien formado."
MENSAJE_ARCHIVO_VACIO = "El archivo está vacío (0 bytes)."
MENSAJE_NO_XML = "El archivo no es un XML; se omitió."
MENSAJE_NO_CFDI = "El XML no es un CFDI (versión 3.3 o 4.0)."
MENSAJE_NO_NOMINA = "El CFDI no es de nómina (TipoDeComprobante {tipo}); se omitió."
MENSAJE_SIN_COMPLEMENTO = "El CFDI de tipo N no tiene el Complemento de Nómina 1.2."


class NominaEstructuraError(ErrorConMensaje):
    """The upload as a whole cannot be read (not a ZIP, a ZIP bomb, too many entries): nothing is checked."""


@dataclass(frozen=True)
class Limites:
    entrada: int  # bytes, uncompressed, per entry
    total: int  # bytes, uncompressed, whole archive
    razon: int  # compressed more than this to 1 is refused
    entradas: int  # number of entries


@dataclass(frozen=True)
class Cfdi:
    """The fields of one payroll CFDI that an informativa needs, as text (checked later)."""

    archivo: str
    version: str
    emisor_rfc: str
    uuid: str
    fecha_pago: str
    curp: str
    nss: str
    sbc: str
    # (RfcLabora, PorcentajeTiempo) of every nomina12:SubContratacion
    subcontrataciones: tuple[tuple[str, str], ...]
    fecha_timbrado: str = ""  # TimbreFiscalDigital/@FechaTimbrado


@dataclass(frozen=True)
class Problema:
    archivo: str
    campo: str
    valor: str
    mensaje: str

    def como_lista(self) -> list[str]:
        return [self.archivo, self.campo, self.valor, self.mensaje]


def _limites_zip(limites: Limites) -> LimitesZip:
    # A ratio over 100 to 1 counts from 4 KB up: a tiny XML may compress that much harmlessly.
    return LimitesZip(
        max_entradas=limites.entradas,
        max_total=limites.total,
        max_entrada=limites.entrada,
        max_razon=limites.razon,
        razon_desde=4097,
    )


def _mensaje(error: ZipInseguroError, limites: Limites) -> str:
    """The payroll import's wording of a refusal of ``core.zip_seguro``."""
    if error.code == "ilegible":
        return MENSAJE_NO_ZIP
    if error.code == "entradas":
        return MENSAJE_ENTRADAS.format(max=limites.entradas)
    if error.code == "cifrado":
        return MENSAJE_ZIP_CIFRADO
    if error.code == "entrada":
        return MENSAJE_ENTRADA_GRANDE.format(
            nombre=error.elemento, mb=error.tamano / 2**20, max=limites.entrada / 2**20
        )
    if error.code == "razon":
        return MENSAJE_RAZON.format(nombre=error.elemento, razon=limites.razon)
    if error.code == "total":
        return MENSAJE_TOTAL_GRANDE.format(max=limites.total / 2**30)
    return error.mensaje


# A field longer than this (a CFDI's are under 100 characters) is kept as its start and its length.
MAXIMO_CAMPO = 100


def _campo(elemento: Any, atributo: str, *, mayusculas: bool = False) -> str:
    if elemento is None:
        return ""
    valor = elemento.get(atributo, "").strip()
    if mayusculas:
        valor = valor.upper()
    # Only an oversized value pays for the call (ten fields a CFDI, 100,000 CFDIs a ZIP).
    return valor if len(valor) <= MAXIMO_CAMPO else recortar(valor, MAXIMO_CAMPO)


def cfdi_leer(nombre: str, datos: bytes) -> Cfdi | Problema:
    """One XML entry: its payroll fields, or the problem that keeps it out (by file name and field)."""
    if not datos:
        return Problema(nombre, "Archivo", "", MENSAJE_ARCHIVO_VACIO)
    if not nombre.lower().endswith(".xml"):
        return Problema(nombre, "Archivo", "", MENSAJE_NO_XML)
    try:
        raiz = xml_raiz(datos)
    except LecturaError as error:
        return Problema(nombre, "Archivo", "", MENSAJE_DTD if error.code == "dtd" else MENSAJE_XML_MAL_FORMADO)
    ns, _, local = raiz.tag.partition("}")
    ns = ns.lstrip("{")
    if local != "Comprobante" or ns not in CFDI_NS:
        return Problema(nombre, "Comprobante", "", MENSAJE_NO_CFDI)
    tipo = _campo(raiz, "TipoDeComprobante")
    if tipo != "N":
        return Problema(nombre, "TipoDeComprobante", tipo, MENSAJE_NO_NOMINA.format(tipo=tipo or "vacío"))
    emisor = raiz.find(f"{{{ns}}}Emisor")
    complemento = raiz.find(f"{{{ns}}}Complemento")
    nomina = complemento.find(f"{{{NOMINA_NS}}}Nomina") if complemento is not None else None
    if nomina is None or nomina.get("Version") != "1.2":
        return Problema(nombre, "Complemento", "", MENSAJE_SIN_COMPLEMENTO)
    receptor = nomina.find(f"{{{NOMINA_NS}}}Receptor")
    timbre = complemento.find(f"{{{TFD_NS}}}TimbreFiscalDigital")
    if receptor is None:
        return Problema(nombre, "nomina12:Receptor", "", MENSAJE_SIN_COMPLEMENTO)
    return Cfdi(
        archivo=nombre,
        version=CFDI_NS[ns],
        emisor_rfc=_campo(emisor, "Rfc", mayusculas=True),
        uuid=_campo(timbre, "UUID", mayusculas=True),
        fecha_timbrado=_campo(timbre, "FechaTimbrado"),
        fecha_pago=_campo(nomina, "FechaPago"),
        curp=_campo(receptor, "Curp", mayusculas=True),
        nss=_campo(receptor, "NumSeguridadSocial"),
        sbc=_campo(receptor, "SalarioBaseCotApor"),
        subcontrataciones=tuple(
            (_campo(s, "RfcLabora", mayusculas=True), _campo(s, "PorcentajeTiempo"))
            for s in receptor.iterfind(f"{{{NOMINA_NS}}}SubContratacion")
        ),
    )


def cfdis_del_zip(
    archivo: IO[bytes], *, limites: Limites, al_contar: Callable[[int], None] | None = None
) -> Iterator[Cfdi | Problema]:
    """Every XML of the ZIP read as ``cfdi_leer`` does; raises NominaEstructuraError for the archive as a whole
    (checked by ``core.lector_seguro`` from its directories before any entry is inflated). ``al_contar`` is
    told how many entries will be read, from the central directory, before the first is inflated."""
    archivo.seek(0, 2)
    if archivo.tell() == 0:
        raise NominaEstructuraError(MENSAJE_VACIO)
    archivo.seek(0)
    try:
        with zip_abierto(archivo, limites=_limites_zip(limites)) as zf:
            nombres = zf.nombres()
            if not nombres:
                raise NominaEstructuraError(MENSAJE_ZIP_SIN_XML)
            if al_contar:
                al_contar(len(nombres))
            for nombre, datos in zf.entradas():
                yield cfdi_leer(nombre, datos)
    except ZipInseguroError as error:
        raise NominaEstructuraError(_mensaje(error, limites)) from None
