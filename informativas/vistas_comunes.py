"""What the views of every capability of an informativa share (captura, the carga masiva, Importar nómina,
Contratos en bloque, the two-phase upload): the contract looked up for the current contratista, the guard of the
capture pages, a service's refusal shown on its form, the page size and the URL of a wizard step; and the tables
of one contratante's contratos and trabajadores its client reads (its own view, the page behind a link).

It sits below the capabilities (pyproject.toml's informativas layers), so it imports none of them."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.cache import caches
from django.core.exceptions import ValidationError
from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe

from capturistas.access import SolicitudContratista
from core.paginacion import numero_de_pagina

from .comun import MENSAJE_NO_EDITABLE
from .models import Contrato, Informativa
from .selectors import tablas_del_contratante

POR_PAGINA = 50


def contrato_o_404(request: SolicitudContratista, code, contrato_code) -> Contrato:
    """The contract ``contrato_code`` of the informativa ``code``; 404 when it is another contratista's."""
    return get_object_or_404(
        Contrato.objects.select_related("informativa__contratista"),
        code=contrato_code,
        informativa__code=code,
        informativa__contratista_id=request.contratista.pk,
    )


def solo_en_captura(request: HttpRequest, informativa: Informativa) -> HttpResponse | None:
    """Capture pages of an informativa that is no longer a draft send the user to its read-only view."""
    if informativa.editable:
        return None
    messages.info(request, MENSAJE_NO_EDITABLE[informativa.estatus])
    return redirect("informativas:detalle", code=informativa.code)


def errores_al_formulario(form: Form, error: ValidationError) -> None:
    """A service's ValidationError shown on the form that sent the data (field errors where they belong)."""
    if hasattr(error, "error_dict"):
        for campo, errores in error.error_dict.items():
            for e in errores:
                form.add_error(campo if campo in form.fields else None, e.messages[0] if e.messages else e)
    else:
        for mensaje in error.messages:
            form.add_error(None, mensaje)


def paso_url(informativa: Informativa, paso: str, contrato: Contrato | None = None) -> str:
    """The capture wizard's step ``paso`` (its identifier), of ``contrato`` when the step belongs to one."""
    if contrato is not None:
        return reverse("informativas:paso_contrato", args=[informativa.code, contrato.code, paso])
    return reverse("informativas:paso", args=[informativa.code, paso])


# How often a page waiting for an expediente the worker builds asks again (seconds).
PREPARANDO_CADA = 5


def expediente_preparando(request: HttpRequest, preparacion: Any, *, volver: str) -> HttpResponse:
    """202 and a page that asks again every few seconds (a plain meta refresh: no JavaScript needed) while the
    worker builds an expediente too large for a web request (expediente.services.EnPreparacion); once stored,
    the same URL answers the file and the download starts. 503 and a page that says so when its build failed."""
    contexto = {"preparacion": preparacion, "volver": volver, "cada": PREPARANDO_CADA}
    status = 503 if preparacion.fallo else 202
    respuesta = render(request, "informativas/expediente/preparando.html", contexto, status=status)
    respuesta["Cache-Control"] = "private, no-store"
    if preparacion.fallo:
        respuesta["Retry-After"] = str(preparacion.reintentar_en)
    return respuesta


def tablas_del_contratante_html(*, informativa: Informativa, rfc: str, pagina: Any) -> SafeString:
    """The contratos of contratante ``rfc`` in a presented ``informativa`` and page ``pagina`` of their
    trabajadores, rendered by templates/informativas/fragment_contratante_contratos.html: the one layout the
    client meets in its own view (clientes) and behind a link (enlaces). What a presented filing holds never
    changes, so each page is rendered once per process and kept (the ``plantillas`` cache, in memory): rendering
    50 rows was most of the link page's CPU (bench/bench_enlace.py). Only pages that exist are kept; one past
    the end shows the last page, unkept."""
    numero = numero_de_pagina(pagina)
    clave = f"tablas-contratante:{informativa.code}:{rfc}:{numero}"
    html = caches["plantillas"].get(clave)
    if html is not None:
        return mark_safe(html)  # rendered below by render_to_string, autoescaped
    tablas = tablas_del_contratante(informativa=informativa, rfc=rfc, pagina=numero)
    html = render_to_string("informativas/fragment_contratante_contratos.html", {"tablas": tablas})
    if tablas.trabajadores.number == numero:
        caches["plantillas"].set(clave, html)
    return html
