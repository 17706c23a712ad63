"""Información del contratista (datos generales): the contratista itself only; capturistas are refused."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from plazos import reloj

from . import repse, services
from .domicilio import PASO_1, PASO_2, PASOS, DomicilioForm, colonias_de, resumen_de, si_no
from .forms import AcuseForm, DatosGeneralesForm, RecordatoriosForm
from .models import AcuseStps, CodigoPostal, Municipio
from .permisos import solo_contratista

MENSAJE_ACUSE_ELIMINADO = "Se eliminó el acuse de registro en padrón de la STPS."
MENSAJE_ERRORES = "Revisa los campos marcados; no se guardó ningún dato."


class Pagina:
    """The forms of one render of the page, from the stored data (GET) or from what was posted."""

    def __init__(self, request: HttpRequest, *, validar_generales: bool, hasta_paso: int = 2) -> None:
        c = request.contratista
        self.request, self.contratista = request, c
        self.fiscal_mostrado = services.domicilio_fiscal_de(contratista=c)
        self.vigente = services.acuse_stps_vigente(contratista=c)
        self.pendiente: AcuseStps | None = None
        self.paso = "1"
        self.resumen: dict[str, Any] | None = None
        if request.method != "POST":
            self.generales = DatosGeneralesForm(contratista=c)
            self.acuse = AcuseForm()
            self.social = DomicilioForm(prefix="social", domicilio=c.domicilio_social)
            self.fiscal = None if self.fiscal_mostrado else DomicilioForm(prefix="fiscal")
            if c.domicilio_social:
                self.paso, self.resumen = "aceptado", resumen_de(c.domicilio_social)
            return
        datos = request.POST
        if validar_generales:
            self.generales = DatosGeneralesForm(datos, contratista=c)
        else:  # a step of the domicilio: what was typed comes back unchecked
            nombres = DatosGeneralesForm.base_fields
            self.generales = DatosGeneralesForm(
                contratista=c, initial={k: datos.get(k) for k in nombres if datos.get(k) is not None}
            )
        self.social_requerido = self.generales.domicilio_social_no() if validar_generales else (
            c.es_persona_moral and datos.get("domicilio_social_igual_fiscal") == "no"
        )
        self.social = (
            DomicilioForm(datos, prefix="social", hasta_paso=hasta_paso)
            if self.social_requerido or not validar_generales
            else DomicilioForm.tecleado(datos, prefix="social")
        )
        if self.fiscal_mostrado:
            self.fiscal = None
        elif validar_generales:
            self.fiscal = DomicilioForm(datos, prefix="fiscal")
        else:
            self.fiscal = DomicilioForm.tecleado(datos, prefix="fiscal")
        paso = datos.get("social-paso")
        self.paso = paso if paso in PASOS else "1"
        self.acuse = AcuseForm(datos, request.FILES)
        if nuevo := self.acuse.archivo_valido():
            self.pendiente = services.acuse_stps_subir(contratista=c, archivo=nuevo, usuario=request.user)
        else:
            self.pendiente = services.acuse_stps_pendiente(contratista=c, code=datos.get("acuse_pendiente"))

    def ir_a(self, paso: str) -> None:
        self.paso = paso
        if paso in ("3", "aceptado") and self.social.is_bound and self.social.is_valid():
            self.resumen = self.social.resumen()
        elif paso in ("3", "aceptado"):
            self.paso = "1"

    def render(self, *, status: int = 200) -> HttpResponse:
        return render(
            self.request,
            "contratistas/datos.html",
            {
                "form": self.generales,
                "acuse_form": self.acuse,
                "social": self.social,
                "fiscal": self.fiscal,
                "fiscal_mostrado": self.fiscal_mostrado,
                "paso": self.paso,
                "social_paso1": self.social.ocultos(PASO_1),
                "social_paso2": self.social.ocultos(PASO_2),
                "resumen": self.resumen,
                "vigente": self.vigente,
                "pendiente": self.pendiente,
                "contratista": self.contratista,
                "recordatorios_form": RecordatoriosForm(contratista=self.contratista),
                "repse": repse.vigencia_repse(
                    fecha_registro=self.contratista.repse_fecha_registro, hoy=reloj.hoy()
                ),
            },
            status=status,
        )


def _errores_del_servicio(pagina: Pagina, error: ValidationError) -> None:
    for campo, mensajes in error.message_dict.items():
        if campo == "acuse":
            pagina.acuse.add_error("acuse", mensajes)
        elif campo == "domicilio_fiscal" and pagina.fiscal is not None:
            pagina.fiscal.add_error(None, mensajes)
        elif campo in pagina.generales.fields:
            pagina.generales.add_error(campo, mensajes)
        else:
            pagina.generales.add_error(None, mensajes)


@solo_contratista
@require_http_methods(["GET", "POST"])
def datos(request: HttpRequest) -> HttpResponse:
    pagina = Pagina(request, validar_generales=True)
    if request.method != "POST":
        return pagina.render()
    valido = pagina.generales.is_valid() and pagina.acuse.is_valid()
    if pagina.social_requerido and not pagina.social.is_valid():
        valido = False
    if pagina.fiscal is not None and not pagina.fiscal.is_valid():
        valido = False
    if valido:
        g = pagina.generales.cleaned_data
        try:
            services.datos_generales_guardar(
                contratista=request.contratista,
                datos=services.DatosGenerales(
                    correo=g["correo"],
                    celular=g["celular"],
                    telefono_fijo=g["telefono_fijo"],
                    registro_repse=g["registro_repse"],
                    repse_fecha_registro=g.get("repse_fecha_registro"),
                    domicilio_social_igual_fiscal=si_no(g.get("domicilio_social_igual_fiscal")),
                    domicilio_social=pagina.social.datos() if pagina.social_requerido else None,
                    domicilio_fiscal=pagina.fiscal.datos() if pagina.fiscal is not None else None,
                ),
                acuse_pendiente=pagina.pendiente,
                usuario=request.user,
            )
        except ValidationError as error:
            _errores_del_servicio(pagina, error)
        else:
            messages.success(request, services.MENSAJE_GUARDADO)
            return redirect("contratistas:datos")
    if pagina.social_requerido:
        pagina.ir_a(pagina.social.primer_paso_con_errores() or pagina.paso)
    messages.error(request, MENSAJE_ERRORES)
    return pagina.render()


@solo_contratista
@require_POST
def recordatorios(request: HttpRequest) -> HttpResponse:
    """The reminders' own form on the page: saved alone, so turning them off never asks for the datos generales."""
    form = RecordatoriosForm(request.POST, contratista=request.contratista)
    form.is_valid()  # two checkboxes: always valid
    services.recordatorios_configurar(
        contratista=request.contratista,
        activos=form.cleaned_data["activos"],
        capturistas=form.cleaned_data["capturistas"],
        usuario=request.user,
    )
    messages.success(request, services.MENSAJE_RECORDATORIOS_GUARDADO)
    return redirect(f"{reverse('contratistas:datos')}#recordatorios")


# The guide's "Ubicar" (Paso 1/3 and 2/3), "Aceptar" (Paso 3/3) and a way back to change the address. Each
# returns the whole page with everything typed kept; nothing is stored until "Guardar".
@solo_contratista
@require_POST
def domicilio_ubicar(request: HttpRequest) -> HttpResponse:
    paso = request.POST.get("social-paso", "1")
    pagina = Pagina(request, validar_generales=False, hasta_paso=1 if paso == "1" else 2)
    if pagina.social.is_valid():
        pagina.ir_a("2" if paso == "1" else "3")
    else:
        pagina.ir_a(pagina.social.primer_paso_con_errores() or paso)
    return pagina.render()


@solo_contratista
@require_POST
def domicilio_aceptar(request: HttpRequest) -> HttpResponse:
    pagina = Pagina(request, validar_generales=False)
    pagina.ir_a("aceptado" if pagina.social.is_valid() else (pagina.social.primer_paso_con_errores() or "1"))
    return pagina.render()


@solo_contratista
@require_POST
def domicilio_modificar(request: HttpRequest) -> HttpResponse:
    pagina = Pagina(request, validar_generales=False)
    pagina.social = DomicilioForm.tecleado(request.POST, prefix="social")
    pagina.ir_a("1")
    return pagina.render()


# ----------------------------------------------------------------------------------------------------------
# Acuse de registro en padrón de la STPS
# ----------------------------------------------------------------------------------------------------------
@login_required
@require_GET
def acuse_ver(request: HttpRequest, code) -> FileResponse:
    """"Ver archivo" (shown in the browser) and "Descargar" (``?descargar=1``, saved as a file): streamed to its
    contratista or IMSS staff only; anyone else gets 404."""
    acuse = services.acuse_stps_visible(usuario=request.user, code=code)
    if acuse is None:
        raise Http404
    respuesta = FileResponse(
        acuse.archivo.open("rb"),
        content_type="application/pdf",
        filename=acuse.nombre,
        as_attachment="descargar" in request.GET,
    )
    respuesta["X-Content-Type-Options"] = "nosniff"
    return respuesta


@solo_contratista
@require_http_methods(["GET", "POST"])
def acuse_eliminar(request: HttpRequest) -> HttpResponse:
    vigente = services.acuse_stps_vigente(contratista=request.contratista)
    if vigente is None:
        raise Http404
    if request.method != "POST":
        return render(request, "contratistas/acuse_eliminar.html", {"acuse": vigente})
    services.acuse_stps_eliminar(contratista=request.contratista, usuario=request.user)
    messages.success(request, MENSAJE_ACUSE_ELIMINADO)
    return redirect("contratistas:datos")


# ----------------------------------------------------------------------------------------------------------
# SEPOMEX lookups for the selects (htmx)
# ----------------------------------------------------------------------------------------------------------
def _parametro(request: HttpRequest, sufijo: str) -> str:
    return next((v for k, v in request.GET.items() if k.endswith(sufijo)), "").strip()


def _opciones(request: HttpRequest, opciones: list[tuple[str, str]]) -> HttpResponse:
    return render(request, "contratistas/fragment_opciones.html", {"opciones": opciones})


@solo_contratista
@require_GET
def municipios(request: HttpRequest) -> HttpResponse:
    estado = _parametro(request, "estado")
    qs = Municipio.objects.filter(estado_id=estado) if estado.isdigit() else Municipio.objects.none()
    return _opciones(request, [(str(m.pk), m.nombre) for m in qs])


@solo_contratista
@require_GET
def codigos_postales(request: HttpRequest) -> HttpResponse:
    municipio = _parametro(request, "municipio")
    qs = CodigoPostal.objects.filter(municipio_id=municipio) if municipio.isdigit() else CodigoPostal.objects.none()
    return _opciones(request, [(c, c) for c in qs.values_list("codigo", flat=True)])


@solo_contratista
@require_GET
def colonias(request: HttpRequest) -> HttpResponse:
    # Typed ("¿Conoces tu Código Postal?" Sí: ``social-codigo_postal``) or picked from the municipio's list (No:
    # ``social-codigo_postal_lista``); htmx sends only the field that changed.
    cp = (_parametro(request, "codigo_postal") or _parametro(request, "codigo_postal_lista"))[:5]
    return _opciones(request, [(str(a.pk), a.nombre) for a in colonias_de(cp)])
