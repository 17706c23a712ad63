"""Settings for pytest: defaults for running the suite without `make test` (SQLite, eager tasks).

`make test` exports DATABASE_URL, REDIS_URL and EMAIL_URL pointing at the real services it starts.
"""

from __future__ import annotations

import os
import tempfile

os.environ.setdefault("DEBUG", "false")
os.environ.setdefault("SECRET_KEY", "clave-solo-para-pruebas-no-usar-en-produccion-0123456789")
os.environ.setdefault("ALLOWED_HOSTS", "localhost,127.0.0.1,testserver")
os.environ.setdefault("SECURE_SSL_REDIRECT", "false")
os.environ.setdefault("SESSION_COOKIE_SECURE", "false")
os.environ.setdefault("CSRF_COOKIE_SECURE", "false")
os.environ.setdefault("SECURE_HSTS_SECONDS", "0")
os.environ.setdefault("STATIC_MANIFEST", "false")
os.environ.setdefault("ICSOE_TRUST_TEST_CAS", "true")
os.environ.setdefault("ICSOE_VAR_DIR", os.path.join(tempfile.gettempdir(), "icsoe-test-var"))

from icsoe.settings import *  # noqa: E402,F403

# The suite hashes fast; tests of password storage put the portal's own hashers back.
PORTAL_PASSWORD_HASHERS = PASSWORD_HASHERS  # noqa: F405
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
ICSOE_DEV_MAILBOX = True
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True

# The second pass of `make test` (ICSOE_PASADA=make_run, scripts/test.sh) runs on SQLite as `make run` does: in a
# file, as make run's var/icsoe.sqlite3, so that each thread (the live server's, a test's own) opens its own
# connection, as each request of runserver does; an in-memory database is one connection shared by all threads.
if os.environ.get("ICSOE_PASADA") == "make_run" and DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    # One file per run: two quick runs on one machine may share the default ICSOE_VAR_DIR.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / f"test-icsoe-{os.getpid()}.sqlite3")}  # noqa: F405
