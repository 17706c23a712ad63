from __future__ import annotations

from django import forms

from ..validators import telefono_normalizar


class ContratanteCatalogoForm(forms.Form):
    razon_social = forms.CharField(label="Denominación o razón social / Nombre", max_length=254)
    correo = forms.EmailField(label="Correo electrónico", max_length=254)
    celular = forms.CharField(label="Celular", max_length=20, help_text="10 dígitos")
    telefono_fijo = forms.CharField(
        label="Teléfono fijo", max_length=20, required=False, help_text="10 dígitos"
    )

    def clean_celular(self) -> str:
        return telefono_normalizar(self.cleaned_data.get("celular"))

    def clean_telefono_fijo(self) -> str:
        return telefono_normalizar(self.cleaned_data.get("telefono_fijo"))
