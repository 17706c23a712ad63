from __future__ import annotations

from django.urls import path

from .bloque import views as bloque
from .captura import periodo as periodo_views
from .captura import views as captura_views
from .carga import views as carga_views
from .contratantes import views as contratantes
from .expediente import views as expediente
from .nomina import views as nomina
from .presentacion import views as presentacion_views
from .tablero import views as tablero

app_name = "informativas"

informativa = "<uuid:code>/"
contrato = "<uuid:code>/contratos/<uuid:contrato_code>/"
carga = "<uuid:code>/cargas/<uuid:carga_code>/"
importacion = "<uuid:code>/nomina/<uuid:importacion_code>/"
carga_bloque = "<uuid:code>/contratos-en-bloque/<uuid:carga_code>/"

urlpatterns = [
    path("", captura_views.bandeja, name="bandeja"),
    path("nueva/", captura_views.nueva, name="nueva"),
    path("nueva/sin-informacion/", captura_views.sin_informacion, name="sin_informacion"),
    path("consulta/", captura_views.consulta, name="consulta"),
    # One period (where a deadline reminder leads): its informativa, or Capturar / Presentar Sin información
    path("periodos/<uuid:contratista_code>/<int:anio>/<int:cuatrimestre>/", periodo_views.periodo, name="periodo"),
    path(
        "periodos/<uuid:contratista_code>/<int:anio>/<int:cuatrimestre>/sin-informacion/",
        periodo_views.periodo_sin_informacion,
        name="periodo_sin_informacion",
    ),
    path("colonias/", captura_views.colonias, name="colonias"),
    path("plantilla-trabajadores.csv", carga_views.plantilla, name="plantilla"),
    path("plantilla-contratos.xlsx", bloque.plantilla, name="bloque_plantilla"),
    # The board of a capturista who files for several contratistas
    path("tablero/", tablero.tablero, name="tablero"),
    path("tablero/abrir/", tablero.abrir, name="tablero_abrir"),
    path("tablero/acuses/", tablero.acuses, name="tablero_acuses"),
    # Catálogo de contratantes
    path("contratantes/", contratantes.lista, name="contratantes"),
    path("contratantes/<uuid:contratante_code>/editar/", contratantes.editar, name="contratante_editar"),
    path("contratantes/<uuid:contratante_code>/eliminar/", contratantes.eliminar, name="contratante_eliminar"),
    # Firma y presentación, acuses, Modificar presentación
    path("firma/", presentacion_views.firma, name="firma"),
    path("acuses/", presentacion_views.acuses_lista, name="acuses"),
    path("acuses/periodo/", presentacion_views.acuses_periodo, name="acuses_periodo"),
    path("modificar/", presentacion_views.modificar, name="modificar"),
    # One informativa
    path(informativa, captura_views.detalle, name="detalle"),
    path(informativa + "eliminar/", captura_views.eliminar, name="eliminar"),
    path(
        informativa + "sin-informacion/",
        captura_views.sin_informacion_existente,
        name="sin_informacion_existente",
    ),
    path(informativa + "enviar-a-firma/", captura_views.enviar_a_firma, name="enviar_a_firma"),
    path(informativa + "regresar-a-captura/", captura_views.regresar_a_captura, name="regresar_a_captura"),
    path(informativa + "firmar/", presentacion_views.firmar, name="firmar"),
    path(informativa + "firmar/validar/", presentacion_views.firmar_validar, name="firmar_validar"),
    path(informativa + "firmar/listas-sat/", presentacion_views.firmar_listas_sat, name="firmar_listas_sat"),
    path(informativa + "firma-exitosa/", presentacion_views.firma_exitosa, name="firma_exitosa"),
    path(informativa + "acuse.pdf", presentacion_views.acuse_descargar, name="acuse_descargar"),
    # Issue 25: one contratante's expediente (constancia PDF, Excel, manifiesto)
    path(informativa + "expedientes/<str:rfc>/<str:formato>/", expediente.expediente_descargar, name="expediente_descargar"),
    path(informativa + "complementaria/", presentacion_views.complementaria, name="complementaria"),
    path(informativa + "contratante/validar/", captura_views.contratante_validar, name="contratante_validar"),
    path(informativa + "captura/<str:paso>/", captura_views.paso, name="paso"),
    # One contrato
    path(contrato, captura_views.contrato_detalle, name="contrato_detalle"),
    path(contrato + "eliminar/", captura_views.contrato_eliminar, name="contrato_eliminar"),
    path(contrato + "carga/", captura_views.carga_subir, name="carga_subir"),
    path(
        contrato + "trabajadores/<uuid:trabajador_code>/editar/",
        captura_views.trabajador_editar,
        name="trabajador_editar",
    ),
    path(
        contrato + "trabajadores/<uuid:trabajador_code>/eliminar/",
        captura_views.trabajador_eliminar,
        name="trabajador_eliminar",
    ),
    path(contrato + "captura/<str:paso>/", captura_views.paso_contrato, name="paso_contrato"),
    # One carga masiva
    path(carga, carga_views.carga, name="carga"),
    path(carga + "progreso/", carga_views.carga_progreso, name="carga_progreso"),
    path(carga + "confirmar/", carga_views.carga_confirmar, name="carga_confirmar"),
    path(carga + "cancelar/", carga_views.carga_cancelar, name="carga_cancelar"),
    path(carga + "deshacer/", carga_views.carga_deshacer, name="carga_deshacer"),
    path(carga + "rechazados.xlsx", carga_views.carga_rechazados, name="carga_rechazados"),
    # Importar nómina (CFDI): the whole informativa, or one contrato
    path(informativa + "nomina/", nomina.subir, name="nomina_subir"),
    path(contrato + "nomina/", nomina.subir_contrato, name="nomina_subir_contrato"),
    path(importacion, nomina.importacion, name="nomina"),
    path(importacion + "progreso/", nomina.progreso, name="nomina_progreso"),
    path(importacion + "asignar/", nomina.asignar, name="nomina_asignar"),
    path(importacion + "contratos/", nomina.contratos, name="nomina_contratos"),
    path(importacion + "revisar/", nomina.revisar, name="nomina_revisar"),
    path(importacion + "confirmar/", nomina.confirmar, name="nomina_confirmar"),
    path(importacion + "cancelar/", nomina.cancelar, name="nomina_cancelar"),
    path(importacion + "problemas.xlsx", nomina.problemas, name="nomina_problemas"),
    # Contratos en bloque
    path(informativa + "contratos-en-bloque/", bloque.subir, name="bloque_subir"),
    path(
        informativa + "contratos-en-bloque/plantilla.xlsx",
        bloque.plantilla_contratantes,
        name="bloque_plantilla_contratantes",
    ),
    path(carga_bloque, bloque.carga, name="bloque"),
    path(carga_bloque + "progreso/", bloque.progreso, name="bloque_progreso"),
    path(carga_bloque + "confirmar/", bloque.confirmar, name="bloque_confirmar"),
    path(carga_bloque + "cancelar/", bloque.cancelar, name="bloque_cancelar"),
    path(carga_bloque + "rechazados.xlsx", bloque.rechazados, name="bloque_rechazados"),
]
