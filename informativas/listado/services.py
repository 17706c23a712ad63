"""The listado público of a month (Lineamientos 6.1): one row per contrato of every filing presented that month
(Mexico City time), with names and person types, never an RFC nor anything of a trabajador.

A month's file is published once (``listado_publicar``) and never rewritten: a later correction is a filing of
the month it was presented in, so it appears in that month's listado. Rows are read in chunks and the workbook
is written streamed (``core.hojas.libro_xlsx``), so memory stays flat however many contratos a month holds.
"""

from __future__ import annotations

import datetime
import hashlib
import secrets
from collections.abc import Iterator
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
from django.db.models.functions import Length
from django.utils import timezone

from core.hojas import celda_segura, libro_xlsx
from plazos import services as plazos

from ..models import Contrato, Informativa
from .models import ListadoPublico

ZONA = ZoneInfo("America/Mexico_City")
DIAS_HABILES_PARA_PUBLICAR = 5
TROZO = 2000

ENCABEZADO = [
    "Nombre, denominación o razón social del contratista",
    "Tipo de persona del contratista",
    "Nombre, denominación o razón social del contratante",
    "Tipo de persona del contratante",
    "Folio del contrato",
    "Servicio u obra especializado",
    "Fecha de inicio",
    "Fecha de término",
    "Número de trabajadores",
    "Cuatrimestre",
    "Año",
    "Tipo de informativa",
    "Tipo de complementaria",
    "Folio de la informativa",
    "Fecha de presentación",
]

MENSAJE_MES_NO_TERMINADO = "El listado público de un mes se genera cuando el mes ya terminó."
MENSAJE_MES_INVALIDO = "Escribe el mes como AAAA-MM, por ejemplo 2026-05."


@dataclass(frozen=True)
class Listado:
    contenido: bytes
    filas: int

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.contenido).hexdigest()


def mes_de_texto(texto: str) -> datetime.date:
    """``AAAA-MM`` as the first day of that month; ValueError with the Spanish message otherwise."""
    try:
        return datetime.datetime.strptime(texto.strip(), "%Y-%m").date()
    except ValueError:
        raise ValueError(MENSAJE_MES_INVALIDO) from None


def _siguiente_mes(mes: datetime.date) -> datetime.date:
    return datetime.date(mes.year + mes.month // 12, mes.month % 12 + 1, 1)


def _persona(largo_rfc: int) -> str:
    return "Moral" if largo_rfc == 12 else "Física"


def _presentadas_en(mes: datetime.date):
    desde = datetime.datetime.combine(mes, datetime.time(), tzinfo=ZONA)
    hasta = datetime.datetime.combine(_siguiente_mes(mes), datetime.time(), tzinfo=ZONA)
    return Informativa.objects.filter(
        estatus__in=Informativa.ESTATUS_PRESENTADAS, fecha_presentacion__gte=desde, fecha_presentacion__lt=hasta
    )


def _tipos(tipo: str) -> tuple[str, str]:
    """The acuse's two columns: Normal / Sin información / Complementaria, and the complementaria's kind."""
    if tipo in Informativa.TIPOS_COMPLEMENTARIA:
        return "Complementaria", Informativa.Tipo(tipo).label
    return Informativa.Tipo(tipo).label, ""


def _fila_informativa(anio: int, cuatrimestre: int, tipo: str, folio: str, presentada: datetime.datetime) -> list:
    tipo_informativa, tipo_complementaria = _tipos(tipo)
    # A worksheet holds no time zone: the presentation's Mexico City time, as the acuse prints it.
    fecha = timezone.localtime(presentada, ZONA).replace(tzinfo=None)
    return [cuatrimestre, anio, tipo_informativa, tipo_complementaria, celda_segura(folio), fecha]


# The RFCs are never read: only their length, computed by the database, which says the person type.
_CAMPOS_CONTRATO = (
    "informativa__contratista__razon_social",
    "largo_rfc_contratista",
    "contratante_razon_social",
    "largo_rfc_contratante",
    "folio",
    "servicio",
    "objeto",
    "fecha_inicio",
    "fecha_termino",
    "num_trabajadores",
    "informativa__anio",
    "informativa__cuatrimestre",
    "informativa__tipo",
    "informativa__folio_definitivo",
    "informativa__fecha_presentacion",
)


def _filas(mes: datetime.date) -> Iterator[list]:
    contratos = (
        Contrato.objects.filter(informativa__in=_presentadas_en(mes))
        .annotate(
            largo_rfc_contratista=Length("informativa__contratista__rfc"),
            largo_rfc_contratante=Length("contratante_rfc"),
        )
        .order_by("informativa__fecha_presentacion", "informativa_id", "pk")
        .values_list(*_CAMPOS_CONTRATO)
        .iterator(chunk_size=TROZO)
    )
    for (contratista, largo_contratista, contratante, largo_contratante, folio, servicio, objeto, inicio, termino,
         trabajadores, anio, cuatrimestre, tipo, folio_informativa, presentada) in contratos:
        yield [
            celda_segura(contratista),
            _persona(largo_contratista),
            celda_segura(contratante),
            _persona(largo_contratante),
            celda_segura(folio),
            celda_segura(servicio or objeto),
            inicio,
            termino,
            trabajadores,
            *_fila_informativa(anio, cuatrimestre, tipo, folio_informativa, presentada),
        ]
    # A filing without contratos (Sin información, Sin efectos) is one row of its own: the public sees that a
    # Sin efectos left the period's earlier contratos without effect.
    sin_contratos = (
        _presentadas_en(mes)
        .filter(~Exists(Contrato.objects.filter(informativa=OuterRef("pk"))))
        .annotate(largo_rfc=Length("contratista__rfc"))
        .order_by("fecha_presentacion", "pk")
        .values_list(
            "contratista__razon_social", "largo_rfc", "anio", "cuatrimestre", "tipo", "folio_definitivo",
            "fecha_presentacion",
        )
        .iterator(chunk_size=TROZO)
    )
    for contratista, largo, anio, cuatrimestre, tipo, folio_informativa, presentada in sin_contratos:
        yield [
            celda_segura(contratista), _persona(largo), "", "", "", "", None, None, 0,
            *_fila_informativa(anio, cuatrimestre, tipo, folio_informativa, presentada),
        ]


def listado_construir(*, mes: datetime.date) -> Listado:
    """The workbook of the filings presented in ``mes`` (any day of it), built now; nothing is stored."""
    mes = mes.replace(day=1)
    cuenta = 0

    def contadas() -> Iterator[list]:
        nonlocal cuenta
        for fila in _filas(mes):
            cuenta += 1
            yield fila

    contenido = libro_xlsx(f"Listado {mes:%Y-%m}", ENCABEZADO, contadas(), encabezado_en_negritas=True)
    return Listado(contenido=contenido, filas=cuenta)


def listado_publicar(*, mes: datetime.date, hoy: datetime.date) -> tuple[ListadoPublico, bool]:
    """Publishes ``mes``'s listado once: an existing one is returned untouched (``False``), never rewritten.
    A month not yet ended (seen from ``hoy``) is refused with ValueError."""
    mes = mes.replace(day=1)
    if existente := ListadoPublico.objects.filter(mes=mes).first():
        return existente, False
    if mes >= hoy.replace(day=1):
        raise ValueError(MENSAJE_MES_NO_TERMINADO)
    listado = listado_construir(mes=mes)
    publicado = ListadoPublico(mes=mes, sha256=listado.sha256, filas=listado.filas, generado=timezone.now())
    # The file before the row that points at it, under a name of its own: two runs at once never share one.
    nombre = f"listado-publico-{mes:%Y-%m}-{secrets.token_hex(4)}.xlsx"
    publicado.archivo.save(nombre, ContentFile(listado.contenido), save=False)
    try:
        with transaction.atomic():
            publicado.save()
    except IntegrityError:  # another run published it meanwhile: its file stands, ours goes
        publicado.archivo.storage.delete(publicado.archivo.name)
        return ListadoPublico.objects.get(mes=mes), False
    return publicado, True


def quinto_dia_habil(*, mes: datetime.date) -> datetime.date:
    dia = plazos.dia_habil_desde(fecha=mes.replace(day=1))
    for _ in range(DIAS_HABILES_PARA_PUBLICAR - 1):
        dia = plazos.dia_habil_desde(fecha=dia + datetime.timedelta(days=1))
    return dia


def en_plazo_de_publicar(*, hoy: datetime.date) -> bool:
    """One of the first five business days of ``hoy``'s month (the ``plazos`` calendar)."""
    return plazos.es_dia_habil(fecha=hoy) and hoy <= quinto_dia_habil(mes=hoy)


def listado_mes_anterior_publicar(*, hoy: datetime.date) -> ListadoPublico | None:
    """The beat task's rule: within the first five business days of the month, the previous month's listado
    is published (once). Answers the listado published now, or None (outside the window, or already done)."""
    if not en_plazo_de_publicar(hoy=hoy):
        return None
    anterior = (hoy.replace(day=1) - datetime.timedelta(days=1)).replace(day=1)
    listado, nuevo = listado_publicar(mes=anterior, hoy=hoy)
    return listado if nuevo else None
