from __future__ import annotations

from django.contrib import admin

from .models import ImportacionNomina


@admin.register(ImportacionNomina)
class ImportacionNominaAdmin(admin.ModelAdmin):
    list_display = (
        "nombre_archivo",
        "informativa",
        "contrato",
        "estatus",
        "cfdis_nomina",
        "num_trabajadores",
        "guardados",
        "created_at",
    )
    list_filter = ("estatus",)
    search_fields = ("nombre_archivo", "informativa__contratista__rfc", "code")
    raw_id_fields = ("informativa", "contrato", "creada_por", "aplicada_por")
    exclude = ("trabajadores",)  # up to 100,000 entries: the portal's page shows them
    readonly_fields = [f.name for f in ImportacionNomina._meta.fields if f.name != "trabajadores"]

    def has_add_permission(self, request):
        return False
