"""Issue 24, finding 9: a request body is limited per URL at the door (core.middleware.LimiteCuerpoMiddleware),
before anything reads it: /verificar-acuse/ read a 1 GB anonymous body before it said «máximo 20 MB»."""

from __future__ import annotations

import io
import socket
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import HttpResponse
from django.test import RequestFactory
from django.urls import reverse

from contratistas.validators import TAMANO_MAXIMO_PDF
from informativas.presentacion.forms import MAXIMO_PDF_ACUSE

pytestmark = pytest.mark.django_db

MB = 1024 * 1024


class Cuerpo(io.RawIOBase):
    """A request body of ``tamano`` bytes (``inicio``, then zeros) that records how much of it was read."""

    def __init__(self, tamano: int, inicio: bytes = b"") -> None:
        self.tamano, self.inicio, self.leidos = tamano, inicio, 0

    def read(self, size: int | None = -1, /) -> bytes:
        restante = self.tamano - self.leidos
        n = restante if size is None or size < 0 else min(size, restante)
        trozo = (self.inicio[self.leidos : self.leidos + n]).ljust(n, b"0")
        self.leidos += n
        return trozo

    def readline(self, size: int | None = -1, /) -> bytes:
        return self.read(size if size and size > 0 else 64 * 1024)


def _post(client, url: str, cuerpo: Cuerpo, *, longitud: int | None, tipo: str = "multipart/form-data; boundary=x"):
    extra = {"wsgi.input": cuerpo, "CONTENT_TYPE": tipo}
    if longitud is not None:
        extra["CONTENT_LENGTH"] = str(longitud)
    return client.generic("POST", url, b"", **extra)


def test_a_25_mb_post_to_verificar_acuse_is_refused_with_413_without_reading_it(client):
    cuerpo = Cuerpo(25 * MB)

    respuesta = _post(client, reverse("verificacion:acuse"), cuerpo, longitud=25 * MB)

    assert respuesta.status_code == 413
    assert cuerpo.leidos == 0
    pagina = respuesta.content.decode()
    assert "excede el tamaño máximo" in pagina and "20 MB" in pagina


def test_a_post_over_the_default_limit_to_a_page_without_upload_is_refused(client):
    cuerpo = Cuerpo(3 * MB)

    respuesta = _post(client, "/acceso/efirma/validar/", cuerpo, longitud=3 * MB, tipo="application/x-www-form-urlencoded")

    assert respuesta.status_code == 413 and cuerpo.leidos == 0
    assert f"{settings.ICSOE_CUERPO_MAX_BYTES // MB} MB" in respuesta.content.decode()


def test_an_upload_under_its_urls_limit_is_read_by_the_view(client):
    """3 MB is over the default limit but well under the verification's 20 MB: the page reads and hashes it."""
    pdf = SimpleUploadedFile("acuse.pdf", b"%PDF-1.7\n" + b"0" * (3 * MB), content_type="application/pdf")

    respuesta = client.post(reverse("verificacion:acuse"), {"archivo": pdf})

    assert respuesta.status_code == 200
    assert "no es, byte por byte, ningún acuse emitido por el portal" in respuesta.content.decode()


def test_an_upload_over_its_urls_limit_gets_the_spanish_refusal(client):
    """The carga masiva takes 15 MB (ICSOE_CARGA_MAX_BYTES): a bigger body is refused before the login check,
    the CSRF check or the form read any of it."""
    url = f"/informativas/{'1' * 8}-1111-1111-1111-{'1' * 12}/contratos/{'2' * 8}-2222-2222-2222-{'2' * 12}/carga/"
    tamano = settings.ICSOE_CARGA_MAX_BYTES + settings.ICSOE_CUERPO_MARGEN_BYTES + 1
    cuerpo = Cuerpo(tamano)

    respuesta = _post(client, url, cuerpo, longitud=tamano)

    assert respuesta.status_code == 413 and cuerpo.leidos == 0
    assert "15 MB" in respuesta.content.decode()


def test_a_body_without_content_length_cannot_be_read_past_the_limit():
    """A chunked body names no length: the middleware bounds the stream instead, and answers 413."""
    from core.middleware import LimiteCuerpoMiddleware

    leido: list[int] = []

    def vista(request):
        datos = request.environ["wsgi.input"].read()
        leido.append(len(datos))
        return HttpResponse("leído")

    peticion = RequestFactory().generic(
        "POST", "/acceso/efirma/validar/", b"", **{"wsgi.input": Cuerpo(50 * MB), "HTTP_TRANSFER_ENCODING": "chunked"}
    )
    peticion.environ.pop("CONTENT_LENGTH", None)
    peticion.META.pop("CONTENT_LENGTH", None)

    respuesta = LimiteCuerpoMiddleware(vista)(peticion)

    assert respuesta.status_code == 413
    assert leido == []  # the read failed: nothing past the limit reached the view


def test_every_upload_url_of_the_table_exists_and_holds_its_forms_documented_size():
    tabla = settings.ICSOE_CUERPO_MAX_POR_URL
    for nombre in tabla:
        assert nombre.count(":") == 1, nombre
    assert tabla["verificacion:acuse"] >= MAXIMO_PDF_ACUSE
    assert tabla["contratistas:datos"] >= TAMANO_MAXIMO_PDF
    assert tabla["informativas:carga_subir"] == settings.ICSOE_CARGA_MAX_BYTES
    assert tabla["informativas:bloque_subir"] == settings.ICSOE_CARGA_MAX_BYTES
    assert tabla["informativas:nomina_subir"] == tabla["informativas:nomina_subir_contrato"]
    assert tabla["informativas:nomina_subir"] == settings.ICSOE_NOMINA_MAX_BYTES
    assert settings.ICSOE_CUERPO_MAX_BYTES <= 2.5 * MB


@pytest.mark.django_db(transaction=True)
def test_the_server_answers_413_and_closes_after_a_few_bytes_of_a_1_gb_body(live_server):
    """Through a socket to a real server (Django's, as make run's): the answer comes after the headers and a
    few kilobytes, and the server neither waits for nor drains the rest."""
    direccion = urlsplit(live_server.url)
    with socket.create_connection((direccion.hostname, direccion.port), timeout=10) as conexion:
        conexion.sendall(
            b"POST /verificar-acuse/ HTTP/1.1\r\nHost: localhost\r\n"
            b"Content-Type: multipart/form-data; boundary=x\r\nContent-Length: 1073741824\r\n\r\n"
            + b"0" * 4096
        )
        recibido = b""
        while trozo := conexion.recv(65536):  # EOF: the server closed without waiting for the rest
            recibido += trozo

    assert recibido.startswith(b"HTTP/1.1 413")
    assert "excede el tamaño máximo".encode() in recibido
