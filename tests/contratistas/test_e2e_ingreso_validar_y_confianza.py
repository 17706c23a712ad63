"""The e.firma page through Chromium: "Validar" puts each field's message at its field, as "Ingresar" does; a CA
trusted with `manage.py efirma confiar` from another process (no shared cache, as under `make run`), and a
certificate revoked the same way, take effect in the running portal within seconds."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time

import pytest
from django.core.cache import cache
from django.db import connection
from playwright.sync_api import Page, expect

from firma import sat, services
from firma.demo import DemoCA, emitir_efirma, guardar_efirma
from tests.conftest import REPO
from tests.efirma_sat import FIEL_EKU, PASSWORD_SAT

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

MENSAJE_RFC = "El RFC debe tener 12 (persona moral) o 13 (persona física) caracteres."


@pytest.fixture(autouse=True)
def _sin_bloqueos():
    cache.clear()
    services.trust_store_olvidar()
    yield
    services.trust_store_olvidar()


def _llenar(page: Page, *, rfc: str, cer, key, password: str) -> None:
    page.get_by_label("RFC").fill(rfc)
    page.get_by_label("Certificado").set_input_files(str(cer))
    page.get_by_label(re.compile(r"^Llave privada")).set_input_files(str(key))
    page.get_by_label("Contraseña de la Llave privada").fill(password)


def test_validar_shows_the_rfc_message_at_the_rfc_field_and_keeps_the_files(page: Page, live_server):
    page.goto(live_server.url + "/acceso/efirma/")
    _llenar(page, rfc="EKU9003173", cer=FIEL_EKU.cer, key=FIEL_EKU.key, password=FIEL_EKU.password)

    page.get_by_role("button", name="Validar").click()

    campo_rfc = page.locator(".campo", has=page.get_by_label("RFC"))
    expect(campo_rfc).to_contain_text(MENSAJE_RFC)
    expect(page.locator("#resultado-validacion")).to_contain_text("Revisa los campos marcados.")
    # Only the messages were replaced: the chosen files are still there, so correcting the RFC is enough
    page.get_by_label("RFC").fill(FIEL_EKU.rfc)
    page.get_by_role("button", name="Validar").click()
    expect(page.get_by_text("La validación de la FIEL fue exitosa.")).to_be_visible()
    expect(campo_rfc).not_to_contain_text(MENSAJE_RFC)


def _manage(*args: str) -> subprocess.CompletedProcess:
    """manage.py in another process on the test database, without Redis: what a person types beside `make run`."""
    db = connection.settings_dict
    env = {k: v for k, v in os.environ.items() if k not in ("REDIS_URL", "DJANGO_SETTINGS_MODULE")}
    env.update(
        DJANGO_SETTINGS_MODULE="icsoe.settings_test",
        DATABASE_URL=f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
    )
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=REPO, env=env, capture_output=True, text=True, timeout=120
    )


def _validar_hasta(page: Page, texto: str, *, segundos: float) -> None:
    """Validar again, spaced out (each refusal counts as a failed attempt), until ``texto`` shows."""
    limite = time.monotonic() + segundos
    resultado = page.locator("#resultado-validacion")
    while True:
        page.wait_for_timeout(2500)  # ICSOE_CONFIANZA_SEGUNDOS (2) and a margin
        page.get_by_role("button", name="Validar").click()
        page.wait_for_timeout(500)
        if texto in resultado.inner_text() or time.monotonic() > limite:
            break
    expect(resultado).to_contain_text(texto)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="another process shares only a server database")
def test_a_ca_trusted_and_a_certificate_revoked_from_another_process_take_effect_within_seconds(
    page: Page, live_server, settings, tmp_path
):
    settings.CACHES = {**settings.CACHES, "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}  # as `make run`
    settings.ICSOE_CONFIANZA_SEGUNDOS = 2
    ca = DemoCA.load_or_create(tmp_path / "nueva-ca")
    cer, key = emitir_efirma(
        ca=ca, rfc="ESI920427886", nombre="EMPRESA DE SERVICIOS INTEGRALES SA DE CV", password=PASSWORD_SAT
    )
    ruta_cer, ruta_key = guardar_efirma(directorio=tmp_path / "fiel", rfc="ESI920427886", cer=cer, key=key)
    page.goto(live_server.url + "/acceso/efirma/")
    _llenar(page, rfc="ESI920427886", cer=ruta_cer, key=ruta_key, password=PASSWORD_SAT)
    page.get_by_role("button", name="Validar").click()
    expect(page.locator("#resultado-validacion")).to_contain_text(sat.MENSAJES["emisor_no_confiable"])

    confiar = _manage("efirma", "confiar", str(tmp_path / "nueva-ca" / "ca.cer"), "--pruebas")
    assert confiar.returncode == 0, confiar.stderr

    _validar_hasta(page, "La validación de la FIEL fue exitosa.", segundos=15)

    numero = sat.cargar_certificado(cer).numero_certificado
    revocar = _manage("efirma", "revocar", numero, "--motivo", "llave comprometida")
    assert revocar.returncode == 0, revocar.stderr

    _validar_hasta(page, sat.MENSAJES["certificado_revocado"], segundos=15)
