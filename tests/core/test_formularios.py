"""Stock messages in the portal's voice (issue 14, defect 8): one catalog (locale/es_MX) says tú for Django,
its password validators, the admin login and allauth; the form renderer's BoundField names the field in
Django's stock field messages and leaves a form's own messages alone."""

from __future__ import annotations

import pytest
from django import forms
from django.utils import translation
from django.utils.translation import gettext, ngettext

from tests.conftest import REPO


@pytest.fixture(autouse=True)
def _es_mx():
    with translation.override("es-mx"):
        yield


class Formulario(forms.Form):
    correo = forms.EmailField(label="Correo electrónico")
    contratos = forms.IntegerField(label="Número de contratos", min_value=0, max_value=10)
    tipo = forms.ChoiceField(label="Tipo", choices=[("N", "Normal")])
    nombre = forms.CharField(label="Nombre", max_length=3)
    acepto = forms.BooleanField(label="Acepto los términos")
    colonia = forms.CharField(label="Colonia", error_messages={"required": "Selecciona la colonia."})


def _errores(datos: dict) -> dict[str, list[str]]:
    form = Formulario(datos)
    form.is_valid()
    return {campo.name: list(campo.errors) for campo in form if campo.errors}


def test_required_fields_are_named_by_what_the_user_does_with_them():
    assert _errores({}) == {
        "correo": ["El campo «Correo electrónico» es obligatorio."],
        "contratos": ["El campo «Número de contratos» es obligatorio."],
        "tipo": ["Selecciona una opción en «Tipo»."],
        "nombre": ["El campo «Nombre» es obligatorio."],
        "acepto": ["Marca la casilla «Acepto los términos»."],
        "colonia": ["Selecciona la colonia."],  # the form's own message stays
    }


def test_limits_formats_and_choices_name_the_field():
    errores = _errores({"correo": "no", "contratos": "-1", "tipo": "X", "nombre": "ABCD", "acepto": "on", "colonia": "x"})

    assert errores == {
        "correo": ["Escribe un correo electrónico válido en «Correo electrónico»."],
        "contratos": ["«Número de contratos» debe ser mayor o igual a 0."],
        "tipo": ["Selecciona una opción válida en «Tipo»."],
        "nombre": ["«Nombre» admite como máximo 3 caracteres (tiene 4)."],
    }
    assert _errores({**dict.fromkeys(["correo"], "a@b.mx"), "contratos": "11", "tipo": "N", "nombre": "A",
                     "acepto": "on", "colonia": "x"}) == {"contratos": ["«Número de contratos» debe ser menor o igual a 10."]}


@pytest.mark.parametrize(
    ("stock", "nuestro"),
    [
        ("This field is required.", "Este dato es obligatorio."),
        ("Ensure this value is greater than or equal to %(limit_value)s.", "Asegúrate de que este valor sea mayor o igual a %(limit_value)s."),
        ("Your password can’t be too similar to your other personal information.", "Tu contraseña no puede parecerse a tus otros datos personales."),
        ("This password is too common.", "Tu contraseña es muy común: elige otra."),
        ("Successfully signed in as %(name)s.", "Iniciaste sesión como %(name)s."),
        ("Forgot your password?", "¿Olvidaste tu contraseña?"),
        ("The username and/or password you specified are not correct.", "El usuario (CURP) o la contraseña no son correctos."),
    ],
)
def test_the_catalog_is_compiled_and_overrides_the_stock_text(stock, nuestro):
    assert gettext(stock) == nuestro


def test_plural_stock_messages_say_tu():
    assert ngettext(
        "This password is too short. It must contain at least %(min_length)d character.",
        "This password is too short. It must contain at least %(min_length)d characters.",
        8,
    ) == "Tu contraseña es muy corta: debe tener al menos %(min_length)d caracteres."


def test_the_admin_login_message_says_tu():
    from django.contrib.admin.forms import AdminAuthenticationForm

    mensaje = str(AdminAuthenticationForm.error_messages["invalid_login"])
    assert mensaje.startswith("Escribe el %(username)s y la contraseña correctos")
    assert "introduza" not in mensaje


def test_no_stock_text_in_the_catalog_speaks_as_usted():
    catalogo = (REPO / "locale" / "es_MX" / "LC_MESSAGES" / "django.po").read_text(encoding="utf-8")
    traducciones = [linea for linea in catalogo.splitlines() if linea.startswith("msgstr")]

    assert len(traducciones) > 30
    for palabra in ("Su ", " su ", "Asegúrese", "Introduzca", "Seleccione", "Inténtelo", "Por favor"):
        assert not [t for t in traducciones if palabra in t], palabra
