from __future__ import annotations

from django.contrib import admin
from django.urls import include, path

admin.site.site_header = "ICSOE · Administración IMSS"
admin.site.site_title = "ICSOE"
admin.site.index_title = "Administración del portal ICSOE"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("acceso/efirma/", include("contratistas.ingreso_efirma_urls")),
    path("acceso/", include("accounts.urls")),
    path("cuenta/", include("accounts.cuenta_urls")),  # allauth, reduced to what the portal uses
    path("contratista/", include("contratistas.urls")),
    path("usuarios/", include("capturistas.urls")),
    path("informativas/", include("informativas.urls")),
    path("verificar-acuse/", include("informativas.verificacion_urls")),
    path("", include("core.urls")),
]

handler403 = "core.views.acceso_denegado"
