"""The contratante's view of what its contratistas filed: authorisations, the door's account, the filings it
may see and the audit trail of its accesses (issue 25; Lineamientos, numeral 7)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone

from accounts.models import User
from contratistas.models import Contratista, ContribuyenteSat
from core.errores import ErrorConMensaje
from core.identificadores import normalizar, rfc_error
from core.models import Bitacora
from core.services import bitacora_registrar
from informativas import selectors, vigencia
from informativas.models import Contrato, Informativa

from .models import Autorizacion

MENSAJE_YA_AUTORIZADO = "Ya autorizaste a ese RFC: aparece en la lista de contratantes autorizados."
MENSAJE_PROPIO = "Ése es tu propio RFC: autoriza el RFC de un contratante."
MENSAJE_SIN_AUTORIZACION = (
    "Ningún contratista ha autorizado a tu RFC para consultar sus informativas. Pide a tu contratista que "
    "te autorice en el portal ICSOE."
)
MENSAJE_REVOCADA = (
    "El contratista revocó tu autorización: ya no puedes consultar sus informativas. Si la necesitas, "
    "pídele que te autorice de nuevo."
)

# The audit trail of the contratante's accesses (core.Bitacora, one entry per authorisation it went through).
ACCESO_INGRESO = "clientes.acceso.ingreso"
ACCESO_PAGINA = "clientes.acceso.pagina"
ACCESO_DESCARGA = "clientes.acceso.descarga"
ACCIONES_ACCESO = {
    ACCESO_INGRESO: "Ingreso con e.firma",
    ACCESO_PAGINA: "Consulta",
    ACCESO_DESCARGA: "Descarga",
}


class AutorizacionError(ErrorConMensaje):
    pass


class SinAutorizacion(AutorizacionError):
    """The contratante has no authorisation in force (never had one, or it was revoked)."""


# ---------------------------------------------------------------------------------------------------------
# The contratista's side: authorise and revoke
# ---------------------------------------------------------------------------------------------------------
def _solo_el_contratista(*, contratista: Contratista, usuario: User) -> None:
    """Only the contratista itself authorises or revokes, never its capturistas."""
    if not (usuario.rol == User.Rol.CONTRATISTA and usuario.pk == contratista.usuario_id):
        raise PermissionDenied


def autorizaciones_de(contratista: Contratista) -> QuerySet[Autorizacion]:
    return Autorizacion.objects.filter(contratista=contratista).select_related("autorizada_por", "revocada_por")


def autorizaciones_vigentes(*, rfc: str) -> QuerySet[Autorizacion]:
    """The authorisations in force of a contratante RFC, with their contratistas."""
    return (
        Autorizacion.objects.filter(rfc_contratante=normalizar(rfc), revocada_en__isnull=True)
        .select_related("contratista")
        .order_by("contratista__razon_social", "pk")
    )


def _nombre_de(*, contratista: Contratista, rfc: str) -> str:
    """The contratante's name as the contratista's filings spell it, else the SAT registry's, else none."""
    nombre = (
        Contrato.objects.filter(informativa__contratista=contratista, contratante_rfc=rfc)
        .order_by("-created_at")
        .values_list("contratante_razon_social", flat=True)
        .first()
    )
    if nombre:
        return nombre
    return ContribuyenteSat.objects.filter(rfc=rfc).values_list("razon_social", flat=True).first() or ""


def contratantes_sugeridos(contratista: Contratista) -> list[selectors.ContratanteDeInformativa]:
    """The contratantes its filings in force name and it has not authorised, by RFC (one query per filing)."""
    autorizados = set(
        Autorizacion.objects.filter(contratista=contratista, revocada_en__isnull=True).values_list(
            "rfc_contratante", flat=True
        )
    )
    vistos: dict[str, selectors.ContratanteDeInformativa] = {}
    filings = Informativa.objects.filter(vigencia.en_vigor(), contratista=contratista).order_by("-anio", "-cuatrimestre")
    for informativa in filings:
        for contratante in selectors.contratantes_de(informativa):
            if contratante.rfc not in autorizados:
                vistos.setdefault(contratante.rfc, contratante)
    return sorted(vistos.values(), key=lambda c: (c.razon_social, c.rfc))


def autorizacion_otorgar(*, contratista: Contratista, rfc: str, usuario: User) -> Autorizacion:
    """The contratista authorises ``rfc`` to see the filings that name it. Raises AutorizacionError."""
    _solo_el_contratista(contratista=contratista, usuario=usuario)
    rfc = normalizar(rfc)
    if problema := rfc_error(rfc):
        raise AutorizacionError(problema)
    if rfc == contratista.rfc:
        raise AutorizacionError(MENSAJE_PROPIO)
    try:
        with transaction.atomic():
            autorizacion = Autorizacion.objects.create(
                contratista=contratista,
                rfc_contratante=rfc,
                nombre_contratante=_nombre_de(contratista=contratista, rfc=rfc),
                autorizada_por=usuario,
            )
            bitacora_registrar(
                accion="clientes.autorizacion.otorgada", objeto=autorizacion, usuario=usuario, datos={"rfc": rfc}
            )
    except IntegrityError as error:
        raise AutorizacionError(MENSAJE_YA_AUTORIZADO) from error
    return autorizacion


@transaction.atomic
def autorizacion_revocar(*, autorizacion: Autorizacion, usuario: User) -> Autorizacion:
    """The contratista revokes it: from the next request on the contratante sees nothing of it."""
    _solo_el_contratista(contratista=autorizacion.contratista, usuario=usuario)
    revocadas = Autorizacion.objects.filter(pk=autorizacion.pk, revocada_en__isnull=True).update(
        revocada_en=timezone.now(), revocada_por=usuario
    )
    autorizacion.refresh_from_db()
    if revocadas:
        bitacora_registrar(
            accion="clientes.autorizacion.revocada",
            objeto=autorizacion,
            usuario=usuario,
            datos={"rfc": autorizacion.rfc_contratante},
        )
    return autorizacion


# ---------------------------------------------------------------------------------------------------------
# The contratante's door: its one account
# ---------------------------------------------------------------------------------------------------------
@transaction.atomic
def contratante_usuario(*, rfc: str, nombre: str, curp: str | None = None) -> User:
    """The account an authorised contratante RFC logs in with (its certificate verified by the caller): the
    contratista's own user when the RFC is a contratista too, else its contratante user, created on its first
    entry. Never creates a contratista. Raises SinAutorizacion when no contratista authorises the RFC."""
    rfc = normalizar(rfc)
    if not autorizaciones_vigentes(rfc=rfc).exists():
        raise SinAutorizacion(MENSAJE_SIN_AUTORIZACION)
    usuario = User.objects.filter(rfc=rfc, rol__in=[User.Rol.CONTRATISTA, User.Rol.CONTRATANTE]).first()
    if usuario is None:
        usuario = User(username=rfc, rol=User.Rol.CONTRATANTE, rfc=rfc, curp=curp or "", nombre_completo=nombre)
        usuario.set_unusable_password()
        usuario.save()
        bitacora_registrar(accion="clientes.contratante.creado", objeto=usuario, usuario=usuario)
    if not usuario.is_active:
        raise SinAutorizacion(MENSAJE_SIN_AUTORIZACION)
    return usuario


def es_tambien_contratante(usuario: User) -> bool:
    """A contratista that some other contratista authorises: it may enter as either."""
    return usuario.rol == User.Rol.CONTRATISTA and autorizaciones_vigentes(rfc=usuario.rfc).exists()


# ---------------------------------------------------------------------------------------------------------
# The contratante's view
# ---------------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class ContratistaAutorizante:
    autorizacion: Autorizacion
    informativas: list[Informativa]


def informativas_que_lo_nombran(*, autorizacion: Autorizacion) -> QuerySet[Informativa]:
    """Each period's filing in force of the authorising contratista that names the contratante in a contrato."""
    return (
        Informativa.objects.filter(
            vigencia.en_vigor(),
            contratista_id=autorizacion.contratista_id,
            contratos__contratante_rfc=autorizacion.rfc_contratante,
        )
        .distinct()
        .order_by("-anio", "-cuatrimestre")
    )


def vista_del_contratante(*, rfc: str) -> list[ContratistaAutorizante]:
    return [
        ContratistaAutorizante(a, list(informativas_que_lo_nombran(autorizacion=a)))
        for a in autorizaciones_vigentes(rfc=rfc)
    ]


def informativa_del_contratante(*, rfc: str, code: Any) -> tuple[Informativa, Autorizacion]:
    """One filing the contratante may open: in force, naming it, of a contratista that authorises it now.
    Raises Informativa.DoesNotExist for anything else, SinAutorizacion once its contratista revoked it."""
    rfc = normalizar(rfc)
    informativa = (
        Informativa.objects.filter(vigencia.en_vigor(), code=code, contratos__contratante_rfc=rfc)
        .select_related("contratista")
        .distinct()
        .get()
    )
    autorizacion = autorizaciones_vigentes(rfc=rfc).filter(contratista_id=informativa.contratista_id).first()
    if autorizacion is None:
        if Autorizacion.objects.filter(rfc_contratante=rfc, contratista_id=informativa.contratista_id).exists():
            raise SinAutorizacion(MENSAJE_REVOCADA)
        raise Informativa.DoesNotExist
    return informativa, autorizacion


# ---------------------------------------------------------------------------------------------------------
# The audit trail of its accesses
# ---------------------------------------------------------------------------------------------------------
def acceso_registrar(
    *, autorizaciones: Iterable[Autorizacion], usuario: User, accion: str, ruta: str, ip: str | None, **datos: Any
) -> None:
    """One entry per authorisation the access went through: each contratista reads its own."""
    for autorizacion in autorizaciones:
        bitacora_registrar(
            accion=accion,
            objeto=autorizacion,
            usuario=usuario,
            datos={"rfc": autorizacion.rfc_contratante, "ruta": ruta, "ip": ip or "", **datos},
        )


def accesos_de(contratista: Contratista) -> QuerySet[Bitacora]:
    """Every access of its contratantes through its authorisations, newest first."""
    ids = [str(pk) for pk in Autorizacion.objects.filter(contratista=contratista).values_list("pk", flat=True)]
    return Bitacora.objects.filter(
        objeto_tipo=Autorizacion._meta.label_lower, objeto_id__in=ids, accion__in=list(ACCIONES_ACCESO)
    ).select_related("usuario")
