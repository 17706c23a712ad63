from __future__ import annotations

from django.contrib import admin

from listas_sat.admin import filtro_listas_sat

from .models import Contratante


@admin.register(Contratante)
class ContratanteAdmin(admin.ModelAdmin):
    list_display = ("rfc", "razon_social", "contratista", "correo", "updated_at")
    search_fields = ("rfc", "razon_social", "contratista__rfc")
    list_filter = (filtro_listas_sat("rfc"),)
    raw_id_fields = ("contratista",)
    readonly_fields = [f.name for f in Contratante._meta.fields]

    def has_add_permission(self, request):
        return False
