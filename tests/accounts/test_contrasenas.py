"""How the portal stores passwords: Argon2id with OWASP's parameters; older PBKDF2 hashes still log in and are
rewritten at that login. (The rest of the suite hashes with MD5 to run fast.)"""

from __future__ import annotations

import pytest
from argon2 import PasswordHasher
from django.conf import settings as django_settings
from django.contrib.auth.hashers import make_password

from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


@pytest.fixture
def hashers_del_portal(settings):
    settings.PASSWORD_HASHERS = django_settings.PORTAL_PASSWORD_HASHERS


def test_a_password_is_stored_with_argon2id_and_owasps_parameters(hashers_del_portal, capturista):
    capturista.set_password(PASSWORD)
    capturista.save()

    algoritmo, resto = capturista.password.split("$", 1)
    hash_argon2 = "$" + resto  # Django prefixes the standard Argon2 string with its algorithm name
    assert algoritmo == "argon2"
    assert hash_argon2.startswith("$argon2id$v=19$m=19456,t=2,p=1$")
    assert PasswordHasher().verify(hash_argon2, PASSWORD)  # the standard Argon2 library agrees
    assert PASSWORD not in capturista.password


def test_a_pbkdf2_password_stored_before_still_logs_in_and_is_rewritten_with_argon2id(
    hashers_del_portal, client, capturista
):
    capturista.password = make_password(PASSWORD, hasher="pbkdf2_sha256")
    capturista.save(update_fields=["password"])

    respuesta = client.post("/acceso/", {"login": capturista.curp, "password": PASSWORD})

    assert respuesta.status_code == 302
    capturista.refresh_from_db()
    assert capturista.password.startswith("argon2$argon2id$")


def test_a_wrong_password_does_not_log_in_nor_touch_the_stored_hash(hashers_del_portal, client, capturista):
    capturista.set_password(PASSWORD)
    capturista.save()
    antes = capturista.password

    respuesta = client.post("/acceso/", {"login": capturista.curp, "password": "Otra-Clave-2026"})

    assert respuesta.status_code == 200 and "no son correctos" in respuesta.content.decode()
    capturista.refresh_from_db()
    assert capturista.password == antes
