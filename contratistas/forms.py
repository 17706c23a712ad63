"""Forms of the Información del contratista: they validate and normalise; the services store."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from .models import Asentamiento, CodigoPostal, Contratista, Domicilio, Estado, Municipio
from .validators import (
    MENSAJE_CORREO_INVALIDO,
    CelularValidator,
    RegistroRepseValidator,
    solo_digitos,
    validar_pdf,
)

SI_NO = [("si", "Sí"), ("no", "No")]
MENSAJE_CORREOS = "Los correos electrónicos no coinciden."
MENSAJE_TELEFONO = "El teléfono fijo debe tener 10 dígitos (lada y número)."


def si_no(valor: str | None) -> bool | None:
    return {"si": True, "no": False}.get(valor or "")


def si_no_inicial(valor: bool | None) -> str | None:
    return {True: "si", False: "no"}.get(valor)  # type: ignore[arg-type]


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

    def __init__(self, *args: Any, contratista: Contratista, **kwargs: Any) -> None:
        if "initial" not in kwargs:
            kwargs["initial"] = {
                "correo": contratista.correo,
                "confirmar_correo": contratista.correo,
                "celular": contratista.celular,
                "telefono_fijo": contratista.telefono_fijo,
                "domicilio_social_igual_fiscal": si_no_inicial(contratista.domicilio_social_igual_fiscal),
                "registro_repse": contratista.registro_repse,
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
# Domicilio: the guide's "Ubicar domicilio geográfico nacional" in three steps
# ----------------------------------------------------------------------------------------------------------
PASO_1 = ("conoce_cp", "estado", "municipio", "codigo_postal", "asentamiento")
PASO_2 = (
    "calle",
    "numero_exterior",
    "sin_numero",
    "numero_interior",
    "entre_calle",
    "y_calle",
    "calle_posterior",
    "descripcion",
)
PASOS = ("1", "2", "3", "aceptado")


class DomicilioForm(forms.Form):
    """Paso 1/3: código postal (or estado and municipio to find it) and colonia from the SEPOMEX catalog;
    Paso 2/3: the street. ``hasta_paso=1`` checks only the first step (the "Ubicar" of Paso 1)."""

    conoce_cp = forms.ChoiceField(
        label="¿Conoces tu Código Postal?", choices=SI_NO, widget=forms.RadioSelect, required=False, initial="si"
    )
    estado = forms.ModelChoiceField(
        label="Estado",
        queryset=Estado.objects.all(),
        required=False,
        empty_label="--Selecciona por favor--",
        error_messages={"invalid_choice": "Selecciona un estado de la lista."},
    )
    municipio = forms.ModelChoiceField(
        label="Municipio o Alcaldía",
        queryset=Municipio.objects.none(),
        required=False,
        empty_label="--Selecciona por favor--",
        error_messages={"invalid_choice": "Selecciona un municipio del estado."},
    )
    codigo_postal = forms.CharField(
        label="Código Postal", max_length=5, required=False, error_messages={"max_length": "El código postal debe tener 5 dígitos."}
    )
    asentamiento = forms.ModelChoiceField(
        label="Colonia",
        queryset=Asentamiento.objects.none(),
        required=False,
        empty_label="--Selecciona por favor--",
        error_messages={"invalid_choice": "Selecciona una colonia del código postal."},
    )
    calle = forms.CharField(label="Calle", max_length=200, required=False)
    numero_exterior = forms.CharField(
        label="Número / Letra exterior", max_length=30, required=False, help_text="Ej. 999 / Mz. 9 Lt. 8"
    )
    sin_numero = forms.BooleanField(label="Sin número", required=False)
    numero_interior = forms.CharField(
        label="Número / Letra interior", max_length=30, required=False, help_text="Ej. 54 / Depto. 45 int."
    )
    entre_calle = forms.CharField(label="Entre calle", max_length=200, required=False)
    y_calle = forms.CharField(label="Y la calle", max_length=200, required=False)
    calle_posterior = forms.CharField(label="Calle posterior", max_length=200, required=False)
    descripcion = forms.CharField(label="Descripción de la ubicación", max_length=500, required=False)

    def __init__(self, *args: Any, domicilio: Domicilio | None = None, hasta_paso: int = 2, **kwargs: Any) -> None:
        if domicilio is not None and "initial" not in kwargs:
            a = domicilio.asentamiento
            kwargs["initial"] = {
                "conoce_cp": "si",
                "estado": a.codigo_postal.municipio.estado_id,
                "municipio": a.codigo_postal.municipio_id,
                "codigo_postal": a.codigo_postal.codigo,
                "asentamiento": a.pk,
                **{c: getattr(domicilio, c) for c in PASO_2},
            }
        super().__init__(*args, **kwargs)
        self.hasta_paso = hasta_paso
        estado = self._valor("estado")
        if estado and str(estado).isdigit():
            self.fields["municipio"].queryset = Municipio.objects.filter(estado_id=estado)
        self.fields["asentamiento"].queryset = Asentamiento.objects.filter(codigo_postal__codigo=self._cp_efectivo())
        self.fields["codigo_postal"].widget.attrs.update({"inputmode": "numeric", "autocomplete": "postal-code"})

    def _valor(self, campo: str) -> Any:
        return self.data.get(self.add_prefix(campo)) if self.is_bound else self.initial.get(campo)

    def _cp_efectivo(self) -> str:
        """The código postal typed, or, when the user does not know it, the one picked from the municipio's."""
        if self.is_bound and self._valor("conoce_cp") == "no" and self.data.get(self.add_prefix("codigo_postal_lista")):
            return str(self.data.get(self.add_prefix("codigo_postal_lista"))).strip()
        return str(self._valor("codigo_postal") or "").strip()

    @property
    def cp_elegido(self) -> str:
        return self._cp_efectivo()

    def ocultos(self, campos: tuple[str, ...]) -> list[tuple[str, str]]:
        """(name, value) of fields carried as hidden inputs while their step is not on screen."""
        pares = []
        for campo in campos:
            if campo == "codigo_postal":
                valor: Any = self.cp_elegido
            else:
                valor = self[campo].value()
            if campo == "sin_numero":
                if valor and str(valor).lower() not in ("false", "0", "off"):
                    pares.append((self.add_prefix(campo), "on"))
                continue
            if valor is None:
                valor = ""
            pares.append((self.add_prefix(campo), str(valor)))
        return pares

    def ubicado(self) -> dict[str, Any] | None:
        """Paso 2/3 shows the located colonia, código postal, municipio and estado."""
        if self.is_bound:
            asentamiento = getattr(self, "cleaned_data", {}).get("asentamiento")
        else:
            pk = self.initial.get("asentamiento")
            asentamiento = Asentamiento.objects.filter(pk=pk).first() if pk else None
        return resumen(asentamiento, {}) if asentamiento else None

    # What the template needs for the "No" path of "¿Conoces tu Código Postal?".
    @property
    def conoce_cp_no(self) -> bool:
        return self._valor("conoce_cp") == "no"

    @property
    def codigos_del_municipio(self) -> list[str]:
        municipio = self._valor("municipio")
        if not (municipio and str(municipio).isdigit()):
            return []
        return list(CodigoPostal.objects.filter(municipio_id=municipio).values_list("codigo", flat=True))

    def clean_codigo_postal(self) -> str:
        return self._cp_efectivo()

    def clean(self) -> dict[str, Any]:
        datos = super().clean()
        if datos.get("conoce_cp") == "no" and "estado" not in self.errors and "municipio" not in self.errors:
            if not datos.get("estado"):
                self.add_error("estado", "Selecciona el estado.")
            elif not datos.get("municipio"):
                self.add_error("municipio", "Selecciona el municipio o alcaldía.")
        problema_cp = self._problema_cp(datos)
        if problema_cp:
            # The colonia cannot be judged against a wrong código postal: report the cause only.
            self.errors.pop("asentamiento", None)
            self.cleaned_data.pop("asentamiento", None)
            self.add_error("codigo_postal", problema_cp)
        elif "asentamiento" not in self.errors and not datos.get("asentamiento"):
            self.add_error("asentamiento", "Selecciona la colonia.")
        if self.hasta_paso >= 2:
            if "calle" not in self.errors and not (datos.get("calle") or "").strip():
                self.add_error("calle", "Captura la calle.")
            if (
                "numero_exterior" not in self.errors
                and not datos.get("sin_numero")
                and not (datos.get("numero_exterior") or "").strip()
            ):
                self.add_error("numero_exterior", "Captura el número exterior o marca Sin número.")
        return datos

    def _problema_cp(self, datos: dict[str, Any]) -> str | None:
        if "codigo_postal" in self.errors:
            return None
        cp = datos.get("codigo_postal", "")
        if not cp:
            return "Captura el código postal."
        if not re.fullmatch(r"\d{5}", cp):
            return "El código postal debe tener 5 dígitos."
        if not CodigoPostal.objects.filter(codigo=cp).exists():
            return "El código postal no existe en el catálogo de SEPOMEX."
        municipio = datos.get("municipio")
        if datos.get("conoce_cp") == "no" and municipio and not CodigoPostal.objects.filter(codigo=cp, municipio=municipio).exists():
            return "Selecciona un código postal del municipio."
        return None

    def primer_paso_con_errores(self) -> str | None:
        if any(c in self.errors for c in PASO_1):
            return "1"
        if any(c in self.errors for c in PASO_2):
            return "2"
        return None

    def datos(self) -> dict[str, Any]:
        d = self.cleaned_data
        texto = {c: (d.get(c) or "").strip().upper() for c in PASO_2 if c != "sin_numero"}
        return {
            **texto,
            "asentamiento": d["asentamiento"],
            "sin_numero": bool(d.get("sin_numero")),
            "numero_exterior": "" if d.get("sin_numero") else texto["numero_exterior"],
        }

    def resumen(self) -> dict[str, Any]:
        """Paso 3/3: the located address, as the guide shows it before "Aceptar"."""
        datos = self.datos()
        return resumen(datos.pop("asentamiento"), datos)

    @classmethod
    def tecleado(cls, data: Any, *, prefix: str) -> DomicilioForm:
        """What was typed, redisplayed without checking it (a step not being validated)."""
        inicial = {c: data.get(f"{prefix}-{c}") for c in cls.base_fields if data.get(f"{prefix}-{c}") is not None}
        inicial["sin_numero"] = str(inicial.get("sin_numero", "")).lower() in ("on", "true", "1")
        return cls(prefix=prefix, initial=inicial)


def resumen(asentamiento: Asentamiento, datos: dict[str, Any]) -> dict[str, Any]:
    municipio = asentamiento.codigo_postal.municipio
    return {
        "codigo_postal": asentamiento.codigo_postal.codigo,
        "estado": municipio.estado.nombre,
        "municipio": municipio.nombre,
        "colonia": asentamiento.nombre,
        **{c: datos.get(c) for c in PASO_2},
    }


def resumen_de(domicilio: Domicilio) -> dict[str, Any]:
    return resumen(domicilio.asentamiento, {c: getattr(domicilio, c) for c in PASO_2})
