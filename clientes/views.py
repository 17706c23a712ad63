"""The contratante's own pages (/contratante/): the contratistas that authorise it, each period's filing in
force that names it, its contratos and trabajadores, and its expediente. Nothing of a contratista that does not
authorise it, nothing of another contratante; every visit and download in the contratista's audit trail."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET

from accounts.models import User
from capturistas.access import SolicitudUsuario
from core.throttle import direccion_cliente
from informativas.expediente import services as expedientes
from informativas.models import Informativa
from informativas.vistas_comunes import expediente_preparando, tablas_del_contratante_html

from . import services
from .capacidad import solo_contratante

# The files of its expediente (informativas.expediente), as its page offers them.
EXPEDIENTE = (
    ("pdf", "Constancia firmada por el portal (PDF)"),
    ("xlsx", "Contratos y trabajadores (Excel)"),
    ("manifiesto", "Manifiesto con el SHA-256 de cada archivo"),
)


def _registrar(request: SolicitudUsuario, autorizaciones, accion: str, **datos) -> None:
    services.acceso_registrar(
        autorizaciones=autorizaciones,
        usuario=request.user,
        accion=accion,
        ruta=request.get_full_path(),
        ip=direccion_cliente(meta=request.META),
        **datos,
    )


def _revocada(request: SolicitudUsuario, error: services.SinAutorizacion) -> HttpResponse:
    return render(request, "clientes/sin_autorizacion.html", {"mensaje": error.mensaje}, status=403)


@solo_contratante
def inicio(request: SolicitudUsuario) -> HttpResponse:
    contratistas = services.vista_del_contratante(rfc=request.user.rfc)
    _registrar(request, [c.autorizacion for c in contratistas], services.ACCESO_PAGINA)
    return render(
        request,
        "clientes/inicio.html",
        {
            "contratistas": contratistas,
            # A contratista that entered as contratante may always go back to its own pages.
            "puede_cambiar": request.user.rol == User.Rol.CONTRATISTA,
            "sin_autorizacion": services.MENSAJE_SIN_AUTORIZACION,
        },
    )


def _informativa(request: SolicitudUsuario, code) -> tuple[Informativa, services.Autorizacion]:
    try:
        return services.informativa_del_contratante(rfc=request.user.rfc, code=code)
    except Informativa.DoesNotExist as error:
        raise Http404 from error


@solo_contratante
def informativa(request: SolicitudUsuario, code) -> HttpResponse:
    try:
        informativa, autorizacion = _informativa(request, code)
    except services.SinAutorizacion as error:
        return _revocada(request, error)
    _registrar(request, [autorizacion], services.ACCESO_PAGINA, folio=informativa.folio_definitivo)
    tablas = tablas_del_contratante_html(
        informativa=informativa, rfc=autorizacion.rfc_contratante, pagina=request.GET.get("pagina")
    )
    return render(
        request,
        "clientes/informativa.html",
        {
            "informativa": informativa,
            "autorizacion": autorizacion,
            "tablas": tablas,
            "expediente_formatos": EXPEDIENTE,
        },
    )


@solo_contratante
@require_GET
def expediente(request: SolicitudUsuario, code, formato: str) -> HttpResponse:
    """One file of its expediente of that filing (built once, the same bytes ever after): only its contratos."""
    if formato not in expedientes.FORMATOS:
        raise Http404
    try:
        informativa, autorizacion = _informativa(request, code)
    except services.SinAutorizacion as error:
        return _revocada(request, error)
    try:
        guardado = expedientes.expediente_pedir(informativa=informativa, rfc=autorizacion.rfc_contratante, usuario=request.user)
    except ValidationError as error:
        raise Http404(error.messages[0]) from error
    if isinstance(guardado, expedientes.EnPreparacion):
        return expediente_preparando(request, guardado, volver=reverse("clientes:informativa", args=[informativa.code]))
    archivo = expedientes.expediente_archivo(expediente=guardado, formato=formato)
    _registrar(request, [autorizacion], services.ACCESO_DESCARGA, folio=informativa.folio_definitivo, archivo=archivo.nombre)
    respuesta = HttpResponse(archivo.contenido, content_type=archivo.content_type)
    respuesta["Content-Disposition"] = content_disposition_header(True, archivo.nombre) or "attachment"
    respuesta["Cache-Control"] = "private, no-store"
    return respuesta
