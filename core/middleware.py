from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.core.handlers.wsgi import LimitedStream
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.urls import Resolver404, resolve

logger = logging.getLogger(__name__)


class SecurityHeadersMiddleware:
    """Adds the Content-Security-Policy (Django 5.2 has none built in) and Permissions-Policy headers."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if not request.path.startswith("/admin/"):
            response.headers.setdefault("Content-Security-Policy", settings.CONTENT_SECURITY_POLICY)
        else:
            response.headers.setdefault("Content-Security-Policy", "frame-ancestors 'none'")
        response.headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
        return response


# The pages anyone gets alike, which a shared cache may keep: the landing of someone not logged in. Static files
# never reach this middleware (whitenoise answers them first, with their own long-lived Cache-Control).
PUBLICAS = frozenset({"/", "/favicon.ico"})
PRIVADO = "private, no-store"


class CachePrivadoMiddleware:
    """`Cache-Control: private, no-store` on every response but the public ones, so no shared proxy and no
    browser cache keeps a private page or file (an informativa, an acuse PDF, the acuses ZIP, a page reached
    through a password link), its redirects and its errors included. A response that sets its own Cache-Control
    keeps it (the admin's never_cache, which already says private and no-store)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if "Cache-Control" not in response.headers and not _publica(request):
            response.headers["Cache-Control"] = PRIVADO
        return response


def _publica(request: HttpRequest) -> bool:
    user = getattr(request, "user", None)
    return request.path in PUBLICAS and not (user is not None and user.is_authenticated)


# ---------------------------------------------------------------------------------------------------------
# Request bodies: limited per URL at the door (issue 24, finding 9)
# ---------------------------------------------------------------------------------------------------------
MENSAJE_CUERPO_GRANDE = (
    "Lo que enviaste excede el tamaño máximo permitido en esta página ({maximo}). Revisa el tamaño del archivo "
    "e inténtalo de nuevo."
)


class CuerpoDemasiadoGrande(RequestDataTooBig):
    """Raised by a bounded request body read past its URL's limit (Django answers 400; the middleware 413)."""


class _CuerpoAcotado:
    """A body without Content-Length (chunked): readable up to ``limite`` bytes, then every read fails."""

    def __init__(self, flujo: Any, limite: int) -> None:
        self._flujo, self._restante, self.excedido = flujo, limite, False

    def _leer(self, leer: Callable[[int], bytes], size: int | None) -> bytes:
        pedido = self._restante + 1 if size is None or size < 0 else min(size, self._restante + 1)
        datos = leer(pedido)
        self._restante -= len(datos)
        if self._restante < 0:
            self.excedido = True
            raise CuerpoDemasiadoGrande
        return datos

    def read(self, size: int | None = -1, /) -> bytes:
        return self._leer(self._flujo.read, size)

    def readline(self, size: int | None = -1, /) -> bytes:
        return self._leer(self._flujo.readline, size)


def _texto_mb(limite: int) -> str:
    return f"{limite / 2**20:g} MB"


def limite_cuerpo(path_info: str) -> tuple[int, int]:
    """(the documented size, the bytes accepted) of a request body to ``path_info``: the URL's upload size
    from ICSOE_CUERPO_MAX_POR_URL plus ICSOE_CUERPO_MARGEN_BYTES for the form's other fields and the multipart
    framing, or ICSOE_CUERPO_MAX_BYTES for every other URL."""
    try:
        nombre = resolve(path_info).view_name
    except Resolver404:
        nombre = ""
    documentado = settings.ICSOE_CUERPO_MAX_POR_URL.get(nombre)
    if documentado is None:
        return settings.ICSOE_CUERPO_MAX_BYTES, settings.ICSOE_CUERPO_MAX_BYTES
    return documentado, documentado + settings.ICSOE_CUERPO_MARGEN_BYTES


class LimiteCuerpoMiddleware:
    """Refuses a request body over its URL's limit (``limite_cuerpo``) with 413 and a Spanish page, before
    anything reads it: by Content-Length, without reading a byte. A body without it (chunked) Django itself
    reads as empty (its request stream is limited to CONTENT_LENGTH, absent: 0); ``wsgi.input`` is wrapped
    too, so that code reading it directly fails past the limit, and that is answered 413 as well. Right after
    SecurityMiddleware: the CSRF check and every form read the body after it. The reverse proxy should refuse
    the same sizes first (docs/operations.md)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        documentado, limite = limite_cuerpo(request.path_info)
        longitud = request.META.get("CONTENT_LENGTH")
        if longitud:
            try:
                demasiado = int(longitud) > limite
            except ValueError:
                demasiado = False  # Django reads such a body as empty
            if demasiado:
                return self._rechazo(request, documentado)
            return self.get_response(request)
        if "wsgi.input" not in request.environ:
            return self.get_response(request)
        acotado = _CuerpoAcotado(request.environ["wsgi.input"], limite)
        request.environ["wsgi.input"] = acotado
        try:
            respuesta = self.get_response(request)
        except CuerpoDemasiadoGrande:
            return self._rechazo(request, documentado)
        return self._rechazo(request, documentado) if acotado.excedido else respuesta

    @staticmethod
    def _rechazo(request: HttpRequest, documentado: int) -> HttpResponse:
        logger.warning(
            "Cuerpo de %s bytes rechazado en %s (máximo %s)",
            request.META.get("CONTENT_LENGTH") or "?",
            request.path_info[:200],
            documentado,
        )
        # Django's development server (make run) reads whatever body is left after the answer, in one read of
        # that size: its stream is made empty, and the answer carries no Content-Length, so it closes the
        # connection instead of reading on. gunicorn's sync workers close it after every answer anyway.
        entrada = request.environ.get("wsgi.input")
        if isinstance(entrada, LimitedStream):
            entrada.limit = 0
        mensaje = MENSAJE_CUERPO_GRANDE.format(maximo=_texto_mb(documentado))
        respuesta = HttpResponse(render_to_string("413.html", {"mensaje": mensaje}), status=413)
        respuesta.headers["Content-Security-Policy"] = settings.CONTENT_SECURITY_POLICY
        return respuesta
