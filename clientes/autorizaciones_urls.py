"""/autorizaciones/: the contratista's authorisations of its contratantes and their accesses."""

from __future__ import annotations

from django.urls import path

from . import autorizaciones

app_name = "autorizaciones"

urlpatterns = [
    path("", autorizaciones.lista, name="lista"),
    path("accesos/", autorizaciones.accesos, name="accesos"),
    path("<uuid:code>/revocar/", autorizaciones.revocar, name="revocar"),
]
