from django.contrib import admin

from .models import Recordatorio, RecordatorioRepse


@admin.register(Recordatorio)
class RecordatorioAdmin(admin.ModelAdmin):
    """What was sent, for staff: read-only (a row is the proof that a reminder went out)."""

    list_display = ("contratista", "anio", "cuatrimestre", "tipo", "hoy", "fecha_limite")
    list_filter = ("tipo", "anio", "cuatrimestre")
    search_fields = ("contratista__rfc", "contratista__razon_social")
    readonly_fields = [f.name for f in Recordatorio._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(RecordatorioRepse)
class RecordatorioRepseAdmin(admin.ModelAdmin):
    """The REPSE registration's reminders sent, for staff: read-only, as the deadline reminders."""

    list_display = ("contratista", "tipo", "vence", "hoy")
    list_filter = ("tipo",)
    search_fields = ("contratista__rfc", "contratista__razon_social")
    readonly_fields = [f.name for f in RecordatorioRepse._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
