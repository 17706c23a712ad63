from __future__ import annotations

from django.conf import settings
from django.urls import path

from . import sesion, views

app_name = "core"

urlpatterns = [
    path("", views.landing, name="landing"),
    path("inicio/", views.inicio, name="inicio"),
    path("salud/", views.salud, name="salud"),
    path("favicon.ico", views.favicon, name="favicon"),
    path("sesion/seguir/", sesion.seguir, name="sesion_seguir"),
    path("dev/correo/", views.dev_correo_lista, name="dev_correo"),
    path("dev/correo/<uuid:code>/", views.dev_correo_detalle, name="dev_correo_detalle"),
    # Where the admin links a stored file (MEDIA_URL): staff who may view the record holding it download it
    path(settings.MEDIA_URL.strip("/") + "/<path:nombre>", views.archivo_para_staff, name="archivo_staff"),
]
