"""The S3-compatible object storage of ``core.almacen`` (``ICSOE_S3_BUCKET``), apart so that a portal on the local
disk never loads boto3 and botocore. Settings name it ``core.almacen.AlmacenS3``, which ``core.almacen`` hands
over from here."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError
from storages.backends.s3 import S3Storage

from core.almacen import AlmacenNoDisponible, ArchivoFaltante

logger = logging.getLogger("core.almacen")


def _traducir(operacion: Callable[..., Any]) -> Callable[..., Any]:
    def envuelta(self: AlmacenS3, *args: Any, **kwargs: Any) -> Any:
        try:
            return operacion(self, *args, **kwargs)
        except (BotoCoreError, ClientError) as error:
            if isinstance(error, ClientError) and operacion.__name__ == "_open":
                codigo = error.response.get("Error", {}).get("Code", "")
                if codigo in {"404", "NoSuchKey"}:
                    raise ArchivoFaltante(args[0] if args else "") from error
            logger.error("Almacenamiento de objetos no disponible (%s): %s", operacion.__name__, error)
            raise AlmacenNoDisponible() from error

    envuelta.__name__ = operacion.__name__
    return envuelta


class AlmacenS3(S3Storage):
    """django-storages' S3 backend, private, that reports an unreachable server as :class:`AlmacenNoDisponible`
    and a missing object as :class:`ArchivoFaltante`."""

    _save = _traducir(S3Storage._save)

    @_traducir
    def _open(self, name: str, mode: str = "rb") -> Any:
        try:
            return S3Storage._open(self, name, mode)
        except ArchivoFaltante:
            raise
        except FileNotFoundError as error:  # django-storages' own answer to a HEAD that found nothing
            raise ArchivoFaltante(name) from error

    delete = _traducir(S3Storage.delete)
    exists = _traducir(S3Storage.exists)
    size = _traducir(S3Storage.size)
