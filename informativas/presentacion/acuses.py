"""What is filed and how it is proved (DESIGN.md, "Integrity of what is filed"): the canonical content of an
informativa and its SHA-256, the cadena original, the portal's counter-sellos, the acuse PDF and the public
verification of a folio.

Verification never trusts a stored summary: it rebuilds the canonical JSON from the stored informativa,
contratos and trabajadores, rebuilds the cadena original from the stored fields, checks the contratista's
sello with the stored certificate and the portal's sellos with the portal certificate that made them, and
hashes the stored PDF. Changing any stored value, or the PDF, makes it fail.

Two things outside the filing may change legitimately after signing, and neither breaks an acuse:
- the SEPOMEX catalog (a re-import renames a colonia): the content takes each colonia's text from the
  snapshot frozen on the acuse at signing (``Acuse.colonias``), which is itself part of the signed content;
- the portal's key (rotation): the acuse keeps the portal certificate that sealed it, and verification uses
  it only when the portal's settings still name it (the current certificate or one listed in
  ``ICSOE_SIGNING_PREVIOUS_CERTS``). A certificate found only in the database is never trusted: whoever can
  write the database could otherwise seal a forged acuse with a key of their own.
"""

from __future__ import annotations

import base64
import binascii
import datetime
import hashlib
import json
import logging
import textwrap
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any, cast
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

import segno
from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse

from contratistas.models import Domicilio
from firma import sat
from firma.services import SelloPortalNoConfigurado, sello_portal

from .. import vigencia
from ..models import Acuse, Contrato, Informativa, Trabajador

logger = logging.getLogger(__name__)

# Version 2 adds, for a complementaria, the folio of the informativa it modifies (after the tipo). Acuses
# signed under version 1 keep verifying: verification rebuilds the cadena with the version stored on the acuse.
VERSION_CADENA = "2"
VERSIONES_CADENA = ("1", "2")
ZONA = ZoneInfo("America/Mexico_City")

MENSAJE_CONTENIDO = "Los datos guardados de la informativa no coinciden con los que se firmaron."
MENSAJE_CADENA = "La cadena original no coincide con los datos guardados de la informativa."
MENSAJE_SELLO_CONTRATISTA = "El sello digital del contratista no es válido."
MENSAJE_SELLO_PORTAL = "El sello digital del portal no es válido."
MENSAJE_PDF = "El archivo del acuse no corresponde al que se emitió al presentar la informativa."
MENSAJE_SIN_SELLO_PORTAL = "No fue posible verificar el sello del portal en este momento."
MENSAJE_PORTAL_DESCONOCIDO = "El certificado del sello del portal no es uno de los que el portal reconoce."


# ----------------------------------------------------------------------------------------------------------
# Canonical content and cadena original
# ----------------------------------------------------------------------------------------------------------
Colonias = dict[str, Any]  # {asentamiento id (text): {"codigo_postal": ..., "colonia": ...}}


def _domicilio(domicilio: Domicilio | None, colonias: Colonias) -> dict[str, Any] | None:
    """The domicilio as filed. The colonia's catalog text comes from ``colonias`` (the acuse's snapshot); one
    not in it is read from the catalog and added, which is how signing builds the snapshot."""
    if domicilio is None:
        return None
    clave = str(domicilio.asentamiento_id)
    if clave not in colonias:
        asentamiento = domicilio.asentamiento
        colonias[clave] = {"codigo_postal": asentamiento.codigo_postal.codigo, "colonia": asentamiento.nombre}
    catalogo = colonias[clave] if isinstance(colonias[clave], dict) else {}
    return {
        "codigo_postal": catalogo.get("codigo_postal"),
        "colonia": catalogo.get("colonia"),
        "calle": domicilio.calle,
        "numero_exterior": domicilio.numero_exterior,
        "sin_numero": domicilio.sin_numero,
        "numero_interior": domicilio.numero_interior,
        "entre_calle": domicilio.entre_calle,
        "y_calle": domicilio.y_calle,
    }


def _fecha(valor: datetime.date | None) -> str | None:
    return valor.isoformat() if valor else None


def contenido(informativa: Informativa, colonias: Colonias | None = None) -> dict[str, Any]:
    """Everything the informativa reports, as plain JSON values: the header, and each contract (by folio)
    with its contratante, domicilios and workers (by NSS). Three queries whatever the size.

    ``colonias`` is the catalog text to use for the colonias (an acuse's snapshot); the ones missing are read
    from the SEPOMEX catalog and added to the dict passed in."""
    colonias = {} if colonias is None else colonias
    domicilios = ("asentamiento__codigo_postal",)
    origen = informativa.informativa_origen
    contratos = list(
        Contrato.objects.filter(informativa_id=informativa.pk)
        .select_related(*(f"domicilio_{d}__{r}" for d in ("social", "convencional") for r in domicilios))
        .order_by("folio")
    )
    trabajadores: dict[int, list[list[str]]] = {c.pk: [] for c in contratos}
    filas = (
        Trabajador.objects.filter(contrato__informativa_id=informativa.pk)
        .order_by("contrato_id", "nss")
        .values_list("contrato_id", "nss", "curp", "sbc", "nombre", "primer_apellido", "segundo_apellido")
    )
    for contrato_id, nss, curp, sbc, nombre, primer, segundo in filas.iterator(chunk_size=5000):
        trabajadores[contrato_id].append([nss, curp, f"{sbc:.2f}", nombre, primer, segundo])
    domicilio_propio = informativa.domicilio_convencional
    return {
        "informativa": {
            "anio": informativa.anio,
            "cuatrimestre": informativa.cuatrimestre,
            "tipo": informativa.tipo,
            "folio_origen": origen.folio_definitivo if origen else "",
            "extemporanea": informativa.extemporanea,
            "contratos_declarados": informativa.contratos_declarados,
            "domicilio_convencional_igual_fiscal": informativa.domicilio_convencional_igual_fiscal,
            "domicilio_convencional": _domicilio(domicilio_propio, colonias),
        },
        "contratos": [
            {
                "folio": c.folio,
                "contratante_rfc": c.contratante_rfc,
                "contratante_razon_social": c.contratante_razon_social,
                "contratante_correo": c.contratante_correo,
                "contratante_celular": c.contratante_celular,
                "contratante_telefono_fijo": c.contratante_telefono_fijo,
                "domicilio_social_igual_fiscal": c.domicilio_social_igual_fiscal,
                "domicilio_social": _domicilio(c.domicilio_social, colonias),
                "domicilio_convencional_igual_fiscal": c.domicilio_convencional_igual_fiscal,
                "domicilio_convencional": _domicilio(c.domicilio_convencional, colonias),
                "objeto": c.objeto,
                "registro_repse": c.registro_repse,
                "servicio": c.servicio,
                "fecha_inicio": _fecha(c.fecha_inicio),
                "fecha_termino": _fecha(c.fecha_termino),
                "trabajadores": trabajadores[c.pk],
            }
            for c in contratos
        ],
    }


def json_canonico(datos: dict[str, Any]) -> bytes:
    """Sorted keys, no spaces, UTF-8: the same content always gives the same bytes."""
    return json.dumps(datos, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


@dataclass(frozen=True)
class Resumen:
    """The canonical content's hash, the counts that go into the cadena original, and the colonias' catalog
    text the content used (what signing freezes on the acuse)."""

    sha256: str
    contratos: int
    trabajadores: int
    contratos_detalle: list[dict[str, Any]] = field(repr=False, default_factory=list)
    colonias: Colonias = field(repr=False, default_factory=dict)


def resumen(informativa: Informativa, *, colonias: Colonias | None = None) -> Resumen:
    """The content of ``contenido`` hashed; ``colonias`` as there (a copy is filled, never the dict given)."""
    colonias = dict(colonias or {})
    datos = contenido(informativa, colonias)
    return Resumen(
        sha256=hashlib.sha256(json_canonico(datos)).hexdigest(),
        contratos=len(datos["contratos"]),
        trabajadores=sum(len(c["trabajadores"]) for c in datos["contratos"]),
        contratos_detalle=[
            {
                "folio": c["folio"],
                "contratante_rfc": c["contratante_rfc"],
                "contratante_razon_social": c["contratante_razon_social"],
                "trabajadores": len(c["trabajadores"]),
            }
            for c in datos["contratos"]
        ],
        colonias=colonias,
    )


def fecha_firma(momento: datetime.datetime) -> str:
    """Date and time of signing in Central Mexico time, to the second, with its offset."""
    return momento.astimezone(ZONA).isoformat(timespec="seconds")


def _campo(texto: object) -> str:
    # A "|" inside a value would shift every later field of the cadena; whitespace runs collapse to one.
    return " ".join(str(texto).replace("|", " ").split())


def cadena_original(
    *,
    folio: str,
    rfc: str,
    razon_social: str,
    anio: int,
    cuatrimestre: int,
    tipo: str,
    contratos: int,
    trabajadores: int,
    contenido_sha256: str,
    fecha: datetime.datetime,
    numero_certificado: str,
    folio_origen: str,
    version: str = VERSION_CADENA,
) -> str:
    """The cadena original of DESIGN.md, version 2:
    ``||2|folio|RFC|razón social|año|cuatrimestre|tipo|folio que modifica|contratos|trabajadores|sha256|``
    ``fecha|número||``
    where "folio que modifica" (``folio_origen``) is there only for a complementaria: as in the SAT's cadenas,
    a field with no value is left out rather than written empty (an empty field would print ``||`` inside
    the cadena). Version 1 (acuses signed before) never had that field; ``folio_origen`` is then ignored.
    Keyword-only and required, so that no caller can forget the folio a complementaria modifies."""
    if version not in VERSIONES_CADENA:
        raise ValueError(f"Versión de la cadena original desconocida: {version}")
    if version != "1" and tipo in Informativa.TIPOS_COMPLEMENTARIA and not folio_origen:
        raise ValueError("La cadena original de una complementaria debe incluir el folio que modifica.")
    modifica = [folio_origen] if version != "1" and folio_origen else []
    campos = [
        version,
        folio,
        rfc,
        razon_social,
        anio,
        cuatrimestre,
        tipo,
        *modifica,
        contratos,
        trabajadores,
        contenido_sha256,
        fecha_firma(fecha),
        numero_certificado,
    ]
    return "||" + "|".join(_campo(c) for c in campos) + "||"


def cadena_informativa(
    informativa: Informativa,
    *,
    detalle: Resumen,
    folio: str,
    rfc: str,
    razon_social: str,
    fecha: datetime.datetime,
    numero_certificado: str,
    version: str = VERSION_CADENA,
) -> str:
    """The cadena original of ``informativa``: its own fields (año, cuatrimestre, tipo, the folio a
    complementaria modifies) and its content's counts and hash (``detalle``), with what the caller holds for the
    rest. Signing passes the reserved folio, the contratista's RFC and razón social and the time of signing;
    verification the acuse's stored RFC, razón social and ``version`` and the informativa's stored folio,
    time and certificate number."""
    return cadena_original(
        folio=folio,
        rfc=rfc,
        razon_social=razon_social,
        anio=informativa.anio,
        cuatrimestre=informativa.cuatrimestre,
        tipo=informativa.tipo,
        contratos=detalle.contratos,
        trabajadores=detalle.trabajadores,
        contenido_sha256=detalle.sha256,
        fecha=fecha,
        numero_certificado=numero_certificado,
        folio_origen=folio_origen(informativa),
        version=version,
    )


def folio_origen(informativa: Informativa) -> str:
    """The folio a complementaria modifies (empty for a Normal or Sin información), as its cadena names it."""
    origen = informativa.informativa_origen if informativa.informativa_origen_id else None
    return origen.folio_definitivo if origen is not None else ""


def datos_sello_portal(cadena: str, sello_contratista: str) -> bytes:
    """What the portal counter-signs: the cadena original followed by the contratista's sello."""
    return f"{cadena}{sello_contratista}".encode()


def datos_sello_pdf(folio: str, pdf_sha256: str) -> bytes:
    """What the portal signs about the PDF, so its stored hash cannot be swapped together with the file."""
    return f"||{folio}|{pdf_sha256}||".encode()


def b64(datos: bytes) -> str:
    return base64.b64encode(datos).decode("ascii")


def _de_b64(texto: str) -> bytes:
    try:
        return base64.b64decode(texto.encode("ascii"), validate=True)
    except (binascii.Error, ValueError, UnicodeEncodeError):
        return b""


# ----------------------------------------------------------------------------------------------------------
# The acuse PDF
# ----------------------------------------------------------------------------------------------------------
# The contract list is set as fixed-width text lines, not as an HTML table: WeasyPrint lays out every table
# cell as its own text box and collapses every border, which made 200 contracts cost seconds (bench_acuse).
COLUMNAS_CONTRATOS = (("Folio del contrato", 20), ("RFC contratante", 17), ("Contratante", 58), ("Trabajadores", 12))
ANCHO_SELLO = 110


def lineas_contratos(contratos: list[dict[str, Any]]) -> list[str]:
    """One line per contract (a long contratante name continues on the next lines, in its own column)."""
    (_, ancho_folio), (_, ancho_rfc), (_, ancho_nombre), (_, ancho_num) = COLUMNAS_CONTRATOS
    lineas = []
    for contrato in contratos:
        nombre = textwrap.wrap(contrato["contratante_razon_social"], ancho_nombre - 1) or [""]
        lineas.append(
            f"{contrato['folio']:<{ancho_folio}}{contrato['contratante_rfc']:<{ancho_rfc}}"
            f"{nombre[0]:<{ancho_nombre}}{contrato['trabajadores']:>{ancho_num}}"
        )
        lineas.extend(" " * (ancho_folio + ancho_rfc) + resto for resto in nombre[1:])
    return lineas


def encabezado_contratos() -> str:
    *primeras, (titulo, ancho) = COLUMNAS_CONTRATOS
    return "".join(f"{t:<{a}}" for t, a in primeras) + f"{titulo:>{ancho}}"


def en_renglones(texto: str, ancho: int = ANCHO_SELLO) -> str:
    """A long unbroken string (sello, cadena) cut into fixed-width lines for a <pre> block."""
    return "\n".join(texto[i : i + ancho] for i in range(0, len(texto), ancho))


def url_verificacion(folio: str, codigo: str = "") -> str:
    """The public verification URL the acuse prints and its QR holds: the folio and its verification code."""
    parametros = {"folio": folio, **({"codigo": codigo} if codigo else {})}
    return f"{settings.ICSOE_BASE_URL.rstrip('/')}{reverse('verificacion:acuse')}?{urlencode(parametros)}"


def codigo_mostrar(codigo: str) -> str:
    """The verification code as printed: groups of five ("7K2QM-9XR4T-...")."""
    return "-".join(codigo[i : i + 5] for i in range(0, len(codigo), 5))  # as Acuse.codigo_verificacion_mostrar


_CROCKFORD: dict[str, str | int | None] = {"O": "0", "I": "1", "L": "1"}


def codigo_normalizar(texto: str) -> str:
    """The code as typed back to its stored form: no spaces or dashes, upper case, and the letters Crockford's
    base32 reads as digits (O as 0, I and L as 1)."""
    limpio = "".join((texto or "").split()).replace("-", "").upper()
    return limpio.translate(str.maketrans(_CROCKFORD))


def pdf_renderizar(
    *,
    informativa: Informativa,
    rfc: str,
    razon_social: str,
    detalle: Resumen,
    sello_portal_b64: str,
    portal_numero_certificado: str,
    codigo_verificacion: str = "",
) -> bytes:
    """Renders the acuse with WeasyPrint. Called once, at signing; the bytes are stored and served as they are
    (after the portal's PAdES signature, acuse_pades)."""
    from weasyprint import HTML  # heavy import, only where a PDF is made

    url = url_verificacion(informativa.folio_definitivo, codigo_verificacion)
    contexto = {
        "informativa": informativa,
        "rfc": rfc,
        "razon_social": razon_social,
        "detalle": detalle,
        "fecha": cast(datetime.datetime, informativa.fecha_presentacion).astimezone(ZONA),  # set at signing
        "sello_portal": en_renglones(sello_portal_b64),
        "cadena_original": en_renglones(informativa.cadena_original),
        "sello_contratista": en_renglones(informativa.firma_b64),
        "encabezado_contratos": encabezado_contratos(),
        "lineas_contratos": lineas_contratos(detalle.contratos_detalle),
        "portal_numero_certificado": portal_numero_certificado,
        "url_verificacion": url,
        "codigo_verificacion": codigo_mostrar(codigo_verificacion),
        "qr": segno.make(url, error="m").svg_data_uri(scale=3, border=2),
    }
    html = render_to_string("informativas/presentacion/acuse_pdf.html", contexto)
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()


# ----------------------------------------------------------------------------------------------------------
# Verification (the public page and the tests)
# ----------------------------------------------------------------------------------------------------------
ESTATUS_CON_ACUSE = vigencia.ESTATUS_CON_ACUSE


@dataclass
class Verificacion:
    folio: str
    informativa: Informativa | None = None
    acuse: Acuse | None = None
    problemas: list[str] = field(default_factory=list)
    contratos: int = 0
    trabajadores: int = 0
    contratos_detalle: list[dict[str, Any]] = field(default_factory=list)

    @property
    def encontrada(self) -> bool:
        return self.acuse is not None

    @property
    def valida(self) -> bool:
        return self.encontrada and not self.problemas

    # The filing's state and its chain (vigencia.py): what it replaced, what replaced or cancelled it, and
    # which filing of the period is in force now.
    @cached_property
    def reemplazo(self) -> Informativa | None:
        return vigencia.reemplazo_de(self.informativa) if self.informativa is not None else None

    @property
    def sustituida_por(self) -> Informativa | None:
        if self.informativa is None or self.informativa.estatus != Informativa.Estatus.SUSTITUIDA:
            return None
        return self.reemplazo

    @property
    def dejada_sin_efectos_por(self) -> Informativa | None:
        if self.informativa is None or self.informativa.estatus != Informativa.Estatus.DEJADA_SIN_EFECTOS:
            return None
        return self.reemplazo

    @property
    def estado(self) -> str:
        return vigencia.estado(self.informativa, self.reemplazo) if self.informativa is not None else ""

    @property
    def relacion(self) -> str:
        return vigencia.relacion_con_origen(self.informativa) if self.informativa is not None else ""

    @cached_property
    def historial(self) -> list[vigencia.Eslabon]:
        return vigencia.historial(self.informativa) if self.informativa is not None else []

    @cached_property
    def vigente_del_periodo(self) -> Informativa | None:
        i = self.informativa
        if i is None:
            return None
        if i.vigente:
            return i
        return vigencia.vigente_del_periodo(contratista_id=i.contratista_id, anio=i.anio, cuatrimestre=i.cuatrimestre)


def certificados_portal() -> tuple[dict[bytes, sat.Certificado], bool]:
    """The portal certificates verification trusts, by DER: the one configured for signing and the earlier
    ones listed in ICSOE_SIGNING_PREVIOUS_CERTS (files the deployment controls, never the database). Also
    says whether the current one could be loaded (if not, an unknown certificate cannot be told apart from it).
    """
    conocidos: dict[bytes, sat.Certificado] = {}
    for ruta in settings.ICSOE_SIGNING_PREVIOUS_CERTS:
        try:
            certificado = sat.cargar_certificado(Path(ruta).read_bytes())
        except (OSError, sat.EfirmaError):
            logger.exception("No se pudo leer el certificado anterior del portal %s", ruta)
            continue
        conocidos[certificado.der] = certificado
    try:
        actual = sello_portal().certificado
    except SelloPortalNoConfigurado:
        logger.exception("No se pudo cargar el sello del portal")
        return conocidos, False
    conocidos[actual.der] = actual
    return conocidos, True


def _certificado_portal(acuse: Acuse, conocidos: dict[bytes, sat.Certificado]) -> sat.Certificado | None:
    """The trusted certificate that sealed the acuse: the one stored on it if the portal knows it, or, for an
    acuse stored without it, the known one with the número de certificado printed on the acuse."""
    der = bytes(acuse.portal_certificado or b"")
    if der:
        certificado = conocidos.get(der)
    else:
        certificado = next(
            (c for c in conocidos.values() if c.numero_certificado == acuse.portal_numero_certificado), None
        )
    if certificado is None or certificado.numero_certificado != acuse.portal_numero_certificado:
        return None
    return certificado


def _leer_pdf(acuse: Acuse) -> bytes | None:
    try:
        with acuse.pdf.open("rb") as archivo:
            return archivo.read()
    except (OSError, ValueError):
        return None


def acuse_verificar(*, folio: str) -> Verificacion:
    """Checks a folio as DESIGN.md asks: content hash recomputed from the stored data, cadena rebuilt from the
    stored fields, both sellos, and the stored PDF's SHA-256 (plus the portal's sello over that hash)."""
    folio = (folio or "").strip().upper()
    resultado = Verificacion(folio=folio)
    acuse = (
        Acuse.objects.select_related("informativa__informativa_origen", "informativa__contratista")
        .filter(
            informativa__folio_definitivo=folio, informativa__estatus__in=ESTATUS_CON_ACUSE
        )
        .first()
        if folio
        else None
    )
    if acuse is None:
        return resultado
    informativa = acuse.informativa
    resultado.acuse, resultado.informativa = acuse, informativa
    colonias = acuse.colonias if isinstance(acuse.colonias, dict) else {}
    detalle = resumen(informativa, colonias=colonias)
    resultado.contratos, resultado.trabajadores = detalle.contratos, detalle.trabajadores
    resultado.contratos_detalle = detalle.contratos_detalle
    problemas = resultado.problemas
    if detalle.sha256 != acuse.contenido_sha256:
        problemas.append(MENSAJE_CONTENIDO)
    if acuse.version not in VERSIONES_CADENA:
        problemas.append(MENSAJE_CADENA)
        return resultado
    esperada = cadena_informativa(
        informativa,
        detalle=detalle,
        folio=informativa.folio_definitivo,
        rfc=acuse.rfc,
        razon_social=acuse.razon_social,
        fecha=cast(datetime.datetime, informativa.fecha_presentacion),  # an acuse's informativa was presented
        numero_certificado=informativa.numero_certificado,
        version=acuse.version,
    )
    if esperada != informativa.cadena_original:
        problemas.append(MENSAJE_CADENA)
    try:
        certificado = sat.cargar_certificado(bytes(acuse.certificado))
    except sat.EfirmaError:
        certificado = None
    if (
        certificado is None
        or certificado.numero_certificado != informativa.numero_certificado
        or certificado.rfc != acuse.rfc
        or not sat.verificar(certificado, esperada.encode("utf-8"), _de_b64(informativa.firma_b64))
    ):
        problemas.append(MENSAJE_SELLO_CONTRATISTA)
    pdf = _leer_pdf(acuse)
    pdf_sha256 = hashlib.sha256(pdf).hexdigest() if pdf is not None else ""
    if pdf_sha256 != acuse.pdf_sha256:
        problemas.append(MENSAJE_PDF)
    conocidos, actual_disponible = certificados_portal()
    portal = _certificado_portal(acuse, conocidos)
    if portal is None:
        problemas.append(MENSAJE_PORTAL_DESCONOCIDO if actual_disponible else MENSAJE_SIN_SELLO_PORTAL)
        return resultado
    sello = datos_sello_portal(esperada, informativa.firma_b64)
    if not sat.verificar(portal, sello, _de_b64(acuse.sello_portal)):
        problemas.append(MENSAJE_SELLO_PORTAL)
    elif not sat.verificar(portal, datos_sello_pdf(folio, pdf_sha256), _de_b64(acuse.sello_pdf)):
        if MENSAJE_PDF not in problemas:
            problemas.append(MENSAJE_PDF)
    return resultado
