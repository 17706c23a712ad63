from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from capturistas.access import SolicitudContratista, requiere_contratista
from core.textos import cuenta, segun

from .. import cribado, dos_fases
from ..captura.wizard import PASO_CONTRATANTE
from ..carga import motor
from ..nomina.services import nomina_por_revisar
from ..selectors import informativa_o_404
from ..vistas_comunes import solo_en_captura
from . import services
from .models import CargaContratos


class BloqueForm(forms.Form):
    archivo = forms.FileField(
        label="Plantilla de contratos (.xlsx)",
        error_messages={"required": "Selecciona la plantilla a cargar.", "empty": motor.MENSAJE_VACIO},
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}),
    )


def _carga(request: SolicitudContratista, code, carga_code) -> CargaContratos:
    return get_object_or_404(
        # The accepted rows (up to 10,000) are phase two's alone: no page reads them.
        CargaContratos.objects.select_related("informativa__contratista").defer("aceptadas"),
        code=carga_code,
        informativa__code=code,
        informativa__contratista_id=request.contratista.pk,
    )


@login_required
@require_GET
def plantilla(request: HttpRequest) -> HttpResponse:
    respuesta = HttpResponse(services.plantilla(), content_type=dos_fases.XLSX)
    respuesta["Content-Disposition"] = 'attachment; filename="plantilla-contratos.xlsx"'
    return respuesta


@requiere_contratista
@require_GET
def plantilla_contratantes(request: SolicitudContratista, code) -> HttpResponse:
    """The template with a row per RFC asked for (Importar nómina sends the contratantes of its ZIP)."""
    informativa_o_404(contratista=request.contratista, code=code)
    contenido = services.plantilla_de_contratantes(
        contratista=request.contratista, rfcs=request.GET.getlist("rfc")
    )
    respuesta = HttpResponse(contenido, content_type=dos_fases.XLSX)
    respuesta["Content-Disposition"] = 'attachment; filename="plantilla-contratos-contratantes.xlsx"'
    return respuesta


@requiere_contratista
@require_http_methods(["GET", "POST"])
def subir(request: SolicitudContratista, code) -> HttpResponse:
    informativa = informativa_o_404(contratista=request.contratista, code=code)
    if respuesta := solo_en_captura(request, informativa):
        return respuesta
    form = BloqueForm()
    if request.method == "POST":
        form = BloqueForm(request.POST, request.FILES)
        carga = dos_fases.recibir(
            form,
            lambda datos: services.bloque_recibir(
                informativa=informativa, archivo=datos["archivo"], usuario=request.user
            ),
        )
        if carga is not None:
            return redirect("informativas:bloque", code=code, carga_code=carga.code)
    return render(
        request,
        "informativas/bloque/subir.html",
        {
            "informativa": informativa,
            "form": form,
            "columnas": services.COLUMNAS,
            # Importar nómina sends the contratantes of its ZIP that have no contrato
            "rfcs": list(dict.fromkeys(r.strip().upper() for r in request.GET.getlist("rfc") if r.strip())),
        },
    )


@requiere_contratista
@require_GET
def carga(request: SolicitudContratista, code, carga_code) -> HttpResponse:
    carga = _carga(request, code, carga_code)
    errores = Paginator(carga.errores, 50).get_page(request.GET.get("pagina"))
    contexto = {**_contexto(request, carga), "errores": errores}
    if carga.estatus == CargaContratos.Estatus.VALIDADA:
        contexto["listas_sat"] = services.bloque_listas_sat(carga=carga)
        contexto["texto_confirmacion"] = cribado.TEXTO_CONFIRMACION
    if carga.estatus == CargaContratos.Estatus.APLICADA:
        # A payroll import that waited for these contratantes' contratos is where the user goes on
        contexto["nomina_por_revisar"] = nomina_por_revisar(informativa=carga.informativa)
    return render(request, "informativas/bloque/carga.html", contexto)


def _contexto(request: HttpRequest, carga: CargaContratos) -> dict:
    return {"informativa": carga.informativa, "carga": carga, "progreso": carga.progreso}


CARGAS = dos_fases.Subidas(buscar=_carga, pagina="informativas:bloque", clave="carga_code", argumento="carga")


def _confirmada(request: HttpRequest, code, carga: CargaContratos) -> HttpResponse:
    if carga.estatus != CargaContratos.Estatus.APLICADA:
        return CARGAS.a_su_pagina(code, carga)  # queued: its page shows the worker's progress, then the result
    n = carga.guardados
    messages.success(request, f"Se {segun(n, 'guardó', 'guardaron')} {cuenta(n, 'contrato', 'contratos')}.")
    # A payroll import that waited for these contratantes' contratos is where the user goes on
    if importacion := nomina_por_revisar(informativa=carga.informativa):
        messages.info(request, "Revisa de nuevo la nómina para asignar sus trabajadores a los contratos nuevos.")
        return redirect("informativas:nomina", code=code, importacion_code=importacion.code)
    return redirect(PASO_CONTRATANTE.url(carga.informativa))


def _cancelada(request: HttpRequest, code, carga: CargaContratos) -> HttpResponse:
    messages.success(request, "Se canceló la carga; no se guardó ningún contrato.")
    return redirect("informativas:bloque_subir", code=code)


# Polled by htmx every second while a phase runs in the worker; a finished one reloads the page.
progreso = CARGAS.progreso("informativas/bloque/fragment_bloque_progreso.html", _contexto)
confirmar = CARGAS.accion(services.bloque_confirmar, _confirmada, dos_fases.listas_sat_marcados)
cancelar = CARGAS.accion(services.bloque_cancelar, _cancelada)
rechazados = CARGAS.rechazados(lambda carga: "rechazados-contratos.xlsx")
