"""The private key and its password never reach disk, the database, the session, logs or an error report."""

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
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import OperationalError, connection

from contratistas.models import Contratista
from tests.efirma_sat import rastros_de_secretos, revocacion_sin_base_de_datos

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
    if not carpeta.exists():
        return []
    nuevos = []
    for ruta in carpeta.rglob("*"):
        try:
            if ruta.is_file() and ruta.stat().st_mtime >= desde and ruta.stat().st_size < 50_000_000:
                nuevos.append(ruta)
        except OSError:
            continue
    return nuevos


def test_key_and_password_leave_no_trace_after_good_and_bad_logins(client, demo_efirma, caplog):
    efirma = demo_efirma("ESI920427886", "EMPRESA DE SERVICIOS INTEGRALES SA DE CV", password=PASSWORD_UNICA)
    llave = efirma.key.read_bytes()
    efirma.key.unlink()  # the only copy is now in memory: any file that holds it later was written by us
    inicio = time.time()
    caplog.set_level(logging.DEBUG)
    cache.clear()

    def ingresar(password: str, rfc: str = "ESI920427886"):
        return client.post(
            "/acceso/efirma/",
            {
                "rfc": rfc,
                "certificado": SimpleUploadedFile("e.cer", efirma.cer.read_bytes()),
                "llave": SimpleUploadedFile("e.key", llave),
                "contrasena": password,
            },
        )

    assert "incorrecta" in ingresar(PASSWORD_UNICA + "x").content.decode()
    assert "no corresponde" in ingresar(PASSWORD_UNICA, rfc="PEJJ800101AB6").content.decode()
    cache.clear()
    assert ingresar(PASSWORD_UNICA).status_code == 302
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


@pytest.mark.parametrize("url", ["/acceso/efirma/", "/acceso/efirma/validar/"])
def test_an_error_report_after_the_key_was_decrypted_shows_neither_the_key_nor_its_password(
    client, demo_efirma, informes_de_error, url
):
    efirma = demo_efirma("ESI920427886", "EMPRESA DE SERVICIOS INTEGRALES SA DE CV", password=PASSWORD_UNICA)
    llave = efirma.key.read_bytes()
    cache.clear()

    with revocacion_sin_base_de_datos(), pytest.raises(OperationalError):
        client.post(
            url,
            {
                "rfc": "ESI920427886",
                "certificado": SimpleUploadedFile("e.cer", efirma.cer.read_bytes()),
                "llave": SimpleUploadedFile("e.key", llave),
                "contrasena": PASSWORD_UNICA,
            },
        )

    (texto, html), = informes_de_error
    for informe in (texto, html):
        # The report is the real one: the failure, the frames that held the key, and the hidden values.
        assert "la base de datos no responde" in informe
        for marco in ("_validar", "efirma_validar", "validar_efirma", "certificado_revocado"):
            assert marco in informe
        assert "********************" in informe
        assert rastros_de_secretos(informe, llave=llave, password=PASSWORD_UNICA) == []
