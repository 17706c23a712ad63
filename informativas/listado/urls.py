"""/listado-publico/: the public page of the listado público and each month's file."""

from __future__ import annotations

from django.urls import path

from . import views

app_name = "listado"

urlpatterns = [
    path("", views.listado_publico, name="publico"),
    path("<str:mes>.xlsx", views.listado_descargar, name="descargar"),
]
