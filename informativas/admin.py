from __future__ import annotations

from django.contrib import admin

from .models import Acuse, CargaMasiva, Contrato, FolioContador, Informativa, Trabajador


class SoloLecturaSiPresentada:
    """Presented (or replaced) informativas and everything in them are read-only for IMSS staff."""

    def _informativa(self, obj):
        return obj

    def has_change_permission(self, request, obj=None):
        informativa = self._informativa(obj) if obj else None
        if informativa and informativa.estatus in (
            Informativa.Estatus.PRESENTADA,
            Informativa.Estatus.SUSTITUIDA,
        ):
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self.has_change_permission(request, obj) and super().has_delete_permission(request, obj)


class ContratoInline(admin.TabularInline):
    model = Contrato
    extra = 0
    fields = ("folio", "contratante_rfc", "contratante_razon_social", "fecha_inicio", "fecha_termino")
    readonly_fields = fields
    show_change_link = True
    can_delete = False


@admin.register(Informativa)
class InformativaAdmin(SoloLecturaSiPresentada, admin.ModelAdmin):
    list_display = (
        "contratista",
        "anio",
        "cuatrimestre",
        "tipo",
        "estatus",
        "extemporanea",
        "folio_definitivo",
        "created_at",
    )
    list_filter = ("estatus", "tipo", "anio", "cuatrimestre", "extemporanea")
    search_fields = ("contratista__rfc", "contratista__razon_social", "folio_definitivo", "code")
    raw_id_fields = ("contratista", "informativa_origen", "creada_por", "domicilio_convencional")
    readonly_fields = (
        "code",
        "created_at",
        "updated_at",
        "enviada_a_firma_at",
        "cadena_original",
        "firma_b64",
        "folio_definitivo",
        "fecha_presentacion",
        "firmada_por_rfc",
        "numero_certificado",
    )
    inlines = [ContratoInline]


@admin.register(Contrato)
class ContratoAdmin(SoloLecturaSiPresentada, admin.ModelAdmin):
    list_display = ("folio", "informativa", "contratante_rfc", "contratante_razon_social", "fecha_inicio")
    search_fields = ("folio", "contratante_rfc", "contratante_razon_social", "informativa__contratista__rfc")
    raw_id_fields = ("informativa", "domicilio_social", "domicilio_convencional")
    readonly_fields = ("code", "folio", "created_at", "updated_at")

    def _informativa(self, obj):
        return obj.informativa


@admin.register(Trabajador)
class TrabajadorAdmin(SoloLecturaSiPresentada, admin.ModelAdmin):
    list_display = ("nss", "curp", "sbc", "nombre", "primer_apellido", "contrato", "origen")
    list_filter = ("origen",)
    search_fields = ("nss", "curp", "contrato__folio")
    raw_id_fields = ("contrato", "carga")
    readonly_fields = ("code", "created_at", "updated_at")
    list_select_related = ("contrato",)

    def _informativa(self, obj):
        return obj.contrato.informativa


@admin.register(CargaMasiva)
class CargaMasivaAdmin(admin.ModelAdmin):
    list_display = (
        "nombre_archivo",
        "contrato",
        "estatus",
        "total_filas",
        "aceptados",
        "rechazados",
        "guardados",
        "created_at",
    )
    list_filter = ("estatus", "asincrona")
    search_fields = ("nombre_archivo", "contrato__folio", "code")
    raw_id_fields = ("contrato", "creada_por", "aplicada_por")
    readonly_fields = [f.name for f in CargaMasiva._meta.fields]

    def has_add_permission(self, request):
        return False


@admin.register(FolioContador)
class FolioContadorAdmin(admin.ModelAdmin):
    list_display = ("serie", "ultimo")
    readonly_fields = ("serie", "ultimo")

    def has_add_permission(self, request):
        return False


@admin.register(Acuse)
class AcuseAdmin(admin.ModelAdmin):
    """Acuses are written once at signing; staff can look, never change or delete (the PDF is evidence)."""

    list_display = ("informativa", "rfc", "razon_social", "num_contratos", "num_trabajadores", "created_at")
    search_fields = ("informativa__folio_definitivo", "rfc", "razon_social")
    readonly_fields = [f.name for f in Acuse._meta.fields if f.name != "certificado"]
    exclude = ("certificado",)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
