"""`manage.py` beside `make run` (issue 14, defect 23): `make manage` runs any command with the settings
`make run` uses, with nothing typed before it, and the README says how."""

from __future__ import annotations

import os
import subprocess

from tests.conftest import REPO


def test_make_manage_runs_a_command_with_the_settings_of_make_run(tmp_path):
    limpio = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DEBUG", "SECRET_KEY", "ICSOE_", "DATABASE_URL", "REDIS_URL"))}
    limpio["ICSOE_VAR_DIR"] = str(tmp_path)  # its own SQLite, not the developer's

    resultado = subprocess.run(
        ["make", "-s", "manage", "ARGS=efirma demo --rfc ESI920427886 --nombre EMPRESA"],
        cwd=REPO, env=limpio, capture_output=True, text=True, timeout=300,
    )

    assert resultado.returncode == 0, resultado.stderr
    assert "e.firma de demostración de ESI920427886" in resultado.stdout  # DEBUG and the demo CA were on


def test_without_it_manage_py_says_what_to_type():
    limpio = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DEBUG", "SECRET_KEY", "ICSOE_"))}
    resultado = subprocess.run(
        [str(REPO / ".venv" / "bin" / "python"), "manage.py", "check"],
        cwd=REPO, env=limpio, capture_output=True, text=True, timeout=120,
    )

    assert resultado.returncode != 0
    assert 'make manage ARGS="..."' in resultado.stderr


def test_the_readme_says_how():
    texto = (REPO / "README.md").read_text(encoding="utf-8")
    assert 'make manage ARGS="efirma confiar ca.cer"' in texto
    assert "make manage ARGS=createsuperuser" in texto
