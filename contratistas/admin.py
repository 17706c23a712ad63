from __future__ import annotations

import datetime

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html

from core.admin import SoloLectura
from listas_sat.admin import filtro_listas_sat
from plazos.reloj import hoy

from . import repse
from .models import AcuseStps, Asentamiento, CodigoPostal, Contratista, ContribuyenteSat, Estado, Municipio


def _vigencia_texto(contratista: Contratista, hoy: datetime.date, *, ventana: bool = False) -> str:
    vigencia = repse.vigencia_repse(fecha_registro=contratista.repse_fecha_registro, hoy=hoy)
    if vigencia.sin_fecha:
        return vigencia.leyenda
    assert vigencia.vence is not None and vigencia.ventana_desde is not None  # a date gives both
    texto = f"{vigencia.vence:%d/%m/%Y} ({vigencia.leyenda})"
    return f"{texto}; renovación desde el {vigencia.ventana_desde:%d/%m/%Y}" if ventana else texto


class RepseFiltro(admin.SimpleListFilter):
    """The REPSE registration's state on today's date (contratistas.repse), as a range of registration dates."""

    title = "registro REPSE"
    parameter_name = "repse"

    def lookups(self, request, model_admin):
        return [(e, repse.LEYENDAS[e]) for e in (repse.VIGENTE, repse.EN_VENTANA, repse.VENCIDO, repse.SIN_FECHA)]

    def queryset(self, request, queryset):
        if self.value() == repse.SIN_FECHA:
            return queryset.filter(repse_fecha_registro__isnull=True)
        if self.value() not in (repse.VIGENTE, repse.EN_VENTANA, repse.VENCIDO):
            return queryset
        vencido_antes, vigente_desde = repse.limites_de_estado(hoy=hoy())
        return queryset.filter(**{
            repse.VENCIDO: {"repse_fecha_registro__lt": vencido_antes},
            repse.EN_VENTANA: {"repse_fecha_registro__gte": vencido_antes, "repse_fecha_registro__lt": vigente_desde},
            repse.VIGENTE: {"repse_fecha_registro__gte": vigente_desde},
        }[self.value()])


@admin.register(Contratista)
class ContratistaAdmin(admin.ModelAdmin):
    list_display = (
        "rfc", "razon_social", "tipo_persona", "correo", "datos_generales_completos", "repse_fecha_registro",
        "created_at",
    )
    list_filter = ("tipo_persona", "datos_generales_completos", RepseFiltro, filtro_listas_sat("rfc"))
    search_fields = ("rfc", "razon_social", "correo")
    readonly_fields = ("code", "repse_vigencia", "created_at", "updated_at")
    raw_id_fields = ("usuario", "domicilio_social", "domicilio_fiscal")

    def get_list_display(self, request):
        """The expiry's column, with today read once for the page (the test clock is a query)."""
        dia = hoy()

        @admin.display(description="vencimiento REPSE", ordering="repse_fecha_registro")
        def repse_vence(contratista: Contratista) -> str:
            return _vigencia_texto(contratista, dia)

        columnas = list(super().get_list_display(request))
        columnas.insert(columnas.index("repse_fecha_registro") + 1, repse_vence)
        return columnas

    @admin.display(description="vencimiento REPSE")
    def repse_vigencia(self, contratista: Contratista) -> str:
        return _vigencia_texto(contratista, hoy(), ventana=True)


@admin.register(AcuseStps)
class AcuseStpsAdmin(admin.ModelAdmin):
    """Read-only: staff open the PDF through the same access-checked view as its owner."""

    list_display = ("contratista", "nombre", "tamano", "vigente", "created_at", "ver")
    list_filter = ("vigente",)
    search_fields = ("contratista__rfc", "contratista__razon_social", "nombre", "sha256")
    list_select_related = ("contratista",)
    exclude = ("archivo",)
    readonly_fields = ("code", "contratista", "nombre", "tamano", "sha256", "vigente", "subido_por", "ver")

    @admin.display(description="archivo")
    def ver(self, obj: AcuseStps) -> str:
        return format_html('<a href="{}" target="_blank" rel="noopener">Ver archivo</a>', reverse("contratistas:acuse_ver", args=[obj.code]))

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(ContribuyenteSat)
class ContribuyenteSatAdmin(admin.ModelAdmin):
    list_display = ("rfc", "razon_social", "codigo_postal", "municipio", "estado")
    search_fields = ("rfc", "razon_social")
    list_filter = ("estado",)


class _CatalogoAdmin(SoloLectura):
    """The SEPOMEX catalog is loaded with `manage.py importar_sepomex`; staff only look it up here."""


@admin.register(Estado)
class EstadoAdmin(_CatalogoAdmin):
    list_display = ("clave", "nombre")
    search_fields = ("nombre", "clave")


@admin.register(Municipio)
class MunicipioAdmin(_CatalogoAdmin):
    list_display = ("clave", "nombre", "estado")
    list_filter = ("estado",)
    search_fields = ("nombre",)
    list_select_related = ("estado",)


@admin.register(CodigoPostal)
class CodigoPostalAdmin(_CatalogoAdmin):
    list_display = ("codigo", "ciudad", "municipio")
    search_fields = ("codigo", "ciudad")
    list_select_related = ("municipio__estado",)


@admin.register(Asentamiento)
class AsentamientoAdmin(_CatalogoAdmin):
    list_display = ("nombre", "tipo", "zona", "codigo_postal")
    search_fields = ("nombre", "codigo_postal__codigo")
    list_filter = ("tipo", "zona")
    list_select_related = ("codigo_postal",)
