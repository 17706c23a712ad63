from __future__ import annotations

from allauth.account.views import password_change
from django import forms
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from .middleware import SESSION_KEY
from .services import terminos_aceptar, terminos_pendientes


class TerminosForm(forms.Form):
    acepto = forms.BooleanField(
        label="He leído y acepto los términos y condiciones del sistema ICSOE",
        error_messages={"required": "Para ingresar debes aceptar los términos y condiciones."},
    )


@login_required
def terminos(request: HttpRequest) -> HttpResponse:
    pendientes = terminos_pendientes(usuario=request.user)
    if pendientes is None:
        return redirect("contratistas_acceso:bienvenida")
    form = TerminosForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        terminos_aceptar(usuario=request.user, terminos=pendientes, ip=request.META.get("REMOTE_ADDR"))
        request.session[SESSION_KEY] = True
        return redirect("contratistas_acceso:bienvenida")
    return render(request, "accounts/terminos.html", {"form": form, "terminos": pendientes})


def cuenta_cerrada(request: HttpRequest, *args, **kwargs) -> HttpResponse:
    """An allauth account page the portal does not use (accounts/cuenta_urls.py): as if it did not exist."""
    raise Http404


def contrasena_cambiar(request: HttpRequest, *args, **kwargs) -> HttpResponse:
    """allauth's password change, which asks for the current password, for accounts that have one (capturistas
    and IMSS staff). A contratista logs in with its e.firma and has no password: nothing to change here, and
    allauth would send it to its set-password page, which is closed."""
    usuario = request.user
    if usuario.is_authenticated and (usuario.es_contratista or not usuario.has_usable_password()):
        raise Http404
    return password_change(request, *args, **kwargs)
