"""The domicilio, one owner for every screen that captures one: the contratista's domicilio social and fiscal
(Información del contratista) and the informativa's (the contratista's convencional, each contratante's social
and convencional). Here are its fields, the Sí/No question that asks for it, the SEPOMEX lookups (códigos
postales and colonias), the form ("Ubicar domicilio geográfico nacional") and the save with its rules."""

from __future__ import annotations

import re
from collections.abc import Container
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet

from .models import Asentamiento, CodigoPostal, Domicilio, Estado, Municipio

SI_NO = [("si", "Sí"), ("no", "No")]
# The form's steps: Paso 1/3 locates the colonia, Paso 2/3 is the street.
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
# What a Domicilio stores besides its keys; ``sin_numero`` clears ``numero_exterior`` on save.
CAMPOS_DOMICILIO = ("asentamiento", *PASO_2)
MENSAJE_DOMICILIO = "Captura el domicilio."
MENSAJE_COLONIA = "Selecciona la colonia."
_CP = re.compile(r"\d{5}")


def si_no(valor: str | None) -> bool | None:
    """The answer of a Sí/No radio: True, False, or None when unanswered."""
    return {"si": True, "no": False}.get(valor or "")


def si_no_inicial(valor: bool | None) -> str | None:
    return None if valor is None else ("si" if valor else "no")


# ----------------------------------------------------------------------------------------------------------
# SEPOMEX lookups
# ----------------------------------------------------------------------------------------------------------
def colonias_de(codigo_postal: str) -> QuerySet[Asentamiento]:
    """The colonias (asentamientos) of a código postal; none unless it has 5 characters."""
    cp = (codigo_postal or "").strip()
    if len(cp) != 5:
        return Asentamiento.objects.none()
    return Asentamiento.objects.filter(codigo_postal__codigo=cp)


def problema_codigo_postal(codigo_postal: str, *, codigos: Container[str] | None = None) -> str | None:
    """Why a typed código postal cannot be used (empty, not 5 digits, not in the catalog), else None.
    ``codigos``: the catalog's códigos postales already looked up (a whole workbook's), instead of a query."""
    if not codigo_postal:
        return "Captura el código postal."
    if not _CP.fullmatch(codigo_postal):
        return "El código postal debe tener 5 dígitos."
    if codigos is not None:
        existe = codigo_postal in codigos
    else:
        existe = CodigoPostal.objects.filter(codigo=codigo_postal).exists()
    if not existe:
        return "El código postal no existe en el catálogo de SEPOMEX."
    return None


# ----------------------------------------------------------------------------------------------------------
# The save
# ----------------------------------------------------------------------------------------------------------
def domicilio_guardar(*, actual: Domicilio | None, datos: dict[str, Any] | None) -> Domicilio:
    """Stores ``datos`` (CAMPOS_DOMICILIO, ``asentamiento`` an Asentamiento) in ``actual`` or a new Domicilio.
    A domicilio marked ``sin_numero`` keeps no número exterior."""
    domicilio = domicilio_preparar(actual=actual, datos=datos)
    domicilio.full_clean()
    domicilio.save()
    return domicilio


def domicilio_preparar(*, actual: Domicilio | None, datos: dict[str, Any] | None) -> Domicilio:
    """``domicilio_guardar`` without the save: the Domicilio filled with ``datos`` (saved many at once by
    Contratos en bloque)."""
    if not datos:
        raise ValidationError(MENSAJE_DOMICILIO, code="domicilio")
    if not isinstance(datos.get("asentamiento"), Asentamiento):
        raise ValidationError(MENSAJE_COLONIA, code="colonia")
    domicilio = actual or Domicilio()
    for campo in CAMPOS_DOMICILIO:
        setattr(domicilio, campo, datos.get(campo, False if campo == "sin_numero" else ""))
    if domicilio.sin_numero:
        domicilio.numero_exterior = ""
    return domicilio


# ----------------------------------------------------------------------------------------------------------
# Domicilio: the guide's "Ubicar domicilio geográfico nacional" in three steps
# ----------------------------------------------------------------------------------------------------------


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
        self.fields["asentamiento"].queryset = colonias_de(self._cp_efectivo())
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
            self.add_error("asentamiento", MENSAJE_COLONIA)
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
        if problema := problema_codigo_postal(cp):
            return problema
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
