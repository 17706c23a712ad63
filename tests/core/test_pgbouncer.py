"""The portal's database settings for PgBouncer, through Debian's real pgbouncer in transaction mode started on
loopback in front of the test PostgreSQL: queries work, no statement is prepared, and an ``.iterator()``
inside a transaction reads with a server-side cursor (flat memory) while outside it reads with a plain one."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.db import connections, transaction
from django.utils.connection import ConnectionDoesNotExist

from core.models import Bitacora
from icsoe.pgbouncer.base import DatabaseWrapper

PGBOUNCER = "/usr/sbin/pgbouncer"
pytestmark = pytest.mark.django_db


def _puerto_libre() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def pgbouncer(db) -> Iterator[str]:
    """A pgbouncer in transaction mode in front of the test database; yields the alias of a Django connection
    through it, configured as ICSOE_PGBOUNCER configures the portal's (a connection made for the test, not in
    DATABASES: whatever a test writes through it, it rolls back itself)."""
    base = connections["default"].settings_dict
    if base["ENGINE"] != "django.db.backends.postgresql":
        pytest.skip("necesita el PostgreSQL de make test")
    puerto = _puerto_libre()
    carpeta = Path(tempfile.mkdtemp(prefix="icsoe-pgbouncer-"))
    (carpeta / "usuarios.txt").write_text(f'"{base["USER"]}" ""\n')
    (carpeta / "pgbouncer.ini").write_text(
        f"[databases]\n{base['NAME']} = host={base['HOST']} port={base['PORT']} dbname={base['NAME']}\n"
        "[pgbouncer]\n"
        f"listen_addr = 127.0.0.1\nlisten_port = {puerto}\nunix_socket_dir =\n"
        f"auth_type = trust\nauth_file = {carpeta / 'usuarios.txt'}\n"
        "pool_mode = transaction\ndefault_pool_size = 2\nmax_client_conn = 50\n"
        "ignore_startup_parameters = extra_float_digits\n"
        f"logfile = {carpeta / 'pgbouncer.log'}\npidfile = {carpeta / 'pgbouncer.pid'}\n"
    )
    orden = [PGBOUNCER, str(carpeta / "pgbouncer.ini")]
    if os.geteuid() == 0:  # pgbouncer refuses to run as root
        shutil.chown(carpeta, "postgres")
        for archivo in carpeta.iterdir():
            shutil.chown(archivo, "postgres")
        orden = ["runuser", "-u", "postgres", "--", *orden]
    proceso = subprocess.Popen(orden, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        for _ in range(100):
            with socket.socket() as s:
                if s.connect_ex(("127.0.0.1", puerto)) == 0:
                    break
            assert proceso.poll() is None, proceso.stdout.read().decode() if proceso.stdout else ""
            time.sleep(0.05)
        alias = "pgbouncer"
        connections[alias] = DatabaseWrapper(
            {
                **base,
                "ENGINE": "icsoe.pgbouncer",
                "PORT": str(puerto),
                "OPTIONS": {**base.get("OPTIONS", {}), "prepare_threshold": None},
                "DISABLE_SERVER_SIDE_CURSORS": False,
                "CONN_MAX_AGE": 0,
            },
            alias,
        )
        yield alias
    finally:
        try:
            connections["pgbouncer"].close()
            del connections["pgbouncer"]
        except ConnectionDoesNotExist:  # the fixture failed before making it
            pass
        proceso.terminate()
        proceso.wait(timeout=10)
        shutil.rmtree(carpeta, ignore_errors=True)


def _cursores(alias: str) -> list[str]:
    with connections[alias].cursor() as cursor:
        cursor.execute("SELECT name FROM pg_cursors")
        return [fila[0] for fila in cursor.fetchall()]


def test_queries_run_through_pgbouncer_without_prepared_statements(pgbouncer):
    conexion = connections[pgbouncer]
    assert conexion.vendor == "postgresql"
    for n in range(10):  # psycopg would prepare after 5 runs; through PgBouncer it must not
        with conexion.cursor() as cursor:
            cursor.execute("SELECT %s::int + 1", [n])
            assert cursor.fetchone() == (n + 1,)
    with transaction.atomic(using=pgbouncer), conexion.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_prepared_statements")
        assert cursor.fetchone() == (0,)
    assert conexion.connection.prepare_threshold is None


def test_an_iterator_inside_a_transaction_reads_through_a_server_side_cursor(pgbouncer):
    with transaction.atomic(using=pgbouncer):
        Bitacora.objects.using(pgbouncer).bulk_create(
            Bitacora(accion="prueba.pgbouncer", objeto_tipo="prueba", objeto_id=str(i)) for i in range(3000)
        )
        filas = Bitacora.objects.using(pgbouncer).filter(accion="prueba.pgbouncer").order_by("pk")
        leidas, cursores_abiertos = 0, []
        for i, fila in enumerate(filas.iterator(chunk_size=500)):
            assert fila.objeto_id == str(i)
            if i == 10:
                cursores_abiertos = _cursores(pgbouncer)
            leidas += 1
        assert leidas == 3000
        assert any(nombre.startswith("_django_curs_") for nombre in cursores_abiertos)
        transaction.set_rollback(True, using=pgbouncer)  # nothing stays in the test database


def test_an_iterator_outside_a_transaction_reads_without_a_cursor_that_outlives_it(pgbouncer):
    conexion = connections[pgbouncer]
    assert conexion.get_autocommit()
    filas = Bitacora.objects.using(pgbouncer).order_by("pk")
    abiertos = []
    for _ in filas.iterator(chunk_size=10):
        abiertos = _cursores(pgbouncer)
    assert not [n for n in abiertos if n.startswith("_django_curs_")]  # no WITH HOLD cursor left behind
    with conexion.cursor() as cursor:  # and the pooled server connection is clean for the next client
        cursor.execute("SELECT count(*) FROM pg_cursors")
        assert cursor.fetchone() == (0,)
