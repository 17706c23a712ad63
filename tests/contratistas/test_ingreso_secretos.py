"""The private key and its password never reach disk, the database, the session or the logs: the server never
receives them (docs/firma-en-navegador.md; the bodies the browser sends are checked in
tests/contratistas/test_e2e_navegador.py)."""

from __future__ import annotations

import base64
import logging
import os
import subprocess
import tempfile
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import connection

from contratistas.models import Contratista

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD_UNICA = "Secreta-Unica-9f3k#Xq"


def _huellas(llave: bytes) -> list[bytes]:
    """The forms the secret could take on disk or in a dump: raw, base64, hex, and the password itself."""
    cuerpo = llave[40:140]  # a slice from inside the encrypted key, long enough not to match by chance
    return [
        cuerpo,
        base64.b64encode(cuerpo)[:64],
        cuerpo.hex().encode()[:64],
        PASSWORD_UNICA.encode(),
        PASSWORD_UNICA.encode("utf-16-le"),
    ]


def _volcado_base_de_datos() -> bytes:
    if connection.vendor == "postgresql":
        datos = settings.DATABASES["default"]
        return subprocess.run(
            [
                f"{os.environ.get('PG_BIN', '/usr/lib/postgresql/15/bin')}/pg_dump",
                "-h", datos["HOST"], "-p", str(datos["PORT"]), "-U", datos["USER"], datos["NAME"],
            ],
            check=True, capture_output=True, timeout=60,
        ).stdout
    return Path(datos_sqlite()).read_bytes()


def datos_sqlite() -> str:
    return settings.DATABASES["default"]["NAME"]


def _archivos_nuevos(carpeta: Path, desde: float) -> list[Path]:
    """Files written since ``desde``. os.walk, not rglob: other processes (the worker, Chromium, other test
    runs) create and delete folders in /tmp while we scan, and rglob raises when one disappears under it."""
    nuevos = []
    for raiz, _carpetas, archivos in os.walk(carpeta, onerror=lambda _error: None):
        for nombre in archivos:
            ruta = Path(raiz) / nombre
            try:
                datos = ruta.stat()
            except OSError:
                continue
            if ruta.is_file() and datos.st_mtime >= desde and datos.st_size < 50_000_000:
                nuevos.append(ruta)
    return nuevos


def test_key_and_password_leave_no_trace_after_good_and_bad_logins(client, demo_efirma, caplog):
    efirma = demo_efirma("ESI920427886", "EMPRESA DE SERVICIOS INTEGRALES SA DE CV", password=PASSWORD_UNICA)
    llave = efirma.key.read_bytes()
    efirma.key.unlink()  # the only copy is now in memory: any file that holds it later was written by us
    inicio = time.time()
    caplog.set_level(logging.DEBUG)
    cache.clear()

    from dataclasses import replace

    from tests.firma_navegador import URL_ACCESO_VALIDAR, ingresar, validar

    en_memoria = replace(efirma, key=llave)  # the helper signs with the key's bytes, as the page does
    refusal = validar(client, URL_ACCESO_VALIDAR, cer=efirma.cer, rfc="PEJJ800101AB6")
    assert "no corresponde" in refusal["error"]
    cache.clear()
    assert ingresar(client, en_memoria).status_code == 302
    assert Contratista.objects.filter(rfc="ESI920427886").exists()
    client.post("/acceso/terminos/", {"acepto": "on"})
    client.get("/inicio/")

    huellas = _huellas(llave)
    lugares = {
        "base de datos": _volcado_base_de_datos(),
        "bitácora capturada": caplog.text.encode(),
        "sesión": repr(dict(client.session.items())).encode(),
    }
    for ruta in _archivos_nuevos(Path(settings.ICSOE_VAR_DIR), inicio) + _archivos_nuevos(
        Path(tempfile.gettempdir()), inicio
    ):
        try:
            lugares[str(ruta)] = ruta.read_bytes()
        except OSError:  # another process's short-lived file in the shared temporary folder
            continue
    assert len(lugares["base de datos"]) > 1000
    for lugar, contenido in lugares.items():
        for huella in huellas:
            assert huella not in contenido, f"la llave privada o su contraseña aparece en {lugar}"
