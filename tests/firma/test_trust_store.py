"""The trust store is parsed once per process and rebuilt when staff change the CAs (admin or command), seen by
every process through the version in the database, or when the setting or the demo CA file change."""

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
    services.trust_store_olvidar()


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


def test_another_process_sees_the_change_through_the_version_in_the_database(settings, tmp_path):
    """What a `manage.py efirma confiar` beside the portal does: another process raises the version and adds
    the CA; this process (no shared cache: the cache is cleared) sees it once ICSOE_CONFIANZA_SEGUNDOS pass."""
    from firma.models import AutoridadCertificadora, VersionConfianza

    antes = services.trust_store()
    otra = DemoCA.load_or_create(tmp_path / "otra-ca")
    AutoridadCertificadora.objects.create(
        nombre="Otra", certificado=otra.cert_der, huella_sha256="f" * 64, de_pruebas=True
    )
    VersionConfianza.objects.update_or_create(pk=1, defaults={"version": 41})
    cache.clear()

    assert services.trust_store() is antes  # still within the seconds of the last reading
    settings.ICSOE_CONFIANZA_SEGUNDOS = 0
    despues = services.trust_store()
    assert despues is not antes
    assert _tiene(despues, otra)


def test_the_version_is_read_again_only_after_the_configured_seconds(settings, django_assert_num_queries):
    settings.ICSOE_CONFIANZA_SEGUNDOS = 3600
    services.trust_store()

    with django_assert_num_queries(0):
        services.trust_store()
    settings.ICSOE_CONFIANZA_SEGUNDOS = 0
    with django_assert_num_queries(1):  # the version only: the store itself is still the same
        services.trust_store()


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
