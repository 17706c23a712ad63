from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError

from . import cfdi as lector
from . import services


class _VariosArchivos(forms.ClearableFileInput):
    allow_multiple_selected = True


class _CampoVariosArchivos(forms.FileField):
    def clean(self, data: Any, initial: Any = None) -> list:
        if isinstance(data, list | tuple):
            return [super(_CampoVariosArchivos, self).clean(d, initial) for d in data]
        return [super().clean(data, initial)]


class NominaForm(forms.Form):
    archivos = _CampoVariosArchivos(
        label="ZIP con los XML de nómina, o los archivos XML",
        error_messages={"required": services.MENSAJE_SIN_ARCHIVO, "empty": lector.MENSAJE_ARCHIVO_VACIO},
        widget=_VariosArchivos(attrs={"accept": ".zip,.xml,application/zip,text/xml", "multiple": True}),
    )

    def clean_archivos(self) -> list:
        archivos = self.cleaned_data["archivos"]
        if sum(a.size for a in archivos) > settings.ICSOE_NOMINA_MAX_BYTES:
            raise ValidationError(services.mensaje_tamano())
        for archivo in archivos:
            nombre = (archivo.name or "").lower()
            if not nombre.endswith((".zip", ".xml")) or (len(archivos) > 1 and nombre.endswith(".zip")):
                raise ValidationError(services.MENSAJE_EXTENSION)
        return archivos
