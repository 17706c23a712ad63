from __future__ import annotations

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin

from .models import AceptacionTerminos, TerminosCondiciones, User


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    list_display = ("username", "nombre_completo", "rol", "email", "is_active", "is_staff", "date_joined")
    list_filter = ("rol", "is_active", "is_staff")
    search_fields = ("username", "rfc", "curp", "nombre_completo", "email")
    fieldsets = (
        *DjangoUserAdmin.fieldsets,
        ("ICSOE", {"fields": ("rol", "rfc", "curp", "nombre_completo")}),
    )


@admin.register(TerminosCondiciones)
class TerminosCondicionesAdmin(admin.ModelAdmin):
    list_display = ("version", "vigente_desde", "activo")
    list_filter = ("activo",)


@admin.register(AceptacionTerminos)
class AceptacionTerminosAdmin(admin.ModelAdmin):
    list_display = ("usuario", "terminos", "aceptado", "ip")
    search_fields = ("usuario__username",)
    readonly_fields = ("usuario", "terminos", "aceptado", "ip")

    def has_add_permission(self, request) -> bool:
        return False
