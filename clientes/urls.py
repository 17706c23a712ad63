"""/contratante/: the contratante's door and its own pages."""

from __future__ import annotations

from django.urls import path

from contratistas.ingreso_efirma import efirma_validar_vista

from . import ingreso, views

app_name = "clientes"

urlpatterns = [
    path("", views.inicio, name="inicio"),
    path("entrar/", ingreso.entrar, name="entrar"),
    # "Validar" is the contratista login's own: every certificate check under the throttle, a one-time reto.
    path("entrar/validar/", efirma_validar_vista, name="entrar_validar"),
    path("como-entrar/", ingreso.como_entrar, name="como_entrar"),
    path("informativas/<uuid:code>/", views.informativa, name="informativa"),
    path("informativas/<uuid:code>/expediente/<str:formato>/", views.expediente, name="expediente"),
]
