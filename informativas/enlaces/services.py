"""A link for the client, that expires: the contratista (or its capturista) gives one contratante a link to its
expediente of one presented filing, sees every access and revokes it.

The token is 256 random bits, shown once when the link is made and sent, if asked, through the outbox as one of
its secrets (never stored in clear there either); only its SHA-256 is kept. The public page finds a link by that
hash only: an unknown token says nothing else, and only once the hash matched does the page tell an expired link
from a revoked one. Unknown tokens count against the address they came from (core.throttle), as the public
verification of an acuse does: guessing a token is already hopeless, the throttle keeps a flood from costing
queries. Every request that reached a link is recorded (time, address, what it asked, whether it was shown).
"""

from __future__ import annotations

import datetime
import hashlib
import secrets
import uuid
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Prefetch, QuerySet
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from contratistas.models import Contratista
from core import throttle
from core.services import bitacora_registrar, correo_encolar

from ..expediente.models import Expediente
from ..expediente.services import EnPreparacion, expediente_pedir
from ..models import Informativa
from ..selectors import ContratanteDeInformativa, contratantes_de, contratos_del_contratante
from .models import AccesoEnlace, EnlaceExpediente

VIGENCIA_POR_OMISION = 30
VIGENCIA_MINIMA = 1
VIGENCIA_MAXIMA = 90
MENSAJE_VIGENCIA = f"La vigencia de la liga debe ser de {VIGENCIA_MINIMA} a {VIGENCIA_MAXIMA} días."
MENSAJE_NO_PRESENTADA = (
    "Sólo puedes crear ligas de una informativa presentada que esté en vigor. Si la modificaste con una "
    "complementaria, crea la liga desde la informativa en vigor."
)
MENSAJE_CONTRATANTE_AJENO = "La informativa no tiene contratos de ese contratante."
MENSAJE_YA_REVOCADA = "Esta liga ya estaba revocada."

ACCESOS_MOSTRADOS = 50  # the latest accesses of each link on the contratista's page (the count says how many)
LARGO_MAXIMO_TOKEN = 100  # a token is 43 characters; anything much longer is not one and is not even hashed

ENLACE_POR_DIRECCION = throttle.Regla(
    "enlace-expediente-direccion", presupuesto=20, ventana=10 * 60, espera_inicial=2, espera_maxima=5 * 60
)
MENSAJE_DESCONOCIDA = (
    "Esta liga no existe. Revisa que la hayas copiado completa, tal como te la enviaron, o pide una liga nueva "
    "a quien te la compartió."
)
MENSAJE_VENCIDA = (
    "Esta liga venció el {fecha}. Pide una liga nueva a quien te la compartió: el expediente ya no se muestra "
    "con esta liga."
)
MENSAJE_REVOCADA = (
    "Esta liga fue revocada por quien la compartió y ya no muestra el expediente. Si aún lo necesitas, pide "
    "una liga nueva."
)
MENSAJE_ESPERA = (
    "Hay muchas consultas de ligas que no existen desde tu red en poco tiempo. Por seguridad, espera {espera} y "
    "vuelve a intentarlo."
)


class Estado:
    VIGENTE = "vigente"
    VENCIDA = "vencida"
    REVOCADA = "revocada"

    TEXTOS = {VIGENTE: "Vigente", VENCIDA: "Vencida", REVOCADA: "Revocada"}


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def estado_de(enlace: EnlaceExpediente, *, ahora: datetime.datetime | None = None) -> str:
    if enlace.revocado_at:
        return Estado.REVOCADA
    if (ahora or timezone.now()) >= enlace.expira_at:
        return Estado.VENCIDA
    return Estado.VIGENTE


def url_publica(token: str) -> str:
    return settings.ICSOE_BASE_URL.rstrip("/") + reverse("enlace:expediente", args=[token])


def nombre_de(usuario: User) -> str:
    """Who made or revoked a link, by name: the capturista's full name, or the contratista's razón social (its
    account's name)."""
    return usuario.nombre_completo or usuario.username


# ----------------------------------------------------------------------------------------------------------
# The contratista's side: which contratantes, make, list, revoke
# ----------------------------------------------------------------------------------------------------------
def informativa_validar(*, informativa: Informativa) -> None:
    """A link is made from the filing in force of its period (what the client is owed): ValidationError else."""
    if not informativa.vigente or not informativa.folio_definitivo:
        raise ValidationError(MENSAJE_NO_PRESENTADA, code="no_presentada")


def contratante_de(*, informativa: Informativa, rfc: str) -> ContratanteDeInformativa:
    """The contratante ``rfc`` of the informativa; ValidationError ``contratante_ajeno`` when it names none."""
    for contratante in contratantes_de(informativa):
        if contratante.rfc == rfc:
            return contratante
    raise ValidationError(MENSAJE_CONTRATANTE_AJENO, code="contratante_ajeno")


def correo_sugerido(*, informativa: Informativa, rfc: str) -> str:
    """The contratante's correo as its first contrato holds it (what the user confirms or changes)."""
    contrato = contratos_del_contratante(informativa=informativa, rfc=rfc).only("contratante_correo").first()
    return contrato.contratante_correo if contrato else ""


def vigencia_validar(dias: int) -> None:
    if not VIGENCIA_MINIMA <= dias <= VIGENCIA_MAXIMA:
        raise ValidationError(MENSAJE_VIGENCIA, code="vigencia")


@dataclass(frozen=True)
class EnlaceCreado:
    """The link made and its token: the only moment the token exists outside the client's hands."""

    enlace: EnlaceExpediente
    token: str

    @property
    def url(self) -> str:
        return url_publica(self.token)


def enlace_crear(
    *, informativa: Informativa, rfc: str, vigencia_dias: int = VIGENCIA_POR_OMISION, correo: str = "", usuario: User
) -> EnlaceCreado:
    """Makes a link to the expediente of contratante ``rfc`` in ``informativa``, valid ``vigencia_dias`` days,
    and emails it to ``correo`` when one is given (through the outbox, the token as a secret). The expediente
    is built now, if it was not, or queued for the worker when its contratante is large (expediente_pedir:
    built once, the same bytes ever after)."""
    informativa_validar(informativa=informativa)
    vigencia_validar(vigencia_dias)
    contratante = contratante_de(informativa=informativa, rfc=rfc)
    expediente_pedir(informativa=informativa, rfc=contratante.rfc, usuario=usuario)
    token = secrets.token_urlsafe(32)
    with transaction.atomic():
        enlace = EnlaceExpediente(
            informativa=informativa,
            rfc_contratante=contratante.rfc,
            nombre_contratante=contratante.razon_social,
            token_hash=token_hash(token),
            vigencia_dias=vigencia_dias,
            expira_at=timezone.now() + datetime.timedelta(days=vigencia_dias),
            creado_por=usuario,
            creado_por_nombre=nombre_de(usuario),
            correo=correo.strip(),
        )
        enlace.full_clean()
        enlace.save()
        bitacora_registrar(
            accion="informativas.enlace.creado",
            objeto=informativa,
            usuario=usuario,
            datos={"contratante": enlace.rfc_contratante, "enlace": str(enlace.code), "dias": vigencia_dias,
                   **({"correo": enlace.correo} if enlace.correo else {})},
        )
        if enlace.correo:
            _correo_enviar(enlace=enlace, token=token)
    return EnlaceCreado(enlace=enlace, token=token)


def expediente_del_enlace(*, enlace: EnlaceExpediente) -> Expediente | EnPreparacion:
    """The stored expediente the link shows: that contratante's, of that filing, whatever came after it; or
    ``EnPreparacion`` while the worker builds a large one."""
    return expediente_pedir(informativa=enlace.informativa, rfc=enlace.rfc_contratante)


def _correo_enviar(*, enlace: EnlaceExpediente, token: str) -> None:
    informativa = enlace.informativa
    correo_encolar(
        para=enlace.correo,
        plantilla="enlace_expediente",
        contexto={
            "contratista": informativa.contratista,
            "contratante": enlace.nombre_contratante,
            "informativa": informativa,
            "url": url_publica(token),
            "dias": enlace.vigencia_dias,
            "expira": timezone.localtime(enlace.expira_at),
        },
        secretos=[token],  # the outbox keeps it encrypted until sent, then drops it
    )


def enlaces_de(*, contratista: Contratista) -> QuerySet[EnlaceExpediente]:
    """Every link made for the contratista's informativas, newest first, each with its latest accesses
    (``accesos_recientes``) and how many it had (``num_accesos``)."""
    recientes = AccesoEnlace.objects.order_by("-momento", "-pk")[:ACCESOS_MOSTRADOS]
    return (
        EnlaceExpediente.objects.filter(informativa__contratista_id=contratista.pk)
        .select_related("informativa")
        .annotate(num_accesos=Count("accesos"))
        .prefetch_related(Prefetch("accesos", queryset=recientes, to_attr="accesos_recientes"))
        .order_by("-created_at", "-pk")
    )


def enlace_de(*, contratista: Contratista, code: uuid.UUID | str) -> EnlaceExpediente | None:
    """One of the contratista's links by its code (None for anyone else's: the view answers 404)."""
    return (
        EnlaceExpediente.objects.select_related("informativa")
        .filter(code=code, informativa__contratista_id=contratista.pk)
        .first()
    )


@transaction.atomic
def enlace_revocar(*, enlace: EnlaceExpediente, usuario: User) -> EnlaceExpediente:
    """Revokes the link for good: from now on its page says so and shows nothing. ValidationError if it was."""
    enlace = EnlaceExpediente.objects.select_for_update().select_related("informativa").get(pk=enlace.pk)
    if enlace.revocado_at:
        raise ValidationError(MENSAJE_YA_REVOCADA, code="revocada")
    enlace.revocado_at = timezone.now()
    enlace.revocado_por_nombre = nombre_de(usuario)
    enlace.save(update_fields=["revocado_at", "revocado_por_nombre", "updated_at"])
    bitacora_registrar(
        accion="informativas.enlace.revocado",
        objeto=enlace.informativa,
        usuario=usuario,
        datos={"contratante": enlace.rfc_contratante, "enlace": str(enlace.code)},
    )
    return enlace


# ----------------------------------------------------------------------------------------------------------
# The public side: opening a link
# ----------------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Apertura:
    """What a request with a token gets: the link to show (``enlace``), or a message and the status to answer
    with (404 unknown, 410 expired or revoked, 429 an address that must wait)."""

    enlace: EnlaceExpediente | None = None
    error: str = ""
    status: int = 200


def _claves(ip: str | None) -> list[tuple[throttle.Regla, str]]:
    return [(ENLACE_POR_DIRECCION, ip or "")]


def enlace_abrir(
    *, token: str, ip: str | None, recurso: str = AccesoEnlace.Recurso.PAGINA, ahora: float | None = None
) -> Apertura:
    """The link behind ``token``, if it may be shown now; every request that reaches a link is recorded."""
    if espera := throttle.espera(claves=_claves(ip), ahora=ahora):
        return Apertura(error=MENSAJE_ESPERA.format(espera=throttle.texto_espera(espera.segundos)), status=429)
    enlace = None
    if token and len(token) <= LARGO_MAXIMO_TOKEN:
        enlace = (
            EnlaceExpediente.objects.select_related("informativa__contratista")
            # What the page never shows, and grows with the filing (its cadena original names every contrato).
            .defer("informativa__cadena_original", "informativa__firma_b64")
            .filter(token_hash=token_hash(token))
            .first()
        )
    if enlace is None:
        throttle.fallo_registrar(claves=_claves(ip), ahora=ahora)
        return Apertura(error=MENSAJE_DESCONOCIDA, status=404)
    estado = estado_de(enlace)
    AccesoEnlace.objects.create(enlace=enlace, ip=ip, recurso=recurso, atendido=estado == Estado.VIGENTE)
    if estado == Estado.REVOCADA:
        return Apertura(error=MENSAJE_REVOCADA, status=410)
    if estado == Estado.VENCIDA:
        vencio = timezone.localtime(enlace.expira_at)
        return Apertura(error=MENSAJE_VENCIDA.format(fecha=f"{vencio:%d/%m/%Y} a las {vencio:%H:%M}"), status=410)
    return Apertura(enlace=enlace)
