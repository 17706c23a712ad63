"""The capture wizard of a Normal informativa: tabs Periodo, Contratista, Contratante, Contrato, Trabajadores,
Resumen (STYLE.md rule 7).

Each step is a class with ``identifier``, ``label``, ``is_applicable()``, ``is_completed()``, ``get()`` and
``post()``. Every valid POST saves into the draft informativa through a service, so leaving and coming back
loses nothing, and the tabs show which steps are complete. Contratante, Contrato and Trabajadores belong to one
contract (its code is in the URL); an informativa holds as many contracts as were celebrated in the period.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme

from contratistas.services import contribuyente_buscar
from core.identificadores import normalizar, rfc_digito_valido, rfc_error

from .. import cribado, reglas
from ..bitacora import bitacora_de
from ..carga.forms import CargaForm
from ..contratantes import services as catalogo
from ..models import Contrato, Informativa
from ..selectors import contratos_con_totales, trabajadores_de
from ..vistas_comunes import POR_PAGINA, errores_al_formulario, paso_url
from . import services
from .forms import (
    ContratanteForm,
    ContratistaForm,
    ContratoForm,
    ContratosDeclaradosForm,
    TrabajadorForm,
)


@dataclass
class Asistente:
    """What every step needs: the informativa, its contracts with their worker counts, the current contract."""

    request: HttpRequest
    informativa: Informativa
    contrato: Contrato | None = None
    contratos: list[Contrato] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.contratos = contratos_con_totales(self.informativa)
        if self.contrato is not None:
            self.contrato = next((c for c in self.contratos if c.pk == self.contrato.pk), self.contrato)

    @property
    def usuario(self) -> Any:
        return self.request.user

    def pestanas(self, actual: Paso) -> list[dict[str, Any]]:
        resultado = []
        for paso in PASOS:
            if not paso.is_applicable(self.informativa):
                continue
            resultado.append(
                {
                    "identifier": paso.identifier,
                    "label": paso.label,
                    "url": paso.url_pestana(self),
                    "completa": paso.is_completed(self),
                    "actual": paso.identifier == actual.identifier,
                }
            )
        return resultado

    def siguiente_url(self, paso: Paso) -> str:
        indice = [p.identifier for p in PASOS].index(paso.identifier)
        siguiente = PASOS[indice + 1]
        if siguiente.por_contrato and self.contrato is not None:
            return siguiente.url(self.informativa, self.contrato)
        return siguiente.url_pestana(self) or PASO_RESUMEN.url(self.informativa)

    def render(self, paso: Paso, **contexto: Any) -> HttpResponse:
        return render(
            self.request,
            f"informativas/captura/wizard/paso_{paso.identifier}.html",
            {
                "informativa": self.informativa,
                "contrato": self.contrato,
                "contratos": self.contratos,
                "pestanas": self.pestanas(paso),
                "paso": paso,
                **contexto,
            },
        )


class Paso:
    identifier = ""
    label = ""
    por_contrato = False

    def is_applicable(self, informativa: Informativa) -> bool:
        return informativa.con_contratos

    def is_completed(self, asistente: Asistente) -> bool:
        raise NotImplementedError

    def url(self, informativa: Informativa, contrato: Contrato | None = None) -> str:
        assert contrato is not None or not self.por_contrato
        return paso_url(informativa, self.identifier, contrato)

    def url_pestana(self, asistente: Asistente) -> str | None:
        if not self.por_contrato:
            return self.url(asistente.informativa)
        contrato = asistente.contrato or next(
            (c for c in asistente.contratos if not self.contrato_completo(c)),
            asistente.contratos[0] if asistente.contratos else None,
        )
        return self.url(asistente.informativa, contrato) if contrato else None

    def contrato_completo(self, contrato: Contrato) -> bool:
        return True

    def get(self, asistente: Asistente) -> HttpResponse:
        raise NotImplementedError

    def post(self, asistente: Asistente) -> HttpResponse:
        raise NotImplementedError


class PasoPeriodo(Paso):
    identifier, label = "periodo", "Periodo"

    def is_completed(self, asistente: Asistente) -> bool:
        return True

    def get(self, asistente: Asistente) -> HttpResponse:
        return asistente.render(self, siguiente=asistente.siguiente_url(self))


class PasoContratista(Paso):
    identifier, label = "contratista", "Contratista"

    def is_completed(self, asistente: Asistente) -> bool:
        return asistente.informativa.domicilio_convencional_igual_fiscal is not None

    def get(self, asistente: Asistente, form: ContratistaForm | None = None) -> HttpResponse:
        form = form or ContratistaForm(informativa=asistente.informativa)
        return asistente.render(self, form=form, contratista=asistente.informativa.contratista)

    def post(self, asistente: Asistente) -> HttpResponse:
        form = ContratistaForm(asistente.request.POST, informativa=asistente.informativa)
        if form.todo_valido():
            try:
                asistente.informativa = services.informativa_contratista_guardar(
                    informativa=asistente.informativa,
                    igual_fiscal=form.cleaned_data["domicilio_convencional_igual_fiscal"] == "si",
                    domicilio=form.domicilio_datos("domicilio_convencional_igual_fiscal"),
                    usuario=asistente.usuario,
                )
            except ValidationError as error:
                errores_al_formulario(form, error)
            else:
                messages.success(asistente.request, "Se guardaron los datos del contratista.")
                return redirect(asistente.siguiente_url(self))
        return self.get(asistente, form)


class PasoContratante(Paso):
    """Without a contract: the list of contracts and "Agregar contrato". With one: its contratante."""

    identifier, label = "contratante", "Contratante"

    def is_completed(self, asistente: Asistente) -> bool:
        return bool(asistente.contratos) and all(c.contratante_completo for c in asistente.contratos)

    def url_pestana(self, asistente: Asistente) -> str | None:
        if asistente.contrato is not None:
            return self.url(asistente.informativa, asistente.contrato)
        return self.url(asistente.informativa)

    def get(self, asistente: Asistente, form: ContratanteForm | None = None, **extra: Any) -> HttpResponse:
        request = asistente.request
        if form is None and asistente.contrato is None and request.method == "GET" and request.GET.get("rfc"):
            # A link that names the RFC (Importar nómina's contratantes without contrato) validates it at once
            datos = QueryDict(mutable=True)
            datos["rfc"] = request.GET["rfc"]
            return self.validar_rfc(asistente, datos)
        form = form or ContratanteForm(
            contratista=asistente.informativa.contratista, contrato=asistente.contrato
        )
        form.fields["rfc"].widget.attrs["list"] = "catalogo-rfc"
        rfcs = catalogo.contratante_rfcs(contratista=asistente.informativa.contratista)
        return asistente.render(
            self, form=form, catalogo_rfcs=rfcs, siguiente=self.siguiente(asistente),
            **self.cribado(asistente, normalizar(form["rfc"].value())), **extra,
        )

    @staticmethod
    def cribado(asistente: Asistente, rfc: str) -> dict[str, Any]:
        """The RFC on the page screened against the SAT's lists, and whether its «Definitivo» still needs the
        user's confirmation in this informativa."""
        if not rfc or rfc_error(rfc) or rfc == asistente.informativa.contratista.rfc:
            return {}
        consulta = cribado.contratantes_cribar(rfcs=[rfc])[rfc]
        definitivo = cribado.definitivo_de(consulta)
        confirmado = bool(definitivo) and rfc in cribado.rfcs_confirmados(informativa=asistente.informativa, rfcs=[rfc])
        return {
            "cribado": consulta,
            "pedir_confirmacion": definitivo if definitivo and not confirmado else None,
            "definitivo_confirmado": confirmado,
            "texto_confirmacion": cribado.TEXTO_CONFIRMACION,
            "confirmacion_marcada": asistente.request.POST.get("confirmar_lista_sat") == rfc,
        }

    @staticmethod
    def siguiente(asistente: Asistente) -> str:
        """Where "Agregar contrato" returns to when a page sent the user here (a path of this site), or ""."""
        request = asistente.request
        url = request.POST.get("siguiente") or request.GET.get("siguiente") or ""
        seguro = url.startswith("/") and url_has_allowed_host_and_scheme(url, allowed_hosts={request.get_host()})
        return url if seguro else ""

    def validar_rfc(self, asistente: Asistente, datos: QueryDict | None = None) -> HttpResponse:  # noqa: C901 - one branch per outcome of validating a typed RFC against the SAT registry
        """ "Validar": shows the razón social of the typed RFC from the SAT registry without saving anything.
        The whole page is answered (it works without JavaScript); htmx swaps in the result and the name."""
        datos = (datos if datos is not None else asistente.request.POST).copy()
        rfc = normalizar(datos.get("rfc"))
        resultado: dict[str, Any] = {"rfc": rfc}
        anterior = normalizar(datos.get("razon_social_rfc"))
        if anterior and anterior != rfc:
            datos["razon_social"] = ""  # the name shown belonged to the RFC validated before (the catalog may fill it)
        # Every field the catálogo filled belongs to the RFC it was filled for: another RFC clears them all.
        llenados = (datos.get("llenado_campos") or "").split()
        if normalizar(datos.get("llenado_rfc")) != rfc:
            for campo in llenados:
                datos[campo] = ""
            llenados = []
        if mensaje := rfc_error(rfc):
            resultado["error"] = mensaje
        elif rfc == asistente.informativa.contratista.rfc:
            resultado["error"] = reglas.MENSAJE_MISMO_RFC
        else:
            resultado["contribuyente"] = contribuyente_buscar(rfc=rfc)
            resultado["digito_invalido"] = not rfc_digito_valido(rfc)
            # The catalog fills what the user has not typed; the SAT registry still has the last word on the name.
            if guardado := catalogo.contratante_buscar(contratista=asistente.informativa.contratista, rfc=rfc):
                resultado["catalogo"] = guardado
                for campo, valor in catalogo.contratante_como_formulario(contratante=guardado).items():
                    if campo != "rfc" and not datos.get(campo):
                        datos[campo] = valor
                        llenados.append(campo)
            if resultado["contribuyente"]:
                datos["razon_social"] = resultado["contribuyente"].razon_social
            elif "razon_social" in llenados:
                resultado["nombre_del_catalogo"] = True
            elif datos.get("razon_social"):
                resultado["nombre_tecleado"] = True
        datos["razon_social_rfc"] = rfc
        datos["llenado_rfc"] = rfc if llenados else ""
        datos["llenado_campos"] = " ".join(dict.fromkeys(llenados))
        datos["rfc"] = rfc
        form = ContratanteForm(
            contratista=asistente.informativa.contratista, contrato=asistente.contrato, tecleado=datos
        )
        if resultado.get("digito_invalido"):
            form.advertencia_rfc = True
        return self.get(asistente, form, **resultado)

    def post(self, asistente: Asistente) -> HttpResponse:
        contratista = asistente.informativa.contratista
        form = ContratanteForm(asistente.request.POST, contratista=contratista, contrato=asistente.contrato)
        if form.todo_valido() and self.confirmacion_revisar(asistente, form):
            try:
                if asistente.contrato is None:
                    asistente.contrato = services.contrato_crear(
                        informativa=asistente.informativa, contratante=form.datos(), usuario=asistente.usuario
                    )
                    messages.success(
                        asistente.request, f"Se registró el contrato {asistente.contrato.folio}."
                    )
                    if siguiente := self.siguiente(asistente):
                        return redirect(siguiente)
                else:
                    asistente.contrato = services.contrato_contratante_actualizar(
                        contrato=asistente.contrato, contratante=form.datos(), usuario=asistente.usuario
                    )
                    messages.success(asistente.request, "Se guardaron los datos del contratante.")
            except ValidationError as error:
                errores_al_formulario(form, error)
            else:
                return redirect(PASO_CONTRATO.url(asistente.informativa, asistente.contrato))
        return self.get(asistente, form)

    @staticmethod
    def confirmacion_revisar(asistente: Asistente, form: ContratanteForm) -> bool:
        """A contratante «Definitivo» in 69-B not yet confirmed in this informativa needs the user's checkbox;
        given, it is stored (and audited) before the contract is saved. False: the form carries the error."""
        rfc = form.cleaned_data["rfc"]
        informativa = asistente.informativa
        pendiente = cribado.pendientes_de_confirmar(
            informativa=informativa, consultas=cribado.contratantes_cribar(rfcs=[rfc])
        ).get(rfc)
        if pendiente is None:
            return True
        if asistente.request.POST.get("confirmar_lista_sat") != rfc:
            form.add_error(None, cribado.MENSAJE_CONFIRMACION_FALTANTE)
            return False
        cribado.confirmacion_registrar(informativa=informativa, hallazgo=pendiente, usuario=asistente.usuario)
        return True


class PasoContrato(Paso):
    identifier, label, por_contrato = "contrato", "Contrato", True

    def is_completed(self, asistente: Asistente) -> bool:
        return bool(asistente.contratos) and all(c.contrato_completo for c in asistente.contratos)

    def contrato_completo(self, contrato: Contrato) -> bool:
        return contrato.contrato_completo

    def get(self, asistente: Asistente, form: ContratoForm | None = None) -> HttpResponse:
        form = form or ContratoForm(contrato=asistente.contrato)
        assert asistente.contrato is not None  # a step por_contrato runs with its contrato (_ejecutar_paso)
        advertencias: dict[str, list[str]] = {}
        for a in services.advertencias_repse(informativa=asistente.informativa, contratos=[asistente.contrato]):
            advertencias.setdefault(a.campo, []).append(a.mensaje)
        return asistente.render(self, form=form, advertencias=advertencias)

    def post(self, asistente: Asistente) -> HttpResponse:
        assert asistente.contrato is not None  # a step por_contrato runs with its contrato (_ejecutar_paso)
        form = ContratoForm(asistente.request.POST, contrato=asistente.contrato)
        if form.is_valid():
            try:
                asistente.contrato = services.contrato_actualizar(
                    contrato=asistente.contrato, usuario=asistente.usuario, **form.cleaned_data
                )
            except ValidationError as error:
                errores_al_formulario(form, error)
            else:
                messages.success(
                    asistente.request, f"Se guardaron los datos del contrato {asistente.contrato.folio}."
                )
                for a in services.advertencias_repse(
                    informativa=asistente.informativa, contratos=[asistente.contrato]
                ):
                    messages.warning(asistente.request, a.mensaje)
                return redirect(PASO_TRABAJADORES.url(asistente.informativa, asistente.contrato))
        return self.get(asistente, form)


class PasoTrabajadores(Paso):
    identifier, label, por_contrato = "trabajadores", "Trabajadores", True

    def is_completed(self, asistente: Asistente) -> bool:
        return bool(asistente.contratos) and all(c.num_trabajadores > 0 for c in asistente.contratos)

    def contrato_completo(self, contrato: Contrato) -> bool:
        return getattr(contrato, "num_trabajadores", 0) > 0

    def get(
        self, asistente: Asistente, form: TrabajadorForm | None = None, carga_form: CargaForm | None = None
    ) -> HttpResponse:
        contrato = asistente.contrato
        assert contrato is not None  # a step por_contrato runs with its contrato (_ejecutar_paso)
        buscar = asistente.request.GET.get("buscar", "").strip().upper()
        trabajadores = trabajadores_de(contrato)
        if buscar:
            trabajadores = trabajadores.filter(Q(nss__startswith=buscar) | Q(curp__startswith=buscar))
        pagina = Paginator(trabajadores, POR_PAGINA).get_page(asistente.request.GET.get("pagina"))
        siguiente = next(
            (c for c in asistente.contratos if c.num_trabajadores == 0 and c.pk != contrato.pk), None
        )
        return asistente.render(
            self,
            form=form or TrabajadorForm(),
            carga_form=carga_form or CargaForm(),
            pagina=pagina,
            buscar=buscar,
            cargas=contrato.cargas.order_by("-created_at")[:10],
            siguiente=PASO_TRABAJADORES.url(asistente.informativa, siguiente)
            if siguiente
            else PASO_RESUMEN.url(asistente.informativa),
        )

    def post(self, asistente: Asistente) -> HttpResponse:
        assert asistente.contrato is not None  # a step por_contrato runs with its contrato (_ejecutar_paso)
        form = TrabajadorForm(asistente.request.POST)
        if form.is_valid():
            try:
                trabajador = services.trabajador_agregar(
                    contrato=asistente.contrato, usuario=asistente.usuario, **form.datos()
                )
            except ValidationError as error:
                errores_al_formulario(form, error)
            else:
                messages.success(asistente.request, f"Se agregó el trabajador con NSS {trabajador.nss}.")
                return redirect(self.url(asistente.informativa, asistente.contrato))
        return self.get(asistente, form=form)


class PasoResumen(Paso):
    identifier, label = "resumen", "Resumen"

    def is_completed(self, asistente: Asistente) -> bool:
        return not services.informativa_inconsistencias(
            informativa=asistente.informativa, contratos=asistente.contratos
        )

    def get(self, asistente: Asistente, form: ContratosDeclaradosForm | None = None) -> HttpResponse:
        informativa = asistente.informativa
        form = form or ContratosDeclaradosForm(
            initial={"contratos_declarados": informativa.contratos_declarados}
        )
        return asistente.render(
            self,
            form=form,
            inconsistencias=services.informativa_inconsistencias(informativa=informativa, contratos=asistente.contratos),
            advertencias_repse=services.advertencias_repse(informativa=informativa, contratos=asistente.contratos),
            total_trabajadores=sum(c.num_trabajadores for c in asistente.contratos),
            bitacora=bitacora_de(informativa),
        )

    def post(self, asistente: Asistente) -> HttpResponse:
        form = ContratosDeclaradosForm(asistente.request.POST)
        if form.is_valid():
            try:
                asistente.informativa = services.informativa_contratos_declarados_guardar(
                    informativa=asistente.informativa,
                    numero=form.cleaned_data["contratos_declarados"],
                    usuario=asistente.usuario,
                )
            except ValidationError as error:
                errores_al_formulario(form, error)
            else:
                messages.success(asistente.request, "Se guardó el número de contratos celebrados.")
                return redirect(self.url(asistente.informativa))
        return self.get(asistente, form)


PASO_PERIODO = PasoPeriodo()
PASO_CONTRATISTA = PasoContratista()
PASO_CONTRATANTE = PasoContratante()
PASO_CONTRATO = PasoContrato()
PASO_TRABAJADORES = PasoTrabajadores()
PASO_RESUMEN = PasoResumen()
PASOS: list[Paso] = [
    PASO_PERIODO,
    PASO_CONTRATISTA,
    PASO_CONTRATANTE,
    PASO_CONTRATO,
    PASO_TRABAJADORES,
    PASO_RESUMEN,
]
POR_IDENTIFICADOR = {p.identifier: p for p in PASOS}
