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

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    # A file, as `make run` has, not SQLite's shared in-memory database: threads (a test's, the live server's)
    # get their own connections and SQLite's real file locks, which wait (a shared-cache memory database answers
    # "database table is locked" at once). One file per test process, so parallel runs never share it; the
    # test runner deletes it at the end. Not synced to disk: the suite needs no durability.
    DATABASES["default"]["TEST"] = {  # noqa: F405
        "NAME": os.path.join(tempfile.gettempdir(), f"icsoe-test-{os.getpid()}.sqlite3")
    }
    DATABASES["default"].setdefault("OPTIONS", {})["init_command"] = "PRAGMA synchronous = OFF;"  # noqa: F405
