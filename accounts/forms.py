from __future__ import annotations

from typing import Any

from allauth.account.forms import ChangePasswordForm, LoginForm, ResetPasswordForm
from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm, AdminPasswordChangeForm
from django.http import HttpRequest

from .freno import con_freno


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


# ----------------------------------------------------------------------------------------------------------
# Every other form that checks a password, under the same throttle as the CURP login (accounts.freno)
# ----------------------------------------------------------------------------------------------------------
class CambioContrasenaForm(ChangePasswordForm):
    """allauth's password change; the current password is checked under the throttle."""

    def __init__(self, *args: Any, request: HttpRequest, **kwargs: Any) -> None:
        self.request = request
        super().__init__(*args, **kwargs)

    def clean_oldpassword(self) -> str:
        assert self.user is not None  # the view requires a login
        return con_freno(self.request, cuenta=self.user.get_username(), comprobar=super().clean_oldpassword)


class AdminIngresoForm(AdminAuthenticationForm):
    """/admin/login/ (staff log in with their username): the password is checked under the throttle. The
    right password of an account that is not staff is refused by the admin, but is not a wrong password."""

    def clean(self) -> dict[str, Any]:
        cuenta, password = self.cleaned_data.get("username"), self.cleaned_data.get("password")
        if cuenta is None or not password:
            return super().clean()
        return con_freno(
            self.request, cuenta=cuenta, comprobar=super().clean, fallido=lambda: self.user_cache is None
        )


class AdminCambioContrasenaForm(AdminPasswordChangeForm):
    """The admin's password change; the current password is checked under the throttle."""

    def __init__(self, *args: Any, request: HttpRequest, **kwargs: Any) -> None:
        self.request = request
        super().__init__(*args, **kwargs)

    def clean_old_password(self) -> str:
        return con_freno(self.request, cuenta=self.user.get_username(), comprobar=super().clean_old_password)
