"""Firma y presentación, and Modificar presentación (complementarias).

Signing is in two requests, and the e.firma never leaves the browser (docs/firma-en-navegador.md):
``firma_preparar`` ("Validar") runs every check on the certificate and the informativa, takes the informativa's
folio definitivo (reserved once per informativa, the same for every Validar of it) and the time of presentation
and issues the cadena original as a single-use reto;
``informativa_firmar`` ("Firmar") verifies the page's signature of that cadena, rebuilds the cadena from the
stored content and refuses it if anything changed, then counter-signs with the portal's sello, renders and
stores the acuse PDF and queues the email with it, in one transaction (any refusal leaves nothing changed; the
informativa keeps its reserved folio for the next Validar). It is the one way an informativa becomes Presentada. From then on
the informativa is immutable: every capture service refuses anything that is not "En captura", and the admin
is read-only.

``complementaria_crear`` starts a Corrección, Sin efectos or Actualización from the period's filing in force
as an editable full copy (ICSOE-DOMAIN.md 3.2 and 3.3); signing a Corrección or Actualización marks the earlier
one Sustituida, signing a Sin efectos marks it Dejada sin efectos (vigencia.py has the rules of a period's chain).
"""

from __future__ import annotations

import datetime
import hashlib
import logging
from collections.abc import MutableMapping
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from contratistas.models import Contratista, Domicilio
from core.services import correo_encolar
from firma import retos, sat
from firma.services import (
    SelloPortal,
    SelloPortalNoConfigurado,
    efirma_certificado_validar,
    efirma_firma_verificar,
    sello_portal,
)
from plazos import reloj

from .. import cribado, reglas, vigencia
from ..captura import services as captura
from ..comun import MENSAJE_NO_EDITABLE, informativa_totales_actualizar
from ..comun import registrar as _registrar
from ..folios import folio_informativa_reservar
from ..models import Acuse, Contrato, Informativa, Trabajador, codigo_verificacion_nuevo
from ..periodos import hoy as hoy_mexico
from . import acuse_pades, acuses

if TYPE_CHECKING:
    from accounts.models import User

logger = logging.getLogger(__name__)

MENSAJE_SOLO_CONTRATISTA = "Sólo el contratista puede firmar y presentar la informativa con su e.firma."
MENSAJE_NO_PENDIENTE_FIRMA = "Sólo una informativa pendiente de firma puede firmarse."
MENSAJE_RFC_DISTINTO = (
    "El RFC capturado no corresponde al contratista de la informativa. Firma con la e.firma del contratista."
)
MENSAJE_ORIGEN_NO_VIGENTE = (
    "La informativa de origen ya no está vigente: fue sustituida o dejada sin efectos por otra informativa "
    "complementaria."
)
MENSAJE_SELLO_PORTAL = "No fue posible sellar el acuse en este momento. Inténtalo más tarde."
MENSAJE_CADENA_CAMBIO = (
    "La informativa cambió después de generar la cadena original. Da clic en \"Validar\" para generar la "
    "cadena de nuevo y fírmala."
)

COMPLEMENTARIAS_POR_PERIODO = vigencia.COMPLEMENTARIAS_POR_PERIODO
MESES_ACTUALIZACION = (1, 5, 9)  # DOF 5.9: only in January, May or September
MENSAJE_NO_PRESENTADA = "Sólo se puede modificar una informativa presentada y vigente."
MENSAJE_SIN_EFECTOS_DEFINITIVA = (
    "Una informativa complementaria Sin efectos es definitiva: no puede modificarse con otra complementaria."
)
MENSAJE_TIPO_COMPLEMENTARIA = "Selecciona el tipo de complementaria: Corrección, Sin efectos o Actualización."
MENSAJE_LIMITE = (
    "Ya existen las {maximo} informativas complementarias permitidas para el periodo "
    "(la Actualización no cuenta en el límite)."
)
MENSAJE_MES_ACTUALIZACION = (
    "La complementaria de Actualización sólo puede presentarse en enero, mayo o septiembre."
)
MENSAJE_ACTUALIZACION_SIN_CONTRATOS = "La Actualización sólo aplica a una informativa que reportó contratos."
MENSAJE_COMPLEMENTARIA_ABIERTA = (
    "Ya existe una complementaria en captura de esta informativa; termínala o elimínala en Capturar informativa."
)


def _descripcion_periodo(informativa: Informativa) -> str:
    return informativa.periodo.cuatrimestre_del_anio.lower()


def _revisar_reglas_al_firmar(informativa: Informativa, *, hoy: datetime.date) -> None:
    if informativa.tipo == Informativa.Tipo.ACTUALIZACION and hoy.month not in MESES_ACTUALIZACION:
        # DOF 5.9 limits when an Actualización is presented, not only when it is started.
        raise ValidationError(MENSAJE_MES_ACTUALIZACION, code="mes_actualizacion")
    problemas = [p.mensaje for p in reglas.inconsistencias(informativa)]
    if informativa.tipo in Informativa.TIPOS_UNICOS_POR_PERIODO and reglas.complementaria_presentada_vigente(
        contratista_id=informativa.contratista_id, anio=informativa.anio, cuatrimestre=informativa.cuatrimestre
    ):
        periodo = _descripcion_periodo(informativa)
        problemas.append(reglas.MENSAJE_PERIODO_CON_COMPLEMENTARIA.format(periodo=periodo))
    if problemas:
        raise ValidationError(problemas, code="inconsistencias")


def _es_el_contratista(usuario: User, contratista: Contratista) -> bool:
    return bool(
        getattr(usuario, "is_authenticated", False)
        and getattr(usuario, "es_contratista", False)
        and usuario.pk == contratista.usuario_id
    )


def _firmable(
    pk: int, *, usuario: User, rfc: str, hoy: datetime.date, bloquear: bool
) -> tuple[Informativa, Informativa | None]:
    """The informativa (and the one it replaces) when ``usuario`` may sign it now with an e.firma of ``rfc``;
    raises PermissionDenied, sat.EfirmaError or ValidationError otherwise. ``bloquear`` locks both rows."""
    informativas = Informativa.objects.select_related("contratista", "informativa_origen")
    if bloquear:
        informativas = informativas.select_for_update(of=("self",))
    informativa = informativas.get(pk=pk)
    contratista = informativa.contratista
    if not _es_el_contratista(usuario, contratista):
        raise PermissionDenied(MENSAJE_SOLO_CONTRATISTA)
    if informativa.estatus != Informativa.Estatus.PENDIENTE_FIRMA:
        raise ValidationError(
            MENSAJE_NO_EDITABLE.get(informativa.estatus, MENSAJE_NO_PENDIENTE_FIRMA)
            if informativa.estatus != Informativa.Estatus.EN_CAPTURA
            else MENSAJE_NO_PENDIENTE_FIRMA,
            code="no_pendiente",
        )
    if sat.normalizar_rfc(rfc) != contratista.rfc:
        raise sat.EfirmaError("rfc_no_coincide", MENSAJE_RFC_DISTINTO)
    origen = None
    if informativa.informativa_origen_id:
        origenes = Informativa.objects.select_for_update() if bloquear else Informativa.objects
        origen = origenes.get(pk=informativa.informativa_origen_id)
        if not origen.vigente:
            raise ValidationError(MENSAJE_ORIGEN_NO_VIGENTE, code="origen_no_vigente")
    _revisar_reglas_al_firmar(informativa, hoy=hoy)
    if pendientes := cribado.pendientes_de_confirmar(
        informativa=informativa, consultas=cribado.informativa_cribar(informativa=informativa)
    ):
        raise ValidationError(cribado.mensaje_pendientes(pendientes), code="lista_sat_sin_confirmar")
    return informativa, origen


def _fecha_legal(momento: datetime.datetime, hoy: datetime.date | None) -> datetime.date:
    """The date the rules look at: the presentation time's date in Central Mexico (``hoy`` when a caller
    fixes it; the ICSOE_HOY setting of demos and tests fixes it too)."""
    if hoy is not None:
        return hoy
    if reloj.fecha_fijada():  # ICSOE_HOY or the test clock
        return hoy_mexico()
    return momento.astimezone(acuses.ZONA).date()


def _cadena(
    informativa: Informativa, *, folio: str, momento: datetime.datetime, hoy: datetime.date, numero_certificado: str
) -> tuple[str, acuses.Resumen]:
    """The cadena original of the informativa as it is stored now, with the reserved folio and time (and
    whether it is extemporánea, judged on that time's date: part of the signed content)."""
    contratista = informativa.contratista
    if informativa.tipo in Informativa.TIPOS_UNICOS_POR_PERIODO:
        informativa.extemporanea = informativa.periodo.es_extemporanea(fecha=hoy)
    else:
        informativa.extemporanea = False  # a complementaria may be filed at any time (DOF 5.6)
    detalle = acuses.resumen(informativa)
    # Version 2 of the cadena names the folio a complementaria modifies (acuses.cadena_original).
    cadena = acuses.cadena_informativa(
        informativa,
        detalle=detalle,
        folio=folio,
        rfc=contratista.rfc,
        razon_social=contratista.razon_social,
        fecha=momento,
        numero_certificado=numero_certificado,
    )
    return cadena, detalle


def _sello() -> SelloPortal:
    try:
        return sello_portal()
    except SelloPortalNoConfigurado:
        logger.exception("El sello del portal no está configurado")
        raise ValidationError(MENSAJE_SELLO_PORTAL, code="sello_portal") from None


def firma_preparar(
    *,
    informativa: Informativa,
    certificado: bytes,
    rfc: str,
    usuario: User,
    sesion: MutableMapping[str, Any],
    direccion: str | None = None,
    ahora: datetime.datetime | None = None,
    hoy: datetime.date | None = None,
) -> retos.RetoEfirma:
    """"Validar" on Firmar: the cadena original the contratista's e.firma must sign, issued as a reto.

    Runs every check that does not need the signature: who signs, the informativa's state and rules, the
    portal's sello, and every certificate check of the login. Then the informativa's folio definitivo
    (reserved by its first Validar and kept on it, ``folios.folio_informativa_reservar``: every Validar of
    one informativa signs the same folio, so Validars cannot burn the shared series; it becomes final at
    Firmar) and the time of presentation (now, to the second: the legal presentation time, printed in the
    cadena; on time or extemporánea is judged on its date), builds the cadena from the stored content and
    stores it as a single-use reto of this session, certificate and address (firma/retos.py, valid 10
    minutes). Raises PermissionDenied, sat.EfirmaError or ValidationError. Each call takes a new time: two
    tabs, two cadenas with one folio, and only one of them can be presented.
    """
    momento = (ahora or timezone.now()).replace(microsecond=0)
    fecha = _fecha_legal(momento, hoy)
    revisada, _ = _firmable(informativa.pk, usuario=usuario, rfc=rfc, hoy=fecha, bloquear=False)
    _sello()
    validado = efirma_certificado_validar(cer=certificado, rfc=rfc, ahora=momento)
    folio = folio_informativa_reservar(informativa=revisada)
    cadena, _ = _cadena(
        revisada, folio=folio, momento=momento, hoy=fecha, numero_certificado=validado.numero_certificado
    )
    return retos.reto_emitir(
        sesion=sesion,
        certificado=validado,
        proposito=retos.FIRMA,
        mensaje=cadena,
        direccion=direccion,
        datos={
            "informativa": str(revisada.code),
            "folio": folio,
            "momento": momento.isoformat(),
            "hoy": fecha.isoformat(),
        },
    )


def informativa_firmar(
    *,
    informativa: Informativa,
    certificado: bytes,
    rfc: str,
    reto: str,
    firma: bytes,
    usuario: User,
    sesion: MutableMapping[str, Any],
) -> Informativa:
    """"Firmar": presents a Pendiente de firma informativa with the cadena its contratista signed in the
    browser (the reto issued by ``firma_preparar``).

    Raises PermissionDenied when the user is not the contratista itself, sat.EfirmaError (with its Spanish
    message) for any certificate check, a spent, foreign or expired reto or a signature that does not verify,
    and ValidationError for a rule of the informativa or when the informativa changed since its cadena was
    issued. The server never receives the key: only the certificate and the signature.

    1. every certificate check again (it may have been revoked meanwhile), the reto consumed (single use,
       this session, this certificate) and its signature verified over the cadena it holds;
    2. one transaction under the informativa's lock: the rules again with the reserved date, the cadena
       rebuilt from the stored content with the reserved folio and time, refused unless it is exactly the
       signed one; then the acuse (PDF, portal's sellos), the email, and the estatus. A failure rolls all of
       it back and leaves the informativa pendiente, with its reserved folio for the next Validar.
    """
    if not _es_el_contratista(usuario, informativa.contratista):
        raise PermissionDenied(MENSAJE_SOLO_CONTRATISTA)
    verificada = efirma_firma_verificar(
        sesion=sesion, cer=certificado, rfc=rfc, reto_id=reto, firma=firma, proposito=retos.FIRMA
    )
    datos = verificada.datos
    if datos.get("informativa") != str(informativa.code):
        raise sat.EfirmaError("reto_vencido", retos.MENSAJE_RETO_VENCIDO)
    portal = _sello()
    momento = datetime.datetime.fromisoformat(datos["momento"])
    fecha = datetime.date.fromisoformat(datos["hoy"])
    with transaction.atomic():
        informativa, origen = _firmable(informativa.pk, usuario=usuario, rfc=rfc, hoy=fecha, bloquear=True)
        return _presentar(
            informativa=informativa,
            origen=origen,
            folio=datos["folio"],
            certificado=verificada.certificado,
            cadena_firmada=verificada.mensaje,
            firma=verificada.firma,
            portal=portal,
            momento=momento,
            hoy=fecha,
            usuario=usuario,
        )


def _presentar(
    *,
    informativa: Informativa,
    origen: Informativa | None,
    folio: str,
    certificado: sat.Certificado,
    cadena_firmada: str,
    firma: bytes,
    portal: SelloPortal,
    momento: datetime.datetime,
    hoy: datetime.date,
    usuario: User,
) -> Informativa:
    """Step 2 of ``informativa_firmar``, inside its transaction with the informativa locked: check the signed
    cadena, store, render and keep the acuse, replace or cancel the earlier filing, audit, email."""
    numero_certificado = certificado.numero_certificado
    cadena, detalle = _cadena(
        informativa, folio=folio, momento=momento, hoy=hoy, numero_certificado=numero_certificado
    )
    if cadena != cadena_firmada or not sat.verificar(certificado, cadena.encode("utf-8"), firma):
        raise ValidationError(MENSAJE_CADENA_CAMBIO, code="cadena_cambio")
    sello = acuses.b64(firma)
    if origen is not None:
        # First, so that the period never has two filings in force (informativa_vigente_unica_por_periodo).
        _retirar_de_vigor(origen, por=informativa, folio=folio, usuario=usuario)
    _guardar_presentada(
        informativa, folio=folio, certificado=certificado, cadena=cadena, sello=sello, momento=momento
    )
    acuse, pdf = _acuse_emitir(
        informativa,
        folio=folio,
        certificado=certificado,
        portal=portal,
        detalle=detalle,
        cadena=cadena,
        sello=sello,
    )
    try:
        acuse.full_clean()
        acuse.save()
        _registrar(
            "informativa.presentada",
            informativa,
            usuario,
            folio=folio,
            numero_certificado=numero_certificado,
            contratos=detalle.contratos,
            trabajadores=detalle.trabajadores,
        )
        _correo_acuse(informativa, acuse, pdf)
    except BaseException:
        acuse.pdf.delete(save=False)  # the transaction rolls back: leave no orphan PDF in storage
        raise
    return informativa


def _guardar_presentada(
    informativa: Informativa,
    *,
    folio: str,
    certificado: sat.Certificado,
    cadena: str,
    sello: str,
    momento: datetime.datetime,
) -> None:
    informativa.estatus = Informativa.Estatus.PRESENTADA
    informativa.folio_definitivo = folio
    informativa.fecha_presentacion = momento
    informativa.firmada_por_rfc = certificado.rfc
    informativa.numero_certificado = certificado.numero_certificado
    informativa.cadena_original = cadena
    informativa.firma_b64 = sello
    informativa.full_clean()
    informativa.save()


def _acuse_emitir(
    informativa: Informativa,
    *,
    folio: str,
    certificado: sat.Certificado,
    portal: SelloPortal,
    detalle: acuses.Resumen,
    cadena: str,
    sello: str,
) -> tuple[Acuse, bytes]:
    """The portal's sellos, the PDF (put in storage) and the unsaved Acuse that records them."""
    contratista = informativa.contratista
    sello_portal_b64 = acuses.b64(portal.firmar(acuses.datos_sello_portal(cadena, sello)))
    codigo = codigo_verificacion_nuevo()
    pdf = acuses.pdf_renderizar(
        informativa=informativa,
        rfc=contratista.rfc,
        razon_social=contratista.razon_social,
        detalle=detalle,
        sello_portal_b64=sello_portal_b64,
        portal_numero_certificado=portal.certificado.numero_certificado,
        codigo_verificacion=codigo,
    )
    pdf = acuse_pades.pdf_sellar(pdf=pdf, portal=portal)  # any PDF reader shows it signed by the IMSS sello
    pdf_sha256 = hashlib.sha256(pdf).hexdigest()
    acuse = Acuse(
        informativa=informativa,
        version=acuses.VERSION_CADENA,
        rfc=contratista.rfc,
        razon_social=contratista.razon_social,
        num_contratos=detalle.contratos,
        num_trabajadores=detalle.trabajadores,
        contenido_sha256=detalle.sha256,
        colonias=detalle.colonias,
        certificado=certificado.der,
        sello_portal=sello_portal_b64,
        portal_numero_certificado=portal.certificado.numero_certificado,
        portal_certificado=portal.certificado.der,
        pdf_sha256=pdf_sha256,
        sello_pdf=acuses.b64(portal.firmar(acuses.datos_sello_pdf(folio, pdf_sha256))),
        codigo_verificacion=codigo,
    )
    acuse.pdf.save(f"acuse-{folio}.pdf", ContentFile(pdf), save=False)
    return acuse, pdf


def _retirar_de_vigor(origen: Informativa, *, por: Informativa, folio: str, usuario: User) -> None:
    """A Sin efectos leaves the filing it modifies without effect (and brings back nothing it had replaced);
    a Corrección or Actualización replaces it."""
    if por.tipo == Informativa.Tipo.SIN_EFECTOS:
        origen.estatus, accion = Informativa.Estatus.DEJADA_SIN_EFECTOS, "informativa.dejada_sin_efectos"
    else:
        origen.estatus, accion = Informativa.Estatus.SUSTITUIDA, "informativa.sustituida"
    origen.save(update_fields=["estatus", "updated_at"])
    _registrar(accion, origen, usuario, folio=origen.folio_definitivo, por=folio)


def _correo_acuse(informativa: Informativa, acuse: Acuse, pdf: bytes) -> None:
    contratista = informativa.contratista
    presentada_el = informativa.fecha_presentacion
    assert presentada_el is not None  # set by _guardar_presentada before the email is sent
    if not contratista.correo:
        logger.info("El contratista %s no tiene correo; el acuse %s no se envía", contratista.rfc, acuse.pk)
        return
    correo_encolar(
        para=contratista.correo,
        plantilla="acuse_presentado",
        contexto={
            "razon_social": contratista.razon_social,
            "rfc": contratista.rfc,
            "folio": informativa.folio_definitivo,
            "tipo": informativa.get_tipo_display(),
            "periodo": str(informativa.periodo),
            "cuatrimestre": informativa.periodo.cuatrimestre_texto,
            "fecha": acuses.fecha_firma(presentada_el),
            "fecha_presentacion": informativa.fecha_presentacion,
            "url_verificacion": acuses.url_verificacion(informativa.folio_definitivo, acuse.codigo_verificacion),
            # What a complementaria replaced or left without effect ("" for a Normal or Sin información).
            "modifica": vigencia.relacion_con_origen(informativa),
        },
        adjunto=(f"Acuse-{informativa.folio_definitivo}.pdf", pdf, "application/pdf"),
    )


# ----------------------------------------------------------------------------------------------------------
# Modificar presentación: complementarias
# ----------------------------------------------------------------------------------------------------------
# The period's count of complementarias lives with the period's other rules (vigencia.py).
complementarias_usadas = vigencia.complementarias_usadas
complementarias_restantes_del_periodo = vigencia.complementarias_restantes_del_periodo


def complementarias_restantes(*, informativa: Informativa) -> int:
    return complementarias_restantes_del_periodo(
        contratista_id=informativa.contratista_id, anio=informativa.anio, cuatrimestre=informativa.cuatrimestre
    )


def complementaria_origen_validar(*, origen: Informativa) -> None:
    """Whether ``origen`` may be modified at all: only the period's filing in force, never a Sin efectos."""
    if origen.tipo == Informativa.Tipo.SIN_EFECTOS:
        raise ValidationError(MENSAJE_SIN_EFECTOS_DEFINITIVA, code="sin_efectos_definitiva")
    if not origen.vigente:
        raise ValidationError(MENSAJE_NO_PRESENTADA, code="no_presentada")


def complementaria_validar(*, origen: Informativa, tipo: str, hoy: datetime.date | None = None) -> None:
    """The rules of DOF 5.6 and 5.9 for starting a complementaria; raises ValidationError with the reason.
    Only the period's filing in force may be modified; a Sin efectos is final."""
    complementaria_origen_validar(origen=origen)
    if tipo not in Informativa.TIPOS_COMPLEMENTARIA:
        raise ValidationError(MENSAJE_TIPO_COMPLEMENTARIA, code="tipo")
    if tipo == Informativa.Tipo.ACTUALIZACION:
        if (hoy or hoy_mexico()).month not in MESES_ACTUALIZACION:
            raise ValidationError(MENSAJE_MES_ACTUALIZACION, code="mes_actualizacion")
        if not origen.con_contratos:
            raise ValidationError(MENSAJE_ACTUALIZACION_SIN_CONTRATOS, code="sin_contratos")
    elif complementarias_restantes(informativa=origen) == 0:
        raise ValidationError(MENSAJE_LIMITE.format(maximo=COMPLEMENTARIAS_POR_PERIODO), code="limite")
    if origen.complementarias.filter(
        estatus__in=[Informativa.Estatus.EN_CAPTURA, Informativa.Estatus.PENDIENTE_FIRMA]
    ).exists():
        raise ValidationError(MENSAJE_COMPLEMENTARIA_ABIERTA, code="abierta")


def _copiar_domicilio(domicilio: Domicilio | None) -> Domicilio | None:
    """A new row with the same data: the presented informativa keeps its own, untouched."""
    if domicilio is None:
        return None
    domicilio.pk = None
    domicilio._state.adding = True
    domicilio.save()
    return domicilio


def _copiar_contratos(origen: Informativa, nueva: Informativa) -> int:
    """Copies every contract, keeping its folio (a contract keeps its folio across complementarias), and its
    workers in bulk."""
    trabajadores = 0
    contratos = Contrato.objects.filter(informativa=origen).select_related(
        "domicilio_social", "domicilio_convencional"
    )
    for contrato in contratos.order_by("created_at", "pk"):
        anterior_pk = contrato.pk
        contrato.pk, contrato._state.adding = None, True
        contrato.code = Contrato._meta.get_field("code").get_default()
        contrato.informativa = nueva
        contrato.domicilio_social = _copiar_domicilio(contrato.domicilio_social)
        contrato.domicilio_convencional = _copiar_domicilio(contrato.domicilio_convencional)
        contrato.save()
        copia = [
            Trabajador(
                contrato=contrato,
                nss=t.nss,
                curp=t.curp,
                sbc=t.sbc,
                nombre=t.nombre,
                primer_apellido=t.primer_apellido,
                segundo_apellido=t.segundo_apellido,
                origen=t.origen,
            )
            for t in Trabajador.objects.filter(contrato_id=anterior_pk).order_by("pk").iterator(chunk_size=5000)
        ]
        Trabajador.objects.bulk_create(copia, batch_size=2000)
        trabajadores += len(copia)
    return trabajadores


@transaction.atomic
def complementaria_crear(
    *, origen: Informativa, tipo: str, usuario: User, hoy: datetime.date | None = None
) -> Informativa:
    """"Modificar presentación": a Corrección or Actualización starts as an editable full copy of the presented
    informativa (contratos, contratantes, domicilios and trabajadores); a Sin efectos carries no data and goes
    straight to "Pendiente de firma". The new informativa gets its own folio when it is signed."""
    fecha = hoy or hoy_mexico()
    # Serialises complementarias of one contratista, so the limit of four cannot be raced past.
    Contratista.objects.select_for_update().filter(pk=origen.contratista_id).first()
    origen = (
        Informativa.objects.select_for_update(of=("self",))
        .select_related("domicilio_convencional")
        .get(pk=origen.pk)
    )
    complementaria_validar(origen=origen, tipo=tipo, hoy=fecha)
    nueva = Informativa(
        contratista_id=origen.contratista_id,
        anio=origen.anio,
        cuatrimestre=origen.cuatrimestre,
        tipo=tipo,
        informativa_origen=origen,
        extemporanea=False,
        creada_por=usuario if getattr(usuario, "is_authenticated", False) else None,
    )
    copia = nueva.con_contratos and origen.con_contratos
    if copia:
        nueva.domicilio_convencional_igual_fiscal = origen.domicilio_convencional_igual_fiscal
        nueva.domicilio_convencional = _copiar_domicilio(origen.domicilio_convencional)
        nueva.contratos_declarados = origen.contratos_declarados
    nueva.full_clean()
    nueva.save()
    trabajadores = _copiar_contratos(origen, nueva) if copia else 0
    informativa_totales_actualizar(informativa=nueva)
    _registrar(
        "informativa.complementaria_creada",
        nueva,
        usuario,
        tipo=tipo,
        origen=origen.folio_definitivo,
        trabajadores=trabajadores,
    )
    if tipo == Informativa.Tipo.SIN_EFECTOS:
        return captura.informativa_enviar_a_firma(informativa=nueva, usuario=usuario, hoy=fecha)
    return nueva
