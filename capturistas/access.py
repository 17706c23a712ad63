"""The one access helper: which contratista the current request works for.

A contratista works for itself. A capturista works for the contratista selected in its session, and only
while that relation is active. Every view scopes its queries to ``contratista_actual(request)``.
"""

from __future__ import annotations

from functools import wraps

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.shortcuts import redirect
from django.utils.functional import SimpleLazyObject

from contratistas.models import Contratista

from .models import Relacion

SESSION_KEY = "contratista_code"


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


class ContratistaActualMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest):
        request.contratista = SimpleLazyObject(lambda: contratista_actual(request))
        return self.get_response(request)


def requiere_contratista(view):
    """The view needs a current contratista: a capturista without one is sent to select it."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect(f"/acceso/?next={request.path}")
        if not request.contratista:
            if request.user.es_capturista:
                return redirect("capturistas:seleccionar")
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
