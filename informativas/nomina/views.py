from __future__ import annotations

from decimal import Decimal
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from capturistas.access import SolicitudContratista, requiere_contratista
from core.textos import cuenta, segun

from .. import cribado, dos_fases
from ..captura.wizard import PASO_TRABAJADORES
from ..selectors import informativa_o_404
from ..vistas_comunes import contrato_o_404, solo_en_captura
from . import services
from .forms import NominaForm
from .models import ImportacionNomina

POR_PAGINA = 50


def _importacion(request: SolicitudContratista, code, importacion_code) -> ImportacionNomina:
    return get_object_or_404(
        ImportacionNomina.objects.select_related("informativa__contratista", "contrato"),
        code=importacion_code,
        informativa__code=code,
        informativa__contratista_id=request.contratista.pk,
    )


def _tiempo_repartido(trabajador: dict) -> bool:
    """Placed with more than one client, or with one for less than all of its time."""
    sub = trabajador["sub"]
    if len(sub) != 1:
        return len(sub) > 1
    try:
        return Decimal(sub[0][1] or "100") != 100
    except ArithmeticError:
        return True


def _limites() -> dict:
    return {
        "max_mb": settings.ICSOE_NOMINA_MAX_BYTES / 2**20,
        "max_descomprimido_gb": settings.ICSOE_NOMINA_MAX_DESCOMPRIMIDO / 2**30,
        "max_entrada_mb": settings.ICSOE_NOMINA_MAX_ENTRADA / 2**20,
        "max_razon": settings.ICSOE_NOMINA_MAX_RAZON,
        "max_archivos": settings.ICSOE_NOMINA_MAX_ARCHIVOS,
        "max_sueltos": settings.DATA_UPLOAD_MAX_NUMBER_FILES,
    }


def _subir(request: SolicitudContratista, informativa, contrato) -> HttpResponse:
    if respuesta := solo_en_captura(request, informativa):
        return respuesta
    form = NominaForm()
    if request.method == "POST":
        form = NominaForm(request.POST, request.FILES)
        importacion = dos_fases.recibir(
            form,
            lambda datos: services.nomina_recibir(
                informativa=informativa, contrato=contrato, archivos=datos["archivos"], usuario=request.user
            ),
        )
        if importacion is not None:
            return redirect("informativas:nomina", code=informativa.code, importacion_code=importacion.code)
    anteriores = informativa.importaciones_nomina.defer("trabajadores", "errores").select_related("contrato")[
        :10
    ]
    return render(
        request,
        "informativas/nomina/subir.html",
        {
            "informativa": informativa,
            "contrato": contrato,
            "form": form,
            "anteriores": anteriores,
            **_limites(),
        },
    )


@requiere_contratista
@require_http_methods(["GET", "POST"])
def subir(request: SolicitudContratista, code) -> HttpResponse:
    return _subir(request, informativa_o_404(contratista=request.contratista, code=code), None)


@requiere_contratista
@require_http_methods(["GET", "POST"])
def subir_contrato(request: SolicitudContratista, code, contrato_code) -> HttpResponse:
    contrato = contrato_o_404(request, code, contrato_code)
    return _subir(request, contrato.informativa, contrato)


@requiere_contratista
@require_GET
def importacion(request: SolicitudContratista, code, importacion_code) -> HttpResponse:
    importacion = _importacion(request, code, importacion_code)
    contexto: dict[str, Any] = _contexto(request, importacion)
    if importacion.estatus in (ImportacionNomina.Estatus.VALIDADA, ImportacionNomina.Estatus.APLICADA):
        resumen = services.nomina_resumen(importacion=importacion)
        problemas = importacion.errores + resumen.problemas_cruce
        sin_contrato = services.nomina_contratantes_sin_contrato(importacion=importacion)
        contexto.update(
            resumen=resumen,
            problemas=Paginator(problemas, POR_PAGINA).get_page(request.GET.get("pagina")),
            num_problemas=len(problemas),
            varios_sbc=[t for t in importacion.trabajadores if "valores" in t][:200],
            num_varios_sbc=sum(1 for t in importacion.trabajadores if "valores" in t),
            colocados=[t for t in importacion.trabajadores if _tiempo_repartido(t)][:200],
            sin_contrato=sin_contrato,
            sin_contrato_en_catalogo=any(c.en_catalogo for c in sin_contrato),
            rfcs_sin_contrato=urlencode([("rfc", c.rfc) for c in sin_contrato]),
            pendiente_de_revisar=services.nomina_pendiente_de_revisar(importacion=importacion),
        )
    if importacion.estatus == ImportacionNomina.Estatus.VALIDADA:
        contexto.update(
            listas_sat=services.nomina_listas_sat(importacion=importacion),
            texto_confirmacion=cribado.TEXTO_CONFIRMACION,
        )
    return render(request, "informativas/nomina/importacion.html", contexto)


def _contexto(request: HttpRequest, importacion: ImportacionNomina) -> dict[str, Any]:
    # Phase one records its percentage as it reads (services.AvanceLectura); phase two's single transaction
    # would hide any it wrote, so its page shows the bar without a number.
    progreso = importacion.progreso if importacion.estatus != ImportacionNomina.Estatus.APLICANDO else None
    return {"informativa": importacion.informativa, "importacion": importacion, "progreso": progreso}


@requiere_contratista
@require_POST
def asignar(request: SolicitudContratista, code, importacion_code) -> HttpResponse:
    importacion = _importacion(request, code, importacion_code)
    try:
        services.nomina_asignar(
            importacion=importacion,
            rfc=request.POST.get("rfc", ""),
            contratos=request.POST.getlist("contratos"),
            usuario=request.user,
        )
    except ValidationError as error:
        dos_fases.avisar(request, error)
    else:
        messages.success(request, f"Se guardó la elección de contratos para {request.POST.get('rfc', '')}.")
    return redirect("informativas:nomina", code=code, importacion_code=importacion.code)


@requiere_contratista
@require_POST
def contratos(request: SolicitudContratista, code, importacion_code) -> HttpResponse:
    """ "Crear contratos": the contratantes of the ZIP with no contrato, from the catálogo; the ZIP is then
    reviewed again, so its workers go to them."""
    importacion = _importacion(request, code, importacion_code)
    if respuesta := solo_en_captura(request, importacion.informativa):
        return respuesta
    creados, fallidos = services.nomina_contratos_crear(
        importacion=importacion, rfcs=request.POST.getlist("rfc"), usuario=request.user
    )
    if creados:
        folios = ", ".join(f"{c.folio} ({c.contratante_rfc})" for c in creados)
        messages.success(
            request,
            f"Se registraron los contratos {folios} con los datos del catálogo, y la nómina se revisa de nuevo con ellos. "
            "Completa los datos de cada contrato en su pestaña Contrato antes de firmar.",
        )
    for rfc, motivo in fallidos.items():
        messages.error(request, f"No se registró el contrato de {rfc}: {motivo}")
    if not creados and not fallidos:
        messages.error(request, "Elige al menos un contratante.")
    return redirect("informativas:nomina", code=code, importacion_code=importacion.code)


@requiere_contratista
@require_POST
def revisar(request: SolicitudContratista, code, importacion_code) -> HttpResponse:
    """ "Revisar de nuevo": phase one again on the stored ZIP, after contratos were added elsewhere."""
    importacion = _importacion(request, code, importacion_code)
    if respuesta := solo_en_captura(request, importacion.informativa):
        return respuesta
    try:
        services.nomina_revisar_de_nuevo(importacion=importacion, usuario=request.user)
    except ValidationError as error:
        dos_fases.avisar(request, error)
    else:
        messages.success(request, "La nómina se revisa de nuevo con los contratos de la informativa.")
    return redirect("informativas:nomina", code=code, importacion_code=importacion.code)


IMPORTACIONES = dos_fases.Subidas(
    buscar=_importacion, pagina="informativas:nomina", clave="importacion_code", argumento="importacion"
)


def _confirmada(request: HttpRequest, code, importacion: ImportacionNomina) -> HttpResponse:
    if importacion.estatus == ImportacionNomina.Estatus.APLICADA:
        n = importacion.guardados
        guardados = f"Se {segun(n, 'guardó', 'guardaron')} {cuenta(n, 'trabajador', 'trabajadores')}"
        messages.success(request, f"{guardados} de la nómina.")
    return IMPORTACIONES.a_su_pagina(code, importacion)


def _cancelada(request: HttpRequest, code, importacion: ImportacionNomina) -> HttpResponse:
    messages.success(request, "Se canceló la importación; no se guardó ningún trabajador.")
    if importacion.contrato_id:
        return redirect(PASO_TRABAJADORES.url(importacion.informativa, importacion.contrato))
    return redirect("informativas:nomina_subir", code=code)


# Polled by htmx every second while a phase runs in the worker; a finished one reloads the page.
progreso = IMPORTACIONES.progreso("informativas/nomina/fragment_nomina_progreso.html", _contexto)
confirmar = IMPORTACIONES.accion(services.nomina_confirmar, _confirmada, dos_fases.listas_sat_marcados)
cancelar = IMPORTACIONES.accion(services.nomina_cancelar, _cancelada)
problemas = IMPORTACIONES.rechazados(lambda imp: f"problemas-{imp.nombre_archivo.rsplit('.', 1)[0]}.xlsx")
