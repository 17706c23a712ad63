"""Session expiry the user can see coming: a sliding session, the seconds left for the page's warning, and the
"Seguir trabajando" keep-alive.

Django saves a session (and pushes its expiry SESSION_COOKIE_AGE ahead) only when it changes. Saving it on
every request would add a write to every page, so activity is recorded at most once a minute: the session
then expires SESSION_COOKIE_AGE after the last activity, give or take that minute, and the page knows how much
time it has left.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.crypto import salted_hmac
from django.views.decorators.http import require_POST

ACTIVIDAD_KEY = "sesion_actividad"
INTERVALO_ESCRITURA = 60  # seconds between two saves of the activity mark


def _ahora() -> int:
    return int(time.time())


def sesion_marcar_actividad(request: HttpRequest, *, forzar: bool = False) -> None:
    """Records the user's activity in the session, which slides its expiry (at most once a minute)."""
    ultima = request.session.get(ACTIVIDAD_KEY, 0)
    if forzar or _ahora() - ultima >= INTERVALO_ESCRITURA:
        request.session[ACTIVIDAD_KEY] = _ahora()


def sesion_segundos_restantes(request: HttpRequest) -> int:
    """Seconds until the session expires, counted from the last recorded activity."""
    ultima = request.session.get(ACTIVIDAD_KEY) or _ahora()
    return max(0, settings.SESSION_COOKIE_AGE - (_ahora() - ultima))


class ActividadSesionMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            sesion_marcar_actividad(request)
        return self.get_response(request)


def aviso_contexto(request: HttpRequest) -> dict[str, Any]:
    """The data of the expiry warning (base.html) for a logged-in user."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not hasattr(request, "session"):
        return {}
    return {
        "sesion_aviso": {
            "segundos": sesion_segundos_restantes(request),
            "aviso": min(settings.ICSOE_SESION_AVISO, settings.SESSION_COOKIE_AGE // 2),
            "usuario": usuario_opaco(user),
        }
    }


def usuario_opaco(user: Any) -> str:
    """Who is logged in, as the page's JavaScript keys what was typed before the session expired: the same for
    every session of one user, different for each user, and telling nothing about the user (not its RFC, CURP or
    id) to anyone without SECRET_KEY."""
    return salted_hmac("core.sesion.borrador", str(user.pk), algorithm="sha256").hexdigest()[:32]


@require_POST
@login_required
def seguir(request: HttpRequest) -> JsonResponse:
    """"Seguir trabajando": the session starts its full age again."""
    sesion_marcar_actividad(request, forzar=True)
    return JsonResponse({"segundos": sesion_segundos_restantes(request)})
