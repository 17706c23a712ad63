from __future__ import annotations

from django.urls import path

from core.views import seccion_no_disponible

app_name = "capturistas"

urlpatterns = [
    path("seleccionar/", seccion_no_disponible("Seleccionar contratista"), name="seleccionar"),
]
