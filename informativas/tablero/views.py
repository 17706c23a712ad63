"""The board of a capturista who files for several contratistas, its links and its downloads."""

from __future__ import annotations

import uuid
from urllib.parse import urlencode

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from capturistas.access import contratista_seleccionar, solo_capturista

from ..periodos import Periodo, hoy
from ..presentacion import descargas, paquete
from ..presentacion.forms import DescargaAcusesForm
from . import services
from .forms import FiltrosTableroForm

MENSAJE_CELDA = (
    "No puedes abrir esa informativa: ya no tienes una relación activa con ese contratista o el periodo ya no "
    "está en el tablero. Revisa el tablero actualizado."
)
MENSAJE_SIN_ACUSES = "Ninguno de tus contratistas tiene acuses del periodo {periodo}."
CAMPOS_TABLERO = ("estado", "vence_en", "repse_vence_en", "periodo")


def _regresar(request: HttpRequest) -> HttpResponse:
    """Back to the board as the visitor had it (its filters and the period chosen to download)."""
    datos = {c: request.GET[c] for c in CAMPOS_TABLERO if request.GET.get(c)}
    return redirect(reverse("informativas:tablero") + (f"?{urlencode(datos)}" if datos else ""))


@solo_capturista
@require_GET
def tablero(request: HttpRequest) -> HttpResponse:
    fecha = hoy()
    filtros = FiltrosTableroForm(request.GET)
    estado, vence_en, repse_vence_en = None, None, None
    if filtros.is_valid():
        estado = filtros.cleaned_data["estado"] or None
        vence_en = filtros.cleaned_data["vence_en"]
        repse_vence_en = filtros.cleaned_data["repse_vence_en"]
    datos = services.tablero_de(
        capturista=request.user, hoy=fecha, estado=estado, vence_en=vence_en, repse_vence_en=repse_vence_en
    )
    descarga = DescargaAcusesForm(
        initial={"periodo": request.GET.get("periodo", "")}, periodos=[c.periodo for c in datos.columnas]
    )
    return render(
        request,
        "informativas/tablero/tablero.html",
        {
            "tablero": datos,
            "filtros": filtros,
            "filtrado": estado is not None or vence_en is not None or repse_vence_en is not None,
            "descarga": descarga,
            "hoy": fecha,
        },
    )


@solo_capturista
@require_POST
def abrir(request: HttpRequest) -> HttpResponse:
    """A cell of the board: the capturista now works for that contratista (as "Seleccionar Contratista" does),
    and its informativa of the period opens; with none yet, "Nueva informativa" with the period chosen."""
    code, _, clave = request.POST.get("celda", "").partition(":")
    periodo = Periodo.de_clave(clave)
    celda = None
    fecha = hoy()
    if periodo in services.periodos_del_tablero(hoy=fecha):
        try:
            contratista_code = uuid.UUID(code)
        except ValueError:
            pass
        else:
            celda = services.celda_de(
                capturista=request.user, contratista_code=contratista_code, periodo=periodo, hoy=fecha
            )
    if celda is None:
        messages.error(request, MENSAJE_CELDA)
        return redirect("informativas:tablero")
    assert periodo is not None  # a cell was found in one of the board's periods
    contratista, actual = celda
    contratista_seleccionar(request, contratista)
    messages.info(request, f"Ahora trabajas con el contratista {contratista.razon_social} (RFC {contratista.rfc}).")
    if actual.informativa is not None:
        return redirect("informativas:detalle", code=actual.informativa)
    return redirect(
        reverse("informativas:nueva") + "?" + urlencode({"anio": periodo.anio, "cuatrimestre": periodo.cuatrimestre})
    )


@solo_capturista
@require_GET
def acuses(request: HttpRequest) -> HttpResponseBase:
    """Every acuse of one of the board's periods, of every contratista the capturista serves: the ZIP of the
    PDFs (with the summary inside) or the summary workbook."""
    form = DescargaAcusesForm(request.GET, periodos=services.periodos_del_tablero(hoy=hoy()))
    if not form.is_valid():
        for errores in form.errors.values():
            for error in errores:
                messages.error(request, str(error))
        return _regresar(request)
    periodo = form.cleaned_data["periodo"]
    encontrados = paquete.acuses_del_periodo(
        contratistas=services.contratistas_de(capturista=request.user), periodo=periodo
    )
    if not encontrados:
        messages.warning(request, MENSAJE_SIN_ACUSES.format(periodo=periodo))
        return _regresar(request)
    return descargas.respuesta(
        acuses=encontrados, nombre=descargas.nombre_descarga(periodo=periodo), formato=form.cleaned_data["formato"]
    )
