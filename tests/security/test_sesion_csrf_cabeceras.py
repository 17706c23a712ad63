"""Session fixation, CSRF, security headers and `check --deploy` under production settings."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.cache import cache
from django.test import Client

from tests.conftest import PASSWORD
from tests.efirma_sat import FIEL_EKU
from tests.firma_navegador import ingresar

pytestmark = pytest.mark.django_db
REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def _sin_bloqueos(settings):
    holgado = "1000/m/ip,1000/m/key"
    settings.ACCOUNT_RATE_LIMITS = {"login_failed": holgado, "reset_password": holgado}
    cache.clear()
    yield
    cache.clear()


def _sesion_previa(cliente: Client) -> str:
    """A session that exists before the login (as an attacker could plant it), holding some data."""
    sesion = cliente.session
    sesion["plantada"] = "sí"
    sesion.save()
    cliente.cookies["sessionid"] = sesion.session_key
    return sesion.session_key


# ----------------------------------------------------------------------------------------------------------
# Session key rotated at every login
# ----------------------------------------------------------------------------------------------------------
def test_the_curp_login_rotates_the_session_key(capturista):
    cliente = Client()
    antes = _sesion_previa(cliente)

    respuesta = cliente.post("/acceso/", {"login": capturista.curp, "password": PASSWORD})

    assert respuesta.status_code == 302
    despues = cliente.cookies["sessionid"].value
    assert despues != antes
    assert cliente.session["_auth_user_id"] == str(capturista.pk)
    # The planted key is dead: presenting it again is anonymous.
    intruso = Client()
    intruso.cookies["sessionid"] = antes
    assert intruso.get("/inicio/").status_code == 302


def test_the_efirma_login_rotates_the_session_key():
    cliente = Client()
    cliente.get("/acceso/efirma/")
    antes = _sesion_previa(cliente)

    respuesta = ingresar(cliente, FIEL_EKU)  # Validar, the page's signature, Ingresar

    assert respuesta.status_code == 302
    despues = cliente.cookies["sessionid"].value
    assert despues != antes
    assert "_auth_user_id" in cliente.session
    intruso = Client()
    intruso.cookies["sessionid"] = antes
    assert "_auth_user_id" not in intruso.session


def test_a_contratista_cannot_log_in_with_a_password_only_with_its_efirma(contratista):
    usuario = contratista.usuario
    usuario.set_password("Una-Clave-Puesta-2026")  # as allauth's /cuenta/password/set/ would let it do
    usuario.save()
    cliente = Client()

    respuesta = cliente.post("/acceso/", {"login": usuario.username, "password": "Una-Clave-Puesta-2026"})

    assert respuesta.status_code == 200
    assert "_auth_user_id" not in cliente.session
    assert cliente.get("/inicio/").status_code == 302


# ----------------------------------------------------------------------------------------------------------
# CSRF
# ----------------------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("url", "datos"),
    [
        ("/acceso/", {"login": "GODE561231HDFRRN00", "password": PASSWORD}),
        ("/acceso/efirma/", {"rfc": "EKU9003173C9"}),
        ("/acceso/efirma/validar/", {"rfc": "EKU9003173C9"}),
        ("/informativas/nueva/", {"anio": "2026", "cuatrimestre": "1", "tipo": "NORMAL"}),
        ("/usuarios/alta/", {"curp": "LOHF900514MJCPRR06"}),
        ("/usuarios/contrasena/olvidada/", {"curp": "LOHF900514MJCPRR06", "correo": "x@example.com"}),
    ],
)
def test_a_post_without_the_csrf_token_is_refused(url, datos, contratista, capturista):
    cliente = Client(enforce_csrf_checks=True)
    if url.startswith(("/informativas/", "/usuarios/alta/")):
        cliente.force_login(contratista.usuario)

    respuesta = cliente.post(url, datos)

    assert respuesta.status_code == 403
    assert "_auth_user_id" not in cliente.session or url.startswith(("/informativas/", "/usuarios/alta/"))


def test_a_post_with_the_csrf_token_of_the_form_goes_through(capturista):
    cliente = Client(enforce_csrf_checks=True)
    cliente.get("/acceso/")
    token = cliente.cookies["csrftoken"].value

    respuesta = cliente.post("/acceso/", {"login": capturista.curp, "password": PASSWORD, "csrfmiddlewaretoken": token})

    assert respuesta.status_code == 302
    assert cliente.session["_auth_user_id"] == str(capturista.pk)


# ----------------------------------------------------------------------------------------------------------
# Security headers
# ----------------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("url", ["/", "/acceso/", "/acceso/efirma/", "/informativas/", "/admin/login/"])
def test_every_page_sends_the_security_headers(client, contratista, url):
    client.force_login(contratista.usuario)
    respuesta = client.get(url)

    csp = respuesta["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in csp
    if not url.startswith("/admin/"):
        assert "default-src 'self'" in csp and "script-src 'self'" in csp and "object-src 'none'" in csp
        assert "unsafe-inline" not in csp
    assert respuesta["X-Frame-Options"] == "DENY"
    assert respuesta["Referrer-Policy"] == "same-origin"
    assert respuesta["X-Content-Type-Options"] == "nosniff"
    assert respuesta["Cross-Origin-Opener-Policy"] == "same-origin"


def _produccion(**extra) -> dict:
    """Production's environment: none of the suite's settings (the second pass of make test runs with make run's
    ICSOE_RELOJ_PRUEBA and ICSOE_TRUST_TEST_CAS, which check --deploy rightly refuses)."""
    quitar = ("SECURE_", "SESSION_COOKIE", "CSRF_COOKIE", "ICSOE_", "EMAIL_URL")
    entorno = {k: v for k, v in os.environ.items() if not k.startswith(quitar)}
    entorno.update(
        DJANGO_SETTINGS_MODULE="icsoe.settings",
        DEBUG="false",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="icsoe.example.gob.mx",
        DATABASE_URL="sqlite:////tmp/icsoe-check-deploy.sqlite3",
        STATIC_MANIFEST="false",
        **extra,
    )
    entorno.pop("REDIS_URL", None)
    entorno.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)  # set by the suite's conftest for Playwright only
    return entorno


def test_production_settings_send_hsts_and_redirect_to_https():
    codigo = (
        "import django; django.setup()\n"
        "from django.test import Client\n"
        "c = Client()\n"
        "r = c.get('/', secure=True, HTTP_HOST='icsoe.example.gob.mx')\n"
        "print(r.status_code, r['Strict-Transport-Security'])\n"
        "r = c.get('/', HTTP_HOST='icsoe.example.gob.mx')\n"
        "print(r.status_code, r['Location'])\n"
        "from django.conf import settings\n"
        "print(settings.SESSION_COOKIE_SECURE, settings.CSRF_COOKIE_SECURE)\n"
    )
    salida = subprocess.run(
        [sys.executable, "-c", codigo], cwd=REPO, env=_produccion(), capture_output=True, text=True, timeout=120
    )

    assert salida.returncode == 0, salida.stderr
    lineas = salida.stdout.strip().splitlines()
    assert lineas[0] == "200 max-age=31536000; includeSubDomains; preload"
    assert lineas[1] == "301 https://icsoe.example.gob.mx/"
    assert lineas[2] == "True True"


def test_check_deploy_is_clean_under_production_settings():
    salida = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=REPO,
        env=_produccion(),
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert salida.returncode == 0, salida.stdout + salida.stderr
    assert "System check identified no issues" in salida.stdout


def test_check_deploy_fails_while_the_demo_cas_are_trusted():
    """ICSOE_TRUST_TEST_CAS makes any e.firma issued by the demo CA (whose key is in the repository) log in and
    sign: production never has it on (security review 2, finding 10)."""
    salida = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=REPO,
        env=_produccion(ICSOE_TRUST_TEST_CAS="true"),
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert salida.returncode != 0, salida.stdout + salida.stderr
    assert "firma.E001" in salida.stdout + salida.stderr
    assert "ICSOE_TRUST_TEST_CAS" in salida.stdout + salida.stderr
