from __future__ import annotations

from django.urls import path

from core.views import seccion_no_disponible

app_name = "informativas"

urlpatterns = [
    path("", seccion_no_disponible("Capturar informativa"), name="bandeja"),
    path("firma/", seccion_no_disponible("Firma y presentación"), name="firma"),
    path("acuses/", seccion_no_disponible("Acuses de presentación"), name="acuses"),
    path("modificar/", seccion_no_disponible("Modificar presentación"), name="modificar"),
    path("consulta/", seccion_no_disponible("Consulta de informativas"), name="consulta"),
]
