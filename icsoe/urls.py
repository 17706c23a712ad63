from __future__ import annotations

from django.contrib import admin
from django.urls import include, path

from core.views import seccion_no_disponible

admin.site.site_header = "ICSOE · Administración IMSS"
admin.site.site_title = "ICSOE"
admin.site.index_title = "Administración del portal ICSOE"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("acceso/", include("accounts.urls")),
    path("cuenta/", include("allauth.urls")),
    path("", include("core.urls")),
    path("capturista/", include("capturistas.urls")),
    # Sections whose issues have not landed yet answer "no disponible" instead of 404.
    path("contratista/", seccion_no_disponible("Información del contratista"), name="contratista_datos"),
    path("usuarios/alta/", seccion_no_disponible("Alta de usuarios"), name="usuarios_alta"),
    path("usuarios/", seccion_no_disponible("Consulta"), name="usuarios_consulta"),
    path("usuarios/exportar/", seccion_no_disponible("Exportar excel"), name="usuarios_exportar"),
    path("informativas/", seccion_no_disponible("Capturar informativa"), name="informativas_bandeja"),
    path("informativas/firma/", seccion_no_disponible("Firma y presentación"), name="informativas_firma"),
    path("informativas/acuses/", seccion_no_disponible("Acuses de presentación"), name="informativas_acuses"),
    path(
        "informativas/modificar/",
        seccion_no_disponible("Modificar presentación"),
        name="informativas_modificar",
    ),
    path("informativas/consulta/", seccion_no_disponible("Consulta de informativas"), name="informativas_consulta"),
]
