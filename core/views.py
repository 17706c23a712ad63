from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.cache import never_cache

from .models import Correo


def landing(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("core:inicio")
    return render(request, "core/landing.html")


@login_required
def inicio(request: HttpRequest) -> HttpResponse:
    return render(request, "core/inicio.html")


@never_cache
def salud(request: HttpRequest) -> JsonResponse:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"estatus": "ok"})


def _exigir_dev_mailbox() -> None:
    if not settings.ICSOE_DEV_MAILBOX:
        raise Http404


def dev_correo_lista(request: HttpRequest) -> HttpResponse:
    _exigir_dev_mailbox()
    correos = Correo.objects.all()[:200]
    return render(request, "core/dev_correo_lista.html", {"correos": correos})


def dev_correo_detalle(request: HttpRequest, code) -> HttpResponse:
    _exigir_dev_mailbox()
    correo = get_object_or_404(Correo, code=code)
    return render(request, "core/dev_correo_detalle.html", {"correo": correo})
