from __future__ import annotations

from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin

from .models import AceptacionTerminos, PersonaRenapo, TerminosCondiciones, User
from .renapo import CurpError, curp_validar


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


class PersonaRenapoForm(forms.ModelForm):
    class Meta:
        model = PersonaRenapo
        fields = ("curp", "nombres", "primer_apellido", "segundo_apellido")

    def clean_curp(self) -> str:
        try:
            return curp_validar(self.cleaned_data["curp"])
        except CurpError as error:
            raise forms.ValidationError(error.mensaje) from None

    def clean(self):
        datos = super().clean()
        for campo in ("nombres", "primer_apellido", "segundo_apellido"):
            if datos.get(campo):
                datos[campo] = datos[campo].strip().upper()
        return datos


@admin.register(PersonaRenapo)
class PersonaRenapoAdmin(admin.ModelAdmin):
    """The local CURP registry; bulk loads go through `manage.py importar_curp archivo.csv`."""

    form = PersonaRenapoForm
    list_display = ("curp", "nombres", "primer_apellido", "segundo_apellido")
    search_fields = ("=curp", "nombres", "primer_apellido", "segundo_apellido")
    list_per_page = 50
