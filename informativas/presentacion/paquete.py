"""Every acuse of a period in one download: the PDFs in a ZIP streamed from the storage, and a summary workbook
(the rows clients' supplier portals ask for: contratista, periodo, folio, fecha, contratos, trabajadores and
the verification code).

The PDFs are the stored bytes (never re-rendered: they are the ones /verificar-acuse/ accepts), read from the
storage (the local disk or S3-compatible object storage, ``core.almacen``) a block at a time and written
into the ZIP as they arrive, so a ZIP of hundreds of acuses never sits whole in memory or on disk.
"""

from __future__ import annotations

import datetime
import io
import logging
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from typing import IO, Any

from django.db.models import QuerySet
from django.utils import timezone

from core.hojas import celda_segura

from ..models import Acuse, Informativa
from ..periodos import Periodo
from ..vigencia import ESTATUS_CON_ACUSE

logger = logging.getLogger(__name__)

BLOQUE = 64 * 1024  # bytes read from the storage at a time
HOJA_RESUMEN = "Acuses"
COLUMNAS_RESUMEN = (
    ("RFC", 16),
    ("Denominación o razón social / Nombre", 44),
    ("Periodo", 24),
    ("Año", 7),
    ("Cuatrimestre", 13),
    ("Tipo de informativa", 18),
    ("Tipo de complementaria", 18),
    ("Folio", 16),
    ("Fecha de presentación", 20),
    ("Contratos relacionados", 12),
    ("Total de trabajadores", 12),
    ("Código de verificación", 27),
    ("Estado", 18),
    ("Extemporánea", 13),
    ("Archivo", 32),
)
FORMATO_FECHA = "dd/mm/yyyy hh:mm:ss"
FALTANTES = "ACUSES-NO-DISPONIBLES.txt"


def acuses_del_periodo(*, contratistas: QuerySet[Any] | Iterable[int], periodo: Periodo) -> list[Acuse]:
    """The acuses of ``periodo`` of the given contratistas (a queryset of them, or their ids): every filing
    presented, the ones since replaced or cancelled included (their acuses stay valid proof of what was filed
    then), by RFC and time of presentation. One query."""
    return list(
        Acuse.objects.filter(
            informativa__contratista__in=contratistas,
            informativa__anio=periodo.anio,
            informativa__cuatrimestre=periodo.cuatrimestre,
            informativa__estatus__in=ESTATUS_CON_ACUSE,
        )
        .select_related("informativa")
        .only(
            "rfc",
            "razon_social",
            "num_contratos",
            "num_trabajadores",
            "codigo_verificacion",
            "pdf",
            "informativa__anio",
            "informativa__cuatrimestre",
            "informativa__tipo",
            "informativa__estatus",
            "informativa__extemporanea",
            "informativa__folio_definitivo",
            "informativa__fecha_presentacion",
        )
        .order_by("rfc", "informativa__fecha_presentacion", "pk")
    )


def nombre_en_zip(acuse: Acuse) -> str:
    """RFC_folio.pdf: unique (a folio is), and sorted by contratista in any file manager."""
    return f"{acuse.rfc}_{acuse.informativa.folio_definitivo}.pdf"


def _estado(informativa: Informativa) -> str:
    return "Vigente" if informativa.vigente else informativa.get_estatus_display()


def _fecha_local(valor: datetime.datetime | None) -> datetime.datetime | None:
    # Excel has no time zones: the portal's local time (Mexico City), to the second.
    return timezone.localtime(valor).replace(tzinfo=None, microsecond=0) if valor else None


def acuses_resumen_xlsx(*, acuses: Sequence[Acuse], archivo: IO[bytes]) -> int:
    """Writes the summary of ``acuses`` to ``archivo`` as XLSX, one row per acuse; returns the rows written.
    Every text cell goes through ``core.hojas.celda_segura`` (a razón social starting with "=" is not run)."""
    from openpyxl import Workbook  # imported here: ~12 MB (with lxml, Pillow) a web worker rarely needs
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.utils import get_column_letter

    libro = Workbook(write_only=True)
    hoja = libro.create_sheet(HOJA_RESUMEN)
    for numero, (_, ancho) in enumerate(COLUMNAS_RESUMEN, start=1):
        hoja.column_dimensions[get_column_letter(numero)].width = ancho
    hoja.freeze_panes = "A2"
    hoja.append([titulo for titulo, _ in COLUMNAS_RESUMEN])
    for acuse in acuses:
        informativa = acuse.informativa
        fecha = WriteOnlyCell(hoja, _fecha_local(informativa.fecha_presentacion))
        fecha.number_format = FORMATO_FECHA
        hoja.append(
            [
                celda_segura(acuse.rfc),
                celda_segura(acuse.razon_social),
                str(informativa.periodo),
                informativa.anio,
                informativa.periodo.ordinal,
                informativa.tipo_informativa,
                informativa.tipo_complementaria,
                celda_segura(informativa.folio_definitivo),
                fecha,
                acuse.num_contratos,
                acuse.num_trabajadores,
                acuse.codigo_verificacion_mostrar,
                _estado(informativa),
                "Sí" if informativa.extemporanea else "No",
                celda_segura(nombre_en_zip(acuse)),
            ]
        )
    libro.save(archivo)
    return len(acuses)


class _Tubo(io.RawIOBase):
    """Where the ZIP writes: keeps what was written until the generator hands it on. Not seekable, so zipfile
    writes each entry's sizes after its data (a data descriptor) instead of seeking back."""

    def __init__(self) -> None:
        super().__init__()
        self._partes: list[bytes] = []

    def writable(self) -> bool:
        return True

    def write(self, datos: Any) -> int:
        self._partes.append(bytes(datos))
        return len(datos)

    def sacar(self) -> bytes:
        datos = b"".join(self._partes)
        self._partes.clear()
        return datos


def _fecha_zip(acuse: Acuse) -> tuple[int, int, int, int, int, int]:
    momento = acuse.informativa.fecha_presentacion
    local = timezone.localtime(momento) if momento else timezone.localtime()
    return (local.year, local.month, local.day, local.hour, local.minute, local.second)


def acuses_zip(
    *, acuses: Sequence[Acuse], resumen: bytes | None = None, nombre_resumen: str = "Resumen.xlsx"
) -> Iterator[bytes]:
    """The ZIP of ``acuses`` (each as ``nombre_en_zip``), and the summary workbook when given, as a stream of
    chunks. Each PDF is read from the storage a block at a time.

    The first chunk is made only after the first PDF was opened, so a caller that takes it before answering
    gets the storage's failure (``core.almacen.AlmacenNoDisponible``) while it can still answer with an error
    page. A PDF missing from the storage is logged and named in ACUSES-NO-DISPONIBLES.txt inside the ZIP
    (the rest still arrives)."""
    tubo = _Tubo()
    faltantes: list[str] = []
    with zipfile.ZipFile(tubo, "w", compression=zipfile.ZIP_DEFLATED) as destino:
        for acuse in acuses:
            nombre = nombre_en_zip(acuse)
            try:
                origen = acuse.pdf.storage.open(acuse.pdf.name, "rb")
            except FileNotFoundError:
                logger.error("El PDF del acuse %s no está en el almacenamiento (%s)", nombre, acuse.pdf.name)
                faltantes.append(nombre)
                continue
            with origen:
                entrada = zipfile.ZipInfo(nombre, date_time=_fecha_zip(acuse))
                entrada.compress_type = zipfile.ZIP_DEFLATED
                with destino.open(entrada, "w") as escrito:
                    while bloque := origen.read(BLOQUE):
                        escrito.write(bloque)
                        if datos := tubo.sacar():
                            yield datos
            if datos := tubo.sacar():
                yield datos
        if resumen is not None:
            destino.writestr(nombre_resumen, resumen)
        if faltantes:
            destino.writestr(
                FALTANTES,
                "Estos acuses no se pudieron leer del almacenamiento; descárgalos de nuevo más tarde o "
                "comunícate con el IMSS:\n" + "\n".join(faltantes) + "\n",
            )
    yield tubo.sacar()


def periodos_con_acuses(*, contratistas: QuerySet[Any] | Iterable[int]) -> list[Periodo]:
    """The periods in which the contratistas presented anything, newest first. One query."""
    claves = (
        Informativa.objects.filter(contratista__in=contratistas, estatus__in=ESTATUS_CON_ACUSE)
        .values_list("anio", "cuatrimestre")
        .distinct()
        .order_by("-anio", "-cuatrimestre")
    )
    return [Periodo(anio, cuatrimestre) for anio, cuatrimestre in claves]
