from __future__ import annotations

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin

from .models import User


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    list_display = ("username", "nombre_completo", "rol", "email", "is_active", "is_staff", "date_joined")
    list_filter = ("rol", "is_active", "is_staff")
    search_fields = ("username", "rfc", "curp", "nombre_completo", "email")
    fieldsets = (
        *DjangoUserAdmin.fieldsets,
        ("ICSOE", {"fields": ("rol", "rfc", "curp", "nombre_completo")}),
    )
