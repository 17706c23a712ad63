"""The carga masiva upload form."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError

from . import motor


class CargaForm(forms.Form):
    archivo = forms.FileField(
        label="Archivo de trabajadores (.csv o .xlsx)",
        error_messages={"required": "Selecciona el archivo a cargar.", "empty": motor.MENSAJE_VACIO},
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx,text/csv"}),
    )

    def clean_archivo(self):
        archivo = self.cleaned_data["archivo"]
        if archivo.size > settings.ICSOE_CARGA_MAX_BYTES:
            raise ValidationError(motor.mensaje_tamano())
        if not (archivo.name or "").lower().endswith(motor.EXTENSIONES):
            raise ValidationError(motor.MENSAJE_EXTENSION)
        return archivo
