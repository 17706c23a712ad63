from __future__ import annotations

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
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
