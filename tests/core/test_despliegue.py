"""The deployment for several hosts, checked without a container runtime: docker-compose.yml parsed (services,
limits, settings: PgBouncer in transaction mode, a private S3-compatible bucket) and the settings each
environment variable switches on, read in a fresh process."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import yaml

from tests.conftest import REPO

COMPOSE = yaml.safe_load((REPO / "docker-compose.yml").read_text(encoding="utf-8"))
SERVICIOS = COMPOSE["services"]
APLICACION = ("web", "worker", "beat")


def test_compose_ships_postgres_pgbouncer_object_storage_redis_and_the_portal():
    assert {"db", "pgbouncer", "minio", "minio-bucket", "redis", "migrate", "web", "worker", "beat"} <= set(
        SERVICIOS
    )
    assert SERVICIOS["db"]["image"].startswith("postgres:")
    assert SERVICIOS["minio"]["image"].startswith("minio/minio:RELEASE.")  # pinned, not :latest
    assert "latest" not in SERVICIOS["pgbouncer"]["image"]


def test_pgbouncer_pools_in_transaction_mode_below_postgres_limit():
    pgbouncer = SERVICIOS["pgbouncer"]
    entorno = pgbouncer["environment"]
    assert entorno["POOL_MODE"] == "transaction"
    assert entorno["DB_HOST"] == "db"
    assert entorno["AUTH_TYPE"] == "scram-sha-256"  # PostgreSQL 16's default password method
    # Many clients, few server connections, under PostgreSQL's default max_connections (100) with room left.
    assert int(entorno["MAX_CLIENT_CONN"]) >= 1000
    assert int(entorno["DEFAULT_POOL_SIZE"]) + int(entorno["RESERVE_POOL_SIZE"]) <= int(
        entorno["MAX_DB_CONNECTIONS"]
    )
    assert int(entorno["MAX_DB_CONNECTIONS"]) < 100
    assert pgbouncer["mem_limit"] and pgbouncer["cpus"]
    assert pgbouncer["depends_on"]["db"]["condition"] == "service_healthy"
    assert "ports" not in pgbouncer  # only the containers reach it


def test_web_worker_and_beat_reach_postgres_through_pgbouncer_and_share_the_object_storage():
    for nombre in APLICACION:
        servicio = SERVICIOS[nombre]
        entorno = servicio["environment"]
        assert "@pgbouncer:5432/" in entorno["DATABASE_URL"], nombre
        assert entorno["ICSOE_PGBOUNCER"] == "true", nombre
        assert entorno["ICSOE_S3_BUCKET"] == "icsoe", nombre
        assert entorno["ICSOE_S3_ENDPOINT_URL"] == "http://minio:9000", nombre
        assert "MINIO_ROOT_PASSWORD" in entorno["ICSOE_S3_SECRET_KEY"], nombre  # from .env, not written here
        assert servicio["depends_on"]["minio-bucket"]["condition"] == "service_completed_successfully", nombre
    assert SERVICIOS["worker"]["mem_limit"] == SERVICIOS["worker"]["memswap_limit"]
    assert [p for n in SERVICIOS for p in SERVICIOS[n].get("ports", [])] == ["8000:8000"]  # only the portal


def test_migrations_go_to_postgres_directly():
    entorno = SERVICIOS["migrate"]["environment"]
    assert "@db:5432/" in entorno["DATABASE_URL"]
    assert entorno["ICSOE_PGBOUNCER"] == "false"
    assert entorno["ICSOE_S3_BUCKET"] == "icsoe"


def test_the_bucket_is_private_and_minio_is_not_published():
    assert "ports" not in SERVICIOS["minio"]
    orden = " ".join(SERVICIOS["minio-bucket"]["command"])
    assert "mc mb --ignore-existing icsoe/icsoe" in orden
    assert "mc anonymous set none icsoe/icsoe" in orden
    assert SERVICIOS["minio"]["environment"]["MINIO_ROOT_PASSWORD"].startswith("${MINIO_ROOT_PASSWORD:?")
    assert "miniodata" in COMPOSE["volumes"]


def _ajustes(**env: str) -> subprocess.CompletedProcess:
    """icsoe.settings in a fresh process with only these settings; prints the database and storage chosen."""
    limpio = {k: v for k, v in os.environ.items() if not k.startswith(("ICSOE_", "DATABASE_URL", "DJANGO_"))}
    limpio.update(DEBUG="true", **env)
    codigo = (
        "import json, icsoe.settings as s; d = s.DATABASES['default']; o = s.STORAGES['default'].get('OPTIONS', {});"
        "print(json.dumps({'engine': d['ENGINE'], 'options': d.get('OPTIONS', {}),"
        " 'ssc': d.get('DISABLE_SERVER_SIDE_CURSORS'), 'storage': s.STORAGES['default']['BACKEND'],"
        " 'acl': o.get('default_acl', 'x'), 'expira': o.get('querystring_expire'), 'bucket': o.get('bucket_name'),"
        " 'endpoint': o.get('endpoint_url'), 'sobrescribe': o.get('file_overwrite')}))"
    )
    return subprocess.run(
        [sys.executable, "-c", codigo], cwd=REPO, env=limpio, capture_output=True, text=True, timeout=60
    )


def test_icsoe_pgbouncer_switches_prepared_statements_off_and_keeps_cursors_in_transactions():
    resultado = _ajustes(DATABASE_URL="postgres://icsoe:x@pgbouncer:5432/icsoe", ICSOE_PGBOUNCER="true")

    ajustes = json.loads(resultado.stdout)
    assert ajustes["engine"] == "icsoe.pgbouncer"
    assert ajustes["options"]["prepare_threshold"] is None
    assert ajustes["ssc"] is False  # server-side cursors stay, only inside a transaction (icsoe/pgbouncer)


def test_without_pgbouncer_the_plain_backend():
    ajustes = json.loads(_ajustes(DATABASE_URL="postgres://icsoe:x@db:5432/icsoe").stdout)
    assert ajustes["engine"] == "django.db.backends.postgresql"


def test_icsoe_pgbouncer_without_postgres_refuses_to_start_in_spanish():
    resultado = _ajustes(ICSOE_PGBOUNCER="true")
    assert resultado.returncode != 0
    assert "ICSOE_PGBOUNCER requiere una DATABASE_URL de PostgreSQL." in resultado.stderr


def test_make_run_keeps_the_uploads_on_the_local_disk():
    ajustes = json.loads(_ajustes().stdout)
    assert ajustes["storage"] == "core.almacen.AlmacenLocal"


def test_icsoe_s3_bucket_switches_to_a_private_object_storage():
    ajustes = json.loads(
        _ajustes(
            ICSOE_S3_BUCKET="icsoe", ICSOE_S3_ENDPOINT_URL="http://minio:9000", ICSOE_S3_ACCESS_KEY="k"
        ).stdout
    )
    assert ajustes["storage"] == "core.almacen.AlmacenS3"
    assert (ajustes["bucket"], ajustes["endpoint"]) == ("icsoe", "http://minio:9000")
    assert ajustes["acl"] is None  # never public-read: the bucket's private policy
    assert ajustes["expira"] <= 300  # a signed URL, were one ever made, lives a minute
    assert ajustes["sobrescribe"] is False
