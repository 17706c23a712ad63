from django.contrib import admin
from django.db.models import Max, OuterRef, Q, Subquery

from core.admin import SoloLectura

from . import lector
from .models import CargaLista, Coincidencia, Verificacion


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


class EnListasSatFilter(admin.SimpleListFilter):
    """A changelist filter «Listas del SAT»: the rows whose RFC (``campo_rfc``) has a hit in a load in force,
    by situation. One subquery inside the changelist's own query, whatever the number of rows."""

    title = "listas del SAT"
    parameter_name = "lista_sat"
    campo_rfc = "rfc"

    def lookups(self, request, model_admin):
        return [(clave, texto) for clave, (texto, _) in FILTROS_LISTAS_SAT.items()]

    def queryset(self, request, queryset):
        if (valor := self.value()) not in FILTROS_LISTAS_SAT:
            return queryset
        return queryset.filter(**{f"{self.campo_rfc}__in": rfcs_en_listas(FILTROS_LISTAS_SAT[valor][1])})


def rfcs_en_listas(condicion: Q):
    return Coincidencia.objects.filter(condicion, carga__estado=CargaLista.Estado.VIGENTE, suprimido=False).values("rfc")


_69B = Q(carga__lista__in=["69b", "69b_presuntos", "69b_definitivos", "69b_desvirtuados", "69b_sentencias"])
FILTROS_LISTAS_SAT = {
    "69b_definitivo": ("69-B: Definitivo", _69B & Q(situacion__iexact="Definitivo")),
    "69b_presunto": ("69-B: Presunto", _69B & Q(situacion__iexact="Presunto")),
    "69b_sentencia": ("69-B: Sentencia Favorable", _69B & Q(situacion__iexact="Sentencia Favorable")),
    "69b_desvirtuado": ("69-B: Desvirtuado", _69B & Q(situacion__iexact="Desvirtuado")),
    "69b_bis": ("Art. 69-B Bis", Q(carga__lista="69b_bis")),
    "69": ("Art. 69 (cualquier supuesto)", Q(carga__lista__startswith="69_")),
    "cualquiera": ("En cualquier lista", Q()),
}


def filtro_listas_sat(campo_rfc: str) -> type[EnListasSatFilter]:
    return type(f"EnListasSatFilter_{campo_rfc}", (EnListasSatFilter,), {"campo_rfc": campo_rfc})
