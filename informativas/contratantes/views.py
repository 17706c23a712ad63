from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from capturistas.access import SolicitudContratista, requiere_contratista

from .. import cribado
from . import services
from .forms import ContratanteCatalogoForm
from .models import Contratante


def _contratante(request: SolicitudContratista, contratante_code) -> Contratante:
    return get_object_or_404(Contratante, code=contratante_code, contratista_id=request.contratista.pk)


@requiere_contratista
@require_GET
def lista(request: SolicitudContratista) -> HttpResponse:
    buscar = request.GET.get("buscar", "").strip().upper()
    contratantes = request.contratista.contratantes.all()
    if buscar:
        contratantes = contratantes.filter(Q(rfc__startswith=buscar) | Q(razon_social__icontains=buscar))
    pagina = Paginator(contratantes, 50).get_page(request.GET.get("pagina"))
    # The page's entries screened against the SAT's lists in one call (one query for the hits)
    consultas = cribado.contratantes_cribar(rfcs=[c.rfc for c in pagina])
    filas = [(c, consultas.get(c.rfc)) for c in pagina]
    no_verificadas = next(iter(consultas.values())).no_verificadas if consultas else []
    return render(
        request,
        "informativas/contratantes/lista.html",
        {"pagina": pagina, "filas": filas, "buscar": buscar, "listas_sat_no_verificadas": no_verificadas},
    )


@requiere_contratista
@require_http_methods(["GET", "POST"])
def editar(request: SolicitudContratista, contratante_code) -> HttpResponse:
    contratante = _contratante(request, contratante_code)
    if request.method == "POST":
        form = ContratanteCatalogoForm(request.POST)
        if form.is_valid():
            try:
                services.contratante_actualizar(
                    contratante=contratante, usuario=request.user, **form.cleaned_data
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, f"Se guardaron los datos del contratante {contratante.rfc}.")
                return redirect("informativas:contratantes")
    else:
        form = ContratanteCatalogoForm(
            initial={
                c: getattr(contratante, c) for c in ("razon_social", "correo", "celular", "telefono_fijo")
            }
        )
    return render(
        request,
        "informativas/contratantes/editar.html",
        {
            "contratante": contratante,
            "form": form,
            "cribado": cribado.contratantes_cribar(rfcs=[contratante.rfc]).get(contratante.rfc),
        },
    )


@requiere_contratista
@require_http_methods(["GET", "POST"])
def eliminar(request: SolicitudContratista, contratante_code) -> HttpResponse:
    contratante = _contratante(request, contratante_code)
    if request.method == "POST":
        services.contratante_eliminar(contratante=contratante, usuario=request.user)
        messages.success(request, f"Se eliminó del catálogo el contratante {contratante.rfc}.")
        return redirect("informativas:contratantes")
    return render(request, "informativas/contratantes/eliminar.html", {"contratante": contratante})
