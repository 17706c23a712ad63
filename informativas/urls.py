from __future__ import annotations

from django.urls import path

from core.views import seccion_no_disponible

from . import views

app_name = "informativas"

informativa = "<uuid:code>/"
contrato = "<uuid:code>/contratos/<uuid:contrato_code>/"
carga = "<uuid:code>/cargas/<uuid:carga_code>/"

urlpatterns = [
    path("", views.bandeja, name="bandeja"),
    path("nueva/", views.nueva, name="nueva"),
    path("nueva/sin-informacion/", views.sin_informacion, name="sin_informacion"),
    path("consulta/", views.consulta, name="consulta"),
    path("colonias/", views.colonias, name="colonias"),
    path("plantilla-trabajadores.csv", views.plantilla, name="plantilla"),
    # The next issue (firma y presentación, acuses, complementarias)
    path("firma/", seccion_no_disponible("Firma y presentación"), name="firma"),
    path("acuses/", seccion_no_disponible("Acuses de presentación"), name="acuses"),
    path("modificar/", seccion_no_disponible("Modificar presentación"), name="modificar"),
    # One informativa
    path(informativa, views.detalle, name="detalle"),
    path(informativa + "eliminar/", views.eliminar, name="eliminar"),
    path(informativa + "sin-informacion/", views.sin_informacion_existente, name="sin_informacion_existente"),
    path(informativa + "enviar-a-firma/", views.enviar_a_firma, name="enviar_a_firma"),
    path(informativa + "regresar-a-captura/", views.regresar_a_captura, name="regresar_a_captura"),
    path(informativa + "contratante/validar/", views.contratante_validar, name="contratante_validar"),
    path(informativa + "captura/<str:paso>/", views.paso, name="paso"),
    # One contrato
    path(contrato, views.contrato_detalle, name="contrato_detalle"),
    path(contrato + "eliminar/", views.contrato_eliminar, name="contrato_eliminar"),
    path(contrato + "carga/", views.carga_subir, name="carga_subir"),
    path(
        contrato + "trabajadores/<uuid:trabajador_code>/editar/",
        views.trabajador_editar,
        name="trabajador_editar",
    ),
    path(
        contrato + "trabajadores/<uuid:trabajador_code>/eliminar/",
        views.trabajador_eliminar,
        name="trabajador_eliminar",
    ),
    path(contrato + "captura/<str:paso>/", views.paso_contrato, name="paso_contrato"),
    # One carga masiva
    path(carga, views.carga, name="carga"),
    path(carga + "progreso/", views.carga_progreso, name="carga_progreso"),
    path(carga + "confirmar/", views.carga_confirmar, name="carga_confirmar"),
    path(carga + "cancelar/", views.carga_cancelar, name="carga_cancelar"),
    path(carga + "deshacer/", views.carga_deshacer, name="carga_deshacer"),
    path(carga + "rechazados.xlsx", views.carga_rechazados, name="carga_rechazados"),
]
