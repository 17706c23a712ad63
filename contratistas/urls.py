from __future__ import annotations

from django.urls import path

from core.views import seccion_no_disponible

app_name = "contratistas"

urlpatterns = [
    path("", seccion_no_disponible("Información del contratista"), name="datos"),
]
