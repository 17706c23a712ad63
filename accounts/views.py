from __future__ import annotations

from typing import Any

from allauth.account.views import PasswordChangeView
from django import forms
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme

from .forms import AdminCambioContrasenaForm, CambioContrasenaForm
from .freno import dispositivo_recordar
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
        return redirect(_despues_de_terminos(request))
    form = TerminosForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        terminos_aceptar(usuario=request.user, terminos=pendientes, ip=request.META.get("REMOTE_ADDR"))
        request.session[SESSION_KEY] = True
        return redirect(_despues_de_terminos(request))
    return render(request, "accounts/terminos.html", {"form": form, "terminos": pendientes})


def _despues_de_terminos(request: HttpRequest) -> str:
    """Where the términos send once accepted: the page of this portal the door named (``next``: the
    contratante's door sends a contratista that is also a contratante back to «¿Cómo quieres entrar?»), else
    the home of the session's capacity: the contratista's welcome, or the portal's home, which a session in
    the contratante capacity finds as its own (clientes.capacidad, which marks the request)."""
    siguiente = request.GET.get("next")
    if siguiente and url_has_allowed_host_and_scheme(
        siguiente, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return siguiente
    if request.user.es_contratista and not getattr(request, "capacidad_contratante", False):
        return reverse("contratistas_acceso:bienvenida")
    return reverse("core:inicio")


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
    return _cambio_contrasena(request, *args, **kwargs)


class CambioContrasenaView(PasswordChangeView):
    """allauth's page with the throttled form (accounts.forms.CambioContrasenaForm), which needs the request."""

    def get_form_class(self) -> type[CambioContrasenaForm]:
        return CambioContrasenaForm

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "request": self.request}


_cambio_contrasena = CambioContrasenaView.as_view()


# ----------------------------------------------------------------------------------------------------------
# The admin's password pages (icsoe/urls.py puts them in front of admin.site's own)
# ----------------------------------------------------------------------------------------------------------
def admin_ingreso(request: HttpRequest) -> HttpResponseBase:
    """/admin/login/ (its form, AdminIngresoForm, is set on the site in icsoe/urls.py): a browser that logs in
    is known to the account from then on."""
    respuesta = admin.site.login(request)
    if request.method == "POST" and request.user.is_authenticated and isinstance(respuesta, HttpResponseRedirect):
        dispositivo_recordar(request, respuesta, cuenta=request.user.get_username())
    return respuesta


class _AdminCambioContrasenaView(auth_views.PasswordChangeView):
    form_class = AdminCambioContrasenaForm

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "request": self.request}


def admin_contrasena_cambiar(request: HttpRequest) -> HttpResponse:
    """AdminSite.password_change, with the throttled form (the admin's own takes no other form)."""
    request.current_app = admin.site.name
    vista = _AdminCambioContrasenaView.as_view(
        success_url=reverse("admin:password_change_done", current_app=admin.site.name),
        extra_context=admin.site.each_context(request),
    )
    return vista(request)
