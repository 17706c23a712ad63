"""The public verification of an acuse (/verificar-acuse/?folio=...), where the acuse's QR points."""

from __future__ import annotations

from django.urls import path

from . import views_presentacion

app_name = "verificacion"

urlpatterns = [
    path("", views_presentacion.verificar_acuse, name="acuse"),
]
