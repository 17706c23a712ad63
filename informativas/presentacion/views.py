"""Firma y presentación, Acuses de presentación, Modificar presentación and the public /verificar-acuse/.

Signing reuses the e.firma login's forms, JSON answer and submit receiver (``contratistas.efirma_web``; the
e.firma is used in the browser, docs/firma-en-navegador.md) and the throttle (``contratistas.freno_efirma``); the
business rules are in ``presentacion`` and ``acuses``.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import OuterRef, Subquery
from django.http import FileResponse, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from capturistas.access import SolicitudContratista, requiere_contratista
from contratistas.efirma_web import (
    CertificadoForm,
    contexto_efirma,
    recibir_firma,
    validar_certificado,
)
from contratistas.permisos import solo_contratista
from core.throttle import direccion_cliente

from .. import cribado
from ..captura.wizard import PASO_RESUMEN
from ..models import Acuse, Informativa
from ..selectors import contratos_con_totales, informativa_o_404, informativas_de, presentadas
from . import acuses, descargas, paquete, verificacion
from . import services as presentacion
from .forms import ComplementariaForm, DescargaAcusesForm, VerificarAcuseForm


def _contexto_firmar(informativa: Informativa, form, **extra) -> dict:
    contratos = contratos_con_totales(informativa)
    return contexto_efirma(
        form,
        informativa=informativa,
        contratos=contratos,
        total_trabajadores=sum(c.num_trabajadores for c in contratos),
        **_contexto_listas_sat(informativa),
        **extra,
    )


def _contexto_listas_sat(informativa: Informativa) -> dict:
    """Every contratante screened in one call: the hits, the lists not verified, the «Definitivo» pending."""
    consultas = cribado.informativa_cribar(informativa=informativa)
    if not consultas:
        return {}
    return {
        "listas_sat_hallazgos": [c for c in consultas.values() if c.hallazgos],
        "listas_sat_no_verificadas": next(iter(consultas.values())).no_verificadas,
        "listas_sat_pendientes": cribado.pendientes_de_confirmar(informativa=informativa, consultas=consultas),
        "texto_confirmacion": cribado.TEXTO_CONFIRMACION,
    }


@solo_contratista
@require_POST
def firmar_listas_sat(request: SolicitudContratista, code) -> HttpResponse:
    """Firmar's confirmations of the contratantes «Definitivo» in 69-B not confirmed at capture."""
    informativa = informativa_o_404(contratista=request.contratista, code=code)
    if informativa.estatus != Informativa.Estatus.PENDIENTE_FIRMA:
        messages.info(request, presentacion.MENSAJE_NO_PENDIENTE_FIRMA)
        return redirect("informativas:detalle", code=informativa.code)
    pendientes = cribado.confirmaciones_registrar(
        informativa=informativa, rfcs=request.POST.getlist("confirmar_lista_sat"), usuario=request.user
    )
    if pendientes:
        messages.error(request, cribado.mensaje_pendientes(pendientes))
    else:
        messages.success(request, "Se guardó tu confirmación. Ya puedes firmar la informativa.")
    return redirect("informativas:firmar", code=informativa.code)


# ----------------------------------------------------------------------------------------------------------
# Firma y presentación
# ----------------------------------------------------------------------------------------------------------
@requiere_contratista
@require_GET
def firma(request: SolicitudContratista) -> HttpResponse:
    pendientes = informativas_de(request.contratista).filter(estatus=Informativa.Estatus.PENDIENTE_FIRMA)
    return render(
        request,
        "informativas/presentacion/firma.html",
        {"informativas": pendientes, "puede_firmar": request.user.es_contratista},
    )


@solo_contratista
@require_http_methods(["GET", "POST"])
def firmar(request: SolicitudContratista, code) -> HttpResponse:
    """The Firmar page, and its submit: the cadena original signed in the browser (certificate, reto and
    signature; never a key)."""
    informativa = informativa_o_404(contratista=request.contratista, code=code)
    if informativa.estatus != Informativa.Estatus.PENDIENTE_FIRMA:
        messages.info(request, presentacion.MENSAJE_NO_PENDIENTE_FIRMA)
        return redirect("informativas:detalle", code=informativa.code)
    if request.method == "GET":
        return render(request, "informativas/presentacion/firmar.html", _contexto_firmar(informativa, CertificadoForm()))
    return recibir_firma(
        request,
        plantilla="informativas/presentacion/firmar.html",
        contexto=lambda form, **extra: _contexto_firmar(informativa, form, **extra),
        verificar=lambda datos: presentacion.informativa_firmar(
            informativa=informativa,
            certificado=datos["certificado"],
            rfc=datos["rfc"],
            reto=datos["reto"],
            firma=datos["firma"],
            usuario=request.user,
            sesion=request.session,
        ),
        hecho=lambda _firmada: redirect("informativas:firma_exitosa", code=informativa.code),
    )


@solo_contratista
@require_POST
def firmar_validar(request: SolicitudContratista, code) -> HttpResponse:
    """"Validar" on the signing page (fetched by static/js/efirma.js): the login's certificate checks, that
    the e.firma is the contratista's, the informativa's rules; then the cadena original to sign, with the
    informativa's reserved folio and the time of presentation (``presentacion.firma_preparar``). Answers JSON."""
    informativa = informativa_o_404(contratista=request.contratista, code=code)
    return validar_certificado(
        request,
        preparar=lambda datos: presentacion.firma_preparar(
            informativa=informativa,
            certificado=datos["certificado"],
            rfc=datos["rfc"],
            usuario=request.user,
            sesion=request.session,
            direccion=direccion_cliente(meta=request.META),
        ),
        cadena_original=lambda reto: reto.mensaje,
    )


@solo_contratista
@require_GET
def firma_exitosa(request: SolicitudContratista, code) -> HttpResponse:
    informativa = informativa_o_404(contratista=request.contratista, code=code)
    if informativa.estatus != Informativa.Estatus.PRESENTADA:
        return redirect("informativas:firma")
    return render(request, "informativas/presentacion/firma_exitosa.html", {"informativa": informativa})


# ----------------------------------------------------------------------------------------------------------
# Acuses de presentación
# ----------------------------------------------------------------------------------------------------------
@requiere_contratista
@require_GET
def acuses_lista(request: SolicitudContratista) -> HttpResponse:
    # What replaced or cancelled each one, for its note (vigencia.py): one subquery, not a query per row.
    reemplazo = Informativa.objects.filter(
        informativa_origen=OuterRef("pk"), estatus__in=acuses.ESTATUS_CON_ACUSE
    ).order_by("fecha_presentacion", "pk")
    presentadas = (
        Informativa.objects.filter(contratista_id=request.contratista.pk, estatus__in=acuses.ESTATUS_CON_ACUSE)
        .select_related("acuse", "informativa_origen")
        .annotate(reemplazo_folio=Subquery(reemplazo.values("folio_definitivo")[:1]))
        .order_by("-anio", "-cuatrimestre", "-fecha_presentacion", "-pk")
    )
    informativas = list(presentadas)
    periodos = list(dict.fromkeys(i.periodo for i in informativas))
    descarga = DescargaAcusesForm(initial={"periodo": request.GET.get("periodo", "")}, periodos=periodos)
    return render(request, "informativas/presentacion/acuses.html", {"informativas": informativas, "descarga": descarga})


@requiere_contratista
@require_GET
def acuses_periodo(request: SolicitudContratista) -> HttpResponseBase:
    """Every acuse of one period of the contratista: the ZIP of the PDFs (with the summary inside), or the
    summary workbook alone."""
    periodos = paquete.periodos_con_acuses(contratistas=[request.contratista.pk])
    form = DescargaAcusesForm(request.GET, periodos=periodos)
    if not form.is_valid():
        for errores in form.errors.values():
            for error in errores:
                messages.error(request, str(error))
        return redirect(reverse("informativas:acuses") + _conservar(request, "periodo"))
    periodo = form.cleaned_data["periodo"]
    return descargas.respuesta(
        acuses=paquete.acuses_del_periodo(contratistas=[request.contratista.pk], periodo=periodo),
        nombre=descargas.nombre_descarga(periodo=periodo, rfc=request.contratista.rfc),
        formato=form.cleaned_data["formato"],
    )


def _conservar(request: HttpRequest, *campos: str) -> str:
    """The query string of ``campos`` as the visitor sent them, so a page sent back keeps them."""
    datos = {c: request.GET[c] for c in campos if request.GET.get(c)}
    return f"?{urlencode(datos)}" if datos else ""


@requiere_contratista
@require_GET
def acuse_descargar(request: SolicitudContratista, code) -> FileResponse:
    """The stored bytes, exactly as rendered at signing (never re-rendered)."""
    acuse = get_object_or_404(
        Acuse.objects.select_related("informativa"),
        informativa__code=code,
        informativa__contratista_id=request.contratista.pk,
    )
    return FileResponse(
        acuse.pdf.open("rb"),
        as_attachment=True,
        filename=f"Acuse-{acuse.informativa.folio_definitivo}.pdf",
        content_type="application/pdf",
    )


# ----------------------------------------------------------------------------------------------------------
# Modificar presentación
# ----------------------------------------------------------------------------------------------------------
@requiere_contratista
@require_GET
def modificar(request: SolicitudContratista) -> HttpResponse:
    informativas = list(presentadas(request.contratista))
    for informativa in informativas:
        informativa.restantes = presentacion.complementarias_restantes(informativa=informativa)  # type: ignore[attr-defined]
    return render(request, "informativas/presentacion/modificar.html", {"informativas": informativas})


@requiere_contratista
@require_http_methods(["GET", "POST"])
def complementaria(request: SolicitudContratista, code) -> HttpResponse:
    origen = informativa_o_404(contratista=request.contratista, code=code)
    try:
        presentacion.complementaria_origen_validar(origen=origen)
    except ValidationError as error:
        for mensaje in error.messages:
            messages.error(request, mensaje)
        return redirect("informativas:modificar")
    form = ComplementariaForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            nueva = presentacion.complementaria_crear(
                origen=origen, tipo=form.cleaned_data["tipo"], usuario=request.user
            )
        except ValidationError as error:
            for mensaje in error.messages:
                form.add_error(None, mensaje)
        else:
            if nueva.estatus == Informativa.Estatus.PENDIENTE_FIRMA:
                messages.success(request, "La informativa complementaria Sin efectos quedó pendiente de firma.")
                return redirect("informativas:firma")
            messages.success(
                request,
                f"Se creó la informativa complementaria de {nueva.get_tipo_display()} con los datos de la "
                f"informativa {origen.folio_definitivo}. Modifica lo necesario y envíala a firma.",
            )
            return redirect(PASO_RESUMEN.url(nueva))
    return render(
        request,
        "informativas/presentacion/complementaria.html",
        {
            "origen": origen,
            "form": form,
            "restantes": presentacion.complementarias_restantes(informativa=origen),
            "maximo": presentacion.COMPLEMENTARIAS_POR_PERIODO,
        },
    )


# ----------------------------------------------------------------------------------------------------------
# Public verification (the QR on the acuse points here)
# ----------------------------------------------------------------------------------------------------------
@csrf_exempt  # checked inside, after the throttle: the CSRF check reads the body it would bind
@require_http_methods(["GET", "POST"])
def verificar_acuse(
    request: HttpRequest, constancias: verificacion.BuscarConstancia | None = None
) -> HttpResponse:
    """GET with folio and código (the QR's link) or POST with them and/or the PDF; throttled per address. An
    address that must wait is answered before its body is read (the door has already bounded its size).
    ``constancias``: the expediente's finder, which the URL passes (verificacion_urls)."""
    if espera := verificacion.espera_consultar(ip=direccion_cliente(meta=request.META)):
        tecleado = {campo: request.GET.get(campo, "")[:40] for campo in ("folio", "codigo")}  # the QR's link
        return _verificar_acuse_pagina(request, form=VerificarAcuseForm(initial=tecleado), consulta=espera)
    return _verificar_acuse(request, constancias)


@csrf_protect
def _verificar_acuse(request: HttpRequest, constancias: verificacion.BuscarConstancia | None) -> HttpResponse:
    datos = request.POST if request.method == "POST" else request.GET
    form = VerificarAcuseForm(datos or None, request.FILES or None)
    consulta = None
    ip = direccion_cliente(meta=request.META)
    if form.is_bound and form.is_valid():
        archivo = form.cleaned_data["archivo"]
        consulta = verificacion.acuse_consultar(
            folio=form.cleaned_data["folio"],
            codigo=form.cleaned_data["codigo"],
            pdf=archivo.chunks() if archivo else None,
            ip=ip,
            constancias=constancias,
        )
    elif form.is_bound:
        consulta = verificacion.consulta_fallida_registrar(ip=ip)
    return _verificar_acuse_pagina(request, form=form, consulta=consulta)


def _verificar_acuse_pagina(
    request: HttpRequest, *, form: VerificarAcuseForm, consulta: verificacion.Consulta | None
) -> HttpResponse:
    contexto = {"form": form, "consulta": consulta, "resultado": consulta.verificacion if consulta else None}
    return render(request, "informativas/presentacion/verificar_acuse.html", contexto)
