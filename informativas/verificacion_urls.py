"""The public verification of an acuse (/verificar-acuse/?folio=...), where the acuse's QR points."""

from __future__ import annotations

from django.urls import path

from .presentacion import views as presentacion_views

app_name = "verificacion"

urlpatterns = [
    path("", presentacion_views.verificar_acuse, name="acuse"),
]
