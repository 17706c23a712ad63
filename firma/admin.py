from __future__ import annotations

from django import forms
from django.contrib import admin, messages

from . import sat, services
from .models import AutoridadCertificadora, CertificadoRevocado


class AutoridadCertificadoraForm(forms.ModelForm):
    archivo = forms.FileField(
        label="Certificado de la CA (.cer)", required=False, error_messages={"empty": sat.MENSAJE_CER_VACIO}
    )

    class Meta:
        model = AutoridadCertificadora
        fields = ("archivo", "de_pruebas", "activa")

    def clean_archivo(self):
        archivo = self.cleaned_data.get("archivo")
        self.certificado = None
        if archivo:
            try:
                self.certificado = services.ca_leer(der=archivo.read())
            except sat.EfirmaError as error:
                raise forms.ValidationError(error.mensaje, code=error.code) from error
        elif not self.instance.pk:
            raise forms.ValidationError(
                "Selecciona el archivo del certificado de la autoridad certificadora.", code="required"
            )
        return archivo


@admin.register(AutoridadCertificadora)
class AutoridadCertificadoraAdmin(admin.ModelAdmin):
    form = AutoridadCertificadoraForm
    list_display = ("nombre", "de_pruebas", "activa", "agregada", "huella_sha256")
    list_filter = ("de_pruebas", "activa")
    search_fields = ("nombre", "huella_sha256")

    def save_model(self, request, obj, form, change) -> None:
        if form.certificado is not None:
            ca = services.ca_confiar(der=form.certificado.der, de_pruebas=form.cleaned_data["de_pruebas"])
            obj.pk = ca.pk
            messages.info(request, f"Se confía en la autoridad certificadora {ca.nombre}.")
        else:
            super().save_model(request, obj, form, change)
            services.trust_store_invalidar()

    def delete_model(self, request, obj) -> None:
        super().delete_model(request, obj)
        services.trust_store_invalidar()

    def delete_queryset(self, request, queryset) -> None:
        super().delete_queryset(request, queryset)
        services.trust_store_invalidar()


@admin.register(CertificadoRevocado)
class CertificadoRevocadoAdmin(admin.ModelAdmin):
    list_display = ("numero_certificado", "rfc", "motivo", "revocado")
    search_fields = ("numero_certificado", "rfc")
