"""IMSS's seven published inconsistency rules (Boletín 300/2025; ICSOE-DOMAIN.md 5.2), each with its own
message. The capture forms block them as the data is typed; ``inconsistencias()`` checks them all again on
the whole informativa for the Resumen and for "Enviar a firma".

Rule 7 compares the number of contracts the filer declares in the Resumen ("Número de contratos celebrados
en el periodo") with the contracts captured, so a forgotten contract is caught before signing.
"""

from __future__ import annotations

from dataclasses import dataclass

from .models import Contrato, Informativa

MENSAJE_MISMO_RFC = "El RFC del contratante no puede ser el mismo que el del contratista."
MENSAJE_SIN_SERVICIO = "El contrato {folio} no tiene la descripción del servicio u obra especializado."
MENSAJE_SIN_SERVICIO_CAPTURA = "Captura la descripción del servicio u obra especializado contratado."
MENSAJE_SIN_INICIO = "El contrato {folio} no tiene fecha de inicio."
MENSAJE_SIN_INICIO_CAPTURA = "Captura la fecha de inicio del contrato."
MENSAJE_INICIO_FUERA = (
    "La fecha de inicio del contrato {folio} ({fecha}) está fuera del periodo que se informa ({periodo})."
)
MENSAJE_INICIO_FUERA_CAPTURA = (
    "La fecha de inicio debe estar dentro del periodo que se informa: del {inicio} al {fin}."
)
MENSAJE_SIN_TRABAJADORES = "El contrato {folio} no tiene trabajadores registrados."
MENSAJE_SIN_CONTRATOS = (
    "La informativa Normal debe tener al menos un contrato. Si no celebraste contratos en el periodo, "
    "presenta una informativa Sin información."
)
MENSAJE_SIN_CONTRATOS_COMPLEMENTARIA = (
    "La informativa complementaria de {tipo} debe tener al menos un contrato. Si no celebraste contratos en el "
    "periodo, deja sin efectos la informativa presentada con una complementaria Sin efectos y presenta una "
    "informativa Sin información."
)
MENSAJE_DUPLICADA = "Ya existe una informativa {tipo} del {periodo}. Sólo puede presentarse una por periodo."
MENSAJE_PERIODO_CON_COMPLEMENTARIA = (
    "El {periodo} ya tiene una informativa complementaria presentada. "
    "Para modificar lo presentado usa Modificar presentación."
)
MENSAJE_SIN_DECLARADOS = "Indica en el Resumen el número de contratos celebrados en el periodo."
MENSAJE_DECLARADOS = "El número de contratos declarados ({declarados}) no coincide con los contratos capturados ({capturados})."
MENSAJE_CONTRATANTE_INCOMPLETO = "Completa los datos del contratante del contrato {folio}."
MENSAJE_CONTRATO_INCOMPLETO = (
    "Completa los datos del contrato {folio}: objeto y servicio u obra especializado."
)
MENSAJE_CONTRATISTA_INCOMPLETO = (
    "Indica en la pestaña Contratista si el domicilio convencional es igual al fiscal."
)


@dataclass(frozen=True)
class Inconsistencia:
    regla: int  # 1..7 as IMSS numbers them; 0 for missing mandatory data
    mensaje: str
    contrato: Contrato | None = None


def informativa_duplicada(
    *, contratista_id: int, anio: int, cuatrimestre: int, excluir_pk: int | None = None
):
    """The other Normal or Sin información of the same period that is still in force, if any (rule 6)."""
    qs = Informativa.objects.filter(
        contratista_id=contratista_id,
        anio=anio,
        cuatrimestre=cuatrimestre,
        tipo__in=Informativa.TIPOS_UNICOS_POR_PERIODO,
    ).exclude(estatus__in=Informativa.ESTATUS_SIN_VIGENCIA)
    if excluir_pk:
        qs = qs.exclude(pk=excluir_pk)
    return qs.first()


def complementaria_presentada_vigente(*, contratista_id: int, anio: int, cuatrimestre: int):
    """A presented Corrección or Actualización of the period: it replaced the period's return, so a new
    Normal or Sin información cannot be filed for it (a Sin efectos, which cancels, leaves it open)."""
    return (
        Informativa.objects.filter(
            contratista_id=contratista_id,
            anio=anio,
            cuatrimestre=cuatrimestre,
            tipo__in=[Informativa.Tipo.CORRECCION, Informativa.Tipo.ACTUALIZACION],
            estatus=Informativa.Estatus.PRESENTADA,
        )
        .order_by("fecha_presentacion", "pk")
        .first()
    )


def mensaje_duplicada(existente: Informativa) -> str:
    return MENSAJE_DUPLICADA.format(
        tipo=existente.get_tipo_display(),
        periodo=existente.periodo.cuatrimestre_del_anio.lower(),
    )


def inconsistencias(informativa: Informativa, contratos: list[Contrato] | None = None) -> list[Inconsistencia]:  # noqa: C901 - the catalogue of rules an informativa can break, one check each
    """The rules the informativa breaks now. ``contratos``: its contratos when the caller has them loaded
    already (each with its stored ``num_trabajadores``)."""
    resultado: list[Inconsistencia] = []
    existente = (
        informativa_duplicada(
            contratista_id=informativa.contratista_id,
            anio=informativa.anio,
            cuatrimestre=informativa.cuatrimestre,
            excluir_pk=informativa.pk,
        )
        if informativa.tipo in Informativa.TIPOS_UNICOS_POR_PERIODO
        else None
    )
    if existente:
        resultado.append(Inconsistencia(6, mensaje_duplicada(existente)))
    if not informativa.con_contratos:
        return resultado

    if informativa.domicilio_convencional_igual_fiscal is None:
        resultado.append(Inconsistencia(0, MENSAJE_CONTRATISTA_INCOMPLETO))
    if contratos is None:
        contratos = list(informativa.contratos.all())
    if not contratos:
        mensaje = (
            MENSAJE_SIN_CONTRATOS_COMPLEMENTARIA.format(tipo=informativa.get_tipo_display())
            if informativa.es_complementaria
            else MENSAJE_SIN_CONTRATOS
        )
        resultado.append(Inconsistencia(5, mensaje))
    periodo = informativa.periodo
    rfc_contratista = informativa.contratista.rfc
    for contrato in contratos:
        folio = contrato.folio
        if contrato.contratante_rfc == rfc_contratista:
            resultado.append(Inconsistencia(1, f"{MENSAJE_MISMO_RFC} (Contrato {folio}.)", contrato))
        if not contrato.contratante_completo:
            resultado.append(Inconsistencia(0, MENSAJE_CONTRATANTE_INCOMPLETO.format(folio=folio), contrato))
        if not contrato.servicio.strip():
            resultado.append(Inconsistencia(2, MENSAJE_SIN_SERVICIO.format(folio=folio), contrato))
        elif not (contrato.objeto.strip() and contrato.registro_repse.strip()):
            resultado.append(Inconsistencia(0, MENSAJE_CONTRATO_INCOMPLETO.format(folio=folio), contrato))
        if contrato.fecha_inicio is None:
            resultado.append(Inconsistencia(3, MENSAJE_SIN_INICIO.format(folio=folio), contrato))
        elif not periodo.contiene(contrato.fecha_inicio):
            resultado.append(
                Inconsistencia(
                    3,
                    MENSAJE_INICIO_FUERA.format(
                        folio=folio, fecha=f"{contrato.fecha_inicio:%d/%m/%Y}", periodo=str(periodo)
                    ),
                    contrato,
                )
            )
        if contrato.num_trabajadores == 0:
            resultado.append(Inconsistencia(4, MENSAJE_SIN_TRABAJADORES.format(folio=folio), contrato))
    if contratos:
        if informativa.contratos_declarados is None:
            resultado.append(Inconsistencia(7, MENSAJE_SIN_DECLARADOS))
        elif informativa.contratos_declarados != len(contratos):
            resultado.append(
                Inconsistencia(
                    7,
                    MENSAJE_DECLARADOS.format(
                        declarados=informativa.contratos_declarados, capturados=len(contratos)
                    ),
                )
            )
    return resultado
