"""The board's filters."""

from __future__ import annotations

from django import forms

from .services import Estado

MAXIMO_DIAS = 366
MAXIMO_DIAS_REPSE = 3 * 366  # a registration lasts three years


class FiltrosTableroForm(forms.Form):
    estado = forms.ChoiceField(
        label="Estado",
        required=False,
        choices=[("", "Todos"), *Estado.choices],
        error_messages={"invalid_choice": "Selecciona uno de los estados de la lista."},
    )
    vence_en = forms.IntegerField(
        label="Vence en (días)",
        required=False,
        min_value=0,
        max_value=MAXIMO_DIAS,
        help_text="Periodos por presentar cuyo plazo vence hoy o dentro de ese número de días.",
        error_messages={
            "invalid": "Escribe el número de días con cifras, por ejemplo 10.",
            "min_value": "Escribe un número de días de 0 en adelante.",
            "max_value": f"Escribe un número de días de {MAXIMO_DIAS} o menos.",
        },
    )

    repse_vence_en = forms.IntegerField(
        label="REPSE vence en N días",
        required=False,
        min_value=0,
        max_value=MAXIMO_DIAS_REPSE,
        help_text="Contratistas cuyo registro REPSE vence dentro de ese número de días o ya venció.",
        error_messages={
            "invalid": "Escribe el número de días con cifras, por ejemplo 90.",
            "min_value": "Escribe un número de días de 0 en adelante.",
            "max_value": f"Escribe un número de días de {MAXIMO_DIAS_REPSE} o menos.",
        },
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for campo in ("vence_en", "repse_vence_en"):
            self.fields[campo].widget.attrs.update({"inputmode": "numeric"})
