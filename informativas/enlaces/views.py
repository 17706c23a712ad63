"""Links for the client: the contratista's pages (make one from a presented informativa, list them with their
accesses, revoke) and the public page behind a link (/expediente/<token>/), with no login."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET, require_http_methods

from capturistas.access import SolicitudContratista, requiere_contratista
from core.middleware import PRIVADO
from core.throttle import direccion_cliente

from ..expediente.services import EnPreparacion, expediente_archivo, expediente_estado, informativa_estado
from ..models import Informativa
from ..presentacion import acuses
from ..selectors import contratantes_de, informativa_o_404
from ..vistas_comunes import PREPARANDO_CADA, tablas_del_contratante_html
from . import services
from .forms import EnlaceForm
from .models import AccesoEnlace

POR_PAGINA = 50


def _informativa_con_enlaces(request: SolicitudContratista, code) -> Informativa | HttpResponse:
    """The informativa, or the way back to its page when it cannot have links (not the filing in force)."""
    informativa = informativa_o_404(contratista=request.contratista, code=code)
    try:
        services.informativa_validar(informativa=informativa)
    except ValidationError as error:
        messages.info(request, error.messages[0])
        return redirect("informativas:detalle", code=informativa.code)
    return informativa


@requiere_contratista
@require_GET
def enlaces(request: SolicitudContratista) -> HttpResponse:
    """Every link made for the contratista's informativas, with its state and accesses."""
    pagina = Paginator(services.enlaces_de(contratista=request.contratista), POR_PAGINA).get_page(
        request.GET.get("pagina")
    )
    return render(request, "informativas/enlaces/enlaces.html", _contexto_lista(pagina))


def _contexto_lista(pagina) -> dict:
    for enlace in pagina:
        enlace.estado = services.estado_de(enlace)
        enlace.estado_texto = services.Estado.TEXTOS[enlace.estado]
    return {"pagina": pagina, "enlaces": list(pagina)}


@requiere_contratista
@require_GET
def enlaces_informativa(request: SolicitudContratista, code) -> HttpResponse:
    """The contratantes of one filing, each with «Crear liga», and the links made for it."""
    informativa = _informativa_con_enlaces(request, code)
    if isinstance(informativa, HttpResponse):
        return informativa
    hechos = services.enlaces_de(contratista=request.contratista).filter(informativa=informativa)
    pagina = Paginator(hechos, POR_PAGINA).get_page(request.GET.get("pagina"))
    contexto = {"informativa": informativa, "contratantes": contratantes_de(informativa), **_contexto_lista(pagina)}
    return render(request, "informativas/enlaces/informativa.html", contexto)


@requiere_contratista
@require_http_methods(["GET", "POST"])
def enlace_crear(request: SolicitudContratista, code, rfc: str) -> HttpResponse:
    """The form; once made, the link is shown in this very answer and never again (only its hash is kept)."""
    informativa = _informativa_con_enlaces(request, code)
    if isinstance(informativa, HttpResponse):
        return informativa
    try:
        contratante = services.contratante_de(informativa=informativa, rfc=rfc)
    except ValidationError:
        raise Http404 from None
    inicial = {"correo": services.correo_sugerido(informativa=informativa, rfc=contratante.rfc)}
    form = EnlaceForm(request.POST or None, initial=inicial)
    contexto = {"informativa": informativa, "contratante": contratante, "form": form}
    if request.method == "POST" and form.is_valid():
        try:
            creado = services.enlace_crear(
                informativa=informativa,
                rfc=contratante.rfc,
                vigencia_dias=form.cleaned_data["vigencia_dias"],
                correo=form.correo_confirmado,
                usuario=request.user,
            )
        except ValidationError as error:
            form.add_error(None, error.messages[0])
        else:
            return render(request, "informativas/enlaces/creado.html", {**contexto, "creado": creado})
    return render(request, "informativas/enlaces/crear.html", contexto)


@requiere_contratista
@require_http_methods(["GET", "POST"])
def enlace_revocar(request: SolicitudContratista, enlace_code) -> HttpResponse:
    """GET asks to confirm; POST revokes. Another contratista's link: 404."""
    enlace = services.enlace_de(contratista=request.contratista, code=enlace_code)
    if enlace is None:
        raise Http404
    if request.method == "POST":
        try:
            services.enlace_revocar(enlace=enlace, usuario=request.user)
        except ValidationError as error:
            messages.info(request, error.messages[0])
        else:
            messages.success(request, f"Se revocó la liga de {enlace.nombre_contratante}: ya no muestra el expediente.")
        return redirect("informativas:enlaces")
    estado_texto = services.Estado.TEXTOS[services.estado_de(enlace)]
    return render(request, "informativas/enlaces/revocar.html", {"enlace": enlace, "estado_texto": estado_texto})


# ----------------------------------------------------------------------------------------------------------
# The public page behind a link
# ----------------------------------------------------------------------------------------------------------
def sin_rastro(vista: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
    """Every answer behind a link, errors included: kept by no cache, and the token (in the URL) sent to no
    other site as a Referer, nor indexed."""

    @wraps(vista)
    def envuelta(request: HttpRequest, *args, **kwargs) -> HttpResponseBase:
        try:
            respuesta = vista(request, *args, **kwargs)
        except Http404:
            respuesta = _pagina_error(request, services.MENSAJE_DESCONOCIDA, 404)
        respuesta["Cache-Control"] = PRIVADO
        respuesta["Referrer-Policy"] = "no-referrer"
        respuesta["X-Robots-Tag"] = "noindex, nofollow"
        return respuesta

    return envuelta


def _pagina_error(request: HttpRequest, mensaje: str, status: int) -> HttpResponse:
    return render(request, "informativas/enlaces/publica_error.html", {"mensaje": mensaje}, status=status)


@sin_rastro
@require_GET
def expediente(request: HttpRequest, token: str) -> HttpResponse:
    apertura = services.enlace_abrir(token=token, ip=direccion_cliente(meta=request.META))
    if apertura.enlace is None:
        return _pagina_error(request, apertura.error, apertura.status)
    enlace = apertura.enlace
    informativa = enlace.informativa
    expediente = services.expediente_del_enlace(enlace=enlace)
    if isinstance(expediente, EnPreparacion):  # the worker builds it: no code or files yet
        preparando, estado, url_verificacion = True, informativa_estado(informativa=informativa), ""
    else:
        preparando, estado = False, expediente_estado(expediente=expediente)
        url_verificacion = acuses.url_verificacion(informativa.folio_definitivo, expediente.codigo_verificacion)
    contexto = {
        "enlace": enlace,
        "informativa": informativa,
        "contratista": informativa.contratista,
        "expediente": expediente,
        "preparando": preparando,
        "cada": PREPARANDO_CADA,
        "estado": estado,
        "url_verificacion": url_verificacion,
        "tablas": tablas_del_contratante_html(
            informativa=informativa, rfc=enlace.rfc_contratante, pagina=request.GET.get("pagina")
        ),
        "token": token,
    }
    return render(request, "informativas/enlaces/publica.html", contexto)


RECURSOS = {
    "pdf": AccesoEnlace.Recurso.PDF,
    "xlsx": AccesoEnlace.Recurso.XLSX,
    "manifiesto": AccesoEnlace.Recurso.MANIFIESTO,
}


@sin_rastro
@require_GET
def descargar(request: HttpRequest, token: str, formato: str) -> HttpResponse:
    """One file of the expediente behind the link: the stored bytes, exactly as built (Part A's expediente)."""
    if formato not in RECURSOS:
        raise Http404
    apertura = services.enlace_abrir(token=token, ip=direccion_cliente(meta=request.META), recurso=RECURSOS[formato])
    if apertura.enlace is None:
        return _pagina_error(request, apertura.error, apertura.status)
    expediente = services.expediente_del_enlace(enlace=apertura.enlace)
    if isinstance(expediente, EnPreparacion):  # its page says so, and offers the files once they are stored
        return redirect("enlace:expediente", token=token)
    archivo = expediente_archivo(expediente=expediente, formato=formato)
    respuesta = HttpResponse(archivo.contenido, content_type=archivo.content_type)
    respuesta["Content-Disposition"] = content_disposition_header(True, archivo.nombre) or "attachment"
    return respuesta
