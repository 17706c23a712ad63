"""Proof of possession: the login signs the challenge kept in the session; the backend checks the signature
against that stored challenge (never one handed to it), uses it once, and a new one follows every attempt."""

from __future__ import annotations

import dataclasses

import pytest
from django.contrib.auth import authenticate
from django.contrib.sessions.backends.db import SessionStore
from django.test import RequestFactory

from contratistas.backends import EfirmaBackend
from contratistas.models import Contratista
from firma import sat
from firma.services import NONCE_SESION, efirma_nonce, efirma_nonce_renovar, efirma_validar
from tests.contratistas.test_ingreso_efirma import _ingresar, _post
from tests.efirma_sat import FIEL_EKU

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("sin_bloqueos")]


class BackendQueAnota(EfirmaBackend):
    """The real backend, noting what each authenticate() call received and the challenge then in the
    session."""

    llamadas: list[tuple[sat.EfirmaValidada, str | None]] = []

    def authenticate(self, request, efirma=None):
        BackendQueAnota.llamadas.append((efirma, request.session.get(NONCE_SESION)))
        return super().authenticate(request, efirma=efirma)


@pytest.fixture
def peticion():
    request = RequestFactory().post("/acceso/efirma/")
    request.session = SessionStore()
    return request


def _validada(request, **cambios) -> sat.EfirmaValidada:
    return efirma_validar(**{**FIEL_EKU.datos(), **cambios}, nonce=efirma_nonce(sesion=request.session))


def test_the_login_signs_the_challenge_kept_in_the_session_and_renews_it(client, settings):
    settings.AUTHENTICATION_BACKENDS = [
        "tests.contratistas.test_ingreso_posesion.BackendQueAnota",
        *settings.AUTHENTICATION_BACKENDS,
    ]
    BackendQueAnota.llamadas.clear()
    client.get("/acceso/efirma/")
    reto = client.session[NONCE_SESION]

    respuesta = _ingresar(client, FIEL_EKU)

    assert respuesta.status_code == 302
    ((efirma, en_sesion),) = BackendQueAnota.llamadas
    assert en_sesion == reto
    assert efirma.nonce == bytes.fromhex(reto)
    assert sat.verificar(efirma.certificado, bytes.fromhex(reto), efirma.firma_nonce)
    assert client.session[NONCE_SESION] != reto
    assert len(bytes.fromhex(client.session[NONCE_SESION])) == 32


def test_the_backend_accepts_the_sessions_challenge_once(peticion):
    validada = _validada(peticion)

    usuario = EfirmaBackend().authenticate(peticion, efirma=validada)

    assert usuario is not None and usuario.username == "EKU9003173C9"
    assert NONCE_SESION not in peticion.session
    assert EfirmaBackend().authenticate(peticion, efirma=validada) is None  # replayed: the challenge is gone


def test_a_signature_of_an_earlier_challenge_is_refused(peticion):
    viejo = _validada(peticion)
    efirma_nonce_renovar(sesion=peticion.session)

    assert EfirmaBackend().authenticate(peticion, efirma=viejo) is None
    assert not Contratista.objects.exists()


def test_a_challenge_the_caller_picked_is_refused(peticion):
    efirma_nonce(sesion=peticion.session)
    elegida = efirma_validar(**FIEL_EKU.datos(), nonce=b"un reto que eligio quien llama")
    sin_reto = efirma_validar(**FIEL_EKU.datos())  # validar_efirma signs a random one

    assert EfirmaBackend().authenticate(peticion, efirma=elegida) is None
    efirma_nonce(sesion=peticion.session)
    assert EfirmaBackend().authenticate(peticion, efirma=sin_reto) is None
    assert not Contratista.objects.exists()


def test_a_signature_that_does_not_verify_is_refused(peticion):
    validada = _validada(peticion)
    alterada = bytes([validada.firma_nonce[0] ^ 1]) + validada.firma_nonce[1:]

    assert (
        EfirmaBackend().authenticate(peticion, efirma=dataclasses.replace(validada, firma_nonce=alterada))
        is None
    )
    assert not Contratista.objects.exists()


def test_the_signature_of_another_certificate_is_refused(peticion, demo_efirma):
    otra = demo_efirma("ESI920427886", "EMPRESA DE SERVICIOS INTEGRALES SA DE CV")
    validada = _validada(peticion)
    de_otra = efirma_validar(**otra.datos(), nonce=validada.nonce)

    falsa = dataclasses.replace(validada, firma_nonce=de_otra.firma_nonce)

    assert EfirmaBackend().authenticate(peticion, efirma=falsa) is None
    assert not Contratista.objects.exists()


def test_without_a_session_or_an_efirma_nobody_is_authenticated(peticion):
    sin_sesion = RequestFactory().post("/acceso/efirma/")

    assert authenticate(sin_sesion, efirma=_validada(peticion)) is None
    assert EfirmaBackend().authenticate(peticion, efirma=None) is None


@pytest.mark.parametrize(
    ("url", "cambios"),
    [
        ("/acceso/efirma/", {"password": "equivocada"}),
        ("/acceso/efirma/validar/", {"password": "equivocada"}),
        ("/acceso/efirma/validar/", {}),
    ],
)
def test_every_attempt_renews_the_challenge(client, url, cambios):
    client.get("/acceso/efirma/")
    reto = client.session[NONCE_SESION]

    _post(client, url, **{**FIEL_EKU.datos(), **cambios})

    assert client.session[NONCE_SESION] != reto
