from __future__ import annotations

import tempfile

from django.contrib import messages
from django.contrib.auth import password_validation
from django.core.cache import cache
from django.core.paginator import Paginator
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from accounts.services import recuperacion_espera, recuperacion_registrar
from contratistas.permisos import solo_contratista
from core.throttle import direccion_cliente

from .access import (
    SolicitudContratista,
    SolicitudUsuario,
    con_siguiente,
    contratista_seleccionar,
    siguiente_local,
    solo_capturista,
)
from .forms import (
    AltaCapturistaForm,
    ContrasenaForm,
    EditarCapturistaForm,
    RecuperarContrasenaForm,
    SeleccionarContratistaForm,
    ValidarCurpForm,
)
from .models import Liga, Relacion
from .services import (
    CapturistaError,
    ContrasenaError,
    LigaError,
    capturista_activar,
    capturista_alta,
    capturista_baja,
    capturista_editar,
    capturista_reenviar_liga,
    capturistas_exportar_xlsx,
    contrasena_establecer,
    contrasena_solicitar_recuperacion,
    liga_verificar,
    nombre_exportacion,
    relacion_exigir_registrada,
    relaciones_activas,
    relaciones_de,
)

POR_PAGINA = 50
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MENSAJE_ALTA = "El usuario se guardó exitosamente"  # the guide drops the accent; we write it
MENSAJE_EDICION = "El usuario se actualizó exitosamente"
MENSAJE_BAJA = "Relación con el usuario en baja."
MENSAJE_ACTIVACION = "Se reactivó la relación con el usuario."
MENSAJE_ACTIVACION_LIGA = (
    "Se reactivó la relación con el usuario. Como aún no registra su contraseña, se le envió una nueva liga "
    "de activación a {correo}."
)
MENSAJE_ACTIVACION_SIN_LIGA = (
    "Se reactivó la relación con el usuario, pero aún no registra su contraseña y ya se enviaron muchos correos "
    "en poco tiempo: da clic en «Enviar email» más tarde para enviarle su liga de activación."
)
MENSAJE_DEMASIADOS = "Hiciste demasiadas solicitudes en poco tiempo. Espera unos minutos e intenta de nuevo."
# Every alta and every "Enviar email" sends an email: at most this many per contratista and per relation.
LIMITE_INVITACIONES_HORA = 100
LIMITE_REENVIOS_HORA = 5


def _dentro_del_limite(clave: str, maximo: int, segundos: int = 3600) -> bool:
    """Counts one use of ``clave`` in a fixed window (shared cache, so every web process sees it)."""
    clave = f"icsoe:limite:{clave}"
    cache.add(clave, 0, segundos)
    try:
        return cache.incr(clave) <= maximo
    except ValueError:  # expired between add and incr
        cache.set(clave, 1, segundos)
        return True


def _enviado(request: HttpRequest):
    """The submitted data on a POST (even an empty one), None on a GET: a bound form only when posted."""
    return request.POST if request.method == "POST" else None


def _relacion_para(request: SolicitudContratista, code) -> Relacion:
    """A relation of the current contratista; another contratista's answers 404."""
    return get_object_or_404(relaciones_de(contratista=request.contratista), code=code)


# ----------------------------------------------------------------------------------------------------------
# Administración (the contratista only)
# ----------------------------------------------------------------------------------------------------------
def _render_alta(request: HttpRequest, form, validacion=None, status: int = 200) -> HttpResponse:
    origen = validacion if validacion is not None else form
    contexto = {
        "form": form,
        "errores_curp": origen.errors.get("curp", []) if origen.is_bound else [],
        "persona": getattr(origen, "persona", None),
    }
    if validacion is not None and request.headers.get("HX-Request"):
        return render(request, "capturistas/fragment_datos_curp.html", contexto, status=status)
    return render(request, "capturistas/alta.html", contexto, status=status)


@solo_contratista
def alta(request: SolicitudContratista) -> HttpResponse:
    form = AltaCapturistaForm(_enviado(request))
    if request.method == "POST" and form.is_valid():
        datos = form.cleaned_data
        if not _dentro_del_limite(f"invitar:{request.contratista.pk}", LIMITE_INVITACIONES_HORA):
            form.add_error(None, MENSAJE_DEMASIADOS)
            return _render_alta(request, form, status=429)
        try:
            capturista_alta(
                contratista=request.contratista,
                curp=datos["curp"],
                telefono=datos["telefono"],
                correo=datos["correo"],
                usuario=request.user,
            )
        except CapturistaError as error:
            form.add_error(error.campo, error.mensaje)
        else:
            messages.success(request, MENSAJE_ALTA)
            return redirect("capturistas:consulta")
    return _render_alta(request, form)


@solo_contratista
@require_POST
def validar(request: SolicitudContratista) -> HttpResponse:
    """"Validar": shows whose the CURP is; the rest of what was typed is kept, unvalidated."""
    validacion = ValidarCurpForm(request.POST)
    validacion.is_valid()
    return _render_alta(request, AltaCapturistaForm(initial=request.POST.dict()), validacion)


@solo_contratista
def consulta(request: SolicitudContratista) -> HttpResponse:
    relaciones = relaciones_de(contratista=request.contratista).order_by("-created_at", "-pk")
    pagina = Paginator(relaciones, POR_PAGINA).get_page(request.GET.get("pagina"))
    return render(request, "capturistas/consulta.html", {"pagina": pagina, "Estatus": Relacion.Estatus})


@solo_contratista
def editar(request: SolicitudContratista, code) -> HttpResponse:
    relacion = _relacion_para(request, code)
    try:
        relacion_exigir_registrada(relacion=relacion)
    except CapturistaError as error:
        messages.error(request, error.mensaje)
        return redirect("capturistas:consulta")
    inicial = {"telefono": relacion.telefono, "correo": relacion.correo, "confirmar_correo": relacion.correo}
    form = EditarCapturistaForm(_enviado(request), initial=inicial)
    if request.method == "POST" and form.is_valid():
        try:
            capturista_editar(
                relacion=relacion,
                telefono=form.cleaned_data["telefono"],
                correo=form.cleaned_data["correo"],
                usuario=request.user,
            )
        except CapturistaError as error:
            messages.error(request, error.mensaje)
        else:
            messages.success(request, MENSAJE_EDICION)
        return redirect("capturistas:consulta")
    return render(request, "capturistas/editar.html", {"form": form, "relacion": relacion})


@solo_contratista
@require_POST
def enviar_email(request: SolicitudContratista, code) -> HttpResponse:
    relacion = _relacion_para(request, code)
    if not (
        _dentro_del_limite(f"reenviar:{relacion.code}", LIMITE_REENVIOS_HORA)
        and _dentro_del_limite(f"invitar:{request.contratista.pk}", LIMITE_INVITACIONES_HORA)
    ):
        messages.error(request, MENSAJE_DEMASIADOS)
        return redirect("capturistas:consulta")
    try:
        liga = capturista_reenviar_liga(relacion=relacion, usuario=request.user)
    except CapturistaError as error:
        messages.error(request, error.mensaje)
    else:
        messages.success(
            request,
            f"Se envió una nueva liga de activación a {liga.para}. Las ligas anteriores ya no son válidas.",
        )
    return redirect("capturistas:consulta")


def _confirmar(request: SolicitudContratista, code, *, accion, plantilla: str, exito: str) -> HttpResponse:
    relacion = _relacion_para(request, code)
    if request.method != "POST":
        return render(request, plantilla, {"relacion": relacion})
    try:
        accion(relacion=relacion, usuario=request.user)
    except CapturistaError as error:
        messages.error(request, error.mensaje)
    else:
        messages.success(request, exito)
    return redirect("capturistas:consulta")


@solo_contratista
def baja(request: SolicitudContratista, code) -> HttpResponse:
    return _confirmar(
        request, code, accion=capturista_baja, plantilla="capturistas/baja.html", exito=MENSAJE_BAJA
    )


@solo_contratista
def activar(request: SolicitudContratista, code) -> HttpResponse:
    relacion = _relacion_para(request, code)
    if request.method != "POST":
        return render(request, "capturistas/activar.html", {"relacion": relacion})
    enviar = relacion.capturista.has_usable_password() or (
        _dentro_del_limite(f"reenviar:{relacion.code}", LIMITE_REENVIOS_HORA)
        and _dentro_del_limite(f"invitar:{request.contratista.pk}", LIMITE_INVITACIONES_HORA)
    )
    try:
        liga = capturista_activar(relacion=relacion, usuario=request.user, enviar_liga=enviar)
    except CapturistaError as error:
        messages.error(request, error.mensaje)
        return redirect("capturistas:consulta")
    if liga is not None:
        messages.success(request, MENSAJE_ACTIVACION_LIGA.format(correo=liga.para))
    elif not enviar:
        messages.warning(request, MENSAJE_ACTIVACION_SIN_LIGA)
    else:
        messages.success(request, MENSAJE_ACTIVACION)
    return redirect("capturistas:consulta")


@solo_contratista
def exportar(request: SolicitudContratista) -> FileResponse:
    # A temporary file, not memory: the workbook of 10,000 capturistas never sits whole in the process.
    archivo = tempfile.TemporaryFile(suffix=".xlsx")
    capturistas_exportar_xlsx(contratista=request.contratista, archivo=archivo)
    archivo.seek(0)
    nombre = nombre_exportacion(contratista=request.contratista)
    return FileResponse(archivo, as_attachment=True, filename=nombre, content_type=XLSX)


# ----------------------------------------------------------------------------------------------------------
# Seleccionar Contratista (the capturista)
# ----------------------------------------------------------------------------------------------------------
@solo_capturista
def seleccionar(request: SolicitudUsuario) -> HttpResponse:
    relaciones = list(relaciones_activas(capturista=request.user))
    opciones = [(str(r.contratista.code), r.contratista.razon_social) for r in relaciones]
    form = SeleccionarContratistaForm(_enviado(request), opciones=opciones)
    # Where to return once confirmed (the page that asked for a contratista, a reminder's period): carried
    # through both steps, used only when it is a URL of this portal.
    siguiente = siguiente_local(request, request.POST.get("next") or request.GET.get("next"))
    if request.method == "POST" and form.is_valid():
        confirmar = reverse("capturistas:seleccionar_confirmar", args=[form.cleaned_data["contratista"]])
        return redirect(con_siguiente(confirmar, siguiente))
    contexto = {"form": form, "relaciones": relaciones, "siguiente": siguiente}
    return render(request, "capturistas/seleccionar.html", contexto)


@solo_capturista
def seleccionar_confirmar(request: SolicitudUsuario, code) -> HttpResponse:
    relacion = get_object_or_404(relaciones_activas(capturista=request.user), contratista__code=code)
    siguiente = siguiente_local(request, request.POST.get("next") or request.GET.get("next"))
    if request.method == "POST":
        contratista_seleccionar(request, relacion.contratista)
        return redirect(siguiente or "core:inicio")
    contexto = {"contratista": relacion.contratista, "siguiente": siguiente}
    return render(request, "capturistas/seleccionar_confirmar.html", contexto)


# ----------------------------------------------------------------------------------------------------------
# Password links and "¿Olvidaste tu contraseña?" (no session needed)
# ----------------------------------------------------------------------------------------------------------
def _liga_invalida(request: HttpRequest, error: LigaError) -> HttpResponse:
    return render(request, "capturistas/liga_invalida.html", {"mensaje": error.mensaje}, status=410)


@sensitive_post_parameters("contrasena", "confirmar_contrasena")
def contrasena(request: HttpRequest, token: str) -> HttpResponse:
    try:
        liga = liga_verificar(token=token)
    except LigaError as error:
        return _liga_invalida(request, error)
    form = ContrasenaForm(_enviado(request))
    if request.method == "POST" and form.is_valid():
        try:
            liga = contrasena_establecer(token=token, password=form.cleaned_data["contrasena"])
        except LigaError as error:
            return _liga_invalida(request, error)
        except ContrasenaError as error:
            form.add_error("contrasena", error.mensajes)
        else:
            hecho = "se registró" if liga.tipo == Liga.Tipo.ACTIVACION else "se actualizó"
            messages.success(request, f"La contraseña {hecho} correctamente. Ya puedes ingresar con tu CURP.")
            return redirect("capturistas:contrasena_lista")
    return render(
        request,
        "capturistas/contrasena.html",
        {"form": form, "liga": liga, "reglas": password_validation.password_validators_help_texts()},
    )


def contrasena_lista(request: HttpRequest) -> HttpResponse:
    return render(request, "capturistas/contrasena_lista.html")


def recuperar(request: HttpRequest) -> HttpResponse:
    form = RecuperarContrasenaForm(_enviado(request))
    if request.method == "POST" and form.is_valid():
        datos = form.cleaned_data
        origen = {"curp": datos["curp"], "correo": datos["correo"], "ip": direccion_cliente(meta=request.META)}
        if espera := recuperacion_espera(**origen):
            return render(request, "capturistas/recuperar.html", {"form": form, "error": espera}, status=429)
        recuperacion_registrar(**origen)
        contrasena_solicitar_recuperacion(curp=datos["curp"], correo=datos["correo"])
        return redirect("capturistas:recuperar_enviado")
    return render(request, "capturistas/recuperar.html", {"form": form})


def recuperar_enviado(request: HttpRequest) -> HttpResponse:
    return render(request, "capturistas/recuperar_enviado.html")
