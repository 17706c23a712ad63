"""Two web hosts behind one address, for the fault test of a stateless portal (test_dos_servidores.py).

Each "host" is a gunicorn process with its own local disk (ICSOE_VAR_DIR, MEDIA_ROOT, TMPDIR, its own copy of
the portal's sello, as a secret would be given to each host), and both share the test PostgreSQL, Redis and a
bucket of the loopback S3 server (moto). A third "host" runs a Celery worker with the same settings. In front
of them a tiny round-robin HTTP proxy sends each request to the next host in turn and writes down which one
answered; gunicorn's access log of each host records its process id, so the test can check that every request
really alternated.

The hosts use their own Redis database number for the broker and the cache: the suite's worker (started by
scripts/services.sh without object storage) never sees their tasks, so only the worker started here, with the
same settings as the web, runs the carga masiva.
"""

from __future__ import annotations

import http.client
import os
import shutil
import signal
import socket
import subprocess
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from .servicios import REPO, VENV, esperar, puerto_abierto

# Hop-by-hop headers (RFC 9110 7.6.1): a proxy does not forward them.
SALTO = {"connection", "keep-alive", "proxy-connection", "te", "trailer", "transfer-encoding", "upgrade"}
FORMATO_ACCESO = "%(p)s %(m)s %(U)s%(q)s %(s)s"
REDIS_BD = 9  # the hosts' broker and cache; the suite's worker listens on database 0


def puerto_libre() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Anfitrion:
    """One host: its port (none for the worker), its local disk and its process."""

    nombre: str
    disco: Path
    puerto: int | None = None
    proceso: subprocess.Popen | None = None

    @property
    def media(self) -> Path:
        return self.disco / "media"

    @property
    def log_acceso(self) -> Path:
        return self.disco / "acceso.log"

    def accesos(self) -> list[tuple[int, str, str, int]]:
        """(pid, method, path with query, status) of every request gunicorn answered, in order."""
        filas = []
        texto = self.log_acceso.read_text() if self.log_acceso.exists() else ""
        for linea in texto.split("\n")[:-1]:  # complete lines only: one may be half written
            pid, metodo, ruta, estatus = linea.split(" ")
            filas.append((int(pid.strip("<>")), metodo, ruta, int(estatus)))
        return filas

    def archivos_en_disco(self) -> list[Path]:
        """Files the portal left in this host's own folders: media, var and its temporary folder (must stay
        empty: uploads go to the bucket, nothing is kept between requests)."""
        return sorted(
            p for carpeta in ("media", "var", "tmp") for p in (self.disco / carpeta).rglob("*") if p.is_file()
        )


@dataclass
class Proxy:
    """Round robin over the hosts, one request each in turn, whatever the connection it came on."""

    anfitriones: list[Anfitrion]
    puerto: int = field(default_factory=puerto_libre)
    registro: list[tuple[str, str, str]] = field(default_factory=list)  # (host, method, path)

    def __post_init__(self) -> None:
        self._siguiente = 0
        self._candado = threading.Lock()
        proxy = self

        class Manejador(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args) -> None:  # quiet: the registro is the log
                pass

            def _reenviar(self) -> None:
                largo = int(self.headers.get("Content-Length") or 0)
                cuerpo = self.rfile.read(largo) if largo else None
                with proxy._candado:
                    anfitrion = proxy.anfitriones[proxy._siguiente % len(proxy.anfitriones)]
                    proxy._siguiente += 1
                    proxy.registro.append((anfitrion.nombre, self.command, self.path))
                encabezados = {k: v for k, v in self.headers.items() if k.lower() not in SALTO}
                conexion = http.client.HTTPConnection("127.0.0.1", anfitrion.puerto, timeout=120)
                try:
                    conexion.request(self.command, self.path, body=cuerpo, headers=encabezados)
                    respuesta = conexion.getresponse()
                    datos = respuesta.read()
                finally:
                    conexion.close()
                self.send_response(respuesta.status, respuesta.reason)
                for clave, valor in respuesta.getheaders():
                    if clave.lower() not in SALTO and clave.lower() != "content-length":
                        self.send_header(clave, valor)
                self.send_header("Content-Length", str(len(datos)))
                self.end_headers()
                if self.command != "HEAD":
                    self.wfile.write(datos)

            do_GET = do_POST = do_HEAD = _reenviar

        self._servidor = ThreadingHTTPServer(("127.0.0.1", self.puerto), Manejador)
        self._servidor.daemon_threads = True
        self._hilo = threading.Thread(target=self._servidor.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.puerto}"

    def iniciar(self) -> None:
        self._hilo.start()

    def detener(self) -> None:
        self._servidor.shutdown()
        self._servidor.server_close()


def entorno(*, anfitrion: Anfitrion, base_de_datos: str, s3: dict[str, str], hoy: str) -> dict[str, str]:
    """What every host is given: the same shared services and SECRET_KEY, its own local folders."""
    for carpeta in ("var", "media", "tmp"):
        (anfitrion.disco / carpeta).mkdir(parents=True, exist_ok=True)
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "icsoe.settings_test",
        "DATABASE_URL": f"postgres://postgres@127.0.0.1:{os.environ['PG_PORT']}/{base_de_datos}",
        "REDIS_URL": f"redis://127.0.0.1:{os.environ['REDIS_PORT']}/{REDIS_BD}",
        "ICSOE_VAR_DIR": str(anfitrion.disco / "var"),
        "MEDIA_ROOT": str(anfitrion.media),
        "TMPDIR": str(anfitrion.disco / "tmp"),
        "ICSOE_SIGNING_CERT": str(anfitrion.disco / "sello" / "portal.cer"),
        "ICSOE_SIGNING_KEY": str(anfitrion.disco / "sello" / "portal.key"),
        "ICSOE_HOY": hoy,
        "CONN_MAX_AGE": "0",
        "LOG_LEVEL": "WARNING",
        **s3,
    }


def copiar_sello(*, anfitrion: Anfitrion, cer: Path, key: Path) -> None:
    """Each host gets its own copy of the sello files (a docker secret on each host)."""
    destino = anfitrion.disco / "sello"
    destino.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(cer, destino / "portal.cer")
    shutil.copyfile(key, destino / "portal.key")


def gunicorn_iniciar(anfitrion: Anfitrion, variables: dict[str, str]) -> None:
    anfitrion.puerto = puerto_libre()
    salida = open(anfitrion.disco / "gunicorn.log", "ab")  # noqa: SIM115 (the process keeps it)
    anfitrion.proceso = subprocess.Popen(
        [
            str(VENV / "gunicorn"),
            "icsoe.wsgi:application",
            "--bind",
            f"127.0.0.1:{anfitrion.puerto}",
            "--workers",
            "1",
            "--timeout",
            "120",
            "--access-logfile",
            str(anfitrion.log_acceso),
            "--access-logformat",
            FORMATO_ACCESO,
            # gunicorn's control socket would go to ~/.gunicorn/ on the disk both "hosts" share here.
            "--control-socket",
            str(anfitrion.disco / "gunicorn.ctl"),
        ],
        cwd=REPO,
        env=variables,
        stdout=salida,
        stderr=subprocess.STDOUT,
    )
    salida.close()


def celery_iniciar(anfitrion: Anfitrion, variables: dict[str, str]) -> None:
    salida = open(anfitrion.disco / "celery.log", "ab")  # noqa: SIM115
    anfitrion.proceso = subprocess.Popen(
        [
            str(VENV / "celery"),
            "-A",
            "icsoe",
            "worker",
            "--pool=prefork",
            "--concurrency=1",
            "-l",
            "INFO",
            "--hostname",
            f"icsoe-{anfitrion.nombre}@%h",
        ],
        cwd=REPO,
        env=variables,
        stdout=salida,
        stderr=subprocess.STDOUT,
    )
    salida.close()


def esperar_listos(web: list[Anfitrion], worker: Anfitrion) -> None:
    for anfitrion in web:
        esperar(
            lambda a=anfitrion: a.proceso.poll() is None and puerto_abierto(a.puerto),
            timeout=60,
            que=f"gunicorn de {anfitrion.nombre} escuchando",
            cada=0.2,
        )
    esperar(
        lambda: b"ready" in (worker.disco / "celery.log").read_bytes(),
        timeout=90,
        que=f"worker de Celery de {worker.nombre} listo",
        cada=0.2,
    )


def detener(anfitrion: Anfitrion) -> None:
    """Stops the process this module started, by its pid (gunicorn and Celery stop their children)."""
    proceso = anfitrion.proceso
    if proceso is None or proceso.poll() is not None:
        return
    proceso.send_signal(signal.SIGTERM)
    try:
        proceso.wait(timeout=30)
    except subprocess.TimeoutExpired:
        proceso.kill()
        proceso.wait(timeout=10)


def log(anfitrion: Anfitrion, nombre: str) -> str:
    archivo = anfitrion.disco / nombre
    return archivo.read_text(errors="replace")[-4000:] if archivo.exists() else ""


def esperar_hasta(condicion, *, timeout: float, que: str, cada: float = 0.3):
    limite = time.monotonic() + timeout
    while time.monotonic() < limite:
        valor = condicion()
        if valor:
            return valor
        time.sleep(cada)
    raise AssertionError(f"tiempo agotado esperando: {que}")
