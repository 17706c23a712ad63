"""The trust store is parsed once per process and rebuilt when staff change the CAs (admin or command),
when the setting or the demo CA file change, or when the shared version token is lost."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.cache import cache
from django.core.management import call_command

from firma import services
from firma.demo import DemoCA

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _limpio(var_dir):
    cache.clear()
    services.trust_store_invalidar()


def _tiene(almacen, ca: DemoCA) -> bool:
    return any(c == ca.certificado for c in almacen.certificados)


def test_the_second_login_reuses_the_parsed_store_without_a_query(django_assert_num_queries):
    primero = services.trust_store()

    with django_assert_num_queries(0):
        segundo = services.trust_store()

    assert segundo is primero
    assert len(primero) > 10


def test_trusting_a_ca_with_the_command_rebuilds_the_store(tmp_path):
    antes = services.trust_store()
    otra = DemoCA.load_or_create(tmp_path / "otra-ca")
    assert not _tiene(antes, otra)

    call_command("efirma", "confiar", str(tmp_path / "otra-ca" / "ca.cer"), stdout=StringIO())

    despues = services.trust_store()
    assert despues is not antes
    assert _tiene(despues, otra)


def test_another_process_sees_the_change_through_the_shared_version():
    antes = services.trust_store()
    version = cache.get(services.VERSION_CAS)

    cache.set(
        services.VERSION_CAS, "renovada-por-otro-proceso", None
    )  # what trust_store_invalidar() does elsewhere

    assert services.trust_store() is not antes
    assert version != "renovada-por-otro-proceso"


def test_a_lost_version_rebuilds_rather_than_trusting_a_stale_store():
    antes = services.trust_store()

    cache.clear()

    assert services.trust_store() is not antes


def test_the_demo_ca_and_the_setting_are_part_of_the_key(settings, var_dir):
    sin_demo = services.trust_store()
    demo = DemoCA.load_or_create(var_dir / "demo-efirma")
    assert not _tiene(sin_demo, demo)

    con_demo = services.trust_store()
    assert _tiene(con_demo, demo)

    settings.ICSOE_TRUST_TEST_CAS = False
    produccion = services.trust_store()
    assert not _tiene(produccion, demo)
    assert len(produccion) < len(con_demo)
