"""Making a link: how many days it lasts, and the correo it is sent to (optional, confirmed by the user)."""

from __future__ import annotations

from typing import Any

from django import forms

from . import services


class EnlaceForm(forms.Form):
    vigencia_dias = forms.IntegerField(
        label="Vigencia de la liga (días)",
        initial=services.VIGENCIA_POR_OMISION,
        help_text=f"De {services.VIGENCIA_MINIMA} a {services.VIGENCIA_MAXIMA} días; {services.VIGENCIA_POR_OMISION} si no la cambias.",
        error_messages={
            "required": "Indica cuántos días será válida la liga.",
            "invalid": "La vigencia debe ser un número entero de días.",
        },
    )
    enviar_correo = forms.BooleanField(label="Enviar la liga por correo electrónico al contratante", required=False)
    correo = forms.EmailField(
        label="Correo electrónico del contratante",
        required=False,
        max_length=254,
        help_text="Tomado de los datos del contrato; revísalo o cámbialo antes de enviar.",
        error_messages={"invalid": "Captura un correo electrónico válido (por ejemplo, compras@cliente.mx)."},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["vigencia_dias"].widget.attrs.update(
            {"min": services.VIGENCIA_MINIMA, "max": services.VIGENCIA_MAXIMA, "inputmode": "numeric"}
        )
        self.fields["correo"].widget.attrs.update({"autocomplete": "off", "spellcheck": "false"})

    def clean_vigencia_dias(self) -> int:
        dias = self.cleaned_data["vigencia_dias"]
        try:
            services.vigencia_validar(dias)
        except forms.ValidationError as error:
            raise forms.ValidationError(error.messages[0], code="vigencia") from None
        return dias

    def clean(self) -> dict[str, Any]:
        datos = super().clean() or {}
        if datos.get("enviar_correo") and not datos.get("correo") and "correo" not in self.errors:
            self.add_error("correo", "Captura el correo al que se enviará la liga, o desmarca «Enviar la liga por correo».")
        return datos

    @property
    def correo_confirmado(self) -> str:
        """The correo to send to: only when the user ticked «Enviar»."""
        return self.cleaned_data["correo"] if self.cleaned_data.get("enviar_correo") else ""
