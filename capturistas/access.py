"""The one access helper: which contratista the current request works for.

A contratista works for itself. A capturista works for the contratista selected in its session, and only
while that relation is active. Every view scopes its queries to ``contratista_actual(request)``.
"""

from __future__ import annotations

from functools import wraps
from typing import cast

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.functional import SimpleLazyObject
from django.utils.http import url_has_allowed_host_and_scheme, urlencode

from accounts.models import User
from contratistas.models import Contratista

from .models import Relacion

SESSION_KEY = "contratista_code"


class SolicitudUsuario(HttpRequest):
    """The request of a view that only a logged-in user reaches (``solo_capturista``). Only an annotation:
    the object is Django's own request."""

    user: User


class SolicitudContratista(SolicitudUsuario):
    """The request a view decorated with ``requiere_contratista`` or ``solo_contratista`` receives: a
    logged-in user and the contratista it works for (set by ``ContratistaActualMiddleware``, checked by the
    decorator)."""

    contratista: Contratista


class SolicitudPortal(HttpRequest):
    """Any request past ``ContratistaActualMiddleware``: the contratista it works for, if any (lazy)."""

    contratista: Contratista | None


def contratista_actual(request: HttpRequest) -> Contratista | None:
    user = request.user
    if not user.is_authenticated:
        return None
    if user.es_contratista:
        try:
            return user.contratista  # loaded with the user by the e.firma backend, else one query
        except Contratista.DoesNotExist:
            return None
    if user.es_capturista:
        code = request.session.get(SESSION_KEY)
        if not code:
            return None
        relacion = (
            Relacion.objects.select_related("contratista")
            .filter(capturista=user, contratista__code=code, estatus=Relacion.Estatus.ACTIVA)
            .first()
        )
        return relacion.contratista if relacion else None
    return None


def contratista_seleccionar(request: HttpRequest, contratista: Contratista) -> None:
    """The capturista works for ``contratista`` from now on ("Seleccionar Contratista", and the board of a
    capturista who serves several). The caller has checked that the relation is active."""
    request.session[SESSION_KEY] = str(contratista.code)


def siguiente_local(request: HttpRequest, valor: str | None) -> str | None:
    """``valor`` (a ``next`` parameter) when it is a URL of this portal, else None: "Seleccionar Contratista"
    returns there after confirming, and never sends anyone to another site (an open redirect)."""
    if valor and url_has_allowed_host_and_scheme(
        valor, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return valor
    return None


def con_siguiente(ruta: str, siguiente: str | None) -> str:
    """``ruta`` with ``?next=siguiente`` when there is one."""
    return f"{ruta}?{urlencode({'next': siguiente})}" if siguiente else ruta


class ContratistaActualMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: SolicitudPortal):
        request.contratista = cast("Contratista | None", SimpleLazyObject(lambda: contratista_actual(request)))
        return self.get_response(request)


def requiere_contratista(view):
    """The view needs a current contratista: a capturista without one is sent to select it."""

    @wraps(view)
    def wrapper(request: SolicitudPortal, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect(f"/acceso/?next={request.path}")
        if not request.contratista:
            if request.user.es_capturista:
                # Back to this page once selected (a GET: a POST cannot be repeated by a redirect).
                siguiente = request.get_full_path() if request.method == "GET" else None
                return redirect(con_siguiente(reverse("capturistas:seleccionar"), siguiente))
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


def solo_capturista(view):
    """"Seleccionar Contratista": capturistas only; a contratista always works for itself (403 otherwise)."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect(f"/acceso/?next={request.path}")
        if not request.user.es_capturista:
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper
