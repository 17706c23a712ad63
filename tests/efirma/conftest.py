from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

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


@pytest.fixture(autouse=True)
def _trust_store_nuevo():
    """A test that adds a CA inside its rolled-back transaction must not leave it in this process's cached
    trust store."""
    from firma import services

    yield
    services._trust_store_cache.clear()


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
