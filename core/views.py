from __future__ import annotations

import ipaddress
import posixpath
from collections.abc import Iterator

from django.apps import apps
from django.conf import settings
from django.contrib import admin
from django.contrib.auth.decorators import login_required
from django.core.files.storage import default_storage
from django.db import connection, models
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.templatetags.static import static
from django.urls import reverse

from .models import Correo


def landing(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("core:inicio")
    return render(request, "core/landing.html")


@login_required
def inicio(request: HttpRequest) -> HttpResponse:
    return render(request, "core/inicio.html")


def favicon(request: HttpRequest) -> HttpResponse:
    """/favicon.ico, which browsers ask for on pages that name no icon (the admin's): the portal's icon. Not a
    permanent redirect: the static file's name changes with its content."""
    return redirect(static("img/favicon.svg"))


def salud(request: HttpRequest) -> JsonResponse:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"estatus": "ok"})


def archivo_para_staff(request: HttpRequest, nombre: str) -> FileResponse:
    """A stored file, as the admin links it (a read-only FileField shows its MEDIA_URL): only to staff who may
    view a record holding it, always as a download (an upload is never rendered on the portal's origin). Anyone
    else gets a 404, as if there were no such file. The portal's own screens stream files through their views."""
    usuario = request.user
    if not (usuario.is_authenticated and usuario.is_staff and any(_modelos_que_lo_guardan(nombre, usuario))):
        raise Http404
    archivo = default_storage.open(nombre)  # a missing file: core.almacen's 404
    return FileResponse(archivo, as_attachment=True, filename=posixpath.basename(nombre))


def _modelos_que_lo_guardan(nombre: str, usuario) -> Iterator[bool]:
    for modelo in apps.get_models():
        permiso = f"{modelo._meta.app_label}.view_{modelo._meta.model_name}"
        for campo in modelo._meta.get_fields():
            if isinstance(campo, models.FileField) and usuario.has_perm(permiso):
                yield modelo._default_manager.filter(**{campo.name: nombre}).exists()


def _es_loopback(direccion: str) -> bool:
    try:
        return ipaddress.ip_address(direccion.strip()).is_loopback
    except ValueError:
        return False


def dev_mailbox_disponible(request: HttpRequest) -> bool:
    """The dev mailbox shows every email with its links: only with DEBUG on, and only to a client on this
    machine. Behind a proxy, every address the request names (REMOTE_ADDR and each X-Forwarded-For hop) must be
    loopback, so a proxy on the same machine does not open it to the world."""
    if not (settings.DEBUG and settings.ICSOE_DEV_MAILBOX):
        return False
    meta = request.META
    direcciones = [meta.get("REMOTE_ADDR", "")]
    if "HTTP_X_FORWARDED_FOR" in meta:
        direcciones += meta["HTTP_X_FORWARDED_FOR"].split(",")
    if "HTTP_X_REAL_IP" in meta:
        direcciones.append(meta["HTTP_X_REAL_IP"])
    return all(_es_loopback(d) for d in direcciones)


def _exigir_dev_mailbox(request: HttpRequest) -> None:
    if not dev_mailbox_disponible(request):
        raise Http404


def dev_correo_lista(request: HttpRequest) -> HttpResponse:
    _exigir_dev_mailbox(request)
    correos = Correo.objects.all()[:200]
    return render(request, "core/dev_correo_lista.html", {"correos": correos})


def dev_correo_detalle(request: HttpRequest, code) -> HttpResponse:
    _exigir_dev_mailbox(request)
    correo = get_object_or_404(Correo, code=code)
    return render(request, "core/dev_correo_detalle.html", {"correo": correo})


def acceso_denegado(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """The 403 page (``handler403``), drawn in the layout of the part of the site the request was made to: a
    refused admin request (a forged "add" of a read-only model, say) stays in the admin's layout, never the
    contratista portal's."""
    if request.path.startswith(reverse("admin:index")):
        return render(request, "admin/403.html", admin.site.each_context(request), status=403)
    return render(request, "403.html", status=403)
