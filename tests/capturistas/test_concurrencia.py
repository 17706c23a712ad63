"""Two altas of the same brand-new CURP at once, on the real PostgreSQL of `make test`.

Neither alta can lock the capturista's user row (it does not exist yet), so both go on to insert it. The test
makes the race happen every time: the first alta inserts and holds its transaction open until the second is
seen waiting on the unique index, then commits. The second must relate that user (or say the CURP is already
registered) instead of failing with an IntegrityError.
"""

from __future__ import annotations

import threading
import time

import pytest
from django.db import connection, connections, transaction

from accounts.models import User
from capturistas.models import Liga, Relacion
from capturistas.services import MENSAJE_YA_REGISTRADO, CapturistaError
from tests.capturistas.conftest import dar_de_alta

# Concurrent transactions blocking on row locks (select_for_update) of a real server: SQLite has no row
# locks (README, "The two configurations"); make run's configuration is left out, not skipped.
pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.solo_postgresql]


@pytest.fixture(autouse=True)
def solo_postgresql():
    if connection.vendor != "postgresql":
        pytest.skip("la concurrencia se prueba en PostgreSQL (make test)")


def _esperando_un_candado(timeout: float = 20) -> None:
    """Returns once another session of this database is blocked on a lock."""
    limite = time.monotonic() + timeout
    with connection.cursor() as cursor:
        while time.monotonic() < limite:
            # pg_locks is live; pg_stat_activity would show the snapshot taken at this transaction's first look.
            cursor.execute("SELECT count(*) FROM pg_locks WHERE NOT granted AND pid <> pg_backend_pid()")
            if cursor.fetchone()[0]:
                return
            time.sleep(0.05)
    raise AssertionError("la segunda alta nunca esperó el índice único")


def _altas_simultaneas(primera, segunda) -> dict[str, object]:
    """Runs ``primera`` and ``segunda`` (each an alta) in two threads so that both insert the same new user."""
    resultado: dict[str, object] = {}
    insertada = threading.Event()

    def correr_primera() -> None:
        try:
            with transaction.atomic():
                resultado["primera"] = primera()
                insertada.set()
                _esperando_un_candado()
        except Exception as error:  # reported by the test's assertions
            resultado["primera"] = error
        finally:
            insertada.set()
            connections.close_all()

    def correr_segunda() -> None:
        insertada.wait(30)
        try:
            resultado["segunda"] = segunda()
        except Exception as error:  # reported by the test's assertions
            resultado["segunda"] = error
        finally:
            connections.close_all()

    hilos = [threading.Thread(target=correr_primera), threading.Thread(target=correr_segunda)]
    for hilo in hilos:
        hilo.start()
    for hilo in hilos:
        hilo.join(60)
    return resultado


def test_two_contratistas_registering_the_same_new_curp_at_once_share_one_user(
    contratista, otro_contratista, maria
):
    resultado = _altas_simultaneas(
        lambda: dar_de_alta(contratista, maria, correo="maria@example.com"),
        lambda: dar_de_alta(otro_contratista, maria, correo="maria.otra@example.com"),
    )

    assert isinstance(resultado["primera"], Relacion), resultado["primera"]
    assert isinstance(resultado["segunda"], Relacion), resultado["segunda"]
    usuario = User.objects.get(curp=maria.curp)
    assert usuario.email == "maria@example.com"  # the account keeps the first contratista's address
    relaciones = Relacion.objects.filter(capturista=usuario)
    assert set(relaciones.values_list("contratista__rfc", flat=True)) == {contratista.rfc, otro_contratista.rfc}
    assert set(relaciones.values_list("estatus", flat=True)) == {Relacion.Estatus.REGISTRADA}
    # Only the newest activation link works, and it goes to the account's own email.
    abiertas = Liga.objects.filter(usuario=usuario, usada_at__isnull=True, invalidada_at__isnull=True)
    assert list(abiertas.values_list("para", flat=True)) == ["maria@example.com"]


def test_the_same_contratista_registering_a_new_curp_twice_at_once_gets_one_relation(contratista, maria):
    resultado = _altas_simultaneas(
        lambda: dar_de_alta(contratista, maria, correo="maria@example.com"),
        lambda: dar_de_alta(contratista, maria, correo="maria@example.com"),
    )

    assert isinstance(resultado["primera"], Relacion), resultado["primera"]
    assert isinstance(resultado["segunda"], CapturistaError), resultado["segunda"]
    assert resultado["segunda"].mensaje == MENSAJE_YA_REGISTRADO
    assert resultado["segunda"].campo == "curp"
    assert User.objects.filter(curp=maria.curp).count() == 1
    assert Relacion.objects.filter(contratista=contratista).count() == 1
