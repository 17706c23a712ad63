from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse


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
