"""Forms of the Información del contratista: they validate and normalise; the services store."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from plazos import reloj

from .domicilio import SI_NO, si_no_inicial
from .models import Contratista
from .validators import (
    MENSAJE_CORREO_INVALIDO,
    CelularValidator,
    RegistroRepseValidator,
    solo_digitos,
    validar_pdf,
)

MENSAJE_CORREOS = "Los correos electrónicos no coinciden."
MENSAJE_REPSE_FUTURA = "La fecha de registro REPSE no puede ser posterior a hoy."
MENSAJE_TELEFONO = "El teléfono fijo debe tener 10 dígitos (lada y número)."


# ----------------------------------------------------------------------------------------------------------
# Generales y documentos
# ----------------------------------------------------------------------------------------------------------
class DatosGeneralesForm(forms.Form):
    correo = forms.EmailField(
        label="Correo electrónico",
        max_length=254,
        error_messages={"required": "Captura el correo electrónico.", "invalid": MENSAJE_CORREO_INVALIDO},
    )
    confirmar_correo = forms.EmailField(
        label="Confirmar correo electrónico",
        max_length=254,
        error_messages={"required": "Confirma el correo electrónico.", "invalid": MENSAJE_CORREO_INVALIDO},
    )
    celular = forms.CharField(
        label="Celular", max_length=20, help_text="10 dígitos", error_messages={"required": "Captura el celular."}
    )
    telefono_fijo = forms.CharField(label="Teléfono fijo", max_length=20, required=False, help_text="10 dígitos")
    domicilio_social_igual_fiscal = forms.ChoiceField(
        label="¿El domicilio social del contratista es igual a su domicilio fiscal?",
        choices=SI_NO,
        widget=forms.RadioSelect,
        error_messages={"required": "Indica si el domicilio social es igual al domicilio fiscal."},
    )
    registro_repse = forms.CharField(
        label="Número de registro REPSE",
        max_length=40,
        help_text="Como aparece en el acuse de la STPS, por ejemplo AR12345/2021.",
        error_messages={"required": "Captura el número de registro REPSE."},
    )
    repse_fecha_registro = forms.DateField(
        label="Fecha de registro o última renovación REPSE",
        required=False,
        help_text="La del acuse de la STPS. El registro vence tres años después y se renueva en los tres meses "
        "previos a su vencimiento.",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": "Captura una fecha válida."},
    )

    def __init__(self, *args: Any, contratista: Contratista, **kwargs: Any) -> None:
        if "initial" not in kwargs:
            kwargs["initial"] = {
                "correo": contratista.correo,
                "confirmar_correo": contratista.correo,
                "celular": contratista.celular,
                "telefono_fijo": contratista.telefono_fijo,
                "domicilio_social_igual_fiscal": si_no_inicial(contratista.domicilio_social_igual_fiscal),
                "registro_repse": contratista.registro_repse,
                "repse_fecha_registro": contratista.repse_fecha_registro,
            }
        super().__init__(*args, **kwargs)
        self.contratista = contratista
        if not contratista.es_persona_moral:  # the domicilio social applies only to personas morales
            del self.fields["domicilio_social_igual_fiscal"]
        self.fields["celular"].widget.attrs.update({"inputmode": "tel", "autocomplete": "tel-national"})
        self.fields["telefono_fijo"].widget.attrs.update({"inputmode": "tel"})
        for campo in ("correo", "confirmar_correo"):
            self.fields[campo].widget.attrs.update({"autocomplete": "email"})
        self.fields["confirmar_correo"].widget.attrs["autocomplete"] = "off"
        self.fields["registro_repse"].widget.attrs.update({"autocapitalize": "characters"})

    def clean_correo(self) -> str:
        return self.cleaned_data["correo"].strip().lower()

    def clean_confirmar_correo(self) -> str:
        return self.cleaned_data["confirmar_correo"].strip().lower()

    def clean_celular(self) -> str:
        celular = solo_digitos(self.cleaned_data["celular"])
        CelularValidator()(celular)
        return celular

    def clean_telefono_fijo(self) -> str:
        telefono = solo_digitos(self.cleaned_data["telefono_fijo"])
        if telefono and not re.fullmatch(r"\d{10}", telefono):
            raise ValidationError(MENSAJE_TELEFONO, code="telefono")
        return telefono

    def clean_registro_repse(self) -> str:
        valor = re.sub(r"\s+", "", self.cleaned_data["registro_repse"]).upper()
        RegistroRepseValidator()(valor)
        return valor

    def clean_repse_fecha_registro(self) -> date | None:
        fecha = self.cleaned_data["repse_fecha_registro"]
        if fecha is not None and fecha > reloj.hoy():
            raise ValidationError(MENSAJE_REPSE_FUTURA, code="repse_futura")
        return fecha

    def clean(self) -> dict[str, Any]:
        datos = super().clean()
        correo, confirmar = datos.get("correo"), datos.get("confirmar_correo")
        if correo and confirmar and correo != confirmar:
            self.add_error("confirmar_correo", ValidationError(MENSAJE_CORREOS, code="correos"))
        return datos

    def domicilio_social_no(self) -> bool:
        return "domicilio_social_igual_fiscal" in self.fields and self["domicilio_social_igual_fiscal"].value() == "no"


class AcuseForm(forms.Form):
    """The "Carga y adjunto de documentos" file, checked on every submit of the page so a valid PDF is kept
    (as a pending upload) even when other fields come back with errors."""

    acuse = forms.FileField(
        label="Acuse de registro en padrón de la STPS",
        required=False,
        help_text="Archivo con extensión: .pdf, 5MB máx",
        error_messages={"empty": "El archivo está vacío."},
    )
    acuse_pendiente = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["acuse"].widget.attrs["accept"] = ".pdf,application/pdf"

    def clean_acuse(self) -> Any:
        archivo = self.cleaned_data.get("acuse")
        if archivo:
            validar_pdf(archivo)
        return archivo

    def archivo_valido(self) -> Any:
        """The uploaded file when it passed its checks, else None."""
        return self.cleaned_data.get("acuse") if self.is_valid() else None


# ----------------------------------------------------------------------------------------------------------
# Recordatorios de vencimiento
# ----------------------------------------------------------------------------------------------------------
class RecordatoriosForm(forms.Form):
    activos = forms.BooleanField(
        label="Enviarme recordatorios del vencimiento de la informativa",
        required=False,
        help_text="A tu correo electrónico: 10, 3 y 1 día antes de la fecha límite, y el día siguiente si venció "
        "sin presentarla.",
    )
    capturistas = forms.BooleanField(
        label="Enviarlos también a mis capturistas activos",
        required=False,
        help_text="A cada capturista con relación activa, a su correo registrado en Alta de usuarios.",
    )

    def __init__(self, *args: Any, contratista: Contratista, **kwargs: Any) -> None:
        kwargs.setdefault(
            "initial",
            {"activos": contratista.recordatorios_activos, "capturistas": contratista.recordatorios_capturistas},
        )
        super().__init__(*args, **kwargs)
