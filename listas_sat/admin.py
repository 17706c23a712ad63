from django.contrib import admin
from django.db.models import Max, OuterRef, Subquery

from . import lector
from .models import CargaLista, Verificacion


class SoloLectura(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(CargaLista)
class CargaListaAdmin(SoloLectura):
    list_display = [
        "nombre_de_lista", "estado", "fecha_corte", "fecha_corte_origen", "filas_leidas", "contribuyentes",
        "suprimidos", "rechazadas", "ultima_confirmacion", "created_at",
    ]
    list_filter = ["estado", "lista"]
    exclude = ["rechazos"]
    readonly_fields = ["lineas_rechazadas"]

    def get_queryset(self, request):
        ultima = (
            Verificacion.objects.filter(lista=OuterRef("lista"), confirmada=True)
            .values("lista").annotate(u=Max("created_at")).values("u")
        )
        return super().get_queryset(request).annotate(ultima=Subquery(ultima))

    @admin.display(description="lista", ordering="lista")
    def nombre_de_lista(self, obj):
        return lector.nombre_lista(obj.lista)

    @admin.display(description="última verificación confirmada", ordering="ultima")
    def ultima_confirmacion(self, obj):
        return obj.ultima

    @admin.display(description="líneas rechazadas (número y motivo)")
    def lineas_rechazadas(self, obj):
        return "\n".join(f"Línea {n}: {motivo}" for n, motivo in obj.rechazos) or "Ninguna"


@admin.register(Verificacion)
class VerificacionAdmin(SoloLectura):
    list_display = ["created_at", "lista", "origen", "confirmada", "cambio", "etag", "last_modified", "mensaje"]
    list_filter = ["confirmada", "cambio", "lista"]
