"""The nightly check of SAT's files: each URL fetched conditionally, each check recorded (the «no verificado»
rule reads them), changed files loaded."""

from __future__ import annotations

import logging

from . import services
from .descarga import DescargaFallida, descargar
from .models import Verificacion

log = logging.getLogger(__name__)


def listas_actualizar(*, urls: list[str]) -> int:
    cargados = 0
    for url in urls:
        try:
            cargados += lista_actualizar(url=url)
        except (DescargaFallida, services.CargaRechazada) as e:
            log.warning("listas_sat: %s", e.mensaje)
    return cargados


def lista_actualizar(*, url: str) -> int:
    """1 when the file changed and was loaded, 0 when SAT's file is the one in force (a confirmed check)."""
    previa = Verificacion.objects.filter(origen=url[:500]).exclude(lista="").first()
    etag = previa.etag if previa and previa.confirmada else ""
    modificado = previa.last_modified if previa and previa.confirmada else ""
    try:
        descarga = descargar(url, etag=etag, last_modified=modificado)
    except DescargaFallida as e:
        services.verificacion_registrar(lista=previa.lista if previa else "", origen=url, confirmada=False, mensaje=e.mensaje)
        raise
    if descarga.ruta is None:
        assert previa is not None
        services.verificacion_registrar(
            lista=previa.lista, origen=url, confirmada=True, sha256=previa.sha256, etag=etag, last_modified=modificado,
            mensaje="Sin cambios (304).",
        )
        return 0
    try:
        resultado = services.lista_importar(
            ruta=descarga.ruta, origen=url, publicado=descarga.publicado, etag=descarga.etag,
            last_modified=descarga.last_modified, sha256=descarga.sha256,
        )
    finally:
        descarga.ruta.unlink(missing_ok=True)
    return 0 if resultado.sin_cambios else 1
