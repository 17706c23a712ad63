"""Modificar presentación (the complementaria's type) and the public verification of an acuse."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any, cast

from django import forms
from django.conf import settings

from ..models import Informativa
from ..periodos import Periodo


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


MAXIMO_PDF_ACUSE = settings.ICSOE_VERIFICAR_PDF_MAX_BYTES  # also the door's limit for its URL (settings)


class VerificarAcuseForm(forms.Form):
    """Folio and verification code (what the acuse's QR holds), or the acuse PDF itself, or all three."""

    folio = forms.CharField(label="Folio definitivo de la informativa", max_length=20, required=False)
    codigo = forms.CharField(
        label="Código de verificación",
        max_length=40,
        required=False,
        help_text="Aparece en el acuse, junto al código QR (20 caracteres).",
    )
    archivo = forms.FileField(
        label="Archivo PDF del acuse, o la constancia o el Excel de un expediente de contratante",
        required=False,
        help_text="Opcional: compara el archivo, byte por byte, con el que emitió el portal.",
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["folio"].widget.attrs.update({"autocomplete": "off", "autocapitalize": "characters"})
        self.fields["codigo"].widget.attrs.update(
            {"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}
        )
        self.fields["archivo"].widget.attrs["accept"] = (
            ".pdf,.xlsx,application/pdf,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )

    def clean_folio(self) -> str:
        return re.sub(r"\s", "", self.cleaned_data["folio"]).upper()

    def clean_archivo(self):
        archivo = self.cleaned_data["archivo"]
        if archivo and archivo.size > MAXIMO_PDF_ACUSE:
            raise forms.ValidationError(
                f"El archivo es demasiado grande para ser un acuse (máximo {MAXIMO_PDF_ACUSE / 2**20:g} MB)."
            )
        return archivo

    def clean(self):
        datos = cast("dict[str, Any]", super().clean())
        folio, codigo, archivo = datos.get("folio"), (datos.get("codigo") or "").strip(), datos.get("archivo")
        if folio and not codigo:
            self.add_error("codigo", "Captura el código de verificación que aparece en el acuse, junto al código QR.")
        elif codigo and not folio:
            self.add_error("folio", "Captura el folio definitivo de la informativa.")
        elif not folio and not codigo and not archivo and "archivo" not in self.errors:
            self.add_error(
                "folio",
                "Captura el folio y el código de verificación del acuse, o selecciona el archivo PDF del acuse.",
            )
        return datos


# ----------------------------------------------------------------------------------------------------------
# Every acuse of a period (the Acuses page, and the board of a capturista who serves several contratistas)
# ----------------------------------------------------------------------------------------------------------
class DescargaAcusesForm(forms.Form):
    """Which period, and whether the ZIP of its acuses or the summary workbook. The periods offered are the
    caller's (those with acuses, or the board's columns); anything else is refused."""

    FORMATOS = (("zip", "Acuses en ZIP"), ("xlsx", "Resumen en Excel"))

    periodo = forms.ChoiceField(
        label="Periodo",
        error_messages={
            "required": "Selecciona el periodo de los acuses que quieres descargar.",
            "invalid_choice": "Selecciona uno de los periodos de la lista.",
        },
    )
    formato = forms.ChoiceField(choices=FORMATOS, required=False)

    def __init__(self, *args, periodos: Sequence[Periodo], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.periodos = {p.clave: p for p in periodos}
        cast(forms.ChoiceField, self.fields["periodo"]).choices = [("", "--Selecciona--")] + [(k, str(p)) for k, p in self.periodos.items()]

    def clean_periodo(self) -> Periodo:
        return self.periodos[self.cleaned_data["periodo"]]

    def clean_formato(self) -> str:
        return self.cleaned_data["formato"] or "zip"

