from __future__ import annotations

from django import forms


class AutorizarForm(forms.Form):
    """The RFC of the contratante to authorise: picked from those its filings name, or typed."""

    rfc = forms.CharField(label="RFC del contratante", max_length=13)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["rfc"].widget.attrs.update({"autocomplete": "off", "autocapitalize": "characters"})
        self.fields["rfc"].error_messages.update(
            {
                "required": "Captura el RFC del contratante.",
                "max_length": "El RFC debe tener 12 caracteres (persona moral) o 13 (persona física).",
            }
        )
