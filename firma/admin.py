from __future__ import annotations

from django import forms
from django.contrib import admin, messages

from . import sat, services
from .models import AutoridadCertificadora, CertificadoRevocado


class AutoridadCertificadoraForm(forms.ModelForm):
    archivo = forms.FileField(label="Certificado de la CA (.cer)", required=False)

    class Meta:
        model = AutoridadCertificadora
        fields = ("archivo", "de_pruebas", "activa")

    def clean(self):
        datos = super().clean()
        archivo = datos.get("archivo")
        if archivo:
            try:
                self.certificado = sat.cargar_certificado(archivo.read())
            except sat.EfirmaError as error:
                raise forms.ValidationError(error.message) from error
        elif not self.instance.pk:
            raise forms.ValidationError("Selecciona el archivo del certificado de la autoridad certificadora.")
        return datos


@admin.register(AutoridadCertificadora)
class AutoridadCertificadoraAdmin(admin.ModelAdmin):
    form = AutoridadCertificadoraForm
    list_display = ("nombre", "de_pruebas", "activa", "agregada", "huella_sha256")
    list_filter = ("de_pruebas", "activa")
    search_fields = ("nombre", "huella_sha256")

    def save_model(self, request, obj, form, change) -> None:
        if getattr(form, "certificado", None):
            ca = services.ca_confiar(der=form.certificado.der, de_pruebas=form.cleaned_data["de_pruebas"])
            obj.pk = ca.pk
            messages.info(request, f"Se confía en la autoridad certificadora {ca.nombre}.")
        else:
            super().save_model(request, obj, form, change)


@admin.register(CertificadoRevocado)
class CertificadoRevocadoAdmin(admin.ModelAdmin):
    list_display = ("numero_certificado", "rfc", "motivo", "revocado")
    search_fields = ("numero_certificado", "rfc")
