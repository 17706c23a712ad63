from __future__ import annotations

from django.contrib import admin

from .models import Contratista


@admin.register(Contratista)
class ContratistaAdmin(admin.ModelAdmin):
    list_display = ("rfc", "razon_social", "tipo_persona", "correo", "datos_generales_completos", "created_at")
    list_filter = ("tipo_persona", "datos_generales_completos")
    search_fields = ("rfc", "razon_social", "correo")
    readonly_fields = ("code", "created_at", "updated_at")
