from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib import admin
from django.core.exceptions import PermissionDenied

from listas_sat.admin import filtro_listas_sat

from . import comun
from .models import Acuse, CargaMasiva, ConfirmacionListaSat, Contrato, FolioContador, Informativa, Trabajador

# The mixins below extend a ModelAdmin's methods: mypy sees them on one, Django on plain classes.
if TYPE_CHECKING:
    _Mixin = admin.ModelAdmin[Any]
else:
    _Mixin = object

ESTATUS_CERRADOS = (Informativa.Estatus.PRESENTADA, *Informativa.ESTATUS_SIN_VIGENCIA)
MENSAJE_CERRADA = (
    "La informativa está presentada o sustituida: ni ella ni sus contratos y trabajadores se modifican."
)


def _exigir_abiertas(ids: set[int | None]) -> None:
    """Locks the informativas (a signing of one of them waits, or is waited for) and refuses when any is
    presented or replaced: the last word when the page was opened before it was signed."""
    estatus = Informativa.objects.select_for_update().filter(pk__in=[i for i in ids if i])
    if any(e in ESTATUS_CERRADOS for e in estatus.values_list("estatus", flat=True)):
        raise PermissionDenied(MENSAJE_CERRADA)


def _recontar(ids: set[int | None]) -> None:
    """Keeps the stored totals the bandeja lists right when staff move or delete contratos and trabajadores."""
    for informativa in Informativa.objects.filter(pk__in=[i for i in ids if i]):
        comun.informativa_totales_actualizar(informativa=informativa)


class SoloLecturaSiPresentada(_Mixin):
    """Presented (or replaced) informativas and everything in them are read-only for IMSS staff: no change or
    delete of them, no row added to them or moved into them (the raw-id fields accept only open informativas),
    checked again under the informativa's lock when saving or deleting."""

    def _informativa_id(self, obj) -> int | None:
        return obj.pk

    def _cerrada(self, obj) -> bool:
        return Informativa.objects.filter(pk=self._informativa_id(obj), estatus__in=ESTATUS_CERRADOS).exists()  # type: ignore[misc]  # None: nothing

    def has_change_permission(self, request, obj=None):
        if obj is not None and self._cerrada(obj):
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and self._cerrada(obj):
            return False
        return super().has_delete_permission(request, obj)

    def _anterior(self, obj) -> int | None:
        """The informativa the stored row belongs to (a change may be moving it elsewhere)."""
        if obj.pk is None:
            return None
        guardado = type(obj).objects.filter(pk=obj.pk).first()
        return self._informativa_id(guardado) if guardado else None

    def save_model(self, request, obj, form, change):
        afectadas = {self._informativa_id(obj), self._anterior(obj)}
        _exigir_abiertas(afectadas)
        super().save_model(request, obj, form, change)
        _recontar(afectadas)

    def delete_model(self, request, obj):
        afectadas = {self._informativa_id(obj)}
        _exigir_abiertas(afectadas)
        super().delete_model(request, obj)
        _recontar(afectadas)

    def delete_queryset(self, request, queryset):
        afectadas = {self._informativa_id(obj) for obj in queryset}
        _exigir_abiertas(afectadas)
        super().delete_queryset(request, queryset)
        _recontar(afectadas)


class ContratoInline(admin.TabularInline):
    model = Contrato
    extra = 0
    fields = ("folio", "contratante_rfc", "contratante_razon_social", "fecha_inicio", "fecha_termino")
    readonly_fields = fields
    show_change_link = True
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False  # a contract gets its folio when it is captured in the portal


@admin.register(Informativa)
class InformativaAdmin(SoloLecturaSiPresentada, admin.ModelAdmin):
    list_display = (
        "contratista",
        "anio",
        "cuatrimestre",
        "tipo",
        "estatus",
        "extemporanea",
        "folio_definitivo",
        "created_at",
    )
    list_filter = ("estatus", "tipo", "anio", "cuatrimestre", "extemporanea")
    search_fields = ("contratista__rfc", "contratista__razon_social", "folio_definitivo", "code")
    # The estatus changes only through the portal's services (a draft becomes Presentada only by signing), and
    # the informativa de origen only through "Modificar presentación"; the period, type, contratista and
    # domicilio are fixed once the informativa exists.
    readonly_fields = (
        "code",
        "contratista",
        "anio",
        "cuatrimestre",
        "tipo",
        "estatus",
        "informativa_origen",
        "creada_por",
        "domicilio_convencional",
        "created_at",
        "updated_at",
        "enviada_a_firma_at",
        "cadena_original",
        "firma_b64",
        "folio_definitivo",
        "fecha_presentacion",
        "firmada_por_rfc",
        "numero_certificado",
    )
    inlines = [ContratoInline]

    def has_add_permission(self, request):
        return False  # informativas are started in the portal, where the period and type rules are checked

    def get_actions(self, request):
        """No bulk deletion is offered: the list mixes drafts and presented filings, and a presented one is
        never deleted (a draft can still be deleted from its own page; the contratista deletes its drafts in
        the portal)."""
        acciones = super().get_actions(request)
        acciones.pop("delete_selected", None)
        return acciones


class _SoloInformativasAbiertas(_Mixin):
    """The raw-id field that names the informativa (or its contract) accepts only open ones."""

    campo_abierto: str
    mensaje_abierto: str

    def queryset_abierto(self):
        raise NotImplementedError

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == self.campo_abierto:
            kwargs["queryset"] = self.queryset_abierto()
            kwargs["error_messages"] = {"invalid_choice": self.mensaje_abierto}
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(Contrato)
class ContratoAdmin(_SoloInformativasAbiertas, SoloLecturaSiPresentada, admin.ModelAdmin):
    list_display = ("folio", "informativa", "contratante_rfc", "contratante_razon_social", "fecha_inicio")
    list_filter = (filtro_listas_sat("contratante_rfc"),)
    search_fields = ("folio", "contratante_rfc", "contratante_razon_social", "informativa__contratista__rfc")
    raw_id_fields = ("informativa",)
    # Domicilios are shared rows captured in the portal: pointing a draft at a presented contract's domicilio
    # would let the portal edit what was filed.
    readonly_fields = ("code", "folio", "domicilio_social", "domicilio_convencional", "created_at", "updated_at")
    campo_abierto = "informativa"
    mensaje_abierto = "Elige una informativa que no esté presentada ni sustituida."

    def queryset_abierto(self):
        return Informativa.objects.exclude(estatus__in=ESTATUS_CERRADOS)

    def _informativa_id(self, obj):
        return obj.informativa_id

    def has_add_permission(self, request):
        return False  # a contract gets its folio when it is captured in the portal


@admin.register(Trabajador)
class TrabajadorAdmin(_SoloInformativasAbiertas, SoloLecturaSiPresentada, admin.ModelAdmin):
    list_display = ("nss", "curp", "sbc", "nombre", "primer_apellido", "contrato", "origen")
    list_filter = ("origen",)
    search_fields = ("nss", "curp", "contrato__folio")
    raw_id_fields = ("contrato", "carga")
    readonly_fields = ("code", "created_at", "updated_at")
    list_select_related = ("contrato",)
    campo_abierto = "contrato"
    mensaje_abierto = "Elige un contrato de una informativa que no esté presentada ni sustituida."

    def queryset_abierto(self):
        return Contrato.objects.exclude(informativa__estatus__in=ESTATUS_CERRADOS)

    def _informativa_id(self, obj):
        return Contrato.objects.filter(pk=obj.contrato_id).values_list("informativa_id", flat=True).first()


@admin.register(CargaMasiva)
class CargaMasivaAdmin(admin.ModelAdmin):
    list_display = (
        "nombre_archivo",
        "contrato",
        "estatus",
        "total_filas",
        "aceptados",
        "rechazados",
        "guardados",
        "created_at",
    )
    list_filter = ("estatus",)
    search_fields = ("nombre_archivo", "contrato__folio", "code")
    raw_id_fields = ("contrato", "creada_por", "aplicada_por")
    readonly_fields = [f.name for f in CargaMasiva._meta.fields]

    def has_add_permission(self, request):
        return False


@admin.register(FolioContador)
class FolioContadorAdmin(admin.ModelAdmin):
    list_display = ("serie", "ultimo")
    readonly_fields = ("serie", "ultimo")

    def has_add_permission(self, request):
        return False


@admin.register(Acuse)
class AcuseAdmin(admin.ModelAdmin):
    """Acuses are written once at signing; staff can look, never change or delete (the PDF is evidence)."""

    list_display = ("informativa", "rfc", "razon_social", "num_contratos", "num_trabajadores", "created_at")
    search_fields = ("informativa__folio_definitivo", "rfc", "razon_social")
    exclude = ("certificado", "portal_certificado")  # DER bytes: nothing a person reads
    readonly_fields = [f.name for f in Acuse._meta.fields if f.name not in ("certificado", "portal_certificado")]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ConfirmacionListaSat)
class ConfirmacionListaSatAdmin(admin.ModelAdmin):
    """What users confirmed about contratantes «Definitivo» in 69-B: read-only, it is part of the audit trail."""

    list_display = ("rfc", "situacion", "lista", "fecha_corte", "informativa", "usuario", "created_at")
    list_filter = ("situacion", "lista")
    search_fields = ("rfc", "informativa__contratista__rfc")
    list_select_related = ("informativa", "usuario")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


from .contratantes import admin as _contratantes_admin  # noqa: E402, F401  (registers Contratante)
from .nomina import admin as _nomina_admin  # noqa: E402, F401  (registers ImportacionNomina)
