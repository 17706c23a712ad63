"""The contratista's side (/autorizaciones/): which contratantes it authorises to see what it filed about
them, revoking one (with a confirmation step), and the audit trail of their accesses. The contratista itself
only: its capturistas are refused (``solo_contratista``)."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods

from capturistas.access import SolicitudContratista
from contratistas.permisos import solo_contratista

from . import services
from .forms import AutorizarForm
from .models import Autorizacion

ACCESOS_POR_PAGINA = 50


@solo_contratista
@require_http_methods(["GET", "POST"])
def lista(request: SolicitudContratista) -> HttpResponse:
    contratista = request.contratista
    form = AutorizarForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            autorizacion = services.autorizacion_otorgar(
                contratista=contratista, rfc=form.cleaned_data["rfc"], usuario=request.user
            )
        except services.AutorizacionError as error:
            form.add_error("rfc", error.mensaje)
        else:
            messages.success(
                request,
                f"Autorizaste al RFC {autorizacion.rfc_contratante}: ya puede ingresar con su e.firma a consultar "
                "las informativas en vigor con contratos celebrados con él.",
            )
            return redirect("autorizaciones:lista")
    return render(
        request,
        "clientes/autorizaciones.html",
        {
            "form": form,
            "autorizaciones": services.autorizaciones_de(contratista),
            "sugeridos": services.contratantes_sugeridos(contratista),
        },
    )


@solo_contratista
@require_http_methods(["GET", "POST"])
def revocar(request: SolicitudContratista, code) -> HttpResponse:
    autorizacion = get_object_or_404(
        Autorizacion.objects.select_related("contratista"),
        code=code,
        contratista=request.contratista,
    )
    if not autorizacion.vigente:
        return redirect("autorizaciones:lista")
    if request.method == "POST":
        services.autorizacion_revocar(autorizacion=autorizacion, usuario=request.user)
        messages.success(
            request,
            f"Revocaste la autorización del RFC {autorizacion.rfc_contratante}: ya no puede consultar tus informativas.",
        )
        return redirect("autorizaciones:lista")
    return render(request, "clientes/revocar.html", {"autorizacion": autorizacion})


@solo_contratista
def accesos(request: SolicitudContratista) -> HttpResponse:
    pagina = Paginator(services.accesos_de(request.contratista), ACCESOS_POR_PAGINA).get_page(
        request.GET.get("pagina")
    )
    return render(request, "clientes/accesos.html", {"accesos": pagina, "acciones": services.ACCIONES_ACCESO})
