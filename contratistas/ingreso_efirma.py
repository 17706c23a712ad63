"""The contratista's e.firma login (/acceso/efirma/) and the welcome step after the términos y condiciones.

The e.firma is used in the browser (docs/firma-en-navegador.md): static/js/efirma.js reads the .cer and the
.key, decrypts the key with its password and checks it against the certificate, all locally. "Validar" posts
the RFC and the certificate; the server runs every certificate check and answers with a one-time challenge
(``firma.retos``). "Ingresar" posts the RFC, the certificate, the challenge's id and its signature. No view
reads a key or a password: the inputs of both have no name, so a browser never sends them, and a request
carrying files is refused before its body is read.
"""

from __future__ import annotations

import base64
import binascii

from django import forms
from django.contrib.auth import authenticate, login
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from accounts.services import terminos_pendientes
from core.throttle import direccion_cliente
from firma import retos, sat
from firma.services import efirma_firma_verificar, efirma_reto_acceso

from .freno_efirma import efirma_intentar

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


@require_POST
def efirma_validar_vista(request: HttpRequest) -> HttpResponse:
    """ "Validar" (fetched by static/js/efirma.js): every certificate check under the throttle, then a one-time
    challenge for this session and certificate. Answers JSON (``respuesta_validar``)."""
    if trae_archivos(request):
        return JsonResponse({"error": MENSAJE_SIN_ARCHIVOS, "campos": {}}, status=400)
    form = CertificadoForm(request.POST)
    if not form.is_valid():
        return respuesta_validar(form, reto=None, error=None)
    datos = form.cleaned_data
    try:
        reto = efirma_intentar(
            rfc=datos["rfc"],
            ip=direccion_cliente(meta=request.META),
            intento=lambda: efirma_reto_acceso(
                sesion=request.session, cer=datos["certificado"], rfc=datos["rfc"]
            ),
        )
    except sat.EfirmaError as fallo:
        return respuesta_validar(form, reto=None, error=fallo.message)
    return respuesta_validar(form, reto=reto, error=None)


def efirma(request: HttpRequest) -> HttpResponse:
    """ "Ingresar": the challenge signed in the browser. Every certificate check runs again, the challenge is
    consumed (one signature logs in once) and its signature verified with the certificate."""
    if request.method != "POST":
        return render(request, "acceso/efirma.html", contexto_efirma(CertificadoForm()))
    if trae_archivos(request):
        contexto = contexto_efirma(CertificadoForm(), error=MENSAJE_SIN_ARCHIVOS)
        return render(request, "acceso/efirma.html", contexto, status=400)
    form = FirmaForm(request.POST)
    if not form.is_valid():
        return render(request, "acceso/efirma.html", contexto_efirma(form, error=error_de_formulario(form)))
    datos = form.cleaned_data
    try:
        verificada = efirma_intentar(
            rfc=datos["rfc"],
            ip=direccion_cliente(meta=request.META),
            intento=lambda: efirma_firma_verificar(
                sesion=request.session,
                cer=datos["certificado"],
                rfc=datos["rfc"],
                reto_id=datos["reto"],
                firma=datos["firma"],
                proposito=retos.ACCESO,
            ),
        )
    except sat.EfirmaError as fallo:
        return render(request, "acceso/efirma.html", contexto_efirma(form, error=fallo.message))
    usuario = authenticate(request, efirma=verificada)
    if usuario is None:
        return render(
            request, "acceso/efirma.html", contexto_efirma(form, error=sat.MENSAJES["firma_invalida"])
        )
    login(request, usuario, backend="contratistas.backends.EfirmaBackend")
    if terminos_pendientes(usuario=usuario):
        return redirect("accounts:terminos")
    return redirect("contratistas_acceso:bienvenida")


@login_required
def bienvenida(request: HttpRequest) -> HttpResponse:
    """After the términos: the guide's "Por favor ingresa tus datos generales." until they are complete."""
    contratista = getattr(request.user, "contratista", None) if request.user.es_contratista else None
    if contratista is None or contratista.datos_generales_completos:
        return redirect("core:inicio")
    return render(request, "acceso/bienvenida.html")
