"""/expediente/<token>/: the public page behind a link given to a contratante (no login)."""

from __future__ import annotations

from django.urls import path

from . import views

app_name = "enlace"

urlpatterns = [
    path("<str:token>/", views.expediente, name="expediente"),
    path("<str:token>/<str:formato>/", views.descargar, name="descargar"),
]
