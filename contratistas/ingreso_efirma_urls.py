from __future__ import annotations

from django.urls import path

from . import ingreso_efirma as acceso

app_name = "contratistas_acceso"

urlpatterns = [
    path("", acceso.efirma, name="efirma"),
    path("validar/", acceso.efirma_validar_vista, name="efirma_validar"),
    path("bienvenida/", acceso.bienvenida, name="bienvenida"),
]
