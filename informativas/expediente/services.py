"""The expediente of one contratante of a presented informativa (issue 25).

Under LSS art. 15 A every client asks the contratista for proof of what was filed for it; the acuse names every
client, so it is not what to hand over. The expediente holds only one contratante's contratos and their
trabajadores, as filed:
- a PDF constancia, sealed by the portal's sello (PAdES, like the acuse) with its own verification code and QR,
  printing the SHA-256 of the workbook;
- the workbook supplier portals ask for (contratos, and a sheet of trabajadores), written by ``core.hojas``;
- a manifest with the SHA-256 of both (``sha256sum -c`` reads it).

It is built once per (informativa, RFC) and stored: every later download is the same bytes, which is what
verification compares. A later complementaria does not rewrite it; ``expediente_estado`` says what became of
its filing.
"""

from __future__ import annotations

import datetime
import hashlib
import logging
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, cast

import segno
from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone

from core import hojas
from core.services import bitacora_registrar
from firma.services import sello_portal

from .. import vigencia
from ..models import Acuse, Contrato, Informativa, codigo_verificacion_nuevo
from ..presentacion import acuse_pades, acuses
from ..selectors import contratos_del_contratante, trabajadores_del_contratante
from .models import Expediente

logger = logging.getLogger(__name__)

FORMATOS = ("pdf", "xlsx", "manifiesto")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MOTIVO = "Constancia de la informativa ICSOE presentada, para un contratante, emitida por el IMSS"
MENSAJE_NO_PRESENTADA = "La informativa no ha sido presentada: no tiene acuse ni expedientes."
MENSAJE_CONTRATANTE_AJENO = "La informativa no tiene contratos con ese contratante."

ENCABEZADO_CONTRATOS = [
    "RFC del contratista",
    "Denominación o razón social del contratista",
    "No. de contrato",
    "Objeto (IMSS-ICSOE)",
    "Fecha de inicio",
    "Fecha de término",
    "Folio REPSE",
    "Servicio u obra especializada",
    "Trabajadores",
]
ENCABEZADO_TRABAJADORES = ["No. de contrato", "NSS", "CURP", "SBC"]


@dataclass(frozen=True)
class Archivo:
    """One file of an expediente as it is downloaded."""

    contenido: bytes
    nombre: str
    content_type: str


@dataclass(frozen=True)
class EstadoExpediente:
    """What became of the filing an expediente comes from (what verification, links and the contratante's view
    show): still in force, replaced by a Corrección or Actualización, or left without effect."""

    clave: str  # "vigente", "sustituida" or "sin_efectos"
    texto: str  # «Vigente», «Sustituida por FOLIO», «Dejada sin efectos»
    reemplazo: Informativa | None  # the complementaria that replaced or cancelled it
    vigente_del_periodo: Informativa | None  # the period's filing in force now, if any

    @property
    def vigente(self) -> bool:
        return self.clave == "vigente"


# ----------------------------------------------------------------------------------------------------------
# The expediente, built once
# ----------------------------------------------------------------------------------------------------------
def expediente_de(*, informativa: Informativa, rfc: str, usuario: Any = None) -> Expediente:
    """The stored expediente of contratante ``rfc`` of a presented ``informativa``, built (and kept) the first
    time it is asked for, whatever its size: the worker's task, the benches. ``ValidationError``
    ``no_presentada`` (no acuse) or ``contratante_ajeno`` (no contrato of that RFC in it)."""
    rfc = (rfc or "").strip().upper()
    existente = _guardado(informativa, rfc)
    if existente is not None:
        return existente
    contratos = _contratos_validados(informativa, rfc)
    return _construir(informativa=informativa, rfc=rfc, contratos=contratos, usuario=usuario)


@dataclass(frozen=True)
class EnPreparacion:
    """An expediente the worker is building: what the page that asked for it says meanwhile. ``fallo``: its
    last build failed (``expediente_fallo_registrar``); it is not queued again before ENCOLADO_VIGENTE."""

    rfc: str
    nombre: str
    num_trabajadores: int
    fallo: bool = False

    @property
    def reintentar_en(self) -> int:
        """Seconds until a failed build is queued again (a page's Retry-After)."""
        return int(ENCOLADO_VIGENTE.total_seconds())


def expediente_pedir(*, informativa: Informativa, rfc: str, usuario: Any = None) -> Expediente | EnPreparacion:
    """What a web request gets: the stored expediente, or one built now when its contratante has at most
    ``settings.ICSOE_EXPEDIENTE_TRABAJADORES_EN_LA_SOLICITUD`` trabajadores. A larger one is queued for the
    worker, once while it waits, and ``EnPreparacion`` says so: its build grows by about 0.35 s of CPU and 3.3 MB
    per 1,000 trabajadores (bench/bench_expediente.py), which a web process should not hold for a big client.
    Same ``ValidationError`` as ``expediente_de``."""
    rfc = (rfc or "").strip().upper()
    existente = _guardado(informativa, rfc)
    if existente is not None:
        return existente
    contratos = _contratos_validados(informativa, rfc)
    num_trabajadores = sum(c.num_trabajadores for c in contratos)
    if num_trabajadores <= settings.ICSOE_EXPEDIENTE_TRABAJADORES_EN_LA_SOLICITUD:
        return _construir(informativa=informativa, rfc=rfc, contratos=contratos, usuario=usuario)
    fallo = cache.get(_clave_fallo(informativa.pk, rfc)) is not None
    if not fallo:
        _encolar(informativa=informativa, rfc=rfc, usuario=usuario)
    nombre = max(c.contratante_razon_social for c in contratos)
    return EnPreparacion(rfc=rfc, nombre=nombre, num_trabajadores=num_trabajadores, fallo=fallo)


# While a queued build waits, asking again queues nothing; after this long a lost task is queued again.
ENCOLADO_VIGENTE = datetime.timedelta(minutes=10)


def _clave_encolado(informativa_id: int, rfc: str) -> str:
    return f"expediente-encolado:{informativa_id}:{rfc}"


def _clave_fallo(informativa_id: int, rfc: str) -> str:
    return f"expediente-fallo:{informativa_id}:{rfc}"


def expediente_fallo_registrar(*, informativa_id: int, rfc: str) -> None:
    """The worker's build failed (its address-space ceiling, a sello missing): the pages that wait for it say so
    instead of asking again forever, and the next request after ENCOLADO_VIGENTE queues it once more."""
    cache.set(_clave_fallo(informativa_id, rfc), 1, timeout=ENCOLADO_VIGENTE.total_seconds())


def _encolar(*, informativa: Informativa, rfc: str, usuario: Any) -> None:
    clave = _clave_encolado(informativa.pk, rfc)
    if not cache.add(clave, 1, timeout=ENCOLADO_VIGENTE.total_seconds()):
        return
    usuario_id = usuario.pk if getattr(usuario, "pk", None) else None

    def encolar() -> None:
        from . import tasks

        try:
            tasks.expediente_construir.delay(informativa.pk, rfc, usuario_id)
        except Exception:  # the broker is down: the next request for it queues it again
            cache.delete(clave)
            logger.warning("No se pudo encolar el expediente de %s de la informativa %s", rfc, informativa.pk, exc_info=True)

    transaction.on_commit(encolar)


def _contratos_validados(informativa: Informativa, rfc: str) -> list[Contrato]:
    if not Acuse.objects.filter(informativa_id=informativa.pk, informativa__estatus__in=vigencia.ESTATUS_CON_ACUSE).exists():
        raise ValidationError(MENSAJE_NO_PRESENTADA, code="no_presentada")
    contratos = list(contratos_del_contratante(informativa=informativa, rfc=rfc))
    if not contratos:
        raise ValidationError(MENSAJE_CONTRATANTE_AJENO, code="contratante_ajeno")
    return contratos


def _guardado(informativa: Informativa, rfc: str) -> Expediente | None:
    return (
        Expediente.objects.select_related("informativa")
        .filter(informativa_id=informativa.pk, rfc_contratante=rfc)
        .first()
    )


def _nombre(*, folio: str, rfc: str, formato: str) -> str:
    """ "Constancia-FOLIO-RFC.pdf", "Expediente-FOLIO-RFC.xlsx", "Manifiesto-FOLIO-RFC.sha256"."""
    prefijo, extension = {"pdf": ("Constancia", "pdf"), "xlsx": ("Expediente", "xlsx"), "manifiesto": ("Manifiesto", "sha256")}[formato]
    return f"{prefijo}-{folio}-{rfc}.{extension}"


def nombre_archivo(*, expediente: Expediente, formato: str) -> str:
    return _nombre(folio=expediente.informativa.folio_definitivo, rfc=expediente.rfc_contratante, formato=formato)


@dataclass
class _Datos:
    """What an expediente prints, read once: the contratante's contratos and their trabajadores."""

    informativa: Informativa
    acuse: Acuse
    rfc: str
    nombre: str
    contratos: list[Contrato]
    trabajadores: dict[int, list[tuple[str, str, Decimal]]]

    @property
    def num_trabajadores(self) -> int:
        return sum(len(t) for t in self.trabajadores.values())


def _datos(informativa: Informativa, rfc: str, contratos: list[Contrato]) -> _Datos:
    trabajadores: dict[int, list[tuple[str, str, Decimal]]] = {c.pk: [] for c in contratos}
    filas = trabajadores_del_contratante(informativa=informativa, rfc=rfc).values_list("contrato_id", "nss", "curp", "sbc")
    for contrato_id, nss, curp, sbc in filas.iterator(chunk_size=5000):
        trabajadores[contrato_id].append((nss, curp, sbc))
    return _Datos(
        informativa=informativa,
        acuse=Acuse.objects.get(informativa_id=informativa.pk),
        rfc=rfc,
        nombre=max(c.contratante_razon_social for c in contratos),  # as selectors.contratantes_de names it
        contratos=contratos,
        trabajadores=trabajadores,
    )


def _sha256(datos: bytes) -> str:
    return hashlib.sha256(datos).hexdigest()


def _construir(*, informativa: Informativa, rfc: str, contratos: list[Contrato], usuario: Any) -> Expediente:
    datos = _datos(informativa, rfc, contratos)
    nombres = {f: _nombre(folio=informativa.folio_definitivo, rfc=rfc, formato=f) for f in FORMATOS}
    portal = sello_portal()
    codigo = codigo_verificacion_nuevo()
    xlsx = xlsx_construir(datos)
    xlsx_sha256 = _sha256(xlsx)
    pdf = acuse_pades.pdf_sellar(pdf=_pdf_renderizar(datos, codigo=codigo, xlsx_sha256=xlsx_sha256), portal=portal, motivo=MOTIVO)
    pdf_sha256 = _sha256(pdf)
    manifiesto = f"{pdf_sha256}  {nombres['pdf']}\n{xlsx_sha256}  {nombres['xlsx']}\n".encode()
    expediente = Expediente(
        informativa=informativa,
        rfc_contratante=rfc,
        nombre_contratante=datos.nombre,
        num_contratos=len(contratos),
        num_trabajadores=datos.num_trabajadores,
        codigo_verificacion=codigo,
        pdf_sha256=pdf_sha256,
        xlsx_sha256=xlsx_sha256,
        manifiesto_sha256=_sha256(manifiesto),
        portal_numero_certificado=portal.certificado.numero_certificado,
        created_by=usuario if getattr(usuario, "pk", None) else None,
    )
    expediente.pdf.save(nombres["pdf"], ContentFile(pdf), save=False)
    expediente.xlsx.save(nombres["xlsx"], ContentFile(xlsx), save=False)
    expediente.manifiesto.save(nombres["manifiesto"], ContentFile(manifiesto), save=False)
    try:
        with transaction.atomic():
            expediente.save()
            bitacora_registrar(
                accion="informativas.expediente.generado",
                objeto=informativa,
                usuario=expediente.created_by,
                datos={"rfc": rfc, "folio": informativa.folio_definitivo},
            )
    except IntegrityError:
        # Another request built it at the same time: the first one stored is the expediente, ever after.
        _borrar_archivos(expediente)
        ganador = _guardado(informativa, rfc)
        if ganador is None:
            raise
        return ganador
    except BaseException:
        _borrar_archivos(expediente)
        raise
    return expediente


def _borrar_archivos(expediente: Expediente) -> None:
    for campo in (expediente.pdf, expediente.xlsx, expediente.manifiesto):
        campo.delete(save=False)


def expediente_archivo(*, expediente: Expediente, formato: str) -> Archivo:
    """One stored file of the expediente, its bytes exactly as built."""
    campos = {"pdf": (expediente.pdf, "application/pdf"), "xlsx": (expediente.xlsx, XLSX), "manifiesto": (expediente.manifiesto, "text/plain; charset=utf-8")}
    if formato not in campos:
        raise ValueError(f"Formato de expediente desconocido: {formato}")
    campo, tipo = campos[formato]
    with campo.open("rb") as archivo:
        contenido = archivo.read()
    return Archivo(contenido=contenido, nombre=nombre_archivo(expediente=expediente, formato=formato), content_type=tipo)


# ----------------------------------------------------------------------------------------------------------
# What became of its filing
# ----------------------------------------------------------------------------------------------------------
def expediente_estado(*, expediente: Expediente) -> EstadoExpediente:
    """Whether the expediente's filing is still the one in force, «Sustituida por FOLIO» (a Corrección or
    Actualización) or «Dejada sin efectos» (a Sin efectos), with the period's filing in force, if any."""
    return informativa_estado(informativa=expediente.informativa)


def informativa_estado(*, informativa: Informativa) -> EstadoExpediente:
    """``expediente_estado`` of a presented filing, before its expediente is built."""
    informativa.refresh_from_db(fields=["estatus"])
    if informativa.vigente:
        return EstadoExpediente("vigente", "Vigente", None, informativa)
    reemplazo = vigencia.reemplazo_de(informativa)
    en_vigor = vigencia.vigente_del_periodo(
        contratista_id=informativa.contratista_id, anio=informativa.anio, cuatrimestre=informativa.cuatrimestre
    )
    if informativa.estatus == Informativa.Estatus.SUSTITUIDA:
        folio = reemplazo.folio_definitivo if reemplazo else ""
        return EstadoExpediente("sustituida", f"Sustituida por {folio}".strip(), reemplazo, en_vigor)
    return EstadoExpediente("sin_efectos", "Dejada sin efectos", reemplazo, en_vigor)


# ----------------------------------------------------------------------------------------------------------
# The files
# ----------------------------------------------------------------------------------------------------------
def _texto(valor: str) -> object:
    return hojas.celda_segura(valor)


def _filas_contratos(datos: _Datos) -> Iterator[list[object]]:
    acuse = datos.acuse
    for c in datos.contratos:
        yield [
            _texto(acuse.rfc),
            _texto(acuse.razon_social),
            _texto(c.folio),
            _texto(c.objeto),
            c.fecha_inicio,
            c.fecha_termino,
            _texto(c.registro_repse),
            _texto(c.servicio),
            len(datos.trabajadores[c.pk]),
        ]


def _filas_trabajadores(datos: _Datos) -> Iterator[list[object]]:
    for c in datos.contratos:
        folio = _texto(c.folio)
        for nss, curp, sbc in datos.trabajadores[c.pk]:
            yield [folio, _texto(nss), _texto(curp), sbc]


def xlsx_construir(datos: _Datos) -> bytes:
    """The workbook supplier portals ask for: one row per contrato, and a sheet of trabajadores."""
    return hojas.libro_xlsx_hojas(
        [
            hojas.Hoja("Contratos", ENCABEZADO_CONTRATOS, _filas_contratos(datos)),
            hojas.Hoja("Trabajadores", ENCABEZADO_TRABAJADORES, _filas_trabajadores(datos)),
        ],
        encabezado_en_negritas=True,
    )


# The trabajadores are set as fixed-width lines, two to a line, as the acuse sets its contratos: WeasyPrint
# lays out every table cell as its own box, and 3,000 rows of a table cost seconds (bench_expediente).
ANCHO_TRABAJADOR = 52


def _linea_trabajador(nss: str, curp: str, sbc: Decimal) -> str:
    return f"{nss:<13}{curp:<20}{sbc:>12,.2f}".ljust(ANCHO_TRABAJADOR)


def lineas_trabajadores(trabajadores: Iterable[tuple[str, str, Decimal]]) -> list[str]:
    lista = [_linea_trabajador(*t) for t in trabajadores]
    return ["".join(lista[i : i + 2]).rstrip() for i in range(0, len(lista), 2)]


def encabezado_trabajadores() -> str:
    uno = f"{'NSS':<13}{'CURP':<20}{'SBC':>12}".ljust(ANCHO_TRABAJADOR)
    return (uno + uno).rstrip()


def _pdf_renderizar(datos: _Datos, *, codigo: str, xlsx_sha256: str) -> bytes:
    from weasyprint import HTML  # heavy import, only where a PDF is made

    informativa = datos.informativa
    url = acuses.url_verificacion(informativa.folio_definitivo, codigo)
    contexto = {
        "informativa": informativa,
        "acuse": datos.acuse,
        "rfc": datos.rfc,
        "nombre": datos.nombre,
        "fecha": cast(datetime.datetime, informativa.fecha_presentacion).astimezone(acuses.ZONA),
        "emitida": timezone.now().astimezone(acuses.ZONA),
        "estado": vigencia.estado(informativa, vigencia.reemplazo_de(informativa)),
        "contratos": [
            {
                "contrato": c,
                "num_trabajadores": len(datos.trabajadores[c.pk]),
                "lineas": lineas_trabajadores(datos.trabajadores[c.pk]),
            }
            for c in datos.contratos
        ],
        "num_trabajadores": datos.num_trabajadores,
        "encabezado_trabajadores": encabezado_trabajadores(),
        "xlsx_sha256": xlsx_sha256,
        "url_verificacion": url,
        "codigo_verificacion": acuses.codigo_mostrar(codigo),
        "qr": segno.make(url, error="m").svg_data_uri(scale=3, border=2),
    }
    html = render_to_string("informativas/expediente/constancia_pdf.html", contexto)
    return cast(bytes, HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf())
