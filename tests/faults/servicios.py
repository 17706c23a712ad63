"""Stop and start the real services of `make test` (scripts/services.sh) from inside a test.

Every function acts on the processes services.sh started, found through the environment it exports (ports,
pid files, data directory), and starts replacements exactly as services.sh does: same ports, same data
directory, same command lines. Restarted pids are written back to the environment and to the pid files
services.sh reads when it stops everything, so nothing is left behind.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
VENV = REPO / ".venv" / "bin"


def _dir() -> Path:
    return Path(os.environ["ICSOE_SERVICES_DIR"])


def _vivo(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:  # a zombie child of this process is dead too
        estado = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return estado != "Z"


def esperar(condicion, *, timeout: float, que: str, cada: float = 0.1):
    limite = time.monotonic() + timeout
    while time.monotonic() < limite:
        valor = condicion()
        if valor:
            return valor
        time.sleep(cada)
    raise AssertionError(f"tiempo agotado esperando: {que}")


def puerto_abierto(puerto: int) -> bool:
    try:
        socket.create_connection(("127.0.0.1", puerto), 0.5).close()
    except OSError:
        return False
    return True


def _esperar_fin(pid: int, timeout: float = 15) -> None:
    limite = time.monotonic() + timeout
    while _vivo(pid) and time.monotonic() < limite:
        _cosechar(pid)
        time.sleep(0.05)
    if _vivo(pid):
        os.kill(pid, signal.SIGKILL)
        esperar(lambda: not _vivo(pid) or _cosechar(pid), timeout=5, que=f"fin del proceso {pid}")
    _cosechar(pid)


def _cosechar(pid: int) -> bool:
    """Reaps a process this test started (a restarted service is our child)."""
    try:
        return os.waitpid(pid, os.WNOHANG)[0] == pid
    except ChildProcessError:
        return False


def _hijos(pid: int) -> list[int]:
    hijos = []
    for tarea in Path(f"/proc/{pid}/task").glob("*"):
        try:
            hijos += [int(h) for h in (tarea / "children").read_text().split()]
        except OSError:
            pass
    return hijos


# ---------------------------------------------------------------------------------------------------------
# Redis
# ---------------------------------------------------------------------------------------------------------
def redis_pid() -> int:
    return int((_dir() / "redis.pid").read_text().strip())


def redis_activo() -> bool:
    return puerto_abierto(int(os.environ["REDIS_PORT"]))


def redis_detener() -> None:
    pid = redis_pid()
    os.kill(pid, signal.SIGTERM)
    esperar(lambda: not _vivo(pid), timeout=15, que="Redis detenido")
    esperar(lambda: not redis_activo(), timeout=5, que="puerto de Redis cerrado")


def redis_iniciar() -> None:
    d, puerto = _dir(), os.environ["REDIS_PORT"]
    subprocess.run(
        ["redis-server", "--port", puerto, "--bind", "127.0.0.1", "--daemonize", "yes", "--save", "",
         "--appendonly", "no", "--pidfile", str(d / "redis.pid"), "--logfile", str(d / "redis.log"),
         "--dir", str(d)],
        check=True,
    )
    esperar(redis_activo, timeout=10, que="Redis escuchando")
    esperar(lambda: (d / "redis.pid").exists() and (d / "redis.pid").read_text().strip(), timeout=10,
            que="pid de Redis")
    os.environ["REDIS_PID"] = str(redis_pid())


# ---------------------------------------------------------------------------------------------------------
# PostgreSQL (as user postgres when running as root, like services.sh)
# ---------------------------------------------------------------------------------------------------------
def _como_postgres(args: list[str]) -> list[str]:
    return ["runuser", "-u", "postgres", "--", *args] if os.getuid() == 0 else args


def _pg_ctl(*args: str) -> subprocess.CompletedProcess:
    pg_ctl = str(Path(os.environ["PG_BIN"]) / "pg_ctl")
    return subprocess.run(
        _como_postgres([pg_ctl, "-D", os.environ["PG_DATA"], *args]), capture_output=True, text=True, timeout=60
    )


def postgres_activo() -> bool:
    return _pg_ctl("status").returncode == 0


def postgres_detener() -> None:
    resultado = _pg_ctl("-m", "fast", "-w", "stop")
    assert resultado.returncode == 0, resultado.stderr
    esperar(lambda: not puerto_abierto(int(os.environ["PG_PORT"])), timeout=10, que="puerto de PostgreSQL cerrado")


def postgres_iniciar() -> None:
    d, puerto = _dir(), os.environ["PG_PORT"]
    opciones = (
        f"-p {puerto} -k {d}/pg -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off "
        "-c full_page_writes=off -c max_connections=200"
    )
    resultado = _pg_ctl("-l", f"{d}/pg/postgres.log", "-o", opciones, "-w", "start")
    assert resultado.returncode == 0, resultado.stderr
    datos = Path(os.environ["PG_DATA"]) / "postmaster.pid"
    os.environ["PG_PID"] = datos.read_text().splitlines()[0]


# ---------------------------------------------------------------------------------------------------------
# SMTP sink
# ---------------------------------------------------------------------------------------------------------
def smtp_pid() -> int:
    archivo = _dir() / "smtp.pid"
    return int(archivo.read_text().strip()) if archivo.exists() else int(os.environ["SMTP_PID"])


def smtp_activo() -> bool:
    return puerto_abierto(int(os.environ["SMTP_PORT"]))


def smtp_detener() -> None:
    pid = smtp_pid()
    os.kill(pid, signal.SIGTERM)
    _esperar_fin(pid)
    esperar(lambda: not smtp_activo(), timeout=5, que="puerto del SMTP cerrado")


def smtp_iniciar() -> None:
    d = _dir()
    with open(d / "smtp.log", "ab") as log:
        proceso = subprocess.Popen(
            [str(VENV / "python"), "scripts/smtp_sink.py", os.environ["SMTP_PORT"], os.environ["SMTP_SINK_DIR"]],
            cwd=REPO, stdout=log, stderr=subprocess.STDOUT,
        )
    (d / "smtp.pid").write_text(f"{proceso.pid}\n")
    os.environ["SMTP_PID"] = str(proceso.pid)
    esperar(smtp_activo, timeout=10, que="SMTP escuchando")


# ---------------------------------------------------------------------------------------------------------
# Celery worker
# ---------------------------------------------------------------------------------------------------------
def celery_pid() -> int:
    archivo = _dir() / "celery.pid"
    return int(archivo.read_text().strip()) if archivo.exists() else int(os.environ["CELERY_PID"])


def celery_activo() -> bool:
    return _vivo(celery_pid())


def celery_matar() -> None:
    """SIGKILL to the worker and its pool processes at once: no warm shutdown, no ack, no cleanup."""
    pid = celery_pid()
    procesos = [pid, *_hijos(pid)]
    for p in procesos:
        try:
            os.kill(p, signal.SIGKILL)
        except ProcessLookupError:
            pass
    for p in procesos:
        esperar(lambda p=p: not _vivo(p) or _cosechar(p), timeout=10, que=f"fin del proceso {p}")
        _cosechar(p)


def celery_iniciar(*, base_de_datos: str) -> None:
    """Starts the worker exactly like services.sh (same command line, the test database) and waits until it
    answers a ping through Redis."""
    d = _dir()
    log = d / "celery.log"
    inicio = log.stat().st_size if log.exists() else 0
    entorno = {
        **os.environ,
        "DATABASE_URL": f"postgres://postgres@127.0.0.1:{os.environ['PG_PORT']}/{base_de_datos}",
        "ICSOE_RELOJ_PRUEBA": "true",  # as services.sh starts it: the test clock crosses processes
    }
    with open(log, "ab") as salida:
        proceso = subprocess.Popen(
            [str(VENV / "celery"), "-A", "icsoe", "worker", "--pool=prefork", "--concurrency=2", "-l", "INFO",
             "--hostname", "icsoe-test@%h"],
            cwd=REPO, env=entorno, stdout=salida, stderr=subprocess.STDOUT,
        )
    (d / "celery.pid").write_text(f"{proceso.pid}\n")
    os.environ["CELERY_PID"] = str(proceso.pid)

    def listo() -> bool:
        with open(log, "rb") as f:
            f.seek(inicio)
            return b"ready" in f.read()

    esperar(listo, timeout=60, que="worker de Celery listo", cada=0.2)
