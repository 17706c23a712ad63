"""The e.firma web form that the login (/acceso/efirma/) and Firmar both use.

The e.firma is used in the browser (docs/firma-en-navegador.md): static/js/efirma.js reads the .cer and the
.key, decrypts the key and signs locally. These forms receive only the RFC, the certificate, the reto's id and
the signature; the answer of "Validar" is JSON with what the page must sign, or the Spanish error.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Callable
from typing import Any, TypeVar

from django import forms
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

from core.throttle import direccion_cliente
from firma import retos, sat
from firma.services import efirma_firma_verificar

from .freno_efirma import efirma_intentar

T = TypeVar("T")

LIMITE_ARCHIVO = 64 * 1024
MENSAJE_EXITO = "La validación de la FIEL fue exitosa."
MENSAJE_SIN_JAVASCRIPT = (
    "Tu e.firma se usa sólo en tu navegador: la llave privada y su contraseña nunca salen de tu equipo. "
    "Para usarla activa JavaScript en tu navegador y vuelve a cargar la página."
)
MENSAJE_SIN_ARCHIVOS = (
    "El portal no recibe archivos de e.firma: tu llave privada y su contraseña se usan sólo en tu navegador. "
    "Vuelve a cargar la página e inténtalo de nuevo."
)


def mensajes_navegador() -> dict[str, str]:
    """The Spanish messages static/js/efirma.js shows for what it checks locally: the same texts the server
    used when it checked the key, so nothing changes for the user."""
    return {
        "cer_requerido": "Selecciona el archivo: Certificado.",
        "key_requerida": "Selecciona el archivo: Llave privada.",
        "contrasena_requerida": "Captura la contraseña de la llave privada.",
        "cer_vacio": sat.MENSAJE_CER_VACIO,
        "key_vacia": sat.MENSAJE_KEY_VACIA,
        "cer_grande": sat.MENSAJE_CER_GRANDE,
        "key_grande": sat.MENSAJE_KEY_GRANDE,
        "cer_ilegible": sat.MENSAJES["certificado_ilegible"],
        "key_ilegible": sat.MENSAJES["llave_ilegible"],
        "key_formato": sat.MENSAJE_LLAVE_FORMATO,
        "key_sin_contrasena": sat.MENSAJE_LLAVE_SIN_CONTRASENA,
        "contrasena_incorrecta": sat.MENSAJES["contrasena_incorrecta"],
        "llave_no_corresponde": sat.MENSAJES["llave_no_corresponde"],
        "error_red": "No fue posible comunicarse con el portal. Revisa tu conexión e inténtalo de nuevo.",
        "revisa": "Revisa los campos marcados.",
    }


def contexto_efirma(form: forms.Form, **extra) -> dict:
    return {
        "form": form,
        "mensajes_efirma": mensajes_navegador(),
        "sin_javascript": MENSAJE_SIN_JAVASCRIPT,
        **extra,
    }


class CertificadoForm(forms.Form):
    """ "Validar": the RFC typed and the certificate the page read (base64 of the .cer's bytes)."""

    rfc = forms.CharField(label="RFC", max_length=13, min_length=12)
    certificado = forms.CharField(widget=forms.HiddenInput, max_length=LIMITE_ARCHIVO * 2, strip=True)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["rfc"].widget.attrs.update({"autocomplete": "off", "autocapitalize": "characters"})
        self.fields["rfc"].error_messages.update(
            {
                "required": "Captura el RFC.",
                "min_length": "El RFC debe tener 12 (persona moral) o 13 (persona física) caracteres.",
                "max_length": "El RFC debe tener 12 (persona moral) o 13 (persona física) caracteres.",
            }
        )
        self.fields["certificado"].error_messages.update(
            {"required": "Selecciona el archivo: Certificado.", "max_length": sat.MENSAJE_CER_GRANDE}
        )

    def clean_rfc(self) -> str:
        return self.cleaned_data["rfc"].strip().upper()

    def clean_certificado(self) -> bytes:
        try:
            datos = base64.b64decode(self.cleaned_data["certificado"], validate=True)
        except (binascii.Error, ValueError) as error:
            raise forms.ValidationError(sat.MENSAJES["certificado_ilegible"]) from error
        if len(datos) > LIMITE_ARCHIVO:
            raise forms.ValidationError(sat.MENSAJE_CER_GRANDE)
        return datos


class FirmaForm(CertificadoForm):
    """ "Ingresar" / "Firmar": the certificate again, the reto's id and the signature (base64) the page made."""

    reto = forms.CharField(widget=forms.HiddenInput, max_length=64)
    firma = forms.CharField(widget=forms.HiddenInput, max_length=2048)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for campo in ("reto", "firma"):
            self.fields[campo].error_messages["required"] = MENSAJE_SIN_JAVASCRIPT

    def clean_firma(self) -> bytes:
        try:
            return base64.b64decode(self.cleaned_data["firma"], validate=True)
        except (binascii.Error, ValueError) as error:
            raise forms.ValidationError(sat.MENSAJES["firma_invalida"]) from error


def trae_archivos(request: HttpRequest) -> bool:
    """True for a multipart request: the e.firma pages never send files, so one that does is refused before
    Django parses (and buffers) its body."""
    return request.content_type == "multipart/form-data"


def error_de_formulario(form: forms.Form) -> str:
    """One message for the page: the first non-field problem, else the generic one (fields show their own)."""
    for campo in ("reto", "firma", "certificado"):
        if campo in form.errors:
            return form.errors[campo][0]
    return mensajes_navegador()["revisa"]


def respuesta_validar(
    form: forms.Form, *, reto: retos.RetoEfirma | None, error: str | None, **extra
) -> JsonResponse:
    """The JSON answer of every "Validar": what to sign, or the Spanish error (and the field errors)."""
    if reto is None:
        campos = {nombre: list(errores) for nombre, errores in form.errors.items() if nombre == "rfc"}
        return JsonResponse({"error": error or error_de_formulario(form), "campos": campos})
    return JsonResponse({"reto": str(reto.id), "mensaje": reto.mensaje, "exito": MENSAJE_EXITO, **extra})


def validar_certificado(
    request: HttpRequest, *, preparar: Callable[[dict[str, Any]], retos.RetoEfirma], **extra: Any
) -> JsonResponse:
    """Every "Validar" (login and Firmar): refuse files, check the form, run ``preparar`` (the certificate
    checks and what to sign) under the per-address throttle, and answer the page in JSON. A ``preparar`` may
    refuse with the e.firma's own error or with a rule of the informativa (ValidationError). ``extra`` maps
    names of the answer to functions of the reto (Firmar adds the cadena original it shows)."""
    if trae_archivos(request):
        return JsonResponse({"error": MENSAJE_SIN_ARCHIVOS, "campos": {}}, status=400)
    form = CertificadoForm(request.POST)
    if not form.is_valid():
        return respuesta_validar(form, reto=None, error=None)
    datos = form.cleaned_data
    try:
        reto = efirma_intentar(
            rfc=datos["rfc"], ip=direccion_cliente(meta=request.META), intento=lambda: preparar(datos)
        )
    except sat.EfirmaError as fallo:
        return respuesta_validar(form, reto=None, error=fallo.mensaje)
    except ValidationError as rechazo:
        return respuesta_validar(form, reto=None, error=" ".join(rechazo.messages))
    return respuesta_validar(form, reto=reto, error=None, **{nombre: f(reto) for nombre, f in extra.items()})


def verificar_acceso(request: HttpRequest) -> Callable[[dict[str, Any]], retos.FirmaVerificada]:
    """``recibir_firma``'s check for a login by e.firma (the contratista's door and the contratante's): the
    certificate, this session's login challenge consumed, its signature verified."""

    def verificar(datos: dict[str, Any]) -> retos.FirmaVerificada:
        return efirma_firma_verificar(
            sesion=request.session,
            cer=datos["certificado"],
            rfc=datos["rfc"],
            reto_id=datos["reto"],
            firma=datos["firma"],
            proposito=retos.ACCESO,
        )

    return verificar


def recibir_firma(
    request: HttpRequest,
    *,
    plantilla: str,
    contexto: Callable[..., dict],
    verificar: Callable[[dict[str, Any]], T],
    hecho: Callable[[T], HttpResponse],
) -> HttpResponse:
    """Every e.firma submit (the login's "Ingresar", Firmar's "Firmar"): refuse files, check the form (the
    certificate, the reto's id and the signature), run ``verificar`` (the certificate checks, the reto
    consumed, the signature verified, and whatever the door does with it) under the per-address throttle,
    then answer with ``hecho(result)``. A refusal, with the e.firma's own error or a rule's (ValidationError),
    is shown on ``plantilla`` with ``contexto(form, error=...)``. ``hecho`` may refuse with an EfirmaError
    too; it runs outside the throttle, so such a refusal does not count as a failed attempt."""
    if trae_archivos(request):
        return render(request, plantilla, contexto(CertificadoForm(), error=MENSAJE_SIN_ARCHIVOS), status=400)
    form = FirmaForm(request.POST)
    if not form.is_valid():
        return render(request, plantilla, contexto(form, error=error_de_formulario(form)))
    datos = form.cleaned_data
    try:
        resultado = efirma_intentar(
            rfc=datos["rfc"], ip=direccion_cliente(meta=request.META), intento=lambda: verificar(datos)
        )
        return hecho(resultado)
    except sat.EfirmaError as fallo:
        error = fallo.mensaje
    except ValidationError as rechazo:
        error = " ".join(rechazo.messages)
    return render(request, plantilla, contexto(form, error=error))
