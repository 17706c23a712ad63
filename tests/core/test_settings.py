"""Production settings refuse to start without secrets, and pass `check --deploy`."""

from __future__ import annotations

import os
import subprocess
import sys

from tests.conftest import REPO


def _django(args: list[str], **env: str) -> subprocess.CompletedProcess:
    ajustes = ("DJANGO_", "SECRET_KEY", "ALLOWED_HOSTS", "DEBUG", "SECURE_", "SESSION_", "CSRF_", "STATIC_", "ICSOE_")
    limpio = {k: v for k, v in os.environ.items() if not k.startswith(ajustes)}
    limpio.update(env)
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
