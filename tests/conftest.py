"""Shared fixtures: the cast of tenants, the real services started by `make test`, and Chromium."""

from __future__ import annotations

import email
import email.header
import os
import time
from email.message import Message
from pathlib import Path

import pytest
from hypothesis import settings as hypothesis_settings

# Hypothesis draws the same examples on every run (derandomize: a seed taken from each test's name) and keeps
# no database of past failures in the worktree: `make test` stays deterministic, a failure repeats as it was.
hypothesis_settings.register_profile("icsoe", derandomize=True, database=None)
hypothesis_settings.load_profile("icsoe")

# Playwright's sync API runs an event loop in this thread; Django's ORM calls from tests are still sync.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

REPO = Path(__file__).resolve().parent.parent
EFIRMA_PRUEBAS = REPO / "tests" / "data" / "efirma-sat"  # SAT's test files, copied in (see its README)

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


# ---------------------------------------------------------------------------------------------------------
# The two passes of `make test` (scripts/test.sh): which tests run in which
# ---------------------------------------------------------------------------------------------------------
# First pass: PostgreSQL, Redis, a Celery worker and the SMTP sink. Second pass (ICSOE_PASADA=make_run): `make
# run`'s configuration, SQLite, tasks in-process, the dev mailbox, DEBUG on and the test clock. Any other value
# of ICSOE_PASADA (or none) selects as the first pass does.
PASADA_MAKE_RUN = "make_run"

# Tests that never run in the second pass: what they check does not depend on the database or on the
# configuration, or they need the services of the first pass. Paths under tests/, a folder or a file.
SOLO_EN_LA_PRIMERA_PASADA: dict[str, str] = {
    "faults/": "break and restart the real PostgreSQL, Redis, Celery worker and SMTP sink of the first pass",
    "core/test_harness.py": "checks the services scripts/services.sh starts",
    "core/test_pgbouncer.py": "PgBouncer in front of PostgreSQL",
    "recordatorios/test_beat.py": "starts Celery beat on the first pass's services",
    "core/test_settings.py": "each runs manage.py in a fresh process with its own environment",
    "core/test_despliegue.py": "docker compose files and settings read in a fresh process",
    "core/test_make_manage.py": "runs `make manage` in a fresh process, on make run's settings already",
    "core/test_readme.py": "reads README.md",
    "core/test_pasadas.py": "runs pytest's collection in a fresh process for each pass",
    "core/test_formularios.py": "form field helpers, no database",
    "core/test_hojas.py": "XLSX reading, no database",
    "core/test_zip_seguro_archivo.py": "ZIP reading, no database",
    "core/test_lector_seguro.py": "the untrusted-file reader's rules on small files, no database",
    "firma/test_sat.py": "e.firma cryptography on SAT's test files, no database",
    "firma/test_demo.py": "the demo e.firma files, no database",
    "informativas/nomina/test_zip_compartido.py": "ZIP reading, no database",
    "informativas/test_validadores.py": "field validators, no database",
    "informativas/presentacion/test_acuse_lista.py": "the acuse's list layout, no database",
    "security/test_bombas.py": "ZIP and XLSX bombs: file reading in bounded memory, no database",
    "security/test_fuzz_bombas.py": "fuzzing the archive readers, no database",
}


def pasada() -> str:
    """Which pass of `make test` this is: "make_run" for the second one, "postgresql" otherwise."""
    return PASADA_MAKE_RUN if os.environ.get("ICSOE_PASADA") == PASADA_MAKE_RUN else "postgresql"


def en_pasada_make_run() -> bool:
    return pasada() == PASADA_MAKE_RUN


def _corre_en_make_run(item: pytest.Item) -> bool:
    if item.get_closest_marker("solo_postgresql"):
        return False
    if item.get_closest_marker("make_run") or item.get_closest_marker("solo_make_run"):
        return True
    if item.get_closest_marker("e2e"):  # browser journeys: only those marked make_run
        return False
    ruta = Path(str(item.path)).resolve()
    if not ruta.is_relative_to(REPO / "tests"):
        return True
    ruta_en_tests = ruta.relative_to(REPO / "tests").as_posix()
    return not any(
        ruta_en_tests == p or (p.endswith("/") and ruta_en_tests.startswith(p)) for p in SOLO_EN_LA_PRIMERA_PASADA
    )


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if en_pasada_make_run():
        corre = _corre_en_make_run
    else:
        def corre(item: pytest.Item) -> bool:
            return item.get_closest_marker("solo_make_run") is None

    fuera = [item for item in items if not corre(item)]
    if fuera:
        config.hook.pytest_deselected(items=fuera)
        items[:] = [item for item in items if corre(item)]


def sin_reloj_de_prueba(consultas) -> list[dict]:
    """The queries a CaptureQueriesContext caught, less the test clock's: with ICSOE_RELOJ_PRUEBA on (`make run`,
    the second pass) every hoy() reads plazos_relojprueba; production has it off (check --deploy refuses it),
    and so does the first pass, where this takes nothing out."""
    return [q for q in consultas.captured_queries if '"plazos_relojprueba"' not in q["sql"]]


# ---------------------------------------------------------------------------------------------------------
# Real services (started by scripts/services.sh under `make test`)
# ---------------------------------------------------------------------------------------------------------
def servicios_reales() -> bool:
    return bool(os.environ.get("ICSOE_SERVICES_DIR"))


requiere_servicios = pytest.mark.skipif(
    not servicios_reales(), reason="necesita los servicios reales: ejecuta `make test`"
)


class Buzon:
    """Where a journey reads the emails the portal sent: esperar() one, contar() them."""

    def mensajes(self) -> list[Message]:
        raise NotImplementedError

    def esperar(self, *, para: str, asunto_contiene: str = "", timeout: float = 30) -> Message:
        limite = time.monotonic() + timeout
        while time.monotonic() < limite:
            for m in self.mensajes():
                if para in (m.get("To") or "") and asunto_contiene in str(
                    email.header.make_header(email.header.decode_header(m.get("Subject", "")))
                ):
                    return m
            time.sleep(0.2)
        raise AssertionError(f"no llegó ningún correo para {para!r} con asunto {asunto_contiene!r}")

    def contar(self, *, para: str) -> int:
        return sum(1 for m in self.mensajes() if para in (m.get("To") or ""))


class SmtpSink(Buzon):
    """Reads the messages the aiosmtpd sink wrote to its folder (the first pass: the Celery worker sends them)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def mensajes(self) -> list[Message]:
        if not self.folder.exists():
            return []
        return [email.message_from_bytes(p.read_bytes()) for p in sorted(self.folder.glob("*.eml"))]


class BuzonDesarrollo(Buzon):
    """`make run`'s dev mailbox (/dev/correo/): the outbox rows the portal sent (in-process, to the console), as
    a person reads them there, with the attachment."""

    def mensajes(self) -> list[Message]:
        from email.message import EmailMessage

        from core.models import Correo

        mensajes: list[Message] = []
        for correo in Correo.objects.filter(estatus=Correo.Estatus.ENVIADO).order_by("created_at", "id"):
            mensaje = EmailMessage()
            mensaje["From"], mensaje["To"], mensaje["Subject"] = correo.remitente, correo.para, correo.asunto
            mensaje.set_content(correo.cuerpo_texto)
            if correo.adjunto:
                with correo.adjunto.open("rb") as f:
                    tipo, _, subtipo = (correo.adjunto_tipo or "application/octet-stream").partition("/")
                    mensaje.add_attachment(f.read(), maintype=tipo, subtype=subtipo, filename=correo.adjunto_nombre)
            mensajes.append(mensaje)
        return mensajes


@pytest.fixture
def smtp_sink() -> SmtpSink:
    if not servicios_reales():
        pytest.skip("necesita el SMTP sink: ejecuta `make test`")
    return SmtpSink(Path(os.environ["SMTP_SINK_DIR"]))


@pytest.fixture
def buzon() -> Buzon:
    """The SMTP sink where the services run (the first pass of make test), else make run's dev mailbox (the
    second pass, or a run without services): a journey that reads an email runs in both."""
    if servicios_reales():
        return SmtpSink(Path(os.environ["SMTP_SINK_DIR"]))
    return BuzonDesarrollo()


def texto_de(mensaje: Message) -> str:
    """The text/plain body of an email."""
    for parte in mensaje.walk():
        if parte.get_content_type() == "text/plain":
            return parte.get_payload(decode=True).decode(parte.get_content_charset() or "utf-8")
    raise AssertionError("el correo no tiene parte de texto")


# ---------------------------------------------------------------------------------------------------------
# Chromium through Playwright (Debian's /usr/bin/chromium; Playwright cannot download browsers here)
# ---------------------------------------------------------------------------------------------------------
@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": "/usr/bin/chromium",
        "args": CHROMIUM_ARGS,
        "headless": True,
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "locale": "es-MX", "timezone_id": "America/Mexico_City"}


@pytest.fixture
def page(page):
    page.set_default_timeout(15_000)
    return page


# ---------------------------------------------------------------------------------------------------------
# The cast: an owner contratista, a capturista of it, and an unrelated contratista
# ---------------------------------------------------------------------------------------------------------
PASSWORD = "Clave-Segura-2026"


@pytest.fixture
def contratista(db):
    return contratista_crear()


@pytest.fixture
def otro_contratista(db):
    return otro_contratista_crear()


def contratista_crear():
    """The `contratista` fixture's contratista, for data a module-scoped fixture makes once."""
    return contratista_con_terminos(rfc="ESI920427886", razon_social="EMPRESA DE SERVICIOS INTEGRALES SA DE CV")


def otro_contratista_crear():
    return contratista_con_terminos(rfc="PEJJ800101AB6", razon_social="JUAN PÉREZ JIMÉNEZ")


def contratista_con_terminos(*, rfc: str, razon_social: str):
    """A contratista past its first login: it has accepted the current términos y condiciones."""
    from accounts.services import terminos_aceptar, terminos_vigentes
    from contratistas.services import contratista_obtener_o_crear

    contratista = contratista_obtener_o_crear(rfc=rfc, razon_social=razon_social)
    if terminos := terminos_vigentes():  # transactional tests flush the version the migration published
        terminos_aceptar(usuario=contratista.usuario, terminos=terminos, ip=None)
    return contratista


@pytest.fixture
def capturista(db, contratista):
    from accounts.models import User
    from capturistas.models import Relacion

    usuario = User.objects.create_user(
        username="GODE561231HDFRRN00",
        password=PASSWORD,
        rol=User.Rol.CAPTURISTA,
        curp="GODE561231HDFRRN00",
        nombre_completo="ERNESTO GÓMEZ DÍAZ",
        email="capturista@example.com",
    )
    Relacion.objects.create(
        contratista=contratista,
        capturista=usuario,
        estatus=Relacion.Estatus.ACTIVA,
        telefono="5512345678",
        correo=usuario.email,
        usuario_alta=contratista.usuario,
    )
    return usuario


@pytest.fixture
def staff(db):
    from accounts.models import User

    return User.objects.create_user(
        username="imss", password=PASSWORD, rol=User.Rol.STAFF, is_staff=True, is_superuser=True
    )


@pytest.fixture
def entrar_como(page, live_server):
    """Logs a user into the browser by session cookie (for journeys that do not test the login itself)."""
    from django.conf import settings
    from django.test import Client

    def entrar(usuario, **sesion):
        client = Client()
        client.force_login(usuario)
        if sesion:
            s = client.session
            s.update(sesion)
            s.save()
        cookie = client.cookies[settings.SESSION_COOKIE_NAME]
        page.context.add_cookies(
            [{"name": settings.SESSION_COOKIE_NAME, "value": cookie.value, "url": live_server.url}]
        )
        return page

    return entrar


@pytest.fixture
def cuerpos_recibidos(monkeypatch):
    """(method, path, body) of every request the test server (live_server) hands to Django, as the bytes it
    received: Chromium does not report the body of a request that carries files, so what the browser sent
    is checked where it arrives. Wraps Django's WSGIHandler for the test only."""
    import io

    from django.core.handlers.wsgi import WSGIHandler

    recibidos: list[tuple[str, str, bytes]] = []
    original = WSGIHandler.__call__

    def grabar(self, environ, start_response):
        largo = int(environ.get("CONTENT_LENGTH") or 0)
        cuerpo = environ["wsgi.input"].read(largo) if largo > 0 else b""
        environ["wsgi.input"] = io.BytesIO(cuerpo)
        recibidos.append((environ.get("REQUEST_METHOD", ""), environ.get("PATH_INFO", ""), cuerpo))
        return original(self, environ, start_response)

    monkeypatch.setattr(WSGIHandler, "__call__", grabar)
    return recibidos
