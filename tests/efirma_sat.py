"""The SAT test e.firma files (tests/data/efirma-sat/) as ready-made e.firmas, and the e.firma fixtures and
helpers shared by the login, firma, signing and security tests (their conftests import them)."""

from __future__ import annotations

import html
import re
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from django.core.signals import got_request_exception
from django.db import OperationalError, connection
from django.views.debug import ExceptionReporter

from tests.conftest import EFIRMA_PRUEBAS

PASSWORD_SAT = "12345678a"


@dataclass(frozen=True)
class Efirma:
    cer: Path
    key: Path
    password: str
    rfc: str

    def datos(self) -> dict:
        return {"cer": self.cer.read_bytes(), "key": self.key.read_bytes(), "password": self.password, "rfc": self.rfc}


FIEL_EKU = Efirma(
    EFIRMA_PRUEBAS / "sat-ws-descarga-masiva/fake-fiel/EKU9003173C9.cer",
    EFIRMA_PRUEBAS / "sat-ws-descarga-masiva/fake-fiel/EKU9003173C9.key",
    PASSWORD_SAT,
    "EKU9003173C9",
)
CSD_EKU = Efirma(
    EFIRMA_PRUEBAS / "sat-ws-descarga-masiva/fake-csd/EKU9003173C9.cer",
    EFIRMA_PRUEBAS / "sat-ws-descarga-masiva/fake-csd/EKU9003173C9.key",
    PASSWORD_SAT,
    "EKU9003173C9",
)
FIEL_VENCIDA = Efirma(
    EFIRMA_PRUEBAS / "phpcfdi-credentials/FIEL_AAA010101AAA/certificate.cer",
    EFIRMA_PRUEBAS / "phpcfdi-credentials/FIEL_AAA010101AAA/private_key.key",
    PASSWORD_SAT,
    "AAA010101AAA",
)
NO_SAT = Efirma(
    EFIRMA_PRUEBAS / "python-satcfdi/csd/emisor2021.cer",
    EFIRMA_PRUEBAS / "python-satcfdi/csd/emisor2021.key",
    PASSWORD_SAT,
    "",
)


@pytest.fixture
def sin_bloqueos():
    """A clean cache before and after the test: no failed-attempt counts (nor trust-store version) left by
    another test."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _trust_store_nuevo():
    """A test that adds a CA inside its rolled-back transaction must not leave it in this process's cached
    trust store."""
    from firma import services

    yield
    services.trust_store_olvidar()  # this process only: the version in the database is rolled back with the test


@pytest.fixture
def var_dir(settings, tmp_path) -> Path:
    """A private var/ for the test: the demo CA and demo e.firma files land there."""
    settings.ICSOE_VAR_DIR = tmp_path / "var"
    settings.MEDIA_ROOT = tmp_path / "var" / "media"
    return settings.ICSOE_VAR_DIR


@pytest.fixture
def demo_efirma(var_dir):
    """Issues demo e.firma files with the local demo CA (trusted in tests)."""
    from firma.services import efirma_demo_emitir

    def emitir(rfc: str, nombre: str, password: str = PASSWORD_SAT, **kwargs) -> Efirma:
        cer, key = efirma_demo_emitir(rfc=rfc, nombre=nombre, password=password, **kwargs)
        return Efirma(cer, key, password, rfc)

    return emitir


def hace(dias: int) -> datetime:
    return datetime.now(UTC) - timedelta(days=dias)


def ingresar_con_efirma(page, url: str, efirma: Efirma) -> None:
    """The contratista's way in through the browser: RFC, .cer, .key, password, Validar, Ingresar."""
    page.goto(url + "/acceso/efirma/")
    page.get_by_label("RFC").fill(efirma.rfc)
    page.get_by_label("Certificado").set_input_files(str(efirma.cer))
    page.get_by_label(re.compile(r"^Llave privada")).set_input_files(str(efirma.key))
    page.get_by_label("Contraseña de la Llave privada").fill(efirma.password)
    page.get_by_role("button", name="Validar").click()
    page.get_by_text("La validación de la FIEL fue exitosa.").wait_for()
    page.get_by_role("button", name="Ingresar").click()


# ---------------------------------------------------------------------------------------------------------
# Error reports: what Django would show or email when a request with an e.firma fails unexpectedly
# ---------------------------------------------------------------------------------------------------------
@contextmanager
def revocacion_sin_base_de_datos() -> Iterator[None]:
    """The local revocation lookup, which runs after the key was decrypted, fails as if the database went away
    (injected with Django's own execute_wrapper: the crypto runs for real)."""

    def ejecutar(execute, sql, params, many, context):
        if "firma_certificadorevocado" in sql:
            raise OperationalError("la base de datos no responde")
        return execute(sql, params, many, context)

    with connection.execute_wrapper(ejecutar):
        yield


@pytest.fixture
def informes_de_error() -> Iterator[list[tuple[str, str]]]:
    """The (text, HTML) error report of every request that fails, built as Django's 500 handling builds it."""
    informes: list[tuple[str, str]] = []

    def al_fallar(sender, request, **kwargs) -> None:
        reporte = ExceptionReporter(request, *sys.exc_info())
        informes.append((reporte.get_traceback_text(), reporte.get_traceback_html()))

    got_request_exception.connect(al_fallar)
    yield informes
    got_request_exception.disconnect(al_fallar)


def rastros_de_secretos(informe: str, *, llave: bytes, password: str) -> list[str]:
    """The forms of the key or its password found in a report: any 16-byte window of the .key as Python shows
    bytes or as hex, the password, and the decrypted key's private numbers. Empty when there are none."""
    from firma import sat

    textos = (informe, html.unescape(informe))
    numeros = sat.cargar_llave(llave, password).private_numbers()
    buscados = {f"contraseña {password!r}": password}
    for nombre, valor in (("d", numeros.d), ("p", numeros.p), ("q", numeros.q)):
        buscados[f"número privado {nombre}"] = str(valor)[:40]
        buscados[f"número privado {nombre} (hex)"] = format(valor, "x")[:40]
    for inicio in range(len(llave) - 15):
        ventana = llave[inicio : inicio + 16]
        buscados[f"bytes {inicio}..{inicio + 16} (repr)"] = repr(ventana)[2:-1]
        buscados[f"bytes {inicio}..{inicio + 16} (hex)"] = ventana.hex()
        buscados[f"bytes {inicio}..{inicio + 16} (HEX)"] = ventana.hex().upper()
    return [nombre for nombre, forma in buscados.items() if any(forma in texto for texto in textos)]


def rastros_en_cuerpo(cuerpo: bytes, *, llave: bytes, password: str) -> list[str]:
    """The forms of the key or its password found in a request body: everything rastros_de_secretos looks
    for (raw, hex, the password, the decrypted key's numbers), in the body as sent and URL-decoded, plus any
    stretch of the key's base64 (at each of the three byte alignments) and the password's UTF-16."""
    import base64
    from urllib.parse import unquote_plus

    texto = cuerpo.decode("latin-1")
    decodificado = unquote_plus(texto, encoding="latin-1")
    encontrados = rastros_de_secretos(texto + "\n" + decodificado, llave=llave, password=password)
    crudo = cuerpo + b"\n" + decodificado.encode("latin-1")
    for inicio in range(3):
        b64 = base64.b64encode(llave[inicio:])[4:-4]
        for i in range(0, len(b64) - 24, 8):
            if b64[i : i + 24] in crudo:
                encontrados.append(f"base64 de la llave desde el byte {inicio}")
                break
    if password.encode("utf-16-le") in crudo or password.encode("utf-8") in crudo:
        encontrados.append("contraseña (bytes)")
    return encontrados


def cuerpo_resumido(ruta: str, cuerpo: bytes) -> str:
    """A request body as one line for the run's output (`pytest -s`): every field posted, long values cut, so
    a reader sees what left the browser."""
    from urllib.parse import parse_qsl

    campos = parse_qsl(cuerpo.decode("ascii"), keep_blank_values=True)
    return f"POST {ruta} " + " ".join(f"{nombre}={valor[:24]}…({len(valor)})" if len(valor) > 24 else f"{nombre}={valor}" for nombre, valor in campos)
