from __future__ import annotations

from allauth.account.forms import LoginForm, ResetPasswordForm
from django import forms


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
        # allauth puts its own "forgot password" link in the help text; the page has ICSOE's, once.
        self.fields["password"].help_text = ""
        self.fields.pop("remember", None)

    def clean_login(self) -> str:
        return self.cleaned_data["login"].strip().upper()


class RestablecimientoPorCorreoDeshabilitadoForm(ResetPasswordForm):
    """allauth's e-mail-only password reset is closed: in ICSOE a capturista restores the password with the
    CURP and the e-mail together ("¿Olvidaste tu contraseña?", capturistas:recuperar), whose links last 24
    hours. Refusing here means a direct POST to allauth's view never sends anything."""

    def clean_email(self) -> str:
        raise forms.ValidationError(
            "Para restablecer tu contraseña captura tu CURP y tu correo electrónico en "
            "«¿Olvidaste tu contraseña?».",
            code="reset_por_curp",
        )
