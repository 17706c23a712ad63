"""The contratista's e.firma login (/acceso/efirma/) and the welcome step after the términos y condiciones.

The private key and its password live only in this request's memory: uploads are kept in memory (never a
temporary file), the password is hidden from error reports, and nothing of either reaches the session,
the database or the logs.
"""

from __future__ import annotations

import secrets
import time

from django import forms
from django.contrib.auth import authenticate, login
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.debug import sensitive_post_parameters, sensitive_variables
from django.views.decorators.http import require_POST

from accounts.services import efirma_bloqueo, efirma_registrar_exito, efirma_registrar_fallo, terminos_pendientes
from core.uploads import MemoryOnlyUploadHandler
from firma import sat
from firma.services import efirma_validar

NONCE_KEY = "efirma_nonce"
LIMITE_ARCHIVO = 64 * 1024
MENSAJE_EXITO = "La validación de la FIEL fue exitosa."


class EfirmaForm(forms.Form):
    rfc = forms.CharField(label="RFC", max_length=13, min_length=12)
    certificado = forms.FileField(label="Certificado", help_text="Archivo .cer")
    llave = forms.FileField(label="Llave privada", help_text="Archivo .key")
    contrasena = forms.CharField(
        label="Contraseña de la Llave privada", strip=False, widget=forms.PasswordInput(render_value=False)
    )

    def __init__(self, *args, demasiado_grandes: set[str] = frozenset(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.demasiado_grandes = demasiado_grandes
        self.fields["rfc"].widget.attrs.update({"autocomplete": "off", "autocapitalize": "characters"})
        self.fields["certificado"].widget.attrs["accept"] = ".cer"
        self.fields["llave"].widget.attrs["accept"] = ".key"
        for campo in ("certificado", "llave"):
            self.fields[campo].error_messages["required"] = f"Selecciona el archivo: {self.fields[campo].label}."
            self.fields[campo].error_messages["empty"] = "El archivo está vacío."
        self.fields["rfc"].error_messages.update(
            {
                "required": "Captura el RFC.",
                "min_length": "El RFC debe tener 12 (persona moral) o 13 (persona física) caracteres.",
                "max_length": "El RFC debe tener 12 (persona moral) o 13 (persona física) caracteres.",
            }
        )
        self.fields["contrasena"].error_messages["required"] = "Captura la contraseña de la llave privada."

    def clean_rfc(self) -> str:
        return self.cleaned_data["rfc"].strip().upper()

    def clean(self):
        for campo in self.demasiado_grandes:
            self.add_error(campo, "El archivo es demasiado grande para ser un archivo de e.firma.")
        return super().clean()


def _ip(request: HttpRequest) -> str | None:
    return request.META.get("REMOTE_ADDR")


def _nonce(request: HttpRequest, *, nuevo: bool = False) -> bytes:
    if nuevo or NONCE_KEY not in request.session:
        request.session[NONCE_KEY] = secrets.token_hex(32)
    return bytes.fromhex(request.session[NONCE_KEY])


@sensitive_variables("llave", "contrasena")
def _validar(request: HttpRequest, form: EfirmaForm) -> tuple[sat.EfirmaValidada | None, str | None]:
    """Validates the e.firma with the throttle around it; returns (validated e.firma, error message)."""
    if not form.is_valid():
        return None, None
    rfc, ip, ahora = form.cleaned_data["rfc"], _ip(request), time.time()
    bloqueo = efirma_bloqueo(rfc=rfc, ip=ip, ahora=ahora)
    if bloqueo:
        return None, bloqueo.mensaje
    try:
        validada = efirma_validar(
            cer=form.cleaned_data["certificado"].read(),
            key=form.cleaned_data["llave"].read(),
            password=form.cleaned_data["contrasena"],
            rfc=rfc,
            nonce=_nonce(request),
        )
    except sat.EfirmaError as error:
        efirma_registrar_fallo(rfc=rfc, ip=ip, ahora=ahora)
        return None, error.message
    efirma_registrar_exito(rfc=rfc)
    return validada, None


def _formulario(request: HttpRequest) -> EfirmaForm:
    handler = request.upload_handlers[0]
    return EfirmaForm(request.POST, request.FILES, demasiado_grandes=handler.demasiado_grande)


def _solo_en_memoria(view):
    """Swaps the upload handlers before anything reads the body (hence csrf_exempt outside, csrf_protect in)."""
    protegida = csrf_protect(view)

    @csrf_exempt
    @sensitive_post_parameters("contrasena")
    def wrapper(request: HttpRequest, *args, **kwargs):
        request.upload_handlers = [MemoryOnlyUploadHandler(request, limite=LIMITE_ARCHIVO)]
        return protegida(request, *args, **kwargs)

    return wrapper


@_solo_en_memoria
def efirma(request: HttpRequest) -> HttpResponse:
    """"Ingresar": validates and logs in in one submit (so it works without JavaScript)."""
    if request.method != "POST":
        _nonce(request, nuevo=True)
        return render(request, "acceso/efirma.html", {"form": EfirmaForm()})
    form = _formulario(request)
    validada, error = _validar(request, form)
    if validada is None:
        return render(request, "acceso/efirma.html", {"form": form, "error": error}, status=200)
    usuario = authenticate(request, efirma=validada, nonce=_nonce(request))
    if usuario is None:
        return render(request, "acceso/efirma.html", {"form": form, "error": sat.MENSAJES["firma_invalida"]})
    login(request, usuario, backend="contratistas.backends.EfirmaBackend")
    _nonce(request, nuevo=True)
    if terminos_pendientes(usuario=usuario):
        return redirect("accounts:terminos")
    return redirect("contratistas_acceso:bienvenida")


@require_POST
@_solo_en_memoria
def efirma_validar_vista(request: HttpRequest) -> HttpResponse:
    """"Validar": checks the e.firma without logging in. htmx swaps the result in place (the file inputs keep
    their files); without JavaScript the whole page comes back with the result."""
    form = _formulario(request)
    validada, error = _validar(request, form)
    contexto = {"form": form, "error": error, "exito": MENSAJE_EXITO if validada else None}
    if request.headers.get("HX-Request"):
        return render(request, "acceso/fragment_validacion.html", contexto)
    return render(request, "acceso/efirma.html", contexto)


@login_required
def bienvenida(request: HttpRequest) -> HttpResponse:
    """After the términos: the guide's "Por favor ingresa tus datos generales." until they are complete."""
    contratista = getattr(request.user, "contratista", None) if request.user.es_contratista else None
    if contratista is None or contratista.datos_generales_completos:
        return redirect("core:inicio")
    return render(request, "acceso/bienvenida.html")
