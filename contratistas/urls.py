from __future__ import annotations

from django.urls import path

from . import views

app_name = "contratistas"

urlpatterns = [
    path("", views.datos, name="datos"),
    path("recordatorios/", views.recordatorios, name="recordatorios"),
    path("domicilio/ubicar/", views.domicilio_ubicar, name="domicilio_ubicar"),
    path("domicilio/aceptar/", views.domicilio_aceptar, name="domicilio_aceptar"),
    path("domicilio/modificar/", views.domicilio_modificar, name="domicilio_modificar"),
    path("acuse-stps/eliminar/", views.acuse_eliminar, name="acuse_eliminar"),
    path("acuse-stps/<uuid:code>/", views.acuse_ver, name="acuse_ver"),
    path("catalogo/municipios/", views.municipios, name="municipios"),
    path("catalogo/codigos-postales/", views.codigos_postales, name="codigos_postales"),
    path("catalogo/colonias/", views.colonias, name="colonias"),
]
