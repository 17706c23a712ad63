"""The contratante's door (/contratante/entrar/): its own e.firma, signed in the browser exactly as a
contratista's login (contratistas.efirma_web: the same form, the same throttle, the same receiving builder),
and «¿Cómo quieres entrar?» for a contratista that is also an authorised contratante. This door never creates a
contratista: an RFC no contratista authorises is refused after its signature is verified."""

from __future__ import annotations

from django.contrib.auth import login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.http import require_http_methods

from accounts.models import User
from accounts.services import terminos_pendientes
from contratistas.efirma_web import CertificadoForm, contexto_efirma, recibir_firma, verificar_acceso
from core.throttle import direccion_cliente
from firma import retos, sat

from . import services
from .capacidad import capacidad_elegir, en_capacidad_contratante

PLANTILLA = "clientes/entrar.html"


def entrar(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        return render(request, PLANTILLA, contexto_efirma(CertificadoForm()))

    def hecho(verificada: retos.FirmaVerificada) -> HttpResponse:
        certificado = verificada.certificado
        try:
            usuario = services.contratante_usuario(
                rfc=certificado.rfc, nombre=certificado.nombre, curp=certificado.curp
            )
        except services.SinAutorizacion as error:
            raise sat.EfirmaError("sin_autorizacion", error.mensaje) from error
        login(request, usuario, backend="contratistas.backends.EfirmaBackend")
        services.acceso_registrar(
            autorizaciones=services.autorizaciones_vigentes(rfc=usuario.rfc),
            usuario=usuario,
            accion=services.ACCESO_INGRESO,
            ruta=request.path,
            ip=direccion_cliente(meta=request.META),
        )
        if usuario.rol == User.Rol.CONTRATISTA:
            destino = reverse("clientes:como_entrar")
        else:
            capacidad_elegir(request, contratante=True)
            destino = reverse("clientes:inicio")
        if terminos_pendientes(usuario=usuario):
            # The términos first, as at the contratista's door; then where this door goes.
            return redirect(f"{reverse('accounts:terminos')}?{urlencode({'next': destino})}")
        return redirect(destino)

    return recibir_firma(
        request,
        plantilla=PLANTILLA,
        contexto=contexto_efirma,
        verificar=verificar_acceso(request),
        hecho=hecho,
    )


@require_http_methods(["GET", "POST"])
def como_entrar(request: HttpRequest) -> HttpResponse:
    """«¿Cómo quieres entrar?»: a contratista that some contratista authorises as its contratante chooses the
    capacity of this session; each sees only its own pages."""
    if not request.user.is_authenticated:
        return redirect("clientes:entrar")
    usuario = request.user
    if usuario.rol == User.Rol.CONTRATANTE:
        return redirect("clientes:inicio")
    if not services.es_tambien_contratante(usuario):
        if en_capacidad_contratante(request):
            # No contratista authorises it any more: back to its one capacity.
            capacidad_elegir(request, contratante=False)
            return redirect("core:inicio")
        raise PermissionDenied
    if request.method == "POST":
        contratante = request.POST.get("capacidad") == "contratante"
        capacidad_elegir(request, contratante=contratante)
        return redirect("clientes:inicio" if contratante else "core:inicio")
    return render(request, "clientes/como_entrar.html", {"actual_contratante": en_capacidad_contratante(request)})
