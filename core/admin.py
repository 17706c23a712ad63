from __future__ import annotations

from django.contrib import admin

from .models import Bitacora, Correo


class SoloLectura(admin.ModelAdmin):
    """For records staff only read: nobody adds, changes or deletes them from the admin."""

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Correo)
class CorreoAdmin(admin.ModelAdmin):
    list_display = ("asunto", "para", "estatus", "intentos", "created_at", "enviado_at")
    list_filter = ("estatus", "plantilla")
    search_fields = ("para", "asunto")
    # The tokens still to be sent are not shown (encrypted anyway; the bodies hold a marker in their place).
    exclude = ("secretos",)
    readonly_fields = [f.name for f in Correo._meta.fields if f.name != "secretos"]

    def has_add_permission(self, request) -> bool:
        return False


@admin.register(Bitacora)
class BitacoraAdmin(admin.ModelAdmin):
    list_display = ("creado", "accion", "usuario", "objeto_tipo", "objeto_id")
    list_filter = ("accion",)
    search_fields = ("objeto_id", "accion")
    readonly_fields = ("creado", "accion", "usuario", "objeto_tipo", "objeto_id", "datos")

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
