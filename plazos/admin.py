from django.conf import settings
from django.contrib import admin

from .models import DiaInhabil, RelojPrueba


@admin.register(DiaInhabil)
class DiaInhabilAdmin(admin.ModelAdmin):
    list_display = ("fecha", "motivo")
    date_hierarchy = "fecha"
    search_fields = ("motivo",)


@admin.register(RelojPrueba)
class RelojPruebaAdmin(admin.ModelAdmin):
    """The test clock, shown to staff only where ICSOE_RELOJ_PRUEBA is on (demos, tests; never production)."""

    list_display = ("hoy", "updated_at")

    def has_module_permission(self, request):
        return settings.ICSOE_RELOJ_PRUEBA and super().has_module_permission(request)

    def has_view_permission(self, request, obj=None):
        return settings.ICSOE_RELOJ_PRUEBA and super().has_view_permission(request, obj)

    def has_add_permission(self, request):
        return settings.ICSOE_RELOJ_PRUEBA and not RelojPrueba.objects.exists() and super().has_add_permission(request)

    def has_change_permission(self, request, obj=None):
        return settings.ICSOE_RELOJ_PRUEBA and super().has_change_permission(request, obj)
