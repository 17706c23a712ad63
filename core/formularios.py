"""Every form of the portal names the field in Django's stock messages ("Este campo es obligatorio." beside a
field says nothing once it is read out of context, by a screen reader or in an error summary).

The portal's form renderer (settings.FORM_RENDERER) gives every form this BoundField, whose ``errors`` replace
Django's stock messages, and only those, with a message that names the field and speaks as the guides do
(tú). A message a form wrote itself ("Selecciona la colonia.") is left as it is. The stock text itself, where
no field is at hand, is overridden in one catalog: locale/es_MX/LC_MESSAGES/django.po.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.core import validators
from django.core.exceptions import ValidationError
from django.forms.boundfield import BoundField
from django.forms.renderers import DjangoTemplates
from django.forms.utils import ErrorList


def _stock(*mensajes: Any) -> tuple[Any, ...]:
    return mensajes


# (stock message objects, message naming the field). Matched by identity: a form's own text never matches.
_OBLIGATORIO = _stock(forms.Field.default_error_messages["required"])
_POR_CODIGO: dict[str, tuple[tuple[Any, ...], str]] = {
    "max_length": (
        _stock(validators.MaxLengthValidator.message),
        "«{campo}» admite como máximo {limit_value} caracteres (tiene {show_value}).",
    ),
    "min_length": (
        _stock(validators.MinLengthValidator.message),
        "«{campo}» debe tener al menos {limit_value} caracteres (tiene {show_value}).",
    ),
    "min_value": (
        _stock(validators.MinValueValidator.message),
        "«{campo}» debe ser mayor o igual a {limit_value}.",
    ),
    "max_value": (
        _stock(validators.MaxValueValidator.message),
        "«{campo}» debe ser menor o igual a {limit_value}.",
    ),
    "invalid_choice": (
        _stock(
            forms.ChoiceField.default_error_messages["invalid_choice"],
            forms.ModelChoiceField.default_error_messages["invalid_choice"],
            forms.MultipleChoiceField.default_error_messages["invalid_choice"],
        ),
        "Selecciona una opción válida en «{campo}».",
    ),
    "invalid": (
        _stock(
            validators.EmailValidator.message,
            forms.IntegerField.default_error_messages["invalid"],
            forms.DecimalField.default_error_messages["invalid"],
            forms.FloatField.default_error_messages["invalid"],
            forms.DateField.default_error_messages["invalid"],
            validators.RegexValidator.message,
        ),
        "«{campo}» no es válido: revisa lo que escribiste.",
    ),
}
_INVALIDO_POR_TIPO: list[tuple[type[forms.Field], str]] = [
    (forms.EmailField, "Escribe un correo electrónico válido en «{campo}»."),
    (forms.IntegerField, "Escribe un número entero en «{campo}»."),
    (forms.DecimalField, "Escribe un número en «{campo}»."),
    (forms.FloatField, "Escribe un número en «{campo}»."),
    (forms.DateField, "Escribe una fecha válida en «{campo}» (dd/mm/aaaa)."),
]


def mensaje_obligatorio(field: forms.Field, campo: str) -> str:
    """The "required" message of a field, by what the user does with it."""
    if isinstance(field, forms.BooleanField):
        return f"Marca la casilla «{campo}»."
    if isinstance(field, forms.FileField):
        return f"Adjunta el archivo de «{campo}»."
    if isinstance(field, forms.ChoiceField | forms.ModelChoiceField) or isinstance(
        field.widget, forms.Select | forms.RadioSelect
    ):
        return f"Selecciona una opción en «{campo}»."
    return f"El campo «{campo}» es obligatorio."


def _es_stock(mensaje: Any, stock: tuple[Any, ...]) -> bool:
    return any(mensaje is s for s in stock)


def mensaje_con_campo(error: ValidationError, *, field: forms.Field, campo: str) -> str | None:
    """The stock ``error`` said with the field's name, or None when the form wrote its own message."""
    mensaje, parametros = error.message, dict(error.params or {})
    if error.code == "required" and _es_stock(mensaje, _OBLIGATORIO):
        return mensaje_obligatorio(field, campo)
    if error.code not in _POR_CODIGO or not _es_stock(mensaje, _POR_CODIGO[error.code][0]):
        return None
    plantilla = _POR_CODIGO[error.code][1]
    if error.code == "invalid":
        plantilla = next((p for tipo, p in _INVALIDO_POR_TIPO if isinstance(field, tipo)), plantilla)
    return plantilla.format(campo=campo, **parametros)


class BoundFieldConNombre(BoundField):
    """A BoundField whose stock error messages name the field (see the module's docstring)."""

    @property
    def errors(self) -> ErrorList:
        errores = super().errors
        if not errores:
            return errores
        campo = str(self.label).strip().rstrip(":*").strip()
        mensajes: list[ValidationError | str] = []
        for error in errores.as_data():
            nuevo = mensaje_con_campo(error, field=self.field, campo=campo)
            mensajes.append(ValidationError(nuevo, code=error.code) if nuevo else error)
        return self.form.error_class(mensajes, renderer=self.form.renderer)


class RendererIcsoe(DjangoTemplates):
    """Django's template renderer; every form it renders uses BoundFieldConNombre."""

    bound_field_class = BoundFieldConNombre
