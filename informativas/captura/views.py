from __future__ import annotations

import uuid

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from capturistas.access import SolicitudContratista, requiere_contratista
from contratistas.domicilio import colonias_de
from core.paginacion import pagina_sin_conteo

from .. import dos_fases, vigencia
from ..bitacora import bitacora_de
from ..carga import services as carga
from ..carga.forms import CargaForm
from ..models import Contrato, Informativa, Trabajador
from ..periodos import Periodo, hoy
from ..selectors import (
    BandejaCompilada,
    contratantes_de,
    contratos_con_totales,
    informativa_o_404,
    informativas_de,
    trabajadores_de,
)
from ..vistas_comunes import POR_PAGINA, contrato_o_404, errores_al_formulario, solo_en_captura
from . import services
from .filas import fila_html
from .forms import ConsultaForm, NuevaInformativaForm, TrabajadorForm
from .pendientes import plazos_de
from .wizard import (
    PASO_CONTRATANTE,
    PASO_RESUMEN,
    PASO_TRABAJADORES,
    POR_IDENTIFICADOR,
    Asistente,
)


# ----------------------------------------------------------------------------------------------------------
# Scoped lookups: another contratista's object answers 404
# ----------------------------------------------------------------------------------------------------------
def _trabajador(request: SolicitudContratista, code, contrato_code, trabajador_code) -> Trabajador:
    return get_object_or_404(
        Trabajador.objects.select_related("contrato__informativa__contratista"),
        code=trabajador_code,
        contrato__code=contrato_code,
        contrato__informativa__code=code,
        contrato__informativa__contratista_id=request.contratista.pk,
    )


# ----------------------------------------------------------------------------------------------------------
# Bandeja, nueva informativa, Sin información
# ----------------------------------------------------------------------------------------------------------
@requiere_contratista
@require_GET
def bandeja(request: SolicitudContratista) -> HttpResponse:
    # Paged without a count: one query for its rows, however many informativas the contratista has in captura.
    pagina = pagina_sin_conteo(
        BandejaCompilada(request.contratista),  # type: ignore[arg-type]  # pages as the queryset would
        request.GET.get("pagina"),
        por_pagina=POR_PAGINA,
    )
    plazos = plazos_de(contratista=request.contratista, hoy=hoy())
    es_contratista = request.user.es_contratista
    filas = [(i, fila_html(i, es_contratista=es_contratista)) for i in pagina]
    return render(
        request, "informativas/captura/bandeja.html", {"pagina": pagina, "filas": filas, "plazos": plazos}
    )


@requiere_contratista
@require_http_methods(["GET", "POST"])
def nueva(request: SolicitudContratista) -> HttpResponse:
    fecha = hoy()
    if request.method == "POST":
        form = NuevaInformativaForm(request.POST, contratista=request.contratista, hoy=fecha)
        if form.is_valid():
            datos = form.cleaned_data
            cancelar = (
                f"{reverse('informativas:nueva')}?anio={datos['anio']}"
                f"&cuatrimestre={datos['cuatrimestre']}&tipo={datos['tipo']}"
            )
            # No complementarias left in the period: say so before creating it, and ask to confirm.
            aviso = vigencia.aviso_sin_complementarias(contratista_id=request.contratista.pk, **datos)
            confirmada = request.POST.get("confirmar_sin_complementarias") == "1"
            if datos["tipo"] == Informativa.Tipo.SIN_INFORMACION:
                return render(
                    request,
                    "informativas/captura/sin_informacion_confirmar.html",
                    {
                        "datos": datos,
                        "periodo": Periodo(datos["anio"], datos["cuatrimestre"]),
                        "accion": reverse("informativas:sin_informacion"),
                        "cancelar": cancelar,
                        "aviso_sin_complementarias": aviso,
                    },
                )
            if aviso and not confirmada:
                return render(
                    request,
                    "informativas/captura/nueva_sin_complementarias.html",
                    {
                        "datos": datos,
                        "periodo": Periodo(datos["anio"], datos["cuatrimestre"]),
                        "aviso": aviso,
                        "cancelar": cancelar,
                    },
                )
            try:
                informativa = services.informativa_crear(
                    contratista=request.contratista,
                    usuario=request.user,
                    hoy=fecha,
                    confirmar_sin_complementarias=confirmada,
                    **datos,
                )
            except ValidationError as error:
                errores_al_formulario(form, error)
            else:
                messages.success(request, "Se creó la informativa. Captura sus datos en cada pestaña.")
                return redirect("informativas:paso", code=informativa.code, paso="contratista")
    else:
        inicial = {k: request.GET[k] for k in ("anio", "cuatrimestre", "tipo") if k in request.GET}
        form = NuevaInformativaForm(initial=inicial, contratista=request.contratista, hoy=fecha)
    return render(request, "informativas/captura/nueva.html", {"form": form})


@requiere_contratista
@require_POST
def sin_informacion(request: SolicitudContratista) -> HttpResponse:
    """ "Continuar" on the protesta de decir verdad: the Sin información is created pending signature."""
    fecha = hoy()
    form = NuevaInformativaForm(request.POST, contratista=request.contratista, hoy=fecha)
    if form.is_valid() and form.cleaned_data["tipo"] == Informativa.Tipo.SIN_INFORMACION:
        try:
            services.informativa_sin_informacion_declarar(
                contratista=request.contratista,
                anio=form.cleaned_data["anio"],
                cuatrimestre=form.cleaned_data["cuatrimestre"],
                usuario=request.user,
                hoy=fecha,
                confirmar_sin_complementarias=request.POST.get("confirmar_sin_complementarias") == "1",
            )
        except ValidationError as error:
            errores_al_formulario(form, error)
        else:
            messages.success(request, "La informativa Sin información quedó pendiente de firma.")
            return redirect("informativas:bandeja")
    return render(request, "informativas/captura/nueva.html", {"form": form})


@requiere_contratista
@require_http_methods(["GET", "POST"])
def sin_informacion_existente(request: SolicitudContratista, code) -> HttpResponse:
    """A Sin información returned to captura: the same declaration sends it to signing again."""
    informativa = informativa_o_404(contratista=request.contratista, code=code)
    if informativa.tipo != Informativa.Tipo.SIN_INFORMACION:
        raise Http404
    if respuesta := solo_en_captura(request, informativa):
        return respuesta
    if request.method == "POST":
        try:
            services.informativa_enviar_a_firma(informativa=informativa, usuario=request.user)
        except ValidationError as error:
            for mensaje in error.messages:
                messages.error(request, mensaje)
        else:
            messages.success(request, "La informativa Sin información quedó pendiente de firma.")
        return redirect("informativas:bandeja")
    return render(
        request,
        "informativas/captura/sin_informacion_confirmar.html",
        {
            "periodo": informativa.periodo,
            "informativa": informativa,
            "accion": reverse("informativas:sin_informacion_existente", args=[informativa.code]),
            "cancelar": reverse("informativas:bandeja"),
        },
    )


@requiere_contratista
@require_http_methods(["GET", "POST"])
def eliminar(request: SolicitudContratista, code) -> HttpResponse:
    informativa = informativa_o_404(contratista=request.contratista, code=code)
    if respuesta := solo_en_captura(request, informativa):
        return respuesta
    if request.method == "POST":
        services.informativa_eliminar(informativa=informativa, usuario=request.user)
        messages.success(request, "Se eliminó la informativa.")
        return redirect("informativas:bandeja")
    return render(
        request,
        "informativas/captura/eliminar.html",
        {
            "informativa": informativa,
            "contratos": contratos_con_totales(informativa),
        },
    )


@requiere_contratista
@require_POST
def enviar_a_firma(request: SolicitudContratista, code) -> HttpResponse:
    informativa = informativa_o_404(contratista=request.contratista, code=code)
    try:
        services.informativa_enviar_a_firma(informativa=informativa, usuario=request.user)
    except ValidationError as error:
        for mensaje in error.messages:
            messages.error(request, mensaje)
        return redirect(
            PASO_RESUMEN.url(informativa)
            if informativa.editable
            else reverse("informativas:detalle", args=[informativa.code])
        )
    messages.success(request, "La informativa se envió a firma: queda pendiente de firma del contratista.")
    return redirect("informativas:bandeja")


@requiere_contratista
@require_POST
def regresar_a_captura(request: SolicitudContratista, code) -> HttpResponse:
    informativa = informativa_o_404(contratista=request.contratista, code=code)
    try:
        services.informativa_regresar_a_captura(informativa=informativa, usuario=request.user)
    except ValidationError as error:
        for mensaje in error.messages:
            messages.error(request, mensaje)
        return redirect("informativas:detalle", code=informativa.code)
    messages.success(request, "La informativa regresó a captura.")
    if informativa.tipo == Informativa.Tipo.SIN_INFORMACION:
        return redirect("informativas:bandeja")
    return redirect(PASO_RESUMEN.url(informativa))


# ----------------------------------------------------------------------------------------------------------
# Consulta and the read-only view
# ----------------------------------------------------------------------------------------------------------
@requiere_contratista
@require_GET
def consulta(request: SolicitudContratista) -> HttpResponse:
    form = ConsultaForm(request.GET or None, hoy=hoy())
    informativas = form.filtrar(informativas_de(request.contratista))
    pagina = Paginator(informativas, POR_PAGINA).get_page(request.GET.get("pagina"))
    filtros = request.GET.copy()
    filtros.pop("pagina", None)
    return render(
        request,
        "informativas/captura/consulta.html",
        {
            "form": form,
            "pagina": pagina,
            "filtros": filtros.urlencode(),
        },
    )


@requiere_contratista
@require_GET
def detalle(request: SolicitudContratista, code) -> HttpResponse:
    informativa = informativa_o_404(contratista=request.contratista, code=code)
    contratos = contratos_con_totales(informativa)
    return render(
        request,
        "informativas/captura/detalle.html",
        {
            "informativa": informativa,
            "contratos": contratos,
            "total_trabajadores": sum(c.num_trabajadores for c in contratos),
            "bitacora": bitacora_de(informativa),
            # What replaced or cancelled a presented filing, in words (vigencia.py).
            "estado": vigencia.estado(informativa, vigencia.reemplazo_de(informativa))
            if informativa.folio_definitivo
            else "",
            # Issue 25: one expediente per contratante of a presented filing (informativas/expediente/).
            "expedientes": contratantes_de(informativa)
            if informativa.estatus in vigencia.ESTATUS_CON_ACUSE
            else [],
        },
    )


@requiere_contratista
@require_GET
def contrato_detalle(request: SolicitudContratista, code, contrato_code) -> HttpResponse:
    contrato = contrato_o_404(request, code, contrato_code)
    pagina = Paginator(trabajadores_de(contrato), POR_PAGINA).get_page(request.GET.get("pagina"))
    return render(
        request,
        "informativas/captura/contrato_detalle.html",
        {
            "informativa": contrato.informativa,
            "contrato": contrato,
            "pagina": pagina,
        },
    )


# ----------------------------------------------------------------------------------------------------------
# Wizard
# ----------------------------------------------------------------------------------------------------------
def _ejecutar_paso(request: HttpRequest, informativa: Informativa, contrato: Contrato | None, paso_id: str):
    paso = POR_IDENTIFICADOR.get(paso_id)
    if paso is None or not paso.is_applicable(informativa):
        raise Http404
    if respuesta := solo_en_captura(request, informativa):
        return respuesta
    asistente = Asistente(request=request, informativa=informativa, contrato=contrato)
    if paso.por_contrato and contrato is None:
        destino = paso.url_pestana(asistente)
        if destino is None:
            messages.info(request, "Primero agrega un contrato con los datos de su contratante.")
            destino = PASO_CONTRATANTE.url(informativa)
        return redirect(destino)
    if request.method == "POST":
        return paso.post(asistente)
    if request.method == "GET":
        return paso.get(asistente)
    return HttpResponseNotAllowed(["GET", "POST"])


@requiere_contratista
def paso(request: SolicitudContratista, code, paso: str) -> HttpResponse:
    informativa = informativa_o_404(contratista=request.contratista, code=code)
    if paso == "periodo" and request.method == "POST":
        return HttpResponseNotAllowed(["GET"])
    return _ejecutar_paso(request, informativa, None, paso)


@requiere_contratista
def paso_contrato(request: SolicitudContratista, code, contrato_code, paso: str) -> HttpResponse:
    contrato = contrato_o_404(request, code, contrato_code)
    if paso not in ("contratante", "contrato", "trabajadores"):
        raise Http404
    return _ejecutar_paso(request, contrato.informativa, contrato, paso)


@requiere_contratista
@require_POST
def contratante_validar(request: SolicitudContratista, code) -> HttpResponse:
    informativa = informativa_o_404(contratista=request.contratista, code=code)
    if respuesta := solo_en_captura(request, informativa):
        return respuesta
    contrato = None
    if request.POST.get("contrato"):
        contrato = get_object_or_404(informativa.contratos, code=_uuid_o_404(request.POST["contrato"]))
    return PASO_CONTRATANTE.validar_rfc(
        Asistente(request=request, informativa=informativa, contrato=contrato)
    )


def _uuid_o_404(valor: str) -> uuid.UUID:
    try:
        return uuid.UUID(valor)
    except ValueError:
        raise Http404 from None


@requiere_contratista
@require_GET
def colonias(request: SolicitudContratista) -> HttpResponse:
    """The colonias of a código postal, as <option>s for the Colonia select (htmx)."""
    cp = "".join(request.GET.get(k, "") for k in request.GET if k.endswith("codigo_postal")).strip()[:5]
    asentamientos = colonias_de(cp)
    return render(request, "informativas/captura/fragment_colonias.html", {"asentamientos": asentamientos, "cp": cp})


@requiere_contratista
@require_http_methods(["GET", "POST"])
def contrato_eliminar(request: SolicitudContratista, code, contrato_code) -> HttpResponse:
    contrato = contrato_o_404(request, code, contrato_code)
    informativa = contrato.informativa
    if respuesta := solo_en_captura(request, informativa):
        return respuesta
    if request.method == "POST":
        services.contrato_eliminar(contrato=contrato, usuario=request.user)
        messages.success(request, f"Se eliminó el contrato {contrato.folio}.")
        return redirect(PASO_CONTRATANTE.url(informativa))
    return render(
        request,
        "informativas/captura/contrato_eliminar.html",
        {
            "informativa": informativa,
            "contrato": contrato,
            "num_trabajadores": contrato.trabajadores.count(),
        },
    )


# ----------------------------------------------------------------------------------------------------------
# Trabajadores one by one
# ----------------------------------------------------------------------------------------------------------
@requiere_contratista
@require_http_methods(["GET", "POST"])
def trabajador_editar(request: SolicitudContratista, code, contrato_code, trabajador_code) -> HttpResponse:
    trabajador = _trabajador(request, code, contrato_code, trabajador_code)
    contrato = trabajador.contrato
    if respuesta := solo_en_captura(request, contrato.informativa):
        return respuesta
    if request.method == "POST":
        form = TrabajadorForm(request.POST)
        if form.is_valid():
            try:
                services.trabajador_actualizar(trabajador=trabajador, usuario=request.user, **form.datos())
            except ValidationError as error:
                errores_al_formulario(form, error)
            else:
                messages.success(request, f"Se guardaron los datos del trabajador con NSS {trabajador.nss}.")
                return redirect(PASO_TRABAJADORES.url(contrato.informativa, contrato))
    else:
        form = TrabajadorForm(trabajador=trabajador)
    return render(
        request,
        "informativas/captura/trabajador_editar.html",
        {
            "informativa": contrato.informativa,
            "contrato": contrato,
            "trabajador": trabajador,
            "form": form,
        },
    )


@requiere_contratista
@require_http_methods(["GET", "POST"])
def trabajador_eliminar(request: SolicitudContratista, code, contrato_code, trabajador_code) -> HttpResponse:
    trabajador = _trabajador(request, code, contrato_code, trabajador_code)
    contrato = trabajador.contrato
    if respuesta := solo_en_captura(request, contrato.informativa):
        return respuesta
    if request.method == "POST":
        services.trabajador_eliminar(trabajador=trabajador, usuario=request.user)
        messages.success(request, f"Se eliminó el trabajador con NSS {trabajador.nss}.")
        return redirect(PASO_TRABAJADORES.url(contrato.informativa, contrato))
    return render(
        request,
        "informativas/captura/trabajador_eliminar.html",
        {
            "informativa": contrato.informativa,
            "contrato": contrato,
            "trabajador": trabajador,
        },
    )


@requiere_contratista
@require_POST
def carga_subir(request: SolicitudContratista, code, contrato_code) -> HttpResponse:
    """The Trabajadores step's carga masiva: a stored upload goes to the carga's page, a refused one is shown
    on the step's upload form."""
    contrato = contrato_o_404(request, code, contrato_code)
    informativa = contrato.informativa
    if respuesta := solo_en_captura(request, informativa):
        return respuesta
    form = CargaForm(request.POST, request.FILES)
    subida = dos_fases.recibir(
        form,
        lambda datos: carga.carga_recibir(contrato=contrato, archivo=datos["archivo"], usuario=request.user),
    )
    if subida is not None:
        return redirect("informativas:carga", code=informativa.code, carga_code=subida.code)
    asistente = Asistente(request=request, informativa=informativa, contrato=contrato)
    return PASO_TRABAJADORES.get(asistente, carga_form=form)
