from __future__ import annotations

from django.urls import path

from core.views import seccion_no_disponible

app_name = "capturistas"

urlpatterns = [
    path("alta/", seccion_no_disponible("Alta de usuarios"), name="alta"),
    path("", seccion_no_disponible("Consulta"), name="consulta"),
    path("exportar/", seccion_no_disponible("Exportar excel"), name="exportar"),
    path("seleccionar/", seccion_no_disponible("Seleccionar contratista"), name="seleccionar"),
]
