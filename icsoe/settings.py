"""Settings for the ICSOE portal, all read from the environment (django-environ).

Safe defaults make ``make run`` work with no configuration when ``DEBUG`` is true. With ``DEBUG`` false
(production, the default) the portal refuses to start without ``SECRET_KEY`` and ``ALLOWED_HOSTS``.
Secrets may also come from files: ``SECRET_KEY_FILE`` and so on.
"""

from __future__ import annotations

from pathlib import Path

import environ
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(environ.Env().str("ICSOE_VAR_DIR", default=str(BASE_DIR / "var")))

env = environ.Env(
    DEBUG=(bool, False),
    ICSOE_TRUST_TEST_CAS=(bool, False),
)
env.smart_cast = True


def _secret(name: str, default: str | None = None) -> str | None:
    """Reads NAME, or the contents of the file named by NAME_FILE (docker secrets)."""
    path = env.str(f"{name}_FILE", default="")
    if path:
        return Path(path).read_text(encoding="utf-8").strip()
    return env.str(name, default=default)


# ----------------------------------------------------------------------------------------------------------
# Core
# ----------------------------------------------------------------------------------------------------------
DEBUG = env.bool("DEBUG")

SECRET_KEY = _secret("SECRET_KEY", default="django-insecure-solo-para-desarrollo" if DEBUG else None)
if not SECRET_KEY:
    raise ImproperlyConfigured(
        "SECRET_KEY es obligatorio cuando DEBUG es falso. En una copia de desarrollo (la de `make run`) "
        'usa `make manage ARGS="..."`, que ejecuta manage.py con la configuración de desarrollo.'
    )

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"] if DEBUG else [])
if not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS es obligatorio cuando DEBUG es falso.")
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "allauth",
    "allauth.account",
    # Ours, lowest layer first: informativas -> capturistas -> contratistas -> accounts, firma -> core
    "core",
    "firma",
    "plazos",
    "listas_sat",  # the SAT's lists (69, 69-B, 69-B Bis): imports only core
    "accounts",
    "contratistas",
    "capturistas",
    "informativas",
    "recordatorios",  # deadline reminders: above informativas
    "clientes",  # the contratante's own view by e.firma (issue 25): above informativas
    "demo",  # above every app: the demo loader imports them all
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "core.middleware.LimiteCuerpoMiddleware",  # before anything reads a request body (the CSRF check, forms)
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # `Cache-Control: private, no-store` on every response but the anonymous landing (after authentication, which
    # it asks; before everything that may answer for a view: the términos redirect, the storage's 503).
    "core.middleware.CachePrivadoMiddleware",
    "core.sesion.ActividadSesionMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "accounts.middleware.TerminosMiddleware",
    "capturistas.access.ContratistaActualMiddleware",
    "clientes.capacidad.CapacidadMiddleware",  # a contratante session reaches only its own pages
    "core.middleware.SecurityHeadersMiddleware",
    "core.almacen.AlmacenMiddleware",
]

ROOT_URLCONF = "icsoe.urls"
WSGI_APPLICATION = "icsoe.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "core.context_processors.portal",
            ],
        },
    },
]

# ----------------------------------------------------------------------------------------------------------
# Database
# ----------------------------------------------------------------------------------------------------------
if not env.str("DATABASE_URL", default=""):
    VAR_DIR.mkdir(parents=True, exist_ok=True)
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'icsoe.sqlite3'}")}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=0)
# With persistent connections, a PostgreSQL restart would break the first request of every process that
# holds a dead connection: check it before reusing it.
DATABASES["default"]["CONN_HEALTH_CHECKS"] = env.bool("CONN_HEALTH_CHECKS", default=True)
# SQLite (`make run`): a transaction takes the write lock when it begins and waits for it, up to 20 s, as a
# PostgreSQL row lock waits; a deferred one that reads and then writes fails at once with «database is
# locked» when another writes meanwhile (two Firmar at the same moment gave a 500).
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {}).update({"transaction_mode": "IMMEDIATE", "timeout": 20})
# PgBouncer in transaction mode between the web/worker containers and PostgreSQL (docker-compose.yml): many
# processes share a few server connections. Prepared statements stay off and server-side cursors live only
# inside a transaction (icsoe/pgbouncer/base.py).
ICSOE_PGBOUNCER = env.bool("ICSOE_PGBOUNCER", default=False)
if ICSOE_PGBOUNCER:
    if DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
        raise ImproperlyConfigured("ICSOE_PGBOUNCER requiere una DATABASE_URL de PostgreSQL.")
    DATABASES["default"]["ENGINE"] = "icsoe.pgbouncer"
    DATABASES["default"].setdefault("OPTIONS", {})["prepare_threshold"] = None
    DATABASES["default"]["DISABLE_SERVER_SIDE_CURSORS"] = False
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# ----------------------------------------------------------------------------------------------------------
# Accounts (django-allauth): capturistas log in with CURP + password; contratistas with e.firma only
# ----------------------------------------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
# allauth's backend checks the CURP's (and staff's username's) password and, extending ModelBackend, answers
# for permissions too. ModelBackend itself is not listed: Django tries every backend in turn, and both checked
# the same password, so every wrong guess cost the server two hashes.
AUTHENTICATION_BACKENDS = [
    "allauth.account.auth_backends.AuthenticationBackend",
    "contratistas.backends.EfirmaBackend",
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:inicio"
LOGOUT_REDIRECT_URL = "core:landing"

ACCOUNT_ADAPTER = "accounts.adapter.AccountAdapter"
ACCOUNT_LOGIN_METHODS = {"username"}
ACCOUNT_FORMS = {
    "login": "accounts.forms.CurpLoginForm",
    "reset_password": "accounts.forms.RestablecimientoPorCorreoDeshabilitadoForm",
}
ACCOUNT_SIGNUP_FIELDS = ["username*", "email*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_USERNAME_MIN_LENGTH = 1
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_LOGOUT_ON_GET = False
ACCOUNT_SESSION_REMEMBER = False
# Per-address limits (allauth): "login" counts successful CURP logins from one address; 300 a minute lets an
# office behind one NAT address start its day. Only a load test, whose simulated users all come from
# 127.0.0.1, raises it (scripts/bench.sh). Wrong passwords (login, password change) and reset requests are not
# allauth's "login_failed" (it locks a CURP for anyone who knows it), "change_password" (a 429 that says not
# how long) nor "reset_password" but the portal's budget-and-growing-wait throttle of every password form
# (accounts.freno, accounts.services, core.throttle). allauth's own e-mail reset page only ever refuses
# (accounts.forms) and keeps its limit.
ACCOUNT_RATE_LIMITS = {
    "login": env.str("ICSOE_LOGIN_RATE_LIMIT", default="300/m/ip"),
    "login_failed": None,
    "change_password": None,
    "reset_password": "5/m/ip,3/m/key",
}

# Argon2id first (accounts/hashers.py); PBKDF2 stays to check passwords stored before, rewritten at their next
# login.
PASSWORD_HASHERS = [
    "accounts.hashers.Argon2idHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=60 * 60 * 2)
# The page warns this many seconds before the session expires, with a "Seguir trabajando" button (core/sesion.py).
ICSOE_SESION_AVISO = env.int("ICSOE_SESION_AVISO", default=5 * 60)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
# Sessions stay in PostgreSQL (Django's default engine). "cached_db" would save about 0.35 ms of CPU per
# request (bench/load), but a logout or a session change while Redis is unreachable would leave the old copy
# in Redis, which persists it and would serve it again once back: a logged-out session valid again.

# ----------------------------------------------------------------------------------------------------------
# Cache (rate limits, login throttling): Redis when configured, else local memory
# ----------------------------------------------------------------------------------------------------------
REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    # Fails open (a cache miss) and fast when Redis is down: pages must not fail or hang on it.
    CACHES = {
        "default": {
            "BACKEND": "core.cache.TolerantRedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 2},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Rendered template fragments that depend only on what their {% cache %} tag names (a bandeja row, the menu):
# kept in each process's memory, never in Redis, whose round trip would cost what rendering them does.
CACHES["plantillas"] = {
    "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
    "LOCATION": "icsoe-plantillas",
    "TIMEOUT": 3600,
    "OPTIONS": {"MAX_ENTRIES": 20_000},
}

# ----------------------------------------------------------------------------------------------------------
# Celery
# ----------------------------------------------------------------------------------------------------------
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = REDIS_URL or "cache+memory://"
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_CONNECTION_TIMEOUT = 2
# A web request must not hang when Redis is down: the outbox row is already committed and the periodic
# sweep sends it later.
CELERY_TASK_PUBLISH_RETRY = False
CELERY_BROKER_TRANSPORT_OPTIONS = {"socket_connect_timeout": 2, "socket_timeout": 5}
# Publishing also subscribes to the task's result in Redis; with Redis down, Celery would retry that 20 times
# a second apart (the request hangs 20 s). Give up at once: the request goes on, and it reconnects afterwards.
CELERY_RESULT_BACKEND_TRANSPORT_OPTIONS = {
    "retry_policy": {"max_retries": 1, "interval_start": 0, "interval_step": 0.2, "interval_max": 0.5}
}
CELERY_TIMEZONE = "America/Mexico_City"
# Reminders of the informativa's deadline (recordatorios/): how often beat looks for the ones due (seconds; each
# reminder is sent once whatever this is; the reminders' test runs beat with 0.5).
ICSOE_RECORDATORIOS_CADA = env.float("ICSOE_RECORDATORIOS_CADA", default=60.0 * 60)
CELERY_BEAT_SCHEDULE = {
    "enviar-correos-pendientes": {"task": "core.tasks.correos_enviar_pendientes", "schedule": 60.0},
    "reanudar-cargas": {"task": "informativas.tasks.cargas_reanudar", "schedule": 60.0},
    "reanudar-nominas": {"task": "informativas.nomina.tasks.nomina_reanudar", "schedule": 60.0},
    "reanudar-contratos-en-bloque": {"task": "informativas.bloque.tasks.bloque_reanudar", "schedule": 60.0},
    "depurar-acuses-stps-pendientes": {
        "task": "contratistas.tasks.acuses_stps_pendientes_depurar",
        "schedule": 60.0 * 60,
    },
    "enviar-recordatorios": {"task": "recordatorios.tasks.recordatorios_enviar", "schedule": ICSOE_RECORDATORIOS_CADA},
    "depurar-retos-efirma": {"task": "firma.tasks.retos_depurar", "schedule": 10.0 * 60},
    "depurar-sesiones": {"task": "core.tasks.sesiones_depurar", "schedule": crontab(hour=4, minute=10)},
    # Nightly (03:30 Mexico City): SAT's lists checked and, when changed, loaded (off while the URLs are empty).
    "actualizar-listas-sat": {
        "task": "listas_sat.tasks.listas_sat_actualizar",
        "schedule": crontab(hour=3, minute=30),
    },
    # Daily (06:15 Mexico City): in a month's first five business days, the previous month's listado público,
    # published once (informativas/listado/).
    "publicar-listado-publico": {
        "task": "informativas.listado.tasks.listado_publico_publicar",
        "schedule": crontab(hour=6, minute=15),
    },
}
# The SAT's lists (listas_sat/): the blob URLs the nightly task checks (empty: off), the lists an answer needs
# loaded and confirmed (otherwise «no verificado»), how many days a confirmation lasts, and the download cap.
ICSOE_LISTAS_SAT_URLS = env.list("ICSOE_LISTAS_SAT_URLS", default=[])
ICSOE_LISTAS_SAT_ESPERADAS = env.list(
    "ICSOE_LISTAS_SAT_ESPERADAS",
    default=[
        "69b", "69b_bis", "69_firmes", "69_no_localizados", "69_exigibles", "69_cancelados", "69_sentencias",
        "69_csd_sin_efectos", "69_entes_publicos",
    ],
)
ICSOE_LISTAS_SAT_DIAS_VERIFICACION = env.int("ICSOE_LISTAS_SAT_DIAS_VERIFICACION", default=7)
ICSOE_LISTAS_SAT_MAX_BYTES = env.int("ICSOE_LISTAS_SAT_MAX_BYTES", default=200 * 1024 * 1024)

# ----------------------------------------------------------------------------------------------------------
# Email: console + dev mailbox by default; EMAIL_URL (smtp://host:port) in tests and production
# ----------------------------------------------------------------------------------------------------------
EMAIL_URL = env.str("EMAIL_URL", default="")
if EMAIL_URL:
    globals().update(env.email_url("EMAIL_URL"))
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
EMAIL_TIMEOUT = 10
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="icsoe@imss.gob.mx")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# ----------------------------------------------------------------------------------------------------------
# Internationalisation
# ----------------------------------------------------------------------------------------------------------
LANGUAGE_CODE = "es-mx"
LANGUAGES = [("es-mx", "Español (México)")]
TIME_ZONE = "America/Mexico_City"
USE_I18N = True
USE_TZ = True
# Our wording (tú) for the stock messages of Django, its password validators, the admin login and allauth: one
# catalog, locale/es_MX/LC_MESSAGES/django.po, compiled by `make install`. Field messages also name the field.
LOCALE_PATHS = [BASE_DIR / "locale"]
FORM_RENDERER = "core.formularios.RendererIcsoe"

# ----------------------------------------------------------------------------------------------------------
# Static and uploaded files
# ----------------------------------------------------------------------------------------------------------
STATIC_URL = "/static/"
# Where collectstatic writes and whitenoise reads: its own setting, not tied to the data folder, because an
# image collects at build time (Dockerfile) while ICSOE_VAR_DIR points at a volume mounted only at run time.
STATIC_ROOT = Path(env.str("STATIC_ROOT", default=str(VAR_DIR / "static")))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(VAR_DIR / "media")))
# Uploaded files are never served from a public URL: access-checked views stream them.
MEDIA_URL = "/sin-acceso-publico/"
STORAGES = {
    "default": {"BACKEND": "core.almacen.AlmacenLocal"},  # Django's FileSystemStorage (core/almacen.py)
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if env.bool("STATIC_MANIFEST", default=not DEBUG)
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
# Several web hosts share one object storage (S3-compatible: MinIO in docker-compose.yml, any S3 service):
# ICSOE_S3_BUCKET switches it on; without it uploads stay on MEDIA_ROOT. The bucket is private and files
# are streamed by the access-checked views, never linked (core/almacen.py).
ICSOE_S3_BUCKET = env.str("ICSOE_S3_BUCKET", default="")
if ICSOE_S3_BUCKET:
    from botocore.config import Config as _S3Config

    _s3_espera = env.int("ICSOE_S3_TIMEOUT", default=5)
    _s3_direccion = env.str("ICSOE_S3_ADDRESSING_STYLE", default="path")
    STORAGES["default"] = {
        "BACKEND": "core.almacen.AlmacenS3",
        "OPTIONS": {
            "bucket_name": ICSOE_S3_BUCKET,
            "endpoint_url": env.str("ICSOE_S3_ENDPOINT_URL", default="") or None,
            "region_name": env.str("ICSOE_S3_REGION", default="us-east-1"),
            "access_key": _secret("ICSOE_S3_ACCESS_KEY", default="") or None,
            "secret_key": _secret("ICSOE_S3_SECRET_KEY", default="") or None,
            "location": env.str("ICSOE_S3_PREFIX", default=""),
            "default_acl": None,  # the bucket's own (private) policy; never public-read
            "querystring_auth": True,  # a .url, if anything asked for one, is signed and short-lived
            "querystring_expire": 60,
            "file_overwrite": False,
            "object_parameters": {"CacheControl": "private, no-store"},
            # A server that is down must fail in seconds, not after a minute of retries.
            "client_config": _S3Config(
                connect_timeout=_s3_espera,
                read_timeout=_s3_espera * 6,
                retries={"max_attempts": 2, "mode": "standard"},
                signature_version="s3v4",
                s3={"addressing_style": _s3_direccion},
            ),
        },
    }
DATA_UPLOAD_MAX_MEMORY_SIZE = 16 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024

# ----------------------------------------------------------------------------------------------------------
# Security
# ----------------------------------------------------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "frame-ancestors 'none'; form-action 'self'; base-uri 'self'; object-src 'none'"
)
if not DEBUG:
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=True)
    CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=True)
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}

# ----------------------------------------------------------------------------------------------------------
# ICSOE
# ----------------------------------------------------------------------------------------------------------
ICSOE_VAR_DIR = VAR_DIR
# SAT test CAs and the local demo CA: trusted only where this says so (dev and tests), never in production:
# `manage.py check --deploy` fails while it is on (firma.E001).
ICSOE_TRUST_TEST_CAS = env.bool("ICSOE_TRUST_TEST_CAS", default=DEBUG)
# Each process asks the database for the version of the trusted CAs at most this often (seconds): a CA trusted by
# the admin or `manage.py efirma confiar` reaches every running process within this time, with or without Redis.
ICSOE_CONFIANZA_SEGUNDOS = env.float("ICSOE_CONFIANZA_SEGUNDOS", default=5.0)
# e.firma revocation by OCSP (docs/operations.md): off when empty; a responder URL, or "aia" for the URL each
# certificate names. Without a verified answer the e.firma is refused, unless ICSOE_OCSP_FAIL_OPEN.
ICSOE_OCSP_URL = env.str("ICSOE_OCSP_URL", default="")
ICSOE_OCSP_TIMEOUT = env.float("ICSOE_OCSP_TIMEOUT", default=5.0)
ICSOE_OCSP_FAIL_OPEN = env.bool("ICSOE_OCSP_FAIL_OPEN", default=False)
# Reverse proxies in front of the portal that append to X-Forwarded-For (0: the client is REMOTE_ADDR).
ICSOE_TRUSTED_PROXIES = env.int("ICSOE_TRUSTED_PROXIES", default=0)
ICSOE_SIGNING_CERT = env.str("ICSOE_SIGNING_CERT", default=str(VAR_DIR / "sello-portal" / "portal.cer"))
ICSOE_SIGNING_KEY = env.str("ICSOE_SIGNING_KEY", default=str(VAR_DIR / "sello-portal" / "portal.key"))
# Earlier portal certificates (comma-separated paths) whose acuses must still verify after a key rotation.
ICSOE_SIGNING_PREVIOUS_CERTS = env.list("ICSOE_SIGNING_PREVIOUS_CERTS", default=[])
# The dev mailbox (/dev/correo/, core/views.py): answers only with DEBUG on and only to loopback clients. While
# it is on, sent emails keep their link tokens in the outbox, so `make run` shows working links; off (production)
# the outbox copy of a sent email holds no usable token (core.services.correo_enviar).
ICSOE_DEV_MAILBOX = DEBUG
# Absolute links in emails (activation and password links): the address users reach the portal at.
ICSOE_BASE_URL = env.str("ICSOE_BASE_URL", default="http://127.0.0.1:8000")

# Informativas: carga masiva de trabajadores. The official limits are 15 MB and 3,000 workers per file; the
# replica accepts up to 100,000 rows by default. Every file, whatever its size, is read, checked and stored by a
# Celery task (under ICSOE_WORKER_MEMORIA_MAX) while the page shows a progress bar; so are Importar nómina and
# Contratos en bloque. The web request only stores the upload.
ICSOE_CARGA_MAX_BYTES = env.int("ICSOE_CARGA_MAX_BYTES", default=15 * 1024 * 1024)
ICSOE_CARGA_MAX_FILAS = env.int("ICSOE_CARGA_MAX_FILAS", default=100_000)
# No upload may exhaust memory (informativas/carga/limites.py): an .xlsx is checked from its zip directory
# before openpyxl opens it (every part, uncompressed; the shared strings, which openpyxl keeps whole in memory),
# and every cell of a CSV or XLSX is capped.
ICSOE_CARGA_XLSX_MAX_DESCOMPRIMIDO = env.int("ICSOE_CARGA_XLSX_MAX_DESCOMPRIMIDO", default=100 * 1024 * 1024)
ICSOE_CARGA_XLSX_MAX_PARTE = env.int("ICSOE_CARGA_XLSX_MAX_PARTE", default=64 * 1024 * 1024)
ICSOE_CARGA_XLSX_MAX_CADENAS = env.int("ICSOE_CARGA_XLSX_MAX_CADENAS", default=16 * 1024 * 1024)
ICSOE_CARGA_MAX_CELDA = env.int("ICSOE_CARGA_MAX_CELDA", default=1000)
# Expedientes (issue 25): one with up to this many trabajadores is built in the web request that first asks for
# it (3,000: about 1.2 s); a larger one by the worker while the page says it is being prepared. A build costs
# about 0.35 s of CPU and 3.3 MB more per 1,000 trabajadores (bench/bench_expediente.py).
ICSOE_EXPEDIENTE_TRABAJADORES_EN_LA_SOLICITUD = env.int("ICSOE_EXPEDIENTE_TRABAJADORES_EN_LA_SOLICITUD", default=5000)
# A hard ceiling on the address space of each Celery worker child (bytes; 0: none), set when the child starts
# (icsoe/celery.py). CELERY_WORKER_MAX_MEMORY_PER_CHILD only replaces a child after its task has ended, so
# alone it cannot stop one task from taking the host: with this ceiling the task gets a MemoryError instead.
# It counts virtual memory (libraries mapped, thread stacks), so it sits well above what a task really uses.
ICSOE_WORKER_MEMORIA_MAX = env.int("ICSOE_WORKER_MEMORIA_MAX", default=2 * 1024 * 1024 * 1024)
# Kilobytes of resident memory after which a child is replaced once its current task ends.
CELERY_WORKER_MAX_MEMORY_PER_CHILD = env.int("CELERY_WORKER_MAX_MEMORY_PER_CHILD", default=512 * 1024)
# Importar nómina (CFDI): a ZIP of payroll XMLs. Stated on the screen. An entry above ICSOE_NOMINA_MAX_ENTRADA
# bytes or compressed more than ICSOE_NOMINA_MAX_RAZON to 1 is a ZIP bomb, not a CFDI (one is a few KB).
ICSOE_NOMINA_MAX_BYTES = env.int("ICSOE_NOMINA_MAX_BYTES", default=300 * 1024 * 1024)
ICSOE_NOMINA_MAX_DESCOMPRIMIDO = env.int("ICSOE_NOMINA_MAX_DESCOMPRIMIDO", default=1536 * 1024 * 1024)
ICSOE_NOMINA_MAX_ENTRADA = env.int("ICSOE_NOMINA_MAX_ENTRADA", default=10 * 1024 * 1024)
ICSOE_NOMINA_MAX_RAZON = env.int("ICSOE_NOMINA_MAX_RAZON", default=100)
ICSOE_NOMINA_MAX_ARCHIVOS = env.int("ICSOE_NOMINA_MAX_ARCHIVOS", default=200_000)
# Request bodies, limited per URL before anything reads them (core.middleware.LimiteCuerpoMiddleware; the reverse
# proxy's client_max_body_size per location should match, docs/operations.md). Uploads only where a form takes
# one, each with its documented size (plus ICSOE_CUERPO_MARGEN_BYTES for the form's other fields and the multipart
# framing); every other URL at most ICSOE_CUERPO_MAX_BYTES. A bigger body is answered 413 in Spanish, unread.
ICSOE_CUERPO_MAX_BYTES = env.int("ICSOE_CUERPO_MAX_BYTES", default=2 * 1024 * 1024)
ICSOE_CUERPO_MARGEN_BYTES = env.int("ICSOE_CUERPO_MARGEN_BYTES", default=2 * 1024 * 1024)
ICSOE_ACUSE_STPS_MAX_BYTES = 5 * 1024 * 1024  # the acuse STPS in datos generales (contratistas/validators.py)
ICSOE_VERIFICAR_PDF_MAX_BYTES = 20 * 1024 * 1024  # an acuse PDF at /verificar-acuse/ (presentacion/forms.py)
ICSOE_CUERPO_MAX_POR_URL = {
    "informativas:carga_subir": ICSOE_CARGA_MAX_BYTES,  # carga masiva de trabajadores
    "informativas:bloque_subir": ICSOE_CARGA_MAX_BYTES,  # Contratos en bloque
    "informativas:nomina_subir": ICSOE_NOMINA_MAX_BYTES,  # Importar nómina, the whole informativa
    "informativas:nomina_subir_contrato": ICSOE_NOMINA_MAX_BYTES,  # Importar nómina, one contrato
    "contratistas:datos": ICSOE_ACUSE_STPS_MAX_BYTES,  # datos generales with the acuse STPS (PDF)
    "verificacion:acuse": ICSOE_VERIFICAR_PDF_MAX_BYTES,  # the public verification of an acuse PDF
}
# A fixed "today" (ISO date, America/Mexico_City) for demos and tests of periods and deadlines; empty: the clock.
ICSOE_HOY = env.str("ICSOE_HOY", default="")
# The test clock (plazos/reloj.py): when on, a date kept in the database (`manage.py reloj_prueba AAAA-MM-DD`)
# is "today" for web, worker and beat alike, so a test or demo can walk through a deadline. Never in production:
# `manage.py check --deploy` fails while it is on.
ICSOE_RELOJ_PRUEBA = env.bool("ICSOE_RELOJ_PRUEBA", default=False)
