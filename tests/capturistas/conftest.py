"""Fixtures for the capturistas tests: persons in the CURP registry, a contratista ready to work, and the
links the portal emails (read back from the outbox)."""

from __future__ import annotations

import re

import pytest
from django.core.cache import cache

# Persons of the demo sample (accounts/data/curp_muestra.csv): valid CURPs with their check digits.
MARIA = {
    "curp": "LOHF900514MJCPRR06",
    "nombres": "MARÍA FERNANDA",
    "primer_apellido": "LÓPEZ",
    "segundo_apellido": "HERNÁNDEZ",
}
CARLOS = {"curp": "RATC780309HPLMRR00", "nombres": "CARLOS", "primer_apellido": "RAMÍREZ", "segundo_apellido": "TORRES"}
LIGA = re.compile(r"https?://[^/\s]+(/usuarios/contrasena/[\w-]+/)")


@pytest.fixture(autouse=True)
def _limites_holgados(settings):
    """Rate limits and the throttle's counts live in the shared cache (Redis under `make test`): loosen
    allauth's and start each test with no counts, so tests do not throttle each other (a reset request counts
    against its CURP for an hour); the tests of the limits set them back explicitly."""
    holgado = "1000/m/ip,1000/m/key"
    settings.ACCOUNT_RATE_LIMITS = {"login_failed": holgado, "reset_password": holgado}
    cache.clear()


def aceptar_terminos(usuario) -> None:
    from accounts.models import AceptacionTerminos, TerminosCondiciones

    for terminos in TerminosCondiciones.objects.filter(activo=True):
        AceptacionTerminos.objects.get_or_create(usuario=usuario, terminos=terminos)


@pytest.fixture
def maria(db):
    from accounts.models import PersonaRenapo

    return PersonaRenapo.objects.create(**MARIA)


@pytest.fixture
def carlos(db):
    from accounts.models import PersonaRenapo

    return PersonaRenapo.objects.create(**CARLOS)


@pytest.fixture
def como_contratista(client, contratista):
    """The test client logged in as the contratista, términos y condiciones already accepted."""
    aceptar_terminos(contratista.usuario)
    client.force_login(contratista.usuario)
    return client


@pytest.fixture
def como_otro_contratista(otro_contratista):
    from django.test import Client

    aceptar_terminos(otro_contratista.usuario)
    cliente = Client()
    cliente.force_login(otro_contratista.usuario)
    return cliente


def dar_de_alta(contratista, persona, *, correo: str = "maria@example.com", telefono: str = "5512345678"):
    """An alta through the service, as the contratista's Guardar does."""
    from capturistas.services import capturista_alta

    return capturista_alta(
        contratista=contratista,
        curp=persona.curp,
        telefono=telefono,
        correo=correo,
        usuario=contratista.usuario,
    )


def ultima_liga(para: str) -> str:
    """The path of the password link in the newest email to ``para``, as it goes out (the outbox's copy of a
    pending email holds a marker where the token goes: the token waits encrypted beside it)."""
    from core.models import Correo
    from core.services import correo_mensaje

    correo = Correo.objects.filter(para=para).order_by("-created_at", "-pk").first()
    assert correo is not None, f"no hay correo para {para}"
    encontrada = LIGA.search(correo_mensaje(correo=correo).body)
    assert encontrada, f"el correo {correo.asunto!r} no trae liga"
    return encontrada.group(1)
