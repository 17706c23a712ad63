"""The page of one period, where a deadline reminder leads: to the period's informativa when it has one (the
one its cell on the board opens: ``vigencia.estado_del_periodo``), otherwise a choice between "Capturar
informativa" and "Presentar Sin información" (also when every filing was left without effect). Nothing is
created by opening it (a draft would block a Normal for the period): the Sin información is created by its own
POST, and then its signing page opens (for a capturista, who cannot sign, the informativa's page). A capturista
reads of the contratista presenting and signing, not of itself."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from capturistas.access import SolicitudContratista, con_siguiente, requiere_contratista
from capturistas.services import relaciones_activas

from .. import vigencia
from ..models import Informativa
from ..periodos import ORDINALES, PRIMER_ANIO, Periodo, PlazoDePeriodo, hoy
from . import services

MENSAJE_SIN_INFORMACION_CREADA = "La informativa Sin información quedó pendiente de firma."
MENSAJE_FIRMA_CONTRATISTA = "El contratista debe firmarla con su e.firma para presentarla."
MENSAJE_SELECCIONA = "El recordatorio es de {razon_social}. Selecciónalo para continuar."


def _seleccionar_otro(request: SolicitudContratista, contratista_code) -> HttpResponse | None:
    """A capturista that follows the reminder of another contratista it serves (its session works for a
    different one) is asked to select it; anyone else gets the 404 of another tenant's period."""
    if not request.user.es_capturista or request.contratista.code == contratista_code:
        return None
    relacion = relaciones_activas(capturista=request.user).filter(contratista__code=contratista_code).first()
    if relacion is None:
        return None
    messages.info(request, MENSAJE_SELECCIONA.format(razon_social=relacion.contratista.razon_social))
    confirmar = reverse("capturistas:seleccionar_confirmar", args=[contratista_code])
    return redirect(con_siguiente(confirmar, request.get_full_path()))  # back to this period once selected


def _periodo_o_404(request: SolicitudContratista, contratista_code, anio: int, cuatrimestre: int) -> Periodo:
    """The period of the current contratista named by the URL; any other contratista's, a period that does not
    exist or has not ended: 404."""
    fecha = hoy()
    if request.contratista.code != contratista_code or cuatrimestre not in ORDINALES:
        raise Http404
    if not PRIMER_ANIO <= anio <= fecha.year:
        raise Http404
    periodo = Periodo(anio, cuatrimestre)
    if not periodo.concluido(fecha=fecha):
        raise Http404
    return periodo


@requiere_contratista
@require_GET
def periodo(request: SolicitudContratista, contratista_code, anio: int, cuatrimestre: int) -> HttpResponse:
    if respuesta := _seleccionar_otro(request, contratista_code):
        return respuesta
    periodo = _periodo_o_404(request, contratista_code, anio, cuatrimestre)
    # The informativa the board's cell opens: the filing in force, or the draft or complementaria in progress.
    estado = vigencia.estado_de(contratista_id=request.contratista.pk, periodo=periodo)
    if estado.informativa is not None:
        return redirect("informativas:detalle", code=estado.informativa)
    aviso = vigencia.aviso_sin_complementarias(
        contratista_id=request.contratista.pk,
        anio=periodo.anio,
        cuatrimestre=periodo.cuatrimestre,
        tipo=Informativa.Tipo.SIN_INFORMACION,
    )
    capturar = (
        f"{reverse('informativas:nueva')}?anio={periodo.anio}&cuatrimestre={periodo.cuatrimestre}"
        f"&tipo={Informativa.Tipo.NORMAL}"
    )
    return render(
        request,
        "informativas/captura/periodo.html",
        {
            "periodo": periodo,
            "plazo": PlazoDePeriodo.de(periodo, fecha_limite=periodo.fecha_limite, hoy=hoy()),
            "capturar": capturar,
            "aviso_sin_complementarias": aviso,
            "sin_efectos": estado.folio if estado.estado == vigencia.Estado.SIN_EFECTOS else "",
        },
    )


@requiere_contratista
@require_POST
def periodo_sin_informacion(request: SolicitudContratista, contratista_code, anio: int, cuatrimestre: int) -> HttpResponse:
    """ "Presentar Sin información": the declaration on the page is the confirmation; one click creates it
    pending signature and opens its signing page."""
    periodo = _periodo_o_404(request, contratista_code, anio, cuatrimestre)
    try:
        informativa = services.informativa_sin_informacion_declarar(
            contratista=request.contratista,
            anio=periodo.anio,
            cuatrimestre=periodo.cuatrimestre,
            usuario=request.user,
            hoy=hoy(),
            confirmar_sin_complementarias=request.POST.get("confirmar_sin_complementarias") == "1",
        )
    except ValidationError as error:
        for mensaje in error.messages:
            messages.error(request, mensaje)
        return redirect("informativas:periodo", contratista_code=contratista_code, anio=anio, cuatrimestre=cuatrimestre)
    messages.success(request, MENSAJE_SIN_INFORMACION_CREADA)
    if request.user.es_contratista:
        return redirect("informativas:firmar", code=informativa.code)
    messages.info(request, MENSAJE_FIRMA_CONTRATISTA)
    return redirect("informativas:detalle", code=informativa.code)
