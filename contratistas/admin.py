from __future__ import annotations

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html

from listas_sat.admin import filtro_listas_sat

from .models import AcuseStps, Asentamiento, CodigoPostal, Contratista, ContribuyenteSat, Estado, Municipio


@admin.register(Contratista)
class ContratistaAdmin(admin.ModelAdmin):
    list_display = ("rfc", "razon_social", "tipo_persona", "correo", "datos_generales_completos", "created_at")
    list_filter = ("tipo_persona", "datos_generales_completos", filtro_listas_sat("rfc"))
    search_fields = ("rfc", "razon_social", "correo")
    readonly_fields = ("code", "created_at", "updated_at")
    raw_id_fields = ("usuario", "domicilio_social", "domicilio_fiscal")


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


class _CatalogoAdmin(admin.ModelAdmin):
    """The SEPOMEX catalog is loaded with `manage.py importar_sepomex`; staff only look it up here."""

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


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
