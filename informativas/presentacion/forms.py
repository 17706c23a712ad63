"""Modificar presentación (the complementaria's type) and the public verification of an acuse."""

from __future__ import annotations

import re

from django import forms

from ..models import Informativa


# ----------------------------------------------------------------------------------------------------------
# Modificar presentación and the public verification of an acuse
# ----------------------------------------------------------------------------------------------------------
class ComplementariaForm(forms.Form):
    tipo = forms.ChoiceField(
        label="Tipo de complementaria",
        widget=forms.RadioSelect,
        choices=[(t.value, t.label) for t in Informativa.TIPOS_COMPLEMENTARIA],
        error_messages={"required": "Selecciona el tipo de complementaria."},
    )


class VerificarAcuseForm(forms.Form):
    folio = forms.CharField(
        label="Folio definitivo de la informativa",
        max_length=20,
        error_messages={"required": "Captura el folio definitivo de la informativa."},
    )

    def clean_folio(self) -> str:
        return re.sub(r"\s", "", self.cleaned_data["folio"]).upper()
