from __future__ import annotations

import re
from typing import Any, cast

from django import forms

from accounts.models import User
from accounts.renapo import CurpError, PersonaCurp, curp_consultar

MENSAJE_TELEFONO = "El teléfono debe tener 10 dígitos."
MENSAJE_CORREOS = "Los correos electrónicos no coinciden."
MENSAJE_CONTRASENAS = "Las contraseñas no coinciden."


def _curp_field() -> forms.CharField:
    campo = forms.CharField(label="CURP", max_length=24)
    campo.widget.attrs.update({"maxlength": "18", "autocomplete": "off", "autocapitalize": "characters"})
    return campo


class ValidarCurpForm(forms.Form):
    """"Validar": the CURP alone, checked against the registry; ``persona`` holds who it belongs to."""

    curp = _curp_field()

    persona: PersonaCurp | None = None

    def clean_curp(self) -> str:
        try:
            self.persona = curp_consultar(self.cleaned_data["curp"])
        except CurpError as error:
            raise forms.ValidationError(error.mensaje, code="curp") from None
        return self.persona.curp


class ContactoForm(forms.Form):
    """Teléfono and correo (typed twice), shared by the alta and the edición."""

    telefono = forms.CharField(label="Teléfono", max_length=20)
    correo = forms.EmailField(label="Correo electrónico", max_length=254)
    confirmar_correo = forms.EmailField(label="Confirmar correo electrónico", max_length=254)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["telefono"].widget.attrs.update({"inputmode": "tel", "autocomplete": "off"})
        for campo in ("correo", "confirmar_correo"):
            self.fields[campo].widget.attrs["autocomplete"] = "off"

    def clean_telefono(self) -> str:
        digitos = re.sub(r"[\s\-().]", "", self.cleaned_data["telefono"])
        if not re.fullmatch(r"\d{10}", digitos):
            raise forms.ValidationError(MENSAJE_TELEFONO, code="telefono")
        return digitos

    def clean_correo(self) -> str:
        return self.cleaned_data["correo"].strip().lower()

    def clean_confirmar_correo(self) -> str:
        return self.cleaned_data["confirmar_correo"].strip().lower()

    def clean(self) -> dict[str, Any]:
        datos = cast("dict[str, Any]", super().clean())
        correo, confirmar = datos.get("correo"), datos.get("confirmar_correo")
        if correo and confirmar and correo != confirmar:
            self.add_error("confirmar_correo", forms.ValidationError(MENSAJE_CORREOS, code="correos"))
        return datos


class AltaCapturistaForm(ContactoForm):
    curp = _curp_field()
    rol = forms.ChoiceField(label="Rol asignado", choices=[(User.Rol.CAPTURISTA, "Capturista")])

    field_order = ["curp", "rol", "telefono", "correo", "confirmar_correo"]

    persona: PersonaCurp | None = None

    clean_curp = ValidarCurpForm.clean_curp


class EditarCapturistaForm(ContactoForm):
    pass


class ContrasenaForm(forms.Form):
    """Contraseña nueva + Confirmar contraseña. The password rules are the service's
    (``contrasena_establecer`` runs the project's validators)."""

    contrasena = forms.CharField(
        label="Contraseña nueva",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    confirmar_contrasena = forms.CharField(
        label="Confirmar contraseña",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean(self) -> dict[str, Any]:
        datos = cast("dict[str, Any]", super().clean())
        contrasena, confirmar = datos.get("contrasena"), datos.get("confirmar_contrasena")
        if contrasena and confirmar and contrasena != confirmar:
            error = forms.ValidationError(MENSAJE_CONTRASENAS, code="contrasenas")
            self.add_error("confirmar_contrasena", error)
        return datos


class RecuperarContrasenaForm(forms.Form):
    """"¿Olvidaste tu contraseña?": CURP and the email the capturista was registered with."""

    curp = _curp_field()
    correo = forms.EmailField(label="Correo electrónico", max_length=254)

    def clean_curp(self) -> str:
        return "".join(self.cleaned_data["curp"].split()).upper()

    def clean_correo(self) -> str:
        return self.cleaned_data["correo"].strip().lower()


class SeleccionarContratistaForm(forms.Form):
    contratista = forms.ChoiceField(
        label="Contratista",
        widget=forms.RadioSelect,
        error_messages={
            "required": "Selecciona un contratista.",
            "invalid_choice": "Selecciona un contratista.",
        },
    )

    def __init__(self, *args: Any, opciones: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["contratista"]).choices = opciones
