"""Informativa operations: creation, the wizard's saves, contratos and workers one by one, and the
hand-over to signing ("Enviar a firma"), which is where this part of the flow ends.

Every operation runs in a transaction, locks the informativa row first (so nothing is captured into it while
it is being sent to signing), refuses to touch anything that is not "En captura", and writes its audit entry
against the informativa (the shared helpers are in ../comun.py; the carga masiva is in ../carga/).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.renapo import registro_curp
from contratistas.domicilio import domicilio_guardar
from contratistas.models import Contratista, Domicilio
from contratistas.repse import vence_de
from contratistas.services import contribuyente_buscar, contribuyente_con_razon_social

from .. import reglas, vigencia
from ..comun import bloquear as _bloquear
from ..comun import carga_archivos_borrar as _borrar_archivos
from ..comun import informativa_totales_actualizar
from ..comun import registrar as _registrar
from ..comun import usuario_o_nada as _usuario
from ..contratantes import services as catalogo
from ..folios import folio_contrato
from ..models import CargaMasiva, Contrato, Informativa, Trabajador
from ..periodos import Periodo
from ..periodos import hoy as hoy_mexico
from ..trabajadores import MENSAJE_CURP_REGISTRADA, MENSAJE_NSS_REGISTRADO

if TYPE_CHECKING:
    from accounts.models import User

MENSAJE_PERIODO_NO_CONCLUIDO = "El periodo seleccionado aún no concluye."
MENSAJE_CONFIRMA_SIN_COMPLEMENTARIAS = "Confirma que deseas continuar."
MENSAJE_NO_PENDIENTE = "Sólo una informativa pendiente de firma puede regresar a captura."
MENSAJE_TIPO_NO_DISPONIBLE = "Las informativas complementarias se presentan desde Modificar presentación."


# ----------------------------------------------------------------------------------------------------------
# Informativa
# ----------------------------------------------------------------------------------------------------------
def informativa_validar_periodo(
    *, contratista: Contratista, anio: int, cuatrimestre: int, tipo: str, hoy: datetime.date | None = None
) -> Periodo:
    """The rules of "Nueva informativa": a finished period, and one Normal or Sin información per period."""
    periodo = Periodo(anio, cuatrimestre)
    if not periodo.concluido(fecha=hoy or hoy_mexico()):
        raise ValidationError(MENSAJE_PERIODO_NO_CONCLUIDO, code="periodo_no_concluido")
    if tipo not in Informativa.TIPOS_UNICOS_POR_PERIODO:
        raise ValidationError(MENSAJE_TIPO_NO_DISPONIBLE, code="tipo")
    existente = reglas.informativa_duplicada(
        contratista_id=contratista.pk, anio=anio, cuatrimestre=cuatrimestre
    )
    if existente:
        raise ValidationError(reglas.mensaje_duplicada(existente), code="duplicada")
    if reglas.complementaria_presentada_vigente(
        contratista_id=contratista.pk, anio=anio, cuatrimestre=cuatrimestre
    ):
        raise ValidationError(
            reglas.MENSAJE_PERIODO_CON_COMPLEMENTARIA.format(periodo=periodo.cuatrimestre_del_anio.lower()),
            code="complementaria",
        )
    return periodo


@transaction.atomic
def informativa_crear(
    *,
    contratista: Contratista,
    anio: int,
    cuatrimestre: int,
    tipo: str,
    usuario: User,
    hoy: datetime.date | None = None,
    confirmar_sin_complementarias: bool = False,
) -> Informativa:
    """Creates a draft (En captura) Normal or Sin información; marked extemporánea when past the deadline.

    In a period with no complementarias left (after a Sin efectos used the last one) the new filing could never
    be corrected: it is created only with ``confirmar_sin_complementarias``, after the user read the warning
    (ValidationError code "sin_complementarias" otherwise)."""
    fecha = hoy or hoy_mexico()
    # Serialises two "Nueva informativa" of the same contratista so the duplicate check cannot race; the
    # conditional unique constraint is the last line of defence.
    Contratista.objects.select_for_update().filter(pk=contratista.pk).first()
    periodo = informativa_validar_periodo(
        contratista=contratista, anio=anio, cuatrimestre=cuatrimestre, tipo=tipo, hoy=fecha
    )
    aviso = vigencia.aviso_sin_complementarias(
        contratista_id=contratista.pk, anio=anio, cuatrimestre=cuatrimestre, tipo=tipo
    )
    if aviso and not confirmar_sin_complementarias:
        raise ValidationError(f"{aviso} {MENSAJE_CONFIRMA_SIN_COMPLEMENTARIAS}", code="sin_complementarias")
    informativa = Informativa(
        contratista=contratista,
        anio=anio,
        cuatrimestre=cuatrimestre,
        tipo=tipo,
        extemporanea=periodo.es_extemporanea(fecha=fecha),
        creada_por=_usuario(usuario),
    )
    informativa.full_clean()
    try:
        with transaction.atomic():
            informativa.save()
    except IntegrityError:
        raise ValidationError(
            reglas.MENSAJE_DUPLICADA.format(
                tipo="Normal o Sin información", periodo=periodo.cuatrimestre_del_anio.lower()
            ),
            code="duplicada",
        ) from None
    _registrar(
        "informativa.creada",
        informativa,
        usuario,
        tipo=tipo,
        anio=anio,
        cuatrimestre=cuatrimestre,
        extemporanea=informativa.extemporanea,
    )
    return informativa


@transaction.atomic
def informativa_sin_informacion_declarar(
    *,
    contratista: Contratista,
    anio: int,
    cuatrimestre: int,
    usuario: User,
    hoy: datetime.date | None = None,
    confirmar_sin_complementarias: bool = False,
) -> Informativa:
    """ "Declaro bajo protesta de decir verdad...": creates the Sin información and leaves it pending signature."""
    informativa = informativa_crear(
        contratista=contratista,
        anio=anio,
        cuatrimestre=cuatrimestre,
        tipo=Informativa.Tipo.SIN_INFORMACION,
        usuario=usuario,
        hoy=hoy,
        confirmar_sin_complementarias=confirmar_sin_complementarias,
    )
    return informativa_enviar_a_firma(informativa=informativa, usuario=usuario, hoy=hoy)


def _validar_campos(informativa: Informativa, campos: list[str]) -> None:
    """The model's checks of the fields a wizard step changes, and only those. A whole full_clean() also checked
    every foreign key, the unique fields and the four constraints, all on columns the step does not touch: ten
    statements more while the informativa is locked, which every other save in it waits for on the deadline
    day. The database still enforces all of them on save."""
    excluir = [f.name for f in informativa._meta.fields if f.name not in campos]
    informativa.full_clean(exclude=excluir, validate_unique=False, validate_constraints=False)


@transaction.atomic
def informativa_contratista_guardar(
    *, informativa: Informativa, igual_fiscal: bool, domicilio: dict[str, Any] | None, usuario: User
) -> Informativa:
    """The "Contratista" tab: whether the filer's domicilio convencional is its fiscal one, else which."""
    informativa = _bloquear(informativa)
    informativa.domicilio_convencional_igual_fiscal = igual_fiscal
    anterior = informativa.domicilio_convencional
    informativa.domicilio_convencional = None if igual_fiscal else domicilio_guardar(actual=anterior, datos=domicilio)
    campos = ["domicilio_convencional_igual_fiscal", "domicilio_convencional"]
    _validar_campos(informativa, campos)
    informativa.save(update_fields=[*campos, "updated_at"])
    _borrar_domicilio_suelto(anterior, informativa.domicilio_convencional)
    _registrar("informativa.contratista_actualizado", informativa, usuario, igual_fiscal=igual_fiscal)
    return informativa


@transaction.atomic
def informativa_contratos_declarados_guardar(
    *, informativa: Informativa, numero: int, usuario: User
) -> Informativa:
    informativa = _bloquear(informativa)
    informativa.contratos_declarados = numero
    _validar_campos(informativa, ["contratos_declarados"])
    informativa.save(update_fields=["contratos_declarados", "updated_at"])
    _registrar("informativa.contratos_declarados", informativa, usuario, numero=numero)
    return informativa


MENSAJE_REPSE_FOLIO = (
    "El folio del registro REPSE del contrato ({contrato}) no es el de tu registro REPSE ({propio}) en "
    "Información del contratista."
)
MENSAJE_REPSE_VENCIDO = (
    "La fecha de inicio ({inicio:%d/%m/%Y}) es posterior al vencimiento de tu registro REPSE ({vence:%d/%m/%Y}): un "
    "servicio prestado con el registro vencido no queda amparado por el artículo 15 A de la Ley Federal del Trabajo."
)


@dataclass(frozen=True)
class AdvertenciaRepse:
    """A warning (never an error: the filing is still due) about a contrato and the contratista's REPSE."""

    contrato: Contrato
    campo: str  # the ContratoForm field it belongs to
    mensaje: str


def advertencias_repse(
    *, informativa: Informativa, contratos: list[Contrato] | None = None
) -> list[AdvertenciaRepse]:
    """The contratos whose «Folio del registro REPSE» is not the contratista's own (when it has one), or whose
    start date falls after its REPSE registration's expiry (when it gave the registration date): a contract
    served after the expiry is plain subcontracting, outside art. 15 A of the LFT (contratistas.repse)."""
    contratista = informativa.contratista
    propio = contratista.registro_repse.strip().upper()
    vence = (
        vence_de(fecha_registro=contratista.repse_fecha_registro) if contratista.repse_fecha_registro else None
    )
    if contratos is None:
        contratos = list(informativa.contratos.order_by("pk"))
    resultado = []
    for contrato in contratos:
        folio = contrato.registro_repse.strip().upper()
        if propio and folio and folio != propio:
            mensaje = MENSAJE_REPSE_FOLIO.format(contrato=folio, propio=propio)
            resultado.append(AdvertenciaRepse(contrato, "registro_repse", mensaje))
        if vence and contrato.fecha_inicio and contrato.fecha_inicio > vence:
            mensaje = MENSAJE_REPSE_VENCIDO.format(inicio=contrato.fecha_inicio, vence=vence)
            resultado.append(AdvertenciaRepse(contrato, "fecha_inicio", mensaje))
    return resultado


def informativa_inconsistencias(
    *, informativa: Informativa, contratos: list[Contrato] | None = None
) -> list[reglas.Inconsistencia]:
    return reglas.inconsistencias(informativa, contratos)


@transaction.atomic
def informativa_enviar_a_firma(
    *, informativa: Informativa, usuario: User, hoy: datetime.date | None = None
) -> Informativa:
    """Checks the seven inconsistency rules once more and leaves the informativa "Pendiente de firma"."""
    informativa = _bloquear(informativa)
    # Counted again before the rules (rule 4 reads each contract's count) and as it leaves capture: exact in
    # every list from now on.
    informativa_totales_actualizar(informativa=informativa)
    problemas = reglas.inconsistencias(informativa)
    if problemas:
        raise ValidationError([p.mensaje for p in problemas], code="inconsistencias")
    informativa.estatus = Informativa.Estatus.PENDIENTE_FIRMA
    informativa.enviada_a_firma_at = timezone.now()
    if informativa.tipo in Informativa.TIPOS_UNICOS_POR_PERIODO:  # a complementaria may go at any time
        informativa.extemporanea = informativa.periodo.es_extemporanea(fecha=hoy or hoy_mexico())
    informativa.full_clean()
    informativa.save()
    _registrar("informativa.enviada_a_firma", informativa, usuario)
    return informativa


@transaction.atomic
def informativa_regresar_a_captura(*, informativa: Informativa, usuario: User) -> Informativa:
    informativa = Informativa.objects.select_for_update().get(pk=informativa.pk)
    if informativa.estatus != Informativa.Estatus.PENDIENTE_FIRMA:
        raise ValidationError(MENSAJE_NO_PENDIENTE, code="no_pendiente")
    informativa.estatus = Informativa.Estatus.EN_CAPTURA
    informativa.enviada_a_firma_at = None
    informativa.save(update_fields=["estatus", "enviada_a_firma_at", "updated_at"])
    _registrar("informativa.regresada_a_captura", informativa, usuario)
    return informativa


@transaction.atomic
def informativa_eliminar(*, informativa: Informativa, usuario: User) -> None:
    """Deletes a draft with everything captured in it; its audit trail stays (recorded against its id)."""
    informativa = _bloquear(informativa)
    domicilios = [informativa.domicilio_convencional_id]
    for contrato in informativa.contratos.all():
        domicilios += [contrato.domicilio_social_id, contrato.domicilio_convencional_id]
    for carga in CargaMasiva.objects.filter(contrato__informativa=informativa):
        _borrar_archivos(carga)
    # The payroll ZIPs and contratos workbooks uploaded to it (their rows go with the informativa).
    subidas = [
        archivo
        for modelo in (informativa.importaciones_nomina, informativa.cargas_contratos)
        for fila in modelo.only("archivo", "archivo_rechazados")
        for archivo in (fila.archivo, fila.archivo_rechazados)
        if archivo
    ]
    transaction.on_commit(lambda: [a.delete(save=False) for a in subidas])
    _registrar(
        "informativa.eliminada",
        informativa,
        usuario,
        tipo=informativa.tipo,
        anio=informativa.anio,
        cuatrimestre=informativa.cuatrimestre,
    )
    informativa.delete()
    Domicilio.objects.filter(pk__in=[d for d in domicilios if d]).delete()


# ----------------------------------------------------------------------------------------------------------
# Domicilios (saved by contratistas.domicilio.domicilio_guardar)
# ----------------------------------------------------------------------------------------------------------
def _borrar_domicilio_suelto(anterior: Domicilio | None, actual: Domicilio | None) -> None:
    if anterior and anterior != actual:
        anterior.delete()


# ----------------------------------------------------------------------------------------------------------
# Contratos and their contratantes
# ----------------------------------------------------------------------------------------------------------
@dataclass
class DatosContratante:
    rfc: str
    razon_social: str
    correo: str
    celular: str
    telefono_fijo: str = ""
    rfc_confirmado: bool = False
    domicilio_social_igual_fiscal: bool | None = None
    domicilio_social: dict[str, Any] | None = None
    domicilio_convencional_igual_fiscal: bool | None = None
    domicilio_convencional: dict[str, Any] | None = None
    # The RFC the razón social was shown with (set by "Validar"); empty when the name was typed without it.
    razon_social_rfc: str = ""
    # The RFC whose catálogo entry filled ``llenado_campos`` (form field names) on the Contratante tab.
    llenado_rfc: str = ""
    llenado_campos: tuple[str, ...] = ()


def contratante_razon_social_revisar(*, rfc: str, razon_social: str, razon_social_rfc: str = "") -> None:
    """A contratante's razón social must belong to its RFC: a name filled from the SAT registry for one RFC
    and left in place after the RFC was changed would be printed, under the new RFC, on the signed acuse.
    Raises ValidationError on ``razon_social`` (only for RFCs the registry does not know: for the others the
    registry's name is taken)."""
    if razon_social_rfc and razon_social_rfc != rfc:
        raise ValidationError(
            {"razon_social": MENSAJE_RAZON_SOCIAL_OTRO_RFC.format(rfc=rfc)}, code="razon_social_otro_rfc"
        )
    if otro := contribuyente_con_razon_social(razon_social=razon_social, excepto_rfc=rfc):
        raise ValidationError(
            {"razon_social": MENSAJE_RAZON_SOCIAL_DE_PADRON.format(otro=otro.rfc, rfc=rfc)},
            code="razon_social_otro_rfc",
        )


CAMPOS_DE_CONTACTO = {"correo": "El correo electrónico", "celular": "El celular", "telefono_fijo": "El teléfono fijo"}
MENSAJE_CONTACTO_OTRO_RFC = (
    "{campo} se tomó del catálogo de contratantes para el RFC {otro}, no es del RFC {rfc}. "
    "Captura el del RFC {rfc} o vuelve a validar el RFC."
)


def contratante_llenado_revisar(*, rfc: str, llenado_rfc: str, llenado_campos: tuple[str, ...]) -> None:
    """Contact data the catálogo filled for one RFC and left in place after the RFC was changed would be stored
    under the new RFC, in the contrato and in the catálogo: refused at each field. The same data typed by hand
    for two clients is the user's to give (it is not listed as filled)."""
    if not llenado_rfc or llenado_rfc == rfc:
        return
    errores = {
        campo: MENSAJE_CONTACTO_OTRO_RFC.format(campo=nombre, otro=llenado_rfc, rfc=rfc)
        for campo, nombre in CAMPOS_DE_CONTACTO.items()
        if campo in llenado_campos
    }
    if errores:
        raise ValidationError(errores, code="contacto_otro_rfc")


MENSAJE_RAZON_SOCIAL_OTRO_RFC = (
    "La denominación o razón social capturada era de otro RFC. Captura la denominación o razón social del RFC {rfc}."
)
MENSAJE_RAZON_SOCIAL_DE_PADRON = (
    "Esa denominación o razón social es la del RFC {otro} en el padrón del SAT, no la del RFC {rfc}. "
    "Captura la denominación o razón social del RFC {rfc}."
)


def contratante_asignar(contrato: Contrato, datos: DatosContratante, padron: Any) -> None:
    """The contratante's fields of a contrato, but its domicilios: ``padron`` is the RFC's SAT registry
    entry (None when absent). Also used by Contratos en bloque, which saves many contratos at once."""
    contrato.contratante_rfc = datos.rfc
    # The SAT registry is authoritative for the name; a typed one is kept only when the RFC is not in it.
    contrato.contratante_razon_social = padron.razon_social if padron else datos.razon_social
    contrato.contratante_en_padron = bool(padron)
    contrato.contratante_rfc_confirmado = datos.rfc_confirmado
    contrato.contratante_correo = datos.correo
    contrato.contratante_celular = datos.celular
    contrato.contratante_telefono_fijo = datos.telefono_fijo
    persona_moral = len(datos.rfc) == 12
    contrato.domicilio_social_igual_fiscal = datos.domicilio_social_igual_fiscal if persona_moral else None
    contrato.domicilio_convencional_igual_fiscal = datos.domicilio_convencional_igual_fiscal


def _aplicar_contratante(
    contrato: Contrato, datos: DatosContratante, contratista: Contratista
) -> list[Domicilio]:
    if datos.rfc == contratista.rfc:  # IMSS inconsistency #1
        raise ValidationError({"rfc": reglas.MENSAJE_MISMO_RFC}, code="mismo_rfc")
    contratante_llenado_revisar(rfc=datos.rfc, llenado_rfc=datos.llenado_rfc, llenado_campos=datos.llenado_campos)
    padron = contribuyente_buscar(rfc=datos.rfc)
    if not padron:
        contratante_razon_social_revisar(
            rfc=datos.rfc, razon_social=datos.razon_social, razon_social_rfc=datos.razon_social_rfc
        )
    contratante_asignar(contrato, datos, padron)
    anteriores = [contrato.domicilio_social, contrato.domicilio_convencional]
    persona_moral = len(datos.rfc) == 12
    if persona_moral and datos.domicilio_social_igual_fiscal is False:
        contrato.domicilio_social = domicilio_guardar(actual=contrato.domicilio_social, datos=datos.domicilio_social)
    else:
        contrato.domicilio_social = None
    if datos.domicilio_convencional_igual_fiscal is False:
        contrato.domicilio_convencional = domicilio_guardar(
            actual=contrato.domicilio_convencional, datos=datos.domicilio_convencional
        )
    else:
        contrato.domicilio_convencional = None
    return [
        d for d in anteriores if d and d not in (contrato.domicilio_social, contrato.domicilio_convencional)
    ]


@transaction.atomic
def contrato_crear(*, informativa: Informativa, contratante: DatosContratante, usuario: User) -> Contrato:
    """ "Agregar contrato" from the Contratante tab: the contract starts with its contratante and gets its folio."""
    informativa = _bloquear(informativa)
    if not informativa.con_contratos:
        raise ValidationError("Una informativa Sin información no lleva contratos.", code="sin_informacion")
    contrato = Contrato(informativa=informativa, folio="pendiente")
    _aplicar_contratante(contrato, contratante, informativa.contratista)
    contrato.full_clean(exclude=["folio"])
    contrato.folio = folio_contrato(anio=informativa.anio, cuatrimestre=informativa.cuatrimestre)
    contrato.save()
    catalogo.contratante_registrar(
        contratista=informativa.contratista, datos=contratante, razon_social=contrato.contratante_razon_social
    )
    informativa_totales_actualizar(informativa=informativa)
    _registrar("contrato.creado", informativa, usuario, contrato=contrato.folio, rfc=contrato.contratante_rfc)
    return contrato


@transaction.atomic
def contrato_contratante_actualizar(
    *, contrato: Contrato, contratante: DatosContratante, usuario: User
) -> Contrato:
    informativa = _bloquear(contrato.informativa)
    contrato = Contrato.objects.select_for_update().get(pk=contrato.pk)
    sobrantes = _aplicar_contratante(contrato, contratante, informativa.contratista)
    contrato.full_clean()
    contrato.save()
    catalogo.contratante_registrar(
        contratista=informativa.contratista, datos=contratante, razon_social=contrato.contratante_razon_social
    )
    for domicilio in sobrantes:
        domicilio.delete()
    _registrar(
        "contrato.contratante_actualizado",
        informativa,
        usuario,
        contrato=contrato.folio,
        rfc=contrato.contratante_rfc,
    )
    return contrato


def contrato_errores(
    *,
    periodo: Periodo,
    servicio: str,
    fecha_inicio: datetime.date | None,
    fecha_termino: datetime.date | None,
) -> dict[str, str]:
    """Rules 2 and 3 of the "Contrato" tab, each with its own message (also run on every row of Contratos en
    bloque)."""
    errores: dict[str, str] = {}
    if not servicio.strip():
        errores["servicio"] = reglas.MENSAJE_SIN_SERVICIO_CAPTURA
    if fecha_inicio is None:
        errores["fecha_inicio"] = reglas.MENSAJE_SIN_INICIO_CAPTURA
    elif not periodo.contiene(fecha_inicio):
        errores["fecha_inicio"] = reglas.MENSAJE_INICIO_FUERA_CAPTURA.format(
            inicio=f"{periodo.inicio:%d/%m/%Y}", fin=f"{periodo.fin:%d/%m/%Y}"
        )
    if fecha_termino and fecha_inicio and fecha_termino < fecha_inicio:
        errores["fecha_termino"] = "La fecha de término no puede ser anterior a la fecha de inicio."
    return errores


@transaction.atomic
def contrato_actualizar(
    *,
    contrato: Contrato,
    objeto: str,
    registro_repse: str,
    servicio: str,
    fecha_inicio: datetime.date,
    fecha_termino: datetime.date | None,
    usuario: User,
) -> Contrato:
    """The "Contrato" tab. Rules 2 and 3 are refused here, each with its own message."""
    informativa = _bloquear(contrato.informativa)
    contrato = Contrato.objects.select_for_update().get(pk=contrato.pk)
    if errores := contrato_errores(
        periodo=informativa.periodo, servicio=servicio, fecha_inicio=fecha_inicio, fecha_termino=fecha_termino
    ):
        raise ValidationError(errores)
    contrato.objeto = objeto.strip()
    contrato.registro_repse = registro_repse.strip()
    contrato.servicio = servicio.strip()
    contrato.fecha_inicio = fecha_inicio
    contrato.fecha_termino = fecha_termino
    contrato.full_clean()
    contrato.save()
    _registrar("contrato.actualizado", informativa, usuario, contrato=contrato.folio)
    return contrato


@transaction.atomic
def contrato_eliminar(*, contrato: Contrato, usuario: User) -> None:
    informativa = _bloquear(contrato.informativa)
    folio = contrato.folio
    domicilios = [contrato.domicilio_social_id, contrato.domicilio_convencional_id]
    for carga in contrato.cargas.all():
        _borrar_archivos(carga)
    contrato.delete()
    Domicilio.objects.filter(pk__in=[d for d in domicilios if d]).delete()
    informativa_totales_actualizar(informativa=informativa)
    _registrar("contrato.eliminado", informativa, usuario, contrato=folio)


# ----------------------------------------------------------------------------------------------------------
# Trabajadores, one by one
# ----------------------------------------------------------------------------------------------------------
def _nombres(curp: str, nombre: str, primer_apellido: str, segundo_apellido: str) -> tuple[str, str, str]:
    """The CURP registry's names when it knows the CURP; otherwise what the user typed."""
    persona = registro_curp().buscar(curp)
    if persona:
        return persona.nombres, persona.primer_apellido, persona.segundo_apellido
    return nombre.strip().upper(), primer_apellido.strip().upper(), segundo_apellido.strip().upper()


def _duplicados(contrato: Contrato, nss: str, curp: str, excluir_pk: int | None = None) -> dict[str, str]:
    otros = Trabajador.objects.filter(contrato=contrato)
    if excluir_pk:
        otros = otros.exclude(pk=excluir_pk)
    errores = {}
    if otros.filter(nss=nss).exists():
        errores["nss"] = MENSAJE_NSS_REGISTRADO
    if otros.filter(curp=curp).exists():
        errores["curp"] = MENSAJE_CURP_REGISTRADA
    return errores


@transaction.atomic
def trabajador_agregar(
    *,
    contrato: Contrato,
    nss: str,
    curp: str,
    sbc: Decimal,
    usuario: User,
    nombre: str = "",
    primer_apellido: str = "",
    segundo_apellido: str = "",
) -> Trabajador:
    informativa = _bloquear(contrato.informativa)
    contrato = Contrato.objects.select_for_update().get(pk=contrato.pk)
    if errores := _duplicados(contrato, nss, curp):
        raise ValidationError(errores)
    trabajador = Trabajador(
        contrato=contrato, nss=nss, curp=curp, sbc=sbc, origen=Trabajador.Origen.INDIVIDUAL
    )
    trabajador.nombre, trabajador.primer_apellido, trabajador.segundo_apellido = _nombres(
        curp, nombre, primer_apellido, segundo_apellido
    )
    trabajador.full_clean()
    trabajador.save()
    informativa_totales_actualizar(informativa=informativa)
    _registrar("trabajador.agregado", informativa, usuario, contrato=contrato.folio, nss=nss)
    return trabajador


@transaction.atomic
def trabajador_actualizar(
    *,
    trabajador: Trabajador,
    nss: str,
    curp: str,
    sbc: Decimal,
    usuario: User,
    nombre: str = "",
    primer_apellido: str = "",
    segundo_apellido: str = "",
) -> Trabajador:
    informativa = _bloquear(trabajador.contrato.informativa)
    contrato = Contrato.objects.select_for_update().get(pk=trabajador.contrato_id)
    if errores := _duplicados(contrato, nss, curp, excluir_pk=trabajador.pk):
        raise ValidationError(errores)
    antes = {"nss": trabajador.nss, "curp": trabajador.curp, "sbc": str(trabajador.sbc)}
    trabajador.nss, trabajador.curp, trabajador.sbc = nss, curp, sbc
    trabajador.nombre, trabajador.primer_apellido, trabajador.segundo_apellido = _nombres(
        curp, nombre, primer_apellido, segundo_apellido
    )
    trabajador.full_clean()
    trabajador.save()
    cambios = {k: v for k, v in antes.items() if v != str(getattr(trabajador, k))}
    _registrar(
        "trabajador.actualizado", informativa, usuario, contrato=contrato.folio, nss=nss, antes=cambios
    )
    return trabajador


@transaction.atomic
def trabajador_eliminar(*, trabajador: Trabajador, usuario: User) -> None:
    informativa = _bloquear(trabajador.contrato.informativa)
    folio, nss = trabajador.contrato.folio, trabajador.nss
    trabajador.delete()
    informativa_totales_actualizar(informativa=informativa)
    _registrar("trabajador.eliminado", informativa, usuario, contrato=folio, nss=nss)
