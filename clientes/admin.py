from __future__ import annotations

from django.contrib import admin

from core.admin import SoloLectura

from .models import Autorizacion


@admin.register(Autorizacion)
class AutorizacionAdmin(SoloLectura):
    """IMSS staff read who authorised which contratante, and who revoked it; only the contratista changes them."""

    list_display = ("contratista", "rfc_contratante", "nombre_contratante", "autorizada_en", "revocada_en")
    list_filter = ("revocada_en",)
    search_fields = ("rfc_contratante", "contratista__rfc", "contratista__razon_social")
    readonly_fields = [f.name for f in Autorizacion._meta.fields]
