from __future__ import annotations

from allauth.account.forms import LoginForm


class CurpLoginForm(LoginForm):
    """allauth's login form with the labels of the ICSOE capturista login: Usuario (CURP) and Contraseña."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["login"].label = "Usuario (CURP)"
        self.fields["login"].widget.attrs.update(
            {"placeholder": "CURP", "autocomplete": "username", "maxlength": "18", "autocapitalize": "characters"}
        )
        self.fields["password"].label = "Contraseña"
        self.fields["password"].widget.attrs["placeholder"] = ""
        self.fields.pop("remember", None)

    def clean_login(self) -> str:
        return self.cleaned_data["login"].strip().upper()
