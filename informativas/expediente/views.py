"""The expediente's downloads, for the contratista and its capturista (the access of every informativa page)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET

from capturistas.access import SolicitudContratista, requiere_contratista

from ..selectors import informativa_o_404
from ..vistas_comunes import expediente_preparando
from . import services


@requiere_contratista
@require_GET
def expediente_descargar(request: SolicitudContratista, code, rfc: str, formato: str) -> HttpResponse:
    """One file of one contratante's expediente of one of the contratista's presented informativas: built the
    first time (by the worker, behind a page that waits, when the contratante is large), the stored bytes ever
    after. 404 for anyone else's informativa or an RFC it does not name."""
    if formato not in services.FORMATOS:
        raise Http404
    informativa = informativa_o_404(contratista=request.contratista, code=code)
    try:
        expediente = services.expediente_pedir(informativa=informativa, rfc=rfc, usuario=request.user)
    except ValidationError as error:
        raise Http404(error.messages[0]) from error
    if isinstance(expediente, services.EnPreparacion):
        return expediente_preparando(request, expediente, volver=reverse("informativas:detalle", args=[informativa.code]))
    archivo = services.expediente_archivo(expediente=expediente, formato=formato)
    respuesta = HttpResponse(archivo.contenido, content_type=archivo.content_type)
    respuesta["Content-Disposition"] = content_disposition_header(True, archivo.nombre) or "attachment"
    respuesta["Cache-Control"] = "private, no-store"
    return respuesta
