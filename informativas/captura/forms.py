"""Forms validate and normalise what the user typed; the services store it."""

from __future__ import annotations

import datetime
import re
from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError

from contratistas.domicilio import SI_NO, DomicilioForm, si_no, si_no_inicial
from contratistas.models import Contratista, Domicilio
from contratistas.validators import RegistroRepseValidator
from core.identificadores import RFC_DIGITO, normalizar, rfc_digito_valido

from .. import reglas
from ..models import Informativa
from ..periodos import Periodo, anios_disponibles, periodo_choices
from ..validators import sbc_convertir, telefono_normalizar, validar_curp, validar_nss, validar_rfc
from .services import DatosContratante

FORMATOS_FECHA = ["%Y-%m-%d", "%d/%m/%Y"]


class Identificador(forms.CharField):
    """Upper case, no spaces at the ends, before the validators run."""

    def to_python(self, value: Any) -> str:
        return normalizar(super().to_python(value))


class FechaInput(forms.DateInput):
    input_type = "date"

    def __init__(self) -> None:
        super().__init__(format="%Y-%m-%d")


# ----------------------------------------------------------------------------------------------------------
# Nueva informativa
# ----------------------------------------------------------------------------------------------------------
class NuevaInformativaForm(forms.Form):
    anio = forms.TypedChoiceField(label="Año", coerce=int)
    cuatrimestre = forms.TypedChoiceField(label="Periodo a informar", coerce=int, choices=periodo_choices())
    tipo = forms.ChoiceField(
        label="Tipo de informativa a presentar",
        choices=[(Informativa.Tipo.NORMAL, "Normal"), (Informativa.Tipo.SIN_INFORMACION, "Sin información")],
    )

    def __init__(self, *args: Any, contratista: Contratista, hoy: datetime.date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.contratista = contratista
        self.hoy = hoy
        cast(forms.ChoiceField, self.fields["anio"]).choices = [
            (a, str(a)) for a in anios_disponibles(fecha=hoy)
        ]
        for nombre in ("anio", "cuatrimestre", "tipo"):
            campo = cast(forms.ChoiceField, self.fields[nombre])
            campo.choices = [("", "--Selecciona--"), *cast("list[tuple[Any, str]]", campo.choices)]

    def clean(self) -> dict[str, Any]:
        datos = cast("dict[str, Any]", super().clean())
        if self.errors:
            return datos
        from .services import informativa_validar_periodo

        informativa_validar_periodo(
            contratista=self.contratista,
            anio=datos["anio"],
            cuatrimestre=datos["cuatrimestre"],
            tipo=datos["tipo"],
            hoy=self.hoy,
        )
        return datos

    @property
    def cuatrimestre_texto(self) -> str:
        valor: Any = (
            self.data.get(self.add_prefix("cuatrimestre"))
            if self.is_bound
            else self.initial.get("cuatrimestre")
        )
        try:
            return Periodo(2000, int(valor)).ordinal
        except (TypeError, ValueError):
            return ""


# ----------------------------------------------------------------------------------------------------------
# Domicilios (contratistas.domicilio.DomicilioForm: CP and colonia from SEPOMEX, then the street)
# ----------------------------------------------------------------------------------------------------------
class _ConDomicilios:
    """A form with Sí/No questions, each needing a domicilio when answered No."""

    preguntas: dict[str, str] = {}  # question field -> domicilio prefix
    fields: dict[str, forms.Field]  # the form's

    def _crear_domicilios(
        self, data: Any, domicilios: dict[str, Domicilio | None], tecleado: Any = None
    ) -> None:
        """A domicilio form is bound (and so checked) only when its question is answered No; otherwise it just
        shows what was typed (``tecleado``: redisplayed without checking) or stored."""
        self.domicilios = {}
        for pregunta, prefijo in self.preguntas.items():
            if data is not None and self.domicilio_requerido(pregunta):
                form = DomicilioForm(data, prefix=prefijo, domicilio=domicilios.get(pregunta))
            elif data is not None or tecleado is not None:
                origen = data if data is not None else tecleado
                valores = {c: origen.get(f"{prefijo}-{c}") for c in DomicilioForm.base_fields}
                form = DomicilioForm(
                    prefix=prefijo, initial={k: v for k, v in valores.items() if v is not None}
                )
            else:
                form = DomicilioForm(prefix=prefijo, domicilio=domicilios.get(pregunta))
            self.domicilios[pregunta] = form

    def domicilio_requerido(self, pregunta: str) -> bool:
        return pregunta in self.fields and self[pregunta].value() == "no"  # type: ignore[index]

    def todo_valido(self) -> bool:
        valido = self.is_valid()  # type: ignore[attr-defined]
        for pregunta, form in self.domicilios.items():
            if self.domicilio_requerido(pregunta) and not form.is_valid():
                valido = False
        return valido

    def domicilio_datos(self, pregunta: str) -> dict[str, Any] | None:
        form = self.domicilios[pregunta]
        return form.datos() if self.domicilio_requerido(pregunta) and form.is_valid() else None


class ContratistaForm(_ConDomicilios, forms.Form):
    domicilio_convencional_igual_fiscal = forms.ChoiceField(
        label="¿El domicilio convencional del contratista es igual a su domicilio fiscal?",
        choices=SI_NO,
        widget=forms.RadioSelect,
        error_messages={"required": "Indica si el domicilio convencional es igual al fiscal."},
    )
    preguntas = {"domicilio_convencional_igual_fiscal": "convencional"}

    def __init__(self, data: Any = None, *, informativa: Informativa) -> None:
        super().__init__(
            data,
            initial={
                "domicilio_convencional_igual_fiscal": si_no_inicial(
                    informativa.domicilio_convencional_igual_fiscal
                )
            },
        )
        self._crear_domicilios(
            data, {"domicilio_convencional_igual_fiscal": informativa.domicilio_convencional}
        )


# ----------------------------------------------------------------------------------------------------------
# Contratante
# ----------------------------------------------------------------------------------------------------------
class ContratanteForm(_ConDomicilios, forms.Form):
    rfc = Identificador(label="RFC", max_length=13, validators=[validar_rfc])
    confirmar_rfc = forms.BooleanField(
        label="Confirmo que el RFC es correcto aunque su dígito verificador no coincida", required=False
    )
    razon_social = forms.CharField(
        label="Denominación o razón social / Nombre", max_length=254, required=False
    )
    # The RFC the razón social belongs to ("Validar" sets it): a name kept after the RFC changed is refused.
    razon_social_rfc = forms.CharField(required=False, max_length=13, widget=forms.HiddenInput)
    # The RFC whose catálogo entry "Validar" filled fields with, and which fields (space separated): they
    # belong to that RFC, so the page clears them when the RFC changes and the server refuses contact data
    # filled for another RFC (services.contratante_llenado_revisar).
    llenado_rfc = forms.CharField(required=False, max_length=13, widget=forms.HiddenInput)
    llenado_campos = forms.CharField(required=False, max_length=2000, widget=forms.HiddenInput)
    correo = forms.EmailField(label="Correo electrónico", max_length=254)
    celular = forms.CharField(label="Celular", max_length=20, help_text="10 dígitos")
    telefono_fijo = forms.CharField(
        label="Teléfono fijo", max_length=20, required=False, help_text="10 dígitos"
    )
    domicilio_social_igual_fiscal = forms.ChoiceField(
        label="¿El domicilio social del contratante es igual a su domicilio fiscal?",
        choices=SI_NO,
        widget=forms.RadioSelect,
        required=False,
    )
    domicilio_convencional_igual_fiscal = forms.ChoiceField(
        label="¿El domicilio convencional del contratante es igual a su domicilio fiscal?",
        choices=SI_NO,
        widget=forms.RadioSelect,
        error_messages={"required": "Indica si el domicilio convencional es igual al fiscal."},
    )
    preguntas = {
        "domicilio_social_igual_fiscal": "social",
        "domicilio_convencional_igual_fiscal": "convencional",
    }

    def __init__(
        self, data: Any = None, *, contratista: Contratista, contrato=None, tecleado: Any = None
    ) -> None:
        """``tecleado``: what the user typed, shown again without checking it (after "Validar")."""
        inicial = {}
        if tecleado is not None:
            inicial = {c: tecleado.get(c) for c in self.base_fields if tecleado.get(c) is not None}
        elif contrato is not None:
            inicial = {
                "rfc": contrato.contratante_rfc,
                "confirmar_rfc": contrato.contratante_rfc_confirmado,
                "razon_social": contrato.contratante_razon_social,
                "razon_social_rfc": contrato.contratante_rfc,
                "correo": contrato.contratante_correo,
                "celular": contrato.contratante_celular,
                "telefono_fijo": contrato.contratante_telefono_fijo,
                "domicilio_social_igual_fiscal": si_no_inicial(contrato.domicilio_social_igual_fiscal),
                "domicilio_convencional_igual_fiscal": si_no_inicial(
                    contrato.domicilio_convencional_igual_fiscal
                ),
            }
        super().__init__(data, initial=inicial)
        self.contratista = contratista
        self.advertencia_rfc = bool(contrato and contrato.contratante_rfc_confirmado)
        self._crear_domicilios(
            data,
            {
                "domicilio_social_igual_fiscal": contrato.domicilio_social if contrato else None,
                "domicilio_convencional_igual_fiscal": contrato.domicilio_convencional if contrato else None,
            },
            tecleado,
        )
        self.fields["rfc"].widget.attrs.update({"autocomplete": "off", "class": "mayusculas"})

    @property
    def rfc_tecleado(self) -> str:
        return normalizar(self["rfc"].value())

    @property
    def persona_moral(self) -> bool:
        return len(self.rfc_tecleado) == 12

    def domicilio_requerido(self, pregunta: str) -> bool:
        if pregunta == "domicilio_social_igual_fiscal" and not self.persona_moral:
            return False
        return super().domicilio_requerido(pregunta)

    def clean_rfc(self) -> str:
        rfc = self.cleaned_data["rfc"]
        if rfc == self.contratista.rfc:  # IMSS inconsistency #1
            raise ValidationError(reglas.MENSAJE_MISMO_RFC)
        return rfc

    def _telefono(self, campo: str) -> str:
        return telefono_normalizar(self.cleaned_data.get(campo))

    def clean_celular(self) -> str:
        return self._telefono("celular")

    def clean_telefono_fijo(self) -> str:
        return self._telefono("telefono_fijo")

    def contribuyente(self, rfc: str) -> Any:
        """The SAT registry's entry of ``rfc`` (None when absent). Contratos en bloque answers it from one
        lookup of the whole workbook."""
        from contratistas.services import contribuyente_buscar

        return contribuyente_buscar(rfc=rfc)

    def clean(self) -> dict[str, Any]:
        datos = cast("dict[str, Any]", super().clean())
        rfc = datos.get("rfc")
        if not rfc:
            return datos
        if not rfc_digito_valido(rfc):
            self.advertencia_rfc = True
            if not datos.get("confirmar_rfc"):
                self.add_error("rfc", RFC_DIGITO)
        else:
            datos["confirmar_rfc"] = False
        padron = self.contribuyente(rfc)
        if padron:
            datos["razon_social"] = padron.razon_social
        elif not (datos.get("razon_social") or "").strip():
            self.add_error(
                "razon_social",
                "El RFC no se encontró en el padrón del SAT: captura la denominación o razón social.",
            )
        if self.persona_moral and not datos.get("domicilio_social_igual_fiscal"):
            self.add_error(
                "domicilio_social_igual_fiscal", "Indica si el domicilio social es igual al fiscal."
            )
        return datos

    def datos(self) -> DatosContratante:
        d = self.cleaned_data
        return DatosContratante(
            rfc=d["rfc"],
            razon_social=d["razon_social"].strip().upper(),
            correo=d["correo"].strip().lower(),
            celular=d["celular"],
            telefono_fijo=d["telefono_fijo"],
            rfc_confirmado=bool(d.get("confirmar_rfc")),
            domicilio_social_igual_fiscal=si_no(d.get("domicilio_social_igual_fiscal"))
            if self.persona_moral
            else None,
            domicilio_social=self.domicilio_datos("domicilio_social_igual_fiscal"),
            domicilio_convencional_igual_fiscal=si_no(d["domicilio_convencional_igual_fiscal"]),
            domicilio_convencional=self.domicilio_datos("domicilio_convencional_igual_fiscal"),
            razon_social_rfc=normalizar(d.get("razon_social_rfc")),
            llenado_rfc=normalizar(d.get("llenado_rfc")),
            llenado_campos=tuple((d.get("llenado_campos") or "").split()),
        )


# ----------------------------------------------------------------------------------------------------------
# Contrato
# ----------------------------------------------------------------------------------------------------------
class ContratoForm(forms.Form):
    objeto = forms.CharField(
        label="Objeto del contrato", widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )
    registro_repse = forms.CharField(
        label="Folio del registro REPSE",
        max_length=40,
        help_text="El folio de tu registro ante la STPS (REPSE) para el servicio u obra contratado, "
        "por ejemplo AR12345/2021.",
    )
    servicio = forms.CharField(
        label="Descripción del servicio u obra especializado contratado",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        error_messages={"required": reglas.MENSAJE_SIN_SERVICIO_CAPTURA},
    )
    fecha_inicio = forms.DateField(
        label="Fecha de inicio",
        input_formats=FORMATOS_FECHA,
        widget=FechaInput(),
        error_messages={
            "required": reglas.MENSAJE_SIN_INICIO_CAPTURA,
            "invalid": "Captura una fecha válida (dd/mm/aaaa).",
        },
    )
    fecha_termino = forms.DateField(
        label="Fecha de término",
        input_formats=FORMATOS_FECHA,
        widget=FechaInput(),
        required=False,
        help_text="Opcional, si la conoces.",
        error_messages={"invalid": "Captura una fecha válida (dd/mm/aaaa)."},
    )

    def __init__(self, data: Any = None, *, contrato) -> None:
        super().__init__(
            data,
            initial={
                "objeto": contrato.objeto,
                "registro_repse": contrato.registro_repse,
                "servicio": contrato.servicio,
                "fecha_inicio": contrato.fecha_inicio,
                "fecha_termino": contrato.fecha_termino,
            },
        )
        periodo = contrato.informativa.periodo
        self.fields[
            "fecha_inicio"
        ].help_text = (
            f"Dentro del periodo que se informa: del {periodo.inicio:%d/%m/%Y} al {periodo.fin:%d/%m/%Y}."
        )

    def clean_registro_repse(self) -> str:
        valor = re.sub(r"\s+", "", self.cleaned_data["registro_repse"]).upper()
        RegistroRepseValidator()(valor)
        return valor


# ----------------------------------------------------------------------------------------------------------
# Trabajadores
# ----------------------------------------------------------------------------------------------------------
class TrabajadorForm(forms.Form):
    nss = Identificador(
        label="NSS",
        max_length=11,
        min_length=1,
        validators=[validar_nss],
        error_messages={"required": "El NSS es obligatorio."},
    )
    curp = Identificador(
        label="CURP",
        max_length=18,
        validators=[validar_curp],
        error_messages={"required": "La CURP es obligatoria."},
    )
    sbc = forms.CharField(
        label="SBC",
        max_length=16,
        help_text="Salario base de cotización, por ejemplo 452.37",
        error_messages={"required": "El SBC es obligatorio."},
    )
    nombre = forms.CharField(label="Nombre(s)", max_length=120, required=False)
    primer_apellido = forms.CharField(label="Primer apellido", max_length=120, required=False)
    segundo_apellido = forms.CharField(label="Segundo apellido", max_length=120, required=False)

    def __init__(self, *args: Any, trabajador=None, **kwargs: Any) -> None:
        if trabajador is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                c: getattr(trabajador, c)
                for c in ("nss", "curp", "sbc", "nombre", "primer_apellido", "segundo_apellido")
            }
        super().__init__(*args, **kwargs)
        self.fields["nss"].widget.attrs.update({"inputmode": "numeric", "autocomplete": "off"})
        self.fields["curp"].widget.attrs.update({"autocomplete": "off"})
        self.fields["sbc"].widget.attrs.update({"inputmode": "decimal"})
        self.fields[
            "nombre"
        ].help_text = "Los nombres se toman del registro de CURP cuando la CURP está registrada."

    def clean_sbc(self):
        valor, mensaje = sbc_convertir(self.cleaned_data["sbc"])
        if mensaje:
            raise ValidationError(mensaje)
        return valor

    def datos(self) -> dict[str, Any]:
        return dict(self.cleaned_data)


class ContratosDeclaradosForm(forms.Form):
    contratos_declarados = forms.IntegerField(
        label="Número de contratos celebrados en el periodo",
        min_value=0,
        max_value=100000,
        error_messages={"required": "Indica el número de contratos celebrados en el periodo."},
    )


# ----------------------------------------------------------------------------------------------------------
# Consulta de informativas
# ----------------------------------------------------------------------------------------------------------
class ConsultaForm(forms.Form):
    anio = forms.TypedChoiceField(label="Año", coerce=int, required=False, empty_value=None)
    cuatrimestre = forms.TypedChoiceField(
        label="Cuatrimestre",
        coerce=int,
        required=False,
        empty_value=None,
        choices=[("", "Todos"), *Informativa.Cuatrimestre.choices],
    )
    tipo = forms.ChoiceField(
        label="Tipo de informativa", required=False, choices=[("", "Todos"), *Informativa.Tipo.choices]
    )
    estatus = forms.ChoiceField(
        label="Estatus", required=False, choices=[("", "Todos"), *Informativa.Estatus.choices]
    )

    def __init__(self, *args: Any, hoy: datetime.date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["anio"]).choices = [
            ("", "Todos"),
            *[(a, str(a)) for a in anios_disponibles(fecha=hoy)],
        ]

    def filtrar(self, qs):
        if not self.is_valid():
            return qs
        for campo in ("anio", "cuatrimestre", "tipo", "estatus"):
            valor = self.cleaned_data.get(campo)
            if valor not in (None, ""):
                qs = qs.filter(**{campo: valor})
        return qs
