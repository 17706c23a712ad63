"""Where uploaded files live: the local disk (``make run``) or S3-compatible object storage (several hosts).

``ICSOE_S3_BUCKET`` switches the portal to object storage (settings.py); the bucket stays private: no file is
ever served from a bucket URL, the portal's access-checked views stream it (``FileResponse``). When the
object storage does not answer, :class:`AlmacenNoDisponible` reaches :class:`AlmacenMiddleware`, which answers
503 with a Spanish message. Every upload stores its file *before* the row that points at it, so a failed
upload leaves no row pointing at a missing file.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from storages.backends.s3 import S3Storage

logger = logging.getLogger(__name__)

MENSAJE = (
    "El almacenamiento de archivos no está disponible por el momento. Tu archivo no se guardó y no se registró "
    "nada; intenta de nuevo en unos minutos."
)


class AlmacenNoDisponible(OSError):
    """The object storage did not answer (down, unreachable, wrong credentials)."""

    def __init__(self, mensaje: str = MENSAJE) -> None:
        super().__init__(mensaje)
        self.mensaje = mensaje


def _traducir(operacion: Callable[..., Any]) -> Callable[..., Any]:
    def envuelta(self: AlmacenS3, *args: Any, **kwargs: Any) -> Any:
        try:
            return operacion(self, *args, **kwargs)
        except (BotoCoreError, ClientError) as error:
            if isinstance(error, ClientError) and operacion.__name__ == "_open":
                codigo = error.response.get("Error", {}).get("Code", "")
                if codigo in {"404", "NoSuchKey"}:
                    raise FileNotFoundError(args[0] if args else "") from error
            logger.error("Almacenamiento de objetos no disponible (%s): %s", operacion.__name__, error)
            raise AlmacenNoDisponible() from error

    envuelta.__name__ = operacion.__name__
    return envuelta


class AlmacenS3(S3Storage):
    """django-storages' S3 backend, private, that reports an unreachable server as :class:`AlmacenNoDisponible`."""

    _save = _traducir(S3Storage._save)
    _open = _traducir(S3Storage._open)
    delete = _traducir(S3Storage.delete)
    exists = _traducir(S3Storage.exists)
    size = _traducir(S3Storage.size)


class AlmacenMiddleware:
    """Answers 503 with the Spanish message when a view met an unreachable object storage."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, AlmacenNoDisponible):
            return None
        return HttpResponse(
            render_to_string("core/almacen_no_disponible.html", {"mensaje": exception.mensaje}),
            status=503,
            headers={"Retry-After": "60"},
        )
