"""The public page of the listado público: every month's file, to download. No login, no search: no public
look-up by RFC or folio (with sequential folios it would list a contratista's contracts)."""

from __future__ import annotations

from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from .models import ListadoPublico
from .services import mes_de_texto

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@require_GET
def listado_publico(request: HttpRequest) -> HttpResponse:
    listados = ListadoPublico.objects.order_by("-mes")
    return render(request, "informativas/listado/listado_publico.html", {"listados": listados})


@require_GET
def listado_descargar(request: HttpRequest, mes: str) -> FileResponse:
    try:
        primer_dia = mes_de_texto(mes)
    except ValueError:
        raise Http404 from None
    listado = ListadoPublico.objects.filter(mes=primer_dia).first()
    if listado is None:
        raise Http404
    return FileResponse(
        listado.archivo.open("rb"),
        as_attachment=True,
        filename=f"listado-publico-icsoe-{primer_dia:%Y-%m}.xlsx",
        content_type=XLSX,
    )
