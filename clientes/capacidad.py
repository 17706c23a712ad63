"""Which capacity a session works in, and the line between them.

One account per RFC carries the capacities it has. A user whose role is «contratante» is only that. A
contratista that some other contratista authorised as its contratante chooses, per session, which it enters
(«¿Cómo quieres entrar?»); the choice is kept in the session. A session in the contratante capacity reaches
only the contratante's pages and the public ones (``CapacidadMiddleware``, deny by default); the contratante's
pages refuse every other session (``solo_contratante``).
"""

from __future__ import annotations

from functools import wraps

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from accounts.models import User

SESSION_KEY = "capacidad"
CONTRATANTE = "contratante"

# What a session in the contratante capacity may open besides its own pages (/contratante/): leaving, the
# session's own upkeep and the public pages. Everything else answers 403, so a new contratista page is closed
# to it until someone says otherwise here.
RUTAS_LIBRES = (
    "/contratante/",
    "/cuenta/logout/",
    "/acceso/terminos/",
    "/sesion/seguir/",
    "/salud/",
    "/static/",
    "/favicon.ico",
    "/verificar-acuse/",
    "/listado-publico/",
    "/expediente/",  # the page behind a link a contratista sent (public: informativas.enlaces)
    "/admin/",  # the admin answers for itself: a contratante is not staff, so its login page
)
# The portal's home for a logged-in user: the contratante's own one instead.
RUTAS_INICIO = ("/", "/inicio/")


def en_capacidad_contratante(request: HttpRequest) -> bool:
    user = request.user
    if not user.is_authenticated:
        return False
    if user.rol == User.Rol.CONTRATANTE:
        return True
    return user.rol == User.Rol.CONTRATISTA and request.session.get(SESSION_KEY) == CONTRATANTE


def capacidad_elegir(request: HttpRequest, *, contratante: bool) -> None:
    if contratante:
        request.session[SESSION_KEY] = CONTRATANTE
    else:
        request.session.pop(SESSION_KEY, None)


class CapacidadMiddleware:
    """After authentication: marks the request (``capacidad_contratante``, which the menu reads) and keeps a
    contratante session inside its pages."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        contratante = en_capacidad_contratante(request)
        request.capacidad_contratante = contratante  # type: ignore[attr-defined]
        if contratante and not request.path.startswith(RUTAS_LIBRES):
            if request.path in RUTAS_INICIO:
                return redirect("clientes:inicio")
            return render(request, "clientes/fuera_de_capacidad.html", status=403)
        return self.get_response(request)


def solo_contratante(view):
    """The contratante's pages: a session in the contratante capacity only (403 to any other)."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect(f"{reverse('clientes:entrar')}?next={request.path}")
        if not en_capacidad_contratante(request):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper
