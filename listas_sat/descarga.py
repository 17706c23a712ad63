"""SAT's files fetched by URL: streamed to a temporary file under a size cap, with the SHA-256 taken on the way,
and a conditional GET (ETag, Last-Modified) so an unchanged file is not downloaded again."""

from __future__ import annotations

import datetime
import email.utils
import hashlib
import tempfile
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

from core.errores import ErrorConMensaje


class DescargaFallida(ErrorConMensaje):
    pass


@dataclass
class Descarga:
    url: str
    ruta: Path | None  # None: not modified (304)
    etag: str = ""
    last_modified: str = ""
    sha256: str = ""

    @property
    def publicado(self) -> datetime.date | None:
        if not self.last_modified:
            return None
        try:
            return email.utils.parsedate_to_datetime(self.last_modified).date()
        except (TypeError, ValueError):
            return None


def es_url(texto: str) -> bool:
    return texto.startswith(("http://", "https://"))


def descargar(url: str, *, etag: str = "", last_modified: str = "", destino: Path | None = None) -> Descarga:
    """Downloads ``url`` to a temporary file (the caller deletes it) refusing more than ICSOE_LISTAS_SAT_MAX_BYTES."""
    maximo = settings.ICSOE_LISTAS_SAT_MAX_BYTES
    peticion = urllib.request.Request(url, headers={"User-Agent": "ICSOE-listas-sat"})
    if etag:
        peticion.add_header("If-None-Match", etag)
    if last_modified:
        peticion.add_header("If-Modified-Since", last_modified)
    try:
        respuesta = urllib.request.urlopen(peticion, timeout=60)  # noqa: S310 - the URLs come from settings
    except urllib.error.HTTPError as e:
        if e.code == 304:
            return Descarga(url, None, etag, last_modified)
        raise DescargaFallida(f"El SAT respondió {e.code} a {url}.") from e
    except (urllib.error.URLError, OSError) as e:
        raise DescargaFallida(f"No pude descargar {url}: {e}.") from e
    with respuesta:
        h = hashlib.sha256()
        leidos = 0
        with tempfile.NamedTemporaryFile(
            "wb", delete=False, suffix=".csv", prefix="lista-sat-", dir=destino
        ) as archivo:
            while bloque := respuesta.read(1024 * 1024):
                leidos += len(bloque)
                if leidos > maximo:
                    archivo.close()
                    Path(archivo.name).unlink(missing_ok=True)
                    raise DescargaFallida(f"{url} pasa de {maximo:,} bytes: no lo descargué completo.")
                h.update(bloque)
                archivo.write(bloque)
        return Descarga(
            url, Path(archivo.name), respuesta.headers.get("ETag", ""), respuesta.headers.get("Last-Modified", ""),
            h.hexdigest(),
        )
