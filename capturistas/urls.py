from __future__ import annotations

from django.urls import path

from . import views

app_name = "capturistas"

urlpatterns = [
    # Administración: the contratista only
    path("", views.consulta, name="consulta"),
    path("alta/", views.alta, name="alta"),
    path("alta/validar/", views.validar, name="validar"),
    path("exportar/", views.exportar, name="exportar"),
    path("<uuid:code>/editar/", views.editar, name="editar"),
    path("<uuid:code>/enviar-email/", views.enviar_email, name="enviar_email"),
    path("<uuid:code>/baja/", views.baja, name="baja"),
    path("<uuid:code>/activar/", views.activar, name="activar"),
    # The capturista
    path("seleccionar/", views.seleccionar, name="seleccionar"),
    path("seleccionar/<uuid:code>/", views.seleccionar_confirmar, name="seleccionar_confirmar"),
    # Anyone holding a link, or who forgot the password
    path("contrasena/olvidada/", views.recuperar, name="recuperar"),
    path("contrasena/olvidada/enviada/", views.recuperar_enviado, name="recuperar_enviado"),
    path("contrasena/lista/", views.contrasena_lista, name="contrasena_lista"),
    path("contrasena/<str:token>/", views.contrasena, name="contrasena"),
]
