"""Settings as each way of running sets them, checked in a fresh process: production refuses to start without
secrets and passes `check --deploy`; static files survive the image's layout; `make run` runs tasks in-process."""

from __future__ import annotations

import os
import re
import subprocess
import sys

from tests.conftest import REPO


def _django(args: list[str], **env: str | None) -> subprocess.CompletedProcess:
    """manage.py in a fresh process with only these settings in its environment (None removes a variable)."""
    ajustes = ("DJANGO_", "SECRET_KEY", "ALLOWED_HOSTS", "DEBUG", "SECURE_", "SESSION_", "CSRF_", "STATIC_", "ICSOE_")
    limpio = {k: v for k, v in os.environ.items() if not k.startswith(ajustes)}
    limpio.update({k: v for k, v in env.items() if v is not None})
    for variable in (k for k, v in env.items() if v is None):
        limpio.pop(variable, None)
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=REPO, env=limpio, capture_output=True, text=True, timeout=120
    )


def test_production_refuses_to_start_without_secret_key():
    resultado = _django(["check"], DEBUG="false", ALLOWED_HOSTS="icsoe.example.gob.mx")

    assert resultado.returncode != 0
    assert "SECRET_KEY es obligatorio" in resultado.stderr


def test_production_refuses_to_start_without_allowed_hosts():
    resultado = _django(["check"], DEBUG="false", SECRET_KEY="x" * 60)

    assert resultado.returncode != 0
    assert "ALLOWED_HOSTS es obligatorio" in resultado.stderr


def test_check_deploy_is_clean_with_production_settings(tmp_path):
    resultado = _django(
        ["check", "--deploy", "--fail-level", "WARNING"],
        DEBUG="false",
        SECRET_KEY="k9$Lr2!vQ7mZp4@wX8nB1cT6yH3jF5sD0gA-eU_iO+lK*qR%tY^uP&zM",
        ALLOWED_HOSTS="icsoe.example.gob.mx",
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
    )

    assert resultado.returncode == 0, resultado.stdout + resultado.stderr
    assert "System check identified no issues" in resultado.stdout


# ----------------------------------------------------------------------------------------------------------
# Static files as the image ships them: collected at build time, served at run time with another data folder
# ----------------------------------------------------------------------------------------------------------
PRODUCCION = {
    "DEBUG": "false",
    "SECRET_KEY": "k9$Lr2!vQ7mZp4@wX8nB1cT6yH3jF5sD0gA-eU_iO+lK*qR%tY^uP&zM",
    "ALLOWED_HOSTS": "icsoe.example.gob.mx",
}
# Renders the landing page and fetches the stylesheet it names, through the whole middleware stack.
PAGINA = """
import re
from django.test import Client
cliente = Client(HTTP_HOST="icsoe.example.gob.mx", raise_request_exception=False)
pagina = cliente.get("/", secure=True)
print("pagina", pagina.status_code)
if pagina.status_code == 200:
    css = re.search(r'href="(/static/css/[^"]+)"', pagina.content.decode()).group(1)
    hoja = cliente.get(css, secure=True)
    print("css", css, hoja.status_code, b"".join(hoja.streaming_content)[:200].decode(errors="replace"))
"""


def test_static_collected_at_build_time_is_served_when_the_data_folder_is_elsewhere(tmp_path):
    estaticos = tmp_path / "imagen" / "staticfiles"
    construccion = _django(
        ["collectstatic", "--noinput", "-v", "0"],
        **PRODUCCION,
        STATIC_ROOT=str(estaticos),
        ICSOE_VAR_DIR=str(tmp_path / "imagen" / "var"),
        DATABASE_URL=f"sqlite:///{tmp_path / 'build.sqlite3'}",
    )
    assert construccion.returncode == 0, construccion.stderr
    assert (estaticos / "staticfiles.json").is_file()

    # Run time as docker compose sets it: the data folder is a volume elsewhere, STATIC_ROOT still the image's.
    ejecucion = _django(
        ["shell", "-c", PAGINA],
        **PRODUCCION,
        STATIC_ROOT=str(estaticos),
        ICSOE_VAR_DIR=str(tmp_path / "volumen"),
        DATABASE_URL=f"sqlite:///{tmp_path / 'volumen.sqlite3'}",
    )

    assert ejecucion.returncode == 0, ejecucion.stderr
    assert "pagina 200" in ejecucion.stdout, ejecucion.stderr
    css, estado = re.search(r"css (/static/css/icsoe\.[0-9a-f]{12}\.css) (\d+)", ejecucion.stdout).groups()
    assert estado == "200"  # the hashed name from the manifest, served by whitenoise
    assert (estaticos / css.removeprefix("/static/")).is_file()


def test_without_its_own_static_root_the_manifest_is_missing_and_pages_fail(tmp_path):
    # What the image did before STATIC_ROOT had its own setting: collected under one data folder, run with another.
    construccion = _django(
        ["collectstatic", "--noinput", "-v", "0"],
        **PRODUCCION,
        ICSOE_VAR_DIR=str(tmp_path / "imagen"),
        DATABASE_URL=f"sqlite:///{tmp_path / 'build.sqlite3'}",
    )
    assert construccion.returncode == 0, construccion.stderr

    ejecucion = _django(
        ["shell", "-c", PAGINA],
        **PRODUCCION,
        ICSOE_VAR_DIR=str(tmp_path / "volumen"),
        DATABASE_URL=f"sqlite:///{tmp_path / 'volumen.sqlite3'}",
    )

    assert "pagina 500" in ejecucion.stdout
    assert "Missing staticfiles manifest entry" in ejecucion.stderr


def test_the_image_and_compose_agree_on_a_static_root_outside_the_data_volume():
    dockerfile = (REPO / "Dockerfile").read_text()
    compose = (REPO / "docker-compose.yml").read_text()

    en_imagen = re.search(r"^ENV .*\bSTATIC_ROOT=(\S+)", dockerfile, re.M).group(1)
    en_compose = re.search(r"^\s+STATIC_ROOT: (\S+)", compose, re.M).group(1)
    datos = re.search(r"^\s+ICSOE_VAR_DIR: (\S+)", compose, re.M).group(1)
    volumen = re.search(r"^\s+- \w+:(/\S+)$", compose, re.M).group(1)

    assert en_imagen == en_compose
    assert not en_imagen.startswith((datos, volumen))
    assert dockerfile.index("collectstatic") < dockerfile.index("USER icsoe")
    assert re.search(rf"chown icsoe .*{re.escape(volumen)}\b", dockerfile)  # the app user can write the volume


# ----------------------------------------------------------------------------------------------------------
# `make run`: no REDIS_URL, so Celery runs every task in-process and the outbox still sends
# ----------------------------------------------------------------------------------------------------------
EN_PROCESO = """
from django.core.management import call_command
from django.db import transaction
from core.models import Correo
from core.services import correo_encolar
from icsoe.celery import app
call_command("migrate", verbosity=0)
print("eager", app.conf.task_always_eager, app.conf.broker_url)
with transaction.atomic():
    correo = correo_encolar(para="eager@example.com", plantilla="prueba", contexto={"mensaje": "Hola en proceso."})
    print("antes de confirmar", Correo.objects.get(pk=correo.pk).estatus)
print("confirmado", Correo.objects.get(pk=correo.pk).estatus, Correo.objects.get(pk=correo.pk).intentos)
"""


def test_without_redis_tasks_run_in_process_and_the_outbox_email_is_sent(tmp_path):
    como_make_run = {"DEBUG": "true", "ICSOE_VAR_DIR": str(tmp_path / "var")}
    resultado = _django(
        ["shell", "-c", EN_PROCESO], **como_make_run, REDIS_URL=None, EMAIL_URL=None, DATABASE_URL=None
    )

    assert resultado.returncode == 0, resultado.stderr
    salida = resultado.stdout
    assert "eager True memory://" in salida
    assert "antes de confirmar pendiente" in salida  # queued with the transaction, sent after it commits
    assert "confirmado enviado 1" in salida
    # The console backend of `make run` printed the message itself, from this very process.
    assert "Subject: ICSOE: correo de prueba" in salida
    assert "To: eager@example.com" in salida
    assert "Hola en proceso." in salida
    assert (tmp_path / "var" / "icsoe.sqlite3").is_file()
