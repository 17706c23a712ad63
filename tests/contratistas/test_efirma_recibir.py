"""The one receiver of an e.firma signature (efirma_web.recibir_firma), which the login's "Ingresar" and
Firmar's "Firmar" share: files refused, the form checked, the verification under the throttle, its refusal
shown on the page, and what follows a verified signature left to each door."""

from __future__ import annotations

import base64
from urllib.parse import urlencode

import pytest
from django.contrib.auth.models import AnonymousUser
from django.contrib.sessions.backends.db import SessionStore
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.test import RequestFactory

from contratistas import efirma_web
from contratistas.efirma_web import MENSAJE_SIN_ARCHIVOS, contexto_efirma, recibir_firma
from firma import sat

pytestmark = pytest.mark.django_db

DATOS = {
    "rfc": "esi920427886",
    "certificado": base64.b64encode(b"certificado").decode(),
    "reto": "0" * 32,
    "firma": base64.b64encode(b"firma").decode(),
}


@pytest.fixture(autouse=True)
def _sin_bloqueos():
    cache.clear()


def _recibir(*, verificar, hecho=lambda resultado: HttpResponse(f"hecho:{resultado}"), datos=DATOS, **kwargs):
    # As the page posts it (a form, never multipart: the e.firma pages send no files).
    request = RequestFactory().post(
        "/acceso/efirma/", urlencode(datos), content_type="application/x-www-form-urlencoded", **kwargs
    )
    request.user, request.session = AnonymousUser(), SessionStore()
    return recibir_firma(
        request, plantilla="acceso/efirma.html", contexto=contexto_efirma, verificar=verificar, hecho=hecho
    )


def test_a_verified_signature_goes_to_the_doors_next_step_with_the_cleaned_data():
    recibidos = []

    respuesta = _recibir(verificar=lambda datos: recibidos.append(datos) or "verificada")

    assert respuesta.content == b"hecho:verificada"
    assert recibidos[0]["rfc"] == "ESI920427886"
    assert (recibidos[0]["certificado"], recibidos[0]["firma"]) == (b"certificado", b"firma")


def test_a_request_with_files_is_refused_before_anything_is_verified():
    llamado = []
    request = RequestFactory().post("/acceso/efirma/", {**DATOS, "llave": _archivo()})
    request.user, request.session = AnonymousUser(), SessionStore()

    respuesta = recibir_firma(
        request,
        plantilla="acceso/efirma.html",
        contexto=contexto_efirma,
        verificar=lambda datos: llamado.append(datos),
        hecho=lambda resultado: HttpResponse(),
    )

    assert respuesta.status_code == 400
    assert MENSAJE_SIN_ARCHIVOS in respuesta.content.decode()
    assert llamado == []


def _archivo():
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("llave.key", b"llave")


def test_a_form_without_the_signature_says_javascript_is_needed():
    respuesta = _recibir(verificar=lambda datos: pytest.fail("no debe verificarse"), datos={**DATOS, "firma": ""})

    assert efirma_web.MENSAJE_SIN_JAVASCRIPT in respuesta.content.decode()


@pytest.mark.parametrize(
    ("rechazo", "mensaje"),
    [
        (sat.EfirmaError("contrasena_incorrecta"), sat.MENSAJES["contrasena_incorrecta"]),
        (ValidationError("La informativa cambió."), "La informativa cambió."),
    ],
)
def test_a_refused_verification_is_shown_on_the_page(rechazo, mensaje):
    def verificar(datos):
        raise rechazo

    respuesta = _recibir(verificar=verificar)

    assert respuesta.status_code == 200
    assert mensaje in respuesta.content.decode()


def test_the_next_step_may_refuse_with_the_efirmas_own_error_outside_the_throttle():
    def hecho(resultado):
        raise sat.EfirmaError("firma_invalida")

    for _ in range(10):
        respuesta = _recibir(verificar=lambda datos: "verificada", hecho=hecho)
        assert sat.MENSAJES["firma_invalida"] in respuesta.content.decode()

    respuesta = _recibir(verificar=lambda datos: "verificada")
    assert respuesta.content == b"hecho:verificada"  # no wait imposed: only verification failures count
