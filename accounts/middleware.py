from __future__ import annotations

from django.http import HttpRequest
from django.shortcuts import redirect

from .services import terminos_exigidos, terminos_pendientes

SESSION_KEY = "terminos_aceptados"
RUTAS_LIBRES = ("/acceso/terminos/", "/cuenta/logout/", "/static/", "/salud/")


class TerminosMiddleware:
    """A contratista or a contratante works only after accepting the current términos y condiciones (first
    login, and again whenever IMSS publishes a new version). The accepted version is remembered in the
    session."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest):
        if self._debe_aceptar(request):
            return redirect("accounts:terminos")
        return self.get_response(request)

    def _debe_aceptar(self, request: HttpRequest) -> bool:
        user = request.user
        if not (user.is_authenticated and terminos_exigidos(usuario=user)) or request.path.startswith(RUTAS_LIBRES):
            return False
        if request.session.get(SESSION_KEY):
            return False  # accepted earlier in this session: no query, and no session write on every request
        if terminos_pendientes(usuario=user) is None:
            request.session[SESSION_KEY] = True
            return False
        return True
