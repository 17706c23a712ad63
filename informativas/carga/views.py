"""Carga masiva screens: the carga's page and its progress, confirm, cancel, undo, the rejected rows' workbook
and the template file. The upload itself is a form of captura's Trabajadores step (``captura.views``)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from capturistas.access import SolicitudContratista, requiere_contratista
from core.textos import cuenta, segun

from .. import dos_fases
from ..models import CargaMasiva, Contrato
from ..vistas_comunes import POR_PAGINA, paso_url, solo_en_captura
from . import services


def _carga(request: SolicitudContratista, code, carga_code) -> CargaMasiva:
    return get_object_or_404(
        CargaMasiva.objects.select_related("contrato__informativa__contratista"),
        code=carga_code,
        contrato__informativa__code=code,
        contrato__informativa__contratista_id=request.contratista.pk,
    )


def _trabajadores_url(contrato: Contrato) -> str:
    """The Trabajadores step of the carga's contract, where its pages send the user back."""
    return paso_url(contrato.informativa, "trabajadores", contrato)


def _contexto_carga(request: HttpRequest, carga: CargaMasiva) -> dict:
    pagina = Paginator(carga.errores, POR_PAGINA).get_page(request.GET.get("pagina"))
    return {
        "informativa": carga.contrato.informativa,
        "contrato": carga.contrato,
        "carga": carga,
        "progreso": services.carga_progreso(carga=carga),
        "errores": pagina,
    }


@requiere_contratista
@require_GET
def carga(request: SolicitudContratista, code, carga_code) -> HttpResponse:
    carga = _carga(request, code, carga_code)
    return render(request, "informativas/carga/carga.html", _contexto_carga(request, carga))


CARGAS = dos_fases.Subidas(buscar=_carga, pagina="informativas:carga", clave="carga_code", argumento="carga")


def _confirmada(request: HttpRequest, code, carga: CargaMasiva) -> HttpResponse:
    if carga.estatus == CargaMasiva.Estatus.APLICADA:
        n = carga.guardados
        guardados = f"Se {segun(n, 'guardó', 'guardaron')} {cuenta(n, 'trabajador', 'trabajadores')}"
        messages.success(request, f"{guardados} de la carga masiva.")
        return redirect(_trabajadores_url(carga.contrato))
    return CARGAS.a_su_pagina(code, carga)


def _cancelada(request: HttpRequest, code, carga: CargaMasiva) -> HttpResponse:
    messages.success(request, "Se canceló la carga; no se guardó ningún trabajador del archivo.")
    return redirect(_trabajadores_url(carga.contrato))


# Polled by htmx every second while the carga is being processed; a finished one reloads the page.
carga_progreso = CARGAS.progreso("informativas/carga/fragment_carga_progreso.html", _contexto_carga)
carga_confirmar = CARGAS.accion(services.carga_confirmar, _confirmada)
carga_cancelar = CARGAS.accion(services.carga_cancelar, _cancelada)
carga_rechazados = CARGAS.rechazados(
    lambda carga: f"rechazados-{carga.nombre_archivo.rsplit('.', 1)[0]}.xlsx"
)


@requiere_contratista
@require_http_methods(["GET", "POST"])
def carga_deshacer(request: SolicitudContratista, code, carga_code) -> HttpResponse:
    carga = _carga(request, code, carga_code)
    informativa = carga.contrato.informativa
    if respuesta := solo_en_captura(request, informativa):
        return respuesta
    if request.method == "POST":
        borrados = services.carga_trabajadores_eliminar(carga=carga, usuario=request.user)
        n = borrados
        eliminados = f"Se {segun(n, 'eliminó', 'eliminaron')} {cuenta(n, 'trabajador', 'trabajadores')}"
        messages.success(request, f"{eliminados} de la carga {carga.nombre_archivo}.")
        return redirect(_trabajadores_url(carga.contrato))
    return render(
        request,
        "informativas/carga/carga_deshacer.html",
        {
            "informativa": informativa,
            "contrato": carga.contrato,
            "carga": carga,
            "num_trabajadores": carga.trabajadores.count(),
        },
    )


@login_required
@require_GET
def plantilla(request: HttpRequest) -> HttpResponse:
    """An example file with the layout: NSS, CURP, SBC."""
    respuesta = HttpResponse("NSS,CURP,SBC\n", content_type="text/csv; charset=utf-8")
    respuesta["Content-Disposition"] = 'attachment; filename="plantilla-trabajadores.csv"'
    return respuesta
