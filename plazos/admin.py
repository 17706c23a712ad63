from django.contrib import admin

from .models import DiaInhabil


@admin.register(DiaInhabil)
class DiaInhabilAdmin(admin.ModelAdmin):
    list_display = ("fecha", "motivo")
    date_hierarchy = "fecha"
    search_fields = ("motivo",)
