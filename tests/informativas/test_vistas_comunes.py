"""The views' shared module (informativas/vistas_comunes.py): what captura, carga, nómina, bloque and the
two-phase upload used to import from captura's private helpers."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError

from informativas.captura.wizard import PASO_CONTRATISTA, PASO_TRABAJADORES
from informativas.vistas_comunes import errores_al_formulario, paso_url


class _Form(forms.Form):
    nss = forms.CharField()


def test_errores_al_formulario_pone_cada_error_en_su_campo_y_el_resto_arriba():
    form = _Form({"nss": "12345678901"})
    assert form.is_valid()
    errores_al_formulario(
        form, ValidationError({"nss": "El NSS ya está registrado.", "otro": "Revisa el contrato."})
    )
    assert form.errors["nss"] == ["El NSS ya está registrado."]
    assert form.non_field_errors() == ["Revisa el contrato."]

    form = _Form({"nss": "12345678901"})
    assert form.is_valid()
    errores_al_formulario(form, ValidationError(["Uno.", "Dos."]))
    assert form.non_field_errors() == ["Uno.", "Dos."]


def test_paso_url_es_la_del_asistente(informativa, contrato):
    assert paso_url(informativa, "trabajadores", contrato) == PASO_TRABAJADORES.url(informativa, contrato)
    assert paso_url(informativa, "trabajadores", contrato) == (
        f"/informativas/{informativa.code}/contratos/{contrato.code}/captura/trabajadores/"
    )
    assert paso_url(informativa, "contratista") == PASO_CONTRATISTA.url(informativa)
    assert paso_url(informativa, "contratista") == f"/informativas/{informativa.code}/captura/contratista/"
