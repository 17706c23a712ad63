"""What the rows of a Contratos en bloque workbook need from the database, looked up once for the whole
workbook (the SAT registry, the SEPOMEX catalog), and the wizard's Contratante form answering from it: the
same fields, rules and messages as the Contratante tab, without a query per row."""

from __future__ import annotations

import copy
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from contratistas.domicilio import DomicilioForm, problema_codigo_postal
from contratistas.models import Asentamiento, CodigoPostal, ContribuyenteSat
from contratistas.services import contribuyentes_por_razon_social, contribuyentes_por_rfc
from core.identificadores import normalizar

from ..captura.forms import ContratanteForm, ContratoForm
from ..models import Contrato


def clave_nombre(nombre: str) -> str:
    """A razón social as the registry compares it: spaces collapsed, any case."""
    return " ".join((nombre or "").split()).upper()


class _Campos(dict):
    """A form's fields copied once for the whole workbook. Django deep-copies a form's fields for every
    instance (most of a row's check); the rows of one workbook share one copy instead, each form getting its
    own dict of the same fields: a field keeps no row's data (the bound form does), and what the wizard's forms
    set on their fields (the RFC's widget attributes, the period in the start date's help text) is the same
    for every row of one informativa."""

    def __deepcopy__(self, memo: dict) -> dict:
        return dict(self)


@dataclass
class Consultas:
    """The workbook's lookups: each a dict, filled by one query each (``para``)."""

    padron: dict[str, ContribuyenteSat] = field(default_factory=dict)
    por_nombre: dict[str, list[ContribuyenteSat]] = field(default_factory=dict)
    codigos: set[str] = field(default_factory=set)
    # código postal -> its colonias by id, and (código postal, NOMBRE) -> the colonia a name picks.
    colonias_de: dict[str, dict[int, Asentamiento]] = field(default_factory=dict)
    colonia_por_nombre: dict[tuple[str, str], Asentamiento] = field(default_factory=dict)

    # A form class -> its fields copied once for the workbook (``campos``).
    _campos: dict[type, _Campos] = field(default_factory=dict)

    # The unsaved contrato the Contrato tab's form reads its initial values and period from.
    _contrato: Any = None

    def contrato_vacio(self, informativa: Any) -> Contrato:
        if self._contrato is None or self._contrato.informativa_id != informativa.pk:
            self._contrato = Contrato(informativa=informativa)
        return self._contrato

    def campos(self, clase: type[forms.Form]) -> _Campos:
        if clase not in self._campos:
            self._campos[clase] = _Campos(copy.deepcopy(clase.base_fields))
        return self._campos[clase]

    @classmethod
    def para(
        cls, *, rfcs: Iterable[str], nombres: Iterable[str], codigos_postales: Iterable[str]
    ) -> Consultas:
        consultas = cls(
            padron=contribuyentes_por_rfc(rfcs=[normalizar(r) for r in rfcs]),
            por_nombre=contribuyentes_por_razon_social(nombres=nombres),
        )
        cps = {cp.strip() for cp in codigos_postales if cp and cp.strip()}
        if cps:
            consultas.codigos = set(
                CodigoPostal.objects.filter(codigo__in=cps).values_list("codigo", flat=True)
            )
            colonias = (
                Asentamiento.objects.filter(codigo_postal__codigo__in=cps)
                .select_related("codigo_postal")
                .order_by(*(Asentamiento._meta.ordering or ["pk"]), "pk")
            )
            for a in colonias:
                cp = a.codigo_postal.codigo
                consultas.colonias_de.setdefault(cp, {})[a.pk] = a
                consultas.colonia_por_nombre.setdefault((cp, a.nombre.upper()), a)
        return consultas

    def contribuyente(self, rfc: str) -> ContribuyenteSat | None:
        return self.padron.get(normalizar(rfc))

    def otro_con_razon_social(self, *, razon_social: str, rfc: str) -> ContribuyenteSat | None:
        """``contratistas.services.contribuyente_con_razon_social`` answered from the lookup."""
        return next((c for c in self.por_nombre.get(clave_nombre(razon_social), []) if c.rfc != rfc), None)

    def colonia(self, codigo_postal: str, nombre: str) -> Asentamiento | None:
        """The colonia named ``nombre`` (any case) in the código postal, as ``nombre__iexact(...).first()``."""
        return self.colonia_por_nombre.get((codigo_postal.strip(), nombre.strip().upper()))


class _ColoniaDelCatalogo(forms.Field):
    """The domicilio form's colonia (a ModelChoiceField over the código postal's colonias), from the lookup."""

    def __init__(self, colonias: dict[int, Asentamiento], *, original: forms.Field) -> None:
        super().__init__(required=original.required, label=original.label)
        self.error_messages = original.error_messages
        self.colonias = colonias

    def to_python(self, value: Any) -> Asentamiento | None:
        if value in self.empty_values:
            return None
        if isinstance(value, Asentamiento):
            value = value.pk
        try:
            return self.colonias[int(value)]
        except (KeyError, TypeError, ValueError):
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice") from None


class DomicilioFilaForm(DomicilioForm):
    """The wizard's domicilio form (``contratistas.domicilio.DomicilioForm``) with its código postal and
    colonia checked against the workbook's lookup."""

    def __init__(self, data: Any, *, prefix: str, consultas: Consultas) -> None:
        # The workbook's copy of the fields: what DomicilioForm sets on them (the colonias of the código
        # postal) is replaced below by a field of this form's own.
        self.base_fields = consultas.campos(DomicilioForm)  # type: ignore[misc]  # this form's own copy
        super().__init__(data, prefix=prefix)
        self.consultas = consultas
        self.fields["asentamiento"] = _ColoniaDelCatalogo(
            consultas.colonias_de.get(self._cp_efectivo(), {}), original=self.fields["asentamiento"]
        )

    def _problema_cp(self, datos: dict[str, Any]) -> str | None:
        if "codigo_postal" in self.errors or datos.get("conoce_cp") == "no":
            return super()._problema_cp(datos)
        return problema_codigo_postal(datos.get("codigo_postal", ""), codigos=self.consultas.codigos)


class ContratanteFilaForm(ContratanteForm):
    """The Contratante tab's form for one row: the registry and the catalog answer from ``consultas``, and a
    domicilio form is built only where its question is answered No (the only case it is checked)."""

    def __init__(self, data: Any, *, contratista: Any, consultas: Consultas) -> None:
        self.consultas = consultas
        self.base_fields = consultas.campos(ContratanteForm)  # type: ignore[misc]  # this form's own copy
        super().__init__(data, contratista=contratista)

    def contribuyente(self, rfc: str) -> ContribuyenteSat | None:
        return self.consultas.contribuyente(rfc)

    def _crear_domicilios(self, data: Any, domicilios: Any, tecleado: Any = None) -> None:
        self.domicilios = {
            pregunta: DomicilioFilaForm(data, prefix=prefijo, consultas=self.consultas)  # type: ignore[misc]
            if self.domicilio_requerido(pregunta)
            else None
            for pregunta, prefijo in self.preguntas.items()
        }


class ContratoFilaForm(ContratoForm):
    """The Contrato tab's form for one row, its fields shared by the workbook's rows (``Consultas.campos``)."""

    def __init__(self, data: Any, *, contrato: Any, consultas: Consultas) -> None:
        self.base_fields = consultas.campos(ContratoForm)  # type: ignore[misc]  # this form's own copy
        super().__init__(data, contrato=contrato)
