"""The answer of the two "every acuse of a period" downloads (the Acuses page and the capturista's board): the
ZIP streamed, or the summary workbook."""

from __future__ import annotations

import io
import itertools
from collections.abc import Sequence
from typing import cast

from django.http import FileResponse, HttpResponseBase, StreamingHttpResponse
from django.utils.http import content_disposition_header

from core.almacen import AlmacenNoDisponible

from ..models import Acuse
from ..periodos import Periodo
from . import paquete

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MENSAJE_ALMACEN = (
    "El almacenamiento de archivos no está disponible por el momento y no se pudieron leer los acuses. Intenta "
    "de nuevo la descarga en unos minutos."
)


def nombre_descarga(*, periodo: Periodo, rfc: str = "") -> str:
    """ "Acuses_2026_Enero-Abril" or, for one contratista, "Acuses_ESI920427886_2026_Enero-Abril"."""
    partes = ["Acuses", rfc, str(periodo.anio), periodo.nombre.replace(" - ", "-")]
    return "_".join(p for p in partes if p)


def _resumen(acuses: Sequence[Acuse]) -> bytes:
    archivo = io.BytesIO()
    paquete.acuses_resumen_xlsx(acuses=acuses, archivo=archivo)
    return archivo.getvalue()


def respuesta(*, acuses: Sequence[Acuse], nombre: str, formato: str) -> HttpResponseBase:
    """The summary workbook (``formato`` "xlsx"), or the ZIP of the PDFs with the workbook inside it.

    The ZIP's first chunk is made here, before answering: when the object storage does not answer, the view
    still raises ``AlmacenNoDisponible`` and the visitor gets the Spanish 503 page instead of a broken file."""
    resumen = _resumen(acuses)
    if formato == "xlsx":
        return FileResponse(io.BytesIO(resumen), as_attachment=True, filename=f"{nombre}.xlsx", content_type=XLSX)
    partes = paquete.acuses_zip(acuses=acuses, resumen=resumen, nombre_resumen=f"Resumen_{nombre}.xlsx")
    try:
        primera = next(partes)
    except AlmacenNoDisponible as error:
        raise AlmacenNoDisponible(MENSAJE_ALMACEN) from error
    salida = StreamingHttpResponse(itertools.chain([primera], partes), content_type="application/zip")
    salida["Content-Disposition"] = cast(str, content_disposition_header(True, f"{nombre}.zip"))  # an attachment
    return salida
