from __future__ import annotations

from django.contrib import admin

from .models import Contratante


@admin.register(Contratante)
class ContratanteAdmin(admin.ModelAdmin):
    list_display = ("rfc", "razon_social", "contratista", "correo", "updated_at")
    search_fields = ("rfc", "razon_social", "contratista__rfc")
    raw_id_fields = ("contratista",)
    readonly_fields = [f.name for f in Contratante._meta.fields]

    def has_add_permission(self, request):
        return False
