from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from .models import Liga, Relacion


@admin.register(Relacion)
class RelacionAdmin(admin.ModelAdmin):
    """Read-mostly view for IMSS staff: contratistas manage their capturistas in the portal."""

    list_display = ("capturista", "contratista", "estatus", "correo", "telefono", "created_at", "fecha_baja")
    list_filter = ("estatus",)
    search_fields = (
        "=capturista__curp",
        "capturista__nombre_completo",
        "=contratista__rfc",
        "contratista__razon_social",
        "correo",
    )
    list_select_related = ("capturista", "contratista")
    readonly_fields = ("code", "contratista", "capturista", "usuario_alta", "created_at", "updated_at")
    date_hierarchy = "created_at"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


@admin.register(Liga)
class LigaAdmin(admin.ModelAdmin):
    """Audit of password links; the token itself is never stored, only its hash."""

    list_display = (
        "usuario",
        "tipo",
        "para",
        "created_at",
        "expira_at",
        "usada_at",
        "invalidada_at",
        "motivo_invalidacion",
    )
    list_filter = ("tipo", "motivo_invalidacion")
    search_fields = ("=usuario__curp", "para")
    list_select_related = ("usuario",)
    exclude = ("token_hash",)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False
