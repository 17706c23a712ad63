"""Who may open a view of the contratista's own administration: the contratista itself, never a capturista.

Sits in contratistas so that the apps below capturistas can use it; the current contratista
(``request.contratista``) is set by ``capturistas.access.ContratistaActualMiddleware``.
"""

from __future__ import annotations

from functools import wraps

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.shortcuts import redirect


def solo_contratista(view):
    """Administración and signing: the contratista itself only; capturistas are refused (403)."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect(f"/acceso/?next={request.path}")
        if not request.user.es_contratista or not request.contratista:
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper
