"""The contratista's e.firma login (/acceso/efirma/) and the welcome step after the términos y condiciones.

The e.firma is used in the browser (docs/firma-en-navegador.md): static/js/efirma.js reads the .cer and the
.key, decrypts the key with its password and checks it against the certificate, all locally. "Validar" posts
the RFC and the certificate; the server runs every certificate check and answers with a one-time challenge
(``firma.retos``). "Ingresar" posts the RFC, the certificate, the challenge's id and its signature. No view
reads a key or a password: the inputs of both have no name, so a browser never sends them, and a request
carrying files is refused before its body is read.
"""

from __future__ import annotations

from django.contrib.auth import authenticate, login
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from accounts.services import terminos_pendientes
from core.throttle import direccion_cliente
from firma import retos, sat
from firma.services import efirma_reto_acceso

from .efirma_web import (
    CertificadoForm,
    contexto_efirma,
    recibir_firma,
    validar_certificado,
    verificar_acceso,
)


@require_POST
def efirma_validar_vista(request: HttpRequest) -> HttpResponse:
    """ "Validar" (fetched by static/js/efirma.js): every certificate check under the throttle, then a one-time
    challenge for this session and certificate. Answers JSON (``efirma_web.validar_certificado``)."""
    return validar_certificado(
        request,
        preparar=lambda datos: efirma_reto_acceso(
            sesion=request.session,
            cer=datos["certificado"],
            rfc=datos["rfc"],
            direccion=direccion_cliente(meta=request.META),
        ),
    )


def efirma(request: HttpRequest) -> HttpResponse:
    """ "Ingresar": the challenge signed in the browser. Every certificate check runs again, the challenge is
    consumed (one signature logs in once) and its signature verified with the certificate."""
    if request.method != "POST":
        return render(request, "acceso/efirma.html", contexto_efirma(CertificadoForm()))

    def entrar(verificada: retos.FirmaVerificada) -> HttpResponse:
        usuario = authenticate(request, efirma=verificada)
        if usuario is None:
            raise sat.EfirmaError("firma_invalida")
        login(request, usuario, backend="contratistas.backends.EfirmaBackend")
        if terminos_pendientes(usuario=usuario):
            return redirect("accounts:terminos")
        return redirect("contratistas_acceso:bienvenida")

    return recibir_firma(
        request,
        plantilla="acceso/efirma.html",
        contexto=contexto_efirma,
        verificar=verificar_acceso(request),
        hecho=entrar,
    )


@login_required
def bienvenida(request: HttpRequest) -> HttpResponse:
    """After the términos: the guide's "Por favor ingresa tus datos generales." until they are complete."""
    contratista = getattr(request.user, "contratista", None) if request.user.es_contratista else None
    if contratista is None or contratista.datos_generales_completos:
        return redirect("core:inicio")
    return render(request, "acceso/bienvenida.html")
