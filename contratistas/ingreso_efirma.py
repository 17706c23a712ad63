"""The contratista's e.firma login (/acceso/efirma/) and the welcome step after the términos y condiciones.

The private key and its password live only in this request's memory: uploads are kept in memory (never a
temporary file), the password and every local of the functions that hold either are hidden from error
reports, and nothing of either reaches the session, the database or the logs.
"""

from __future__ import annotations

from django import forms
from django.contrib.auth import authenticate, login
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.debug import sensitive_post_parameters, sensitive_variables
from django.views.decorators.http import require_POST

from accounts.services import terminos_pendientes
from core.throttle import direccion_cliente
from core.uploads import MemoryOnlyUploadHandler
from firma import sat
from firma.services import (
    efirma_nonce,
    efirma_nonce_renovar,
    efirma_validar,
)

from .freno_efirma import efirma_intentar

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
        for campo, vacio in (("certificado", sat.MENSAJE_CER_VACIO), ("llave", sat.MENSAJE_KEY_VACIA)):
            self.fields[campo].error_messages["required"] = f"Selecciona el archivo: {self.fields[campo].label}."
            self.fields[campo].error_messages["empty"] = vacio
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


@sensitive_variables()
def _validar(request: HttpRequest, form: EfirmaForm) -> tuple[sat.EfirmaValidada | None, str | None]:
    """Validates the e.firma under the throttle, signing this session's challenge; returns (validated e.firma,
    error message)."""
    if not form.is_valid():
        return None, None
    datos = form.cleaned_data
    try:
        validada = efirma_intentar(
            rfc=datos["rfc"],
            ip=direccion_cliente(meta=request.META),
            intento=lambda: efirma_validar(
                cer=datos["certificado"].read(),
                key=datos["llave"].read(),
                password=datos["contrasena"],
                rfc=datos["rfc"],
                nonce=efirma_nonce(sesion=request.session),
            ),
        )
    except sat.EfirmaError as error:
        return None, error.message
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
@sensitive_variables()
def efirma(request: HttpRequest) -> HttpResponse:
    """"Ingresar": validates and logs in in one submit (so it works without JavaScript). The backend checks
    the signature against the challenge kept in the session and consumes it; a new one follows every
    attempt."""
    if request.method != "POST":
        efirma_nonce_renovar(sesion=request.session)
        return render(request, "acceso/efirma.html", {"form": EfirmaForm()})
    form = _formulario(request)
    validada, error = _validar(request, form)
    usuario = authenticate(request, efirma=validada) if validada else None
    if usuario is not None:
        login(request, usuario, backend="contratistas.backends.EfirmaBackend")
    efirma_nonce_renovar(sesion=request.session)
    if usuario is None:
        error = error or (sat.MENSAJES["firma_invalida"] if validada else None)
        return render(request, "acceso/efirma.html", {"form": form, "error": error})
    if terminos_pendientes(usuario=usuario):
        return redirect("accounts:terminos")
    return redirect("contratistas_acceso:bienvenida")


@require_POST
@_solo_en_memoria
@sensitive_variables()
def efirma_validar_vista(request: HttpRequest) -> HttpResponse:
    """"Validar": checks the e.firma without logging in. htmx swaps the result in place (the file inputs keep
    their files); without JavaScript the whole page comes back with the result."""
    form = _formulario(request)
    validada, error = _validar(request, form)
    efirma_nonce_renovar(sesion=request.session)
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
