"""The public verification of an acuse (/verificar-acuse/?folio=...), where the acuse's QR points."""

from __future__ import annotations

from django.urls import path

from .expediente.verificacion import constancia_buscar
from .presentacion import views as presentacion_views

app_name = "verificacion"

urlpatterns = [
    # It recognises a contratante's constancia and its Excel too (issue 25): the expediente's finder.
    path("", presentacion_views.verificar_acuse, {"constancias": constancia_buscar}, name="acuse"),
]
