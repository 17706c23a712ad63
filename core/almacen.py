"""Where uploaded files live: the local disk (``make run``) or S3-compatible object storage (several hosts).

``ICSOE_S3_BUCKET`` switches the portal to object storage (settings.py); the bucket stays private: no file is
ever served from a bucket URL, the portal's access-checked views stream it (``FileResponse``). When the
object storage does not answer, :class:`AlmacenNoDisponible` reaches :class:`AlmacenMiddleware`, which answers
503 with a Spanish message. Every upload stores its file *before* the row that points at it, so a failed
upload leaves no row pointing at a missing file.

A row can still name a file its storage does not have: a host that kept uploads on its own disk while another
host answers (several web hosts without object storage), or a restore whose bucket copy is older than the
database. Opening it raises :class:`ArchivoFaltante` (both backends), which the middleware answers with a
Spanish 404 page and an error in the log naming the missing object, instead of a 500.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.core.files.storage import FileSystemStorage
from django.db import models
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string

logger = logging.getLogger(__name__)

MENSAJE = (
    "El almacenamiento de archivos no está disponible por el momento. Tu archivo no se guardó y no se registró "
    "nada; intenta de nuevo en unos minutos."
)

MENSAJE_FALTANTE = (
    "No encontramos el archivo en el almacenamiento del portal. Tus datos registrados no cambiaron; intenta más "
    "tarde y, si el problema sigue, repórtalo a la mesa de servicio del IMSS."
)


class AlmacenNoDisponible(OSError):
    """The object storage did not answer (down, unreachable, wrong credentials)."""

    def __init__(self, mensaje: str = MENSAJE) -> None:
        super().__init__(mensaje)
        self.mensaje = mensaje


class ArchivoFaltante(FileNotFoundError):
    """The storage has no file under the name a row gives (lost object, or another host's local disk)."""

    def __init__(self, nombre: str) -> None:
        super().__init__(f"No existe en el almacenamiento: {nombre}")
        self.nombre = nombre


def __getattr__(nombre: str) -> Any:
    # ``core.almacen.AlmacenS3`` (the STORAGES path settings.py names) lives in core.almacen_s3: boto3 and
    # botocore cost every process ~8 MB, and only a portal on object storage needs them.
    if nombre == "AlmacenS3":
        from core.almacen_s3 import AlmacenS3

        return AlmacenS3
    raise AttributeError(f"module {__name__!r} has no attribute {nombre!r}")


class AlmacenLocal(FileSystemStorage):
    """The local disk (``make run``, one host), reporting a missing file as :class:`ArchivoFaltante`."""

    def _open(self, name: str, mode: str = "rb") -> Any:
        try:
            return super()._open(name, mode)
        except FileNotFoundError as error:
            raise ArchivoFaltante(name) from error


class AlmacenMiddleware:
    """Answers 503 with the Spanish message when a view met an unreachable object storage, and 404 with its own
    when the file a row names is not in the storage."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, ArchivoFaltante):
            logger.error(
                "Archivo no encontrado en el almacenamiento (%s): %s", request.path, exception.nombre
            )
            return HttpResponse(
                render_to_string("core/almacen_no_disponible.html", {"mensaje": MENSAJE_FALTANTE}), status=404
            )
        if not isinstance(exception, AlmacenNoDisponible):
            return None
        return HttpResponse(
            render_to_string("core/almacen_no_disponible.html", {"mensaje": exception.mensaje}),
            status=503,
            headers={"Retry-After": "60"},
        )


# ---------------------------------------------------------------------------------------------------------
# After a restore: which rows name a file the storage does not have
# ---------------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Faltante:
    modelo: str  # app_label.Model
    campo: str
    pk: Any
    nombre: str


def archivos_revisar(*, lote: int = 1000) -> Iterator[tuple[Faltante, bool]]:
    """Every stored file name of every FileField of every model, with whether its storage has it (one HEAD per
    object in S3). Reads the rows in pk order, ``lote`` at a time, so memory stays flat and no transaction
    stays open while the storage is asked (PgBouncer)."""
    for modelo in apps.get_models():
        campos = [c for c in modelo._meta.concrete_fields if isinstance(c, models.FileField)]
        for campo in campos:
            filas = modelo._default_manager.exclude(**{campo.attname: ""}).exclude(
                **{f"{campo.attname}__isnull": True}
            )
            ultimo = None
            while True:
                pagina = filas.order_by("pk")
                if ultimo is not None:
                    pagina = pagina.filter(pk__gt=ultimo)
                valores = list(pagina.values_list("pk", campo.attname)[:lote])
                if not valores:
                    break
                for pk, nombre in valores:
                    faltante = Faltante(modelo._meta.label, campo.name, pk, nombre)
                    yield faltante, campo.storage.exists(nombre)
                ultimo = valores[-1][0]
