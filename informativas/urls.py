from __future__ import annotations

from django.urls import path

from . import views, views_presentacion
from .bloque import views as bloque
from .contratantes import views as contratantes
from .nomina import views as nomina

app_name = "informativas"

informativa = "<uuid:code>/"
contrato = "<uuid:code>/contratos/<uuid:contrato_code>/"
carga = "<uuid:code>/cargas/<uuid:carga_code>/"
importacion = "<uuid:code>/nomina/<uuid:importacion_code>/"
carga_bloque = "<uuid:code>/contratos-en-bloque/<uuid:carga_code>/"

urlpatterns = [
    path("", views.bandeja, name="bandeja"),
    path("nueva/", views.nueva, name="nueva"),
    path("nueva/sin-informacion/", views.sin_informacion, name="sin_informacion"),
    path("consulta/", views.consulta, name="consulta"),
    path("colonias/", views.colonias, name="colonias"),
    path("plantilla-trabajadores.csv", views.plantilla, name="plantilla"),
    path("plantilla-contratos.xlsx", bloque.plantilla, name="bloque_plantilla"),
    # Catálogo de contratantes
    path("contratantes/", contratantes.lista, name="contratantes"),
    path("contratantes/<uuid:contratante_code>/editar/", contratantes.editar, name="contratante_editar"),
    path("contratantes/<uuid:contratante_code>/eliminar/", contratantes.eliminar, name="contratante_eliminar"),
    # Firma y presentación, acuses, Modificar presentación
    path("firma/", views_presentacion.firma, name="firma"),
    path("acuses/", views_presentacion.acuses_lista, name="acuses"),
    path("modificar/", views_presentacion.modificar, name="modificar"),
    # One informativa
    path(informativa, views.detalle, name="detalle"),
    path(informativa + "eliminar/", views.eliminar, name="eliminar"),
    path(informativa + "sin-informacion/", views.sin_informacion_existente, name="sin_informacion_existente"),
    path(informativa + "enviar-a-firma/", views.enviar_a_firma, name="enviar_a_firma"),
    path(informativa + "regresar-a-captura/", views.regresar_a_captura, name="regresar_a_captura"),
    path(informativa + "firmar/", views_presentacion.firmar, name="firmar"),
    path(informativa + "firmar/validar/", views_presentacion.firmar_validar, name="firmar_validar"),
    path(informativa + "firma-exitosa/", views_presentacion.firma_exitosa, name="firma_exitosa"),
    path(informativa + "acuse.pdf", views_presentacion.acuse_descargar, name="acuse_descargar"),
    path(informativa + "complementaria/", views_presentacion.complementaria, name="complementaria"),
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
    # Importar nómina (CFDI): the whole informativa, or one contrato
    path(informativa + "nomina/", nomina.subir, name="nomina_subir"),
    path(contrato + "nomina/", nomina.subir_contrato, name="nomina_subir_contrato"),
    path(importacion, nomina.importacion, name="nomina"),
    path(importacion + "asignar/", nomina.asignar, name="nomina_asignar"),
    path(importacion + "confirmar/", nomina.confirmar, name="nomina_confirmar"),
    path(importacion + "cancelar/", nomina.cancelar, name="nomina_cancelar"),
    path(importacion + "problemas.xlsx", nomina.problemas, name="nomina_problemas"),
    # Contratos en bloque
    path(informativa + "contratos-en-bloque/", bloque.subir, name="bloque_subir"),
    path(carga_bloque, bloque.carga, name="bloque"),
    path(carga_bloque + "confirmar/", bloque.confirmar, name="bloque_confirmar"),
    path(carga_bloque + "cancelar/", bloque.cancelar, name="bloque_cancelar"),
    path(carga_bloque + "rechazados.xlsx", bloque.rechazados, name="bloque_rechazados"),
]
