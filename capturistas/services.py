"""Capturistas: a contratista's relations with the people who capture for it, and their password links.

One person (User, username = CURP) may work for several contratistas; each relation has its own estatus:
Registrada until the person registers a password, then Activa; Baja when the contratista removes it.

Password links (activación and recuperación) always go to the account's own email (``User.email``, the one
typed by the contratista that first registered the person) and never to an address typed later by another
contratista: otherwise a second contratista could send itself a link to an account that already works for
someone else and take it over.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta
from typing import IO, Any

from django.conf import settings
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone, translation

from accounts.models import User
from accounts.renapo import CurpError, curp_consultar
from contratistas.models import Contratista
from core.errores import ErrorConMensaje
from core.hojas import celda_segura
from core.services import bitacora_registrar, correo_encolar

from .models import Liga, Relacion

VIGENCIA_LIGA = timedelta(hours=24)
GRUPO = "Contratista"

MENSAJE_YA_REGISTRADO = "Este usuario ya está registrado como capturista de este contratista."
MENSAJE_OTRO_TIPO = "La CURP pertenece a un usuario que no es capturista; no se puede registrar."
MENSAJE_SOLO_ANTES_DE_ACTIVAR = (
    "Esta acción sólo está disponible antes de que el usuario registre su contraseña."
)
MENSAJE_YA_EN_BAJA = "La relación con el usuario ya está en baja."
MENSAJE_NO_EN_BAJA = "La relación con el usuario no está en baja."


class CapturistaError(ErrorConMensaje):
    """A rule of the relation was broken; ``mensaje`` is for the user, ``campo`` names the form field."""

    def __init__(self, mensaje: str, *, campo: str | None = None) -> None:
        super().__init__(mensaje)
        self.campo = campo


class ContrasenaError(CapturistaError):
    """The password breaks a rule of ``AUTH_PASSWORD_VALIDATORS``: ``mensajes`` lists each one in Spanish (the
    form shows one error per rule), ``mensaje`` says them all in one sentence."""

    def __init__(self, mensajes: list[str]) -> None:
        super().__init__(" ".join(mensajes), campo="contrasena")
        self.mensajes = mensajes


class LigaError(ErrorConMensaje):
    """A password link that cannot be used; ``mensaje`` tells the person why and what to do."""


# ----------------------------------------------------------------------------------------------------------
# Alta, edición, baja, reactivación
# ----------------------------------------------------------------------------------------------------------
def _capturista_existente(persona_curp: str, correo: str) -> User | None:
    """The capturista user of this CURP, locked for the rest of the alta, or None."""
    usuario = User.objects.select_for_update().filter(curp=persona_curp, rol=User.Rol.CAPTURISTA).first()
    if usuario and not usuario.email and not usuario.has_usable_password():
        usuario.email = correo
        usuario.save(update_fields=["email"])
    return usuario


def _capturista_para(persona_curp: str, nombre: dict[str, str], correo: str) -> User:
    """The capturista user of this CURP, created (without a usable password) the first time."""
    usuario = _capturista_existente(persona_curp, correo)
    if usuario:
        return usuario
    if User.objects.filter(username=persona_curp).exists():
        raise CapturistaError(MENSAJE_OTRO_TIPO, campo="curp")
    usuario = User(
        username=persona_curp,
        rol=User.Rol.CAPTURISTA,
        curp=persona_curp,
        first_name=nombre["nombres"][:150],
        last_name=" ".join(p for p in (nombre["primer_apellido"], nombre["segundo_apellido"]) if p)[:150],
        nombre_completo=" ".join(p for p in nombre.values() if p),
        email=correo,
    )
    usuario.set_unusable_password()
    usuario.full_clean()
    try:
        with transaction.atomic():  # a savepoint: the alta's transaction stays usable if the insert fails
            usuario.save()
    except IntegrityError:
        # A simultaneous alta of the same new CURP inserted it first: select_for_update could not lock a row
        # that did not exist yet. Its transaction has committed (the unique index waited for it), so this
        # alta relates that user, or is told the CURP is already this contratista's.
        usuario = _capturista_existente(persona_curp, correo)
        if usuario is None:
            raise CapturistaError(MENSAJE_OTRO_TIPO, campo="curp") from None
    return usuario


@transaction.atomic
def capturista_alta(
    *, contratista: Contratista, curp: str, telefono: str, correo: str, usuario: User
) -> Relacion:
    """Registers a capturista for a contratista ("Alta de usuarios").

    The CURP is checked against the registry. A person already registered (by this or another contratista)
    is related, not duplicated; the same contratista cannot add the same CURP twice. A person who already
    has a password starts Activa and gets a notice; anyone else starts Registrada and gets an activation link.
    """
    try:
        persona = curp_consultar(curp)
    except CurpError as error:
        raise CapturistaError(error.mensaje, campo="curp") from None
    nombre = {
        "nombres": persona.nombres,
        "primer_apellido": persona.primer_apellido,
        "segundo_apellido": persona.segundo_apellido,
    }
    capturista = _capturista_para(persona.curp, nombre, correo)
    if Relacion.objects.filter(contratista=contratista, capturista=capturista).exists():
        raise CapturistaError(MENSAJE_YA_REGISTRADO, campo="curp")
    con_contrasena = capturista.has_usable_password()
    relacion = Relacion(
        contratista=contratista,
        capturista=capturista,
        estatus=Relacion.Estatus.ACTIVA if con_contrasena else Relacion.Estatus.REGISTRADA,
        telefono=telefono,
        correo=correo,
        usuario_alta=usuario,
        **nombre,
    )
    relacion.full_clean()
    relacion.save()
    bitacora_registrar(
        accion="capturistas.relacion.alta",
        objeto=relacion,
        usuario=usuario,
        datos={"curp": persona.curp, "estatus": relacion.estatus},
    )
    if con_contrasena:
        correo_encolar(
            para=capturista.email or correo,
            plantilla="capturista_relacion",
            contexto={
                "nombre": capturista.nombre_completo,
                "contratista": contratista,
                "url_acceso": _url("accounts:login"),
            },
        )
    else:
        _liga_emitir(usuario=capturista, relacion=relacion, tipo=Liga.Tipo.ACTIVACION)
    return relacion


def relacion_exigir_registrada(*, relacion: Relacion) -> None:
    """Editar and Enviar email exist only before the person registers a password: CapturistaError after."""
    if relacion.estatus != Relacion.Estatus.REGISTRADA or relacion.capturista.has_usable_password():
        raise CapturistaError(MENSAJE_SOLO_ANTES_DE_ACTIVAR)


def _bloquear(relacion: Relacion) -> Relacion:
    bloqueadas = Relacion.objects.select_for_update().select_related("capturista", "contratista")
    return bloqueadas.get(pk=relacion.pk)


@transaction.atomic
def capturista_editar(*, relacion: Relacion, telefono: str, correo: str, usuario: User) -> Relacion:
    """Corrects the contact data of a capturista that has not registered a password yet.

    When this relation is the only one of the person, its email is the account's email: changing it
    invalidates the links already sent to the old address.
    """
    relacion = _bloquear(relacion)
    relacion_exigir_registrada(relacion=relacion)
    cambios = {
        campo: [getattr(relacion, campo), nuevo]
        for campo, nuevo in (("telefono", telefono), ("correo", correo))
        if getattr(relacion, campo) != nuevo
    }
    relacion.telefono, relacion.correo = telefono, correo
    relacion.full_clean()
    relacion.save()
    capturista = relacion.capturista
    unica = not capturista.relaciones_capturista.exclude(pk=relacion.pk).exists()
    if unica and capturista.email.lower() != correo.lower():
        capturista.email = correo
        capturista.full_clean()
        capturista.save(update_fields=["email"])
        _ligas_invalidar(usuario=capturista, motivo=Liga.Motivo.CORREO)
    bitacora_registrar(accion="capturistas.relacion.editada", objeto=relacion, usuario=usuario, datos=cambios)
    return relacion


@transaction.atomic
def capturista_reenviar_liga(*, relacion: Relacion, usuario: User) -> Liga:
    """"Enviar email": a new activation link; every link sent before stops working."""
    relacion = _bloquear(relacion)
    relacion_exigir_registrada(relacion=relacion)
    liga = _liga_emitir(usuario=relacion.capturista, relacion=relacion, tipo=Liga.Tipo.ACTIVACION)
    bitacora_registrar(
        accion="capturistas.relacion.liga_reenviada",
        objeto=relacion,
        usuario=usuario,
        datos={"para": liga.para},
    )
    return liga


@transaction.atomic
def capturista_baja(*, relacion: Relacion, usuario: User) -> Relacion:
    """"Eliminar": ends this contratista's relation only; the person keeps the others."""
    relacion = _bloquear(relacion)
    if relacion.estatus == Relacion.Estatus.BAJA:
        raise CapturistaError(MENSAJE_YA_EN_BAJA)
    anterior = relacion.estatus
    relacion.estatus = Relacion.Estatus.BAJA
    relacion.fecha_baja = timezone.now()
    relacion.full_clean()
    relacion.save()
    capturista = relacion.capturista
    vigentes = capturista.relaciones_capturista.exclude(estatus=Relacion.Estatus.BAJA).exists()
    if not vigentes and not capturista.has_usable_password():
        _ligas_invalidar(usuario=capturista, motivo=Liga.Motivo.BAJA)
    bitacora_registrar(
        accion="capturistas.relacion.baja",
        objeto=relacion,
        usuario=usuario,
        datos={"estatus_anterior": anterior},
    )
    return relacion


@transaction.atomic
def capturista_activar(*, relacion: Relacion, usuario: User, enviar_liga: bool = True) -> Liga | None:
    """"Activar": reactivates a relation in baja (Registrada again if the person has no password yet).

    A person who never set a password lost its activation link at the baja, so a fresh one is sent (unless
    ``enviar_liga`` is false: the contratista then presses "Enviar email"). Returns that link, if any.
    """
    relacion = _bloquear(relacion)
    if relacion.estatus != Relacion.Estatus.BAJA:
        raise CapturistaError(MENSAJE_NO_EN_BAJA)
    con_contrasena = relacion.capturista.has_usable_password()
    relacion.estatus = Relacion.Estatus.ACTIVA if con_contrasena else Relacion.Estatus.REGISTRADA
    relacion.fecha_baja = None
    relacion.full_clean()
    relacion.save()
    liga = None
    if not con_contrasena and enviar_liga:
        liga = _liga_emitir(usuario=relacion.capturista, relacion=relacion, tipo=Liga.Tipo.ACTIVACION)
    bitacora_registrar(
        accion="capturistas.relacion.activada",
        objeto=relacion,
        usuario=usuario,
        datos={"estatus": relacion.estatus, **({"liga_para": liga.para} if liga else {})},
    )
    return liga


def relaciones_de(*, contratista: Contratista) -> QuerySet[Relacion]:
    relaciones = Relacion.objects.filter(contratista=contratista)
    return relaciones.select_related("capturista", "usuario_alta", "contratista")


def relaciones_activas(*, capturista: User) -> QuerySet[Relacion]:
    """The contratistas a capturista may work for now ("Seleccionar Contratista")."""
    return (
        Relacion.objects.filter(capturista=capturista, estatus=Relacion.Estatus.ACTIVA)
        .select_related("contratista")
        .order_by("contratista__razon_social")
    )


# ----------------------------------------------------------------------------------------------------------
# Password links: activation (from the alta) and recovery ("¿Olvidaste tu contraseña?")
# ----------------------------------------------------------------------------------------------------------
def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _url(nombre: str, *args: Any) -> str:
    return settings.ICSOE_BASE_URL.rstrip("/") + reverse(nombre, args=args)


def _ligas_invalidar(*, usuario: User, motivo: str, excepto: Liga | None = None) -> int:
    abiertas = Liga.objects.filter(usuario=usuario, usada_at__isnull=True, invalidada_at__isnull=True)
    if excepto is not None:
        abiertas = abiertas.exclude(pk=excepto.pk)
    ahora = timezone.now()
    return abiertas.update(invalidada_at=ahora, motivo_invalidacion=motivo, updated_at=ahora)


def _liga_emitir(*, usuario: User, relacion: Relacion | None, tipo: str) -> Liga:
    """Creates a link (invalidating every open one of the user) and queues its email."""
    _ligas_invalidar(usuario=usuario, motivo=Liga.Motivo.REENVIO)
    token = secrets.token_urlsafe(32)
    liga = Liga(
        usuario=usuario,
        relacion=relacion,
        tipo=tipo,
        token_hash=_hash(token),
        para=usuario.email,
        expira_at=timezone.now() + VIGENCIA_LIGA,
    )
    liga.full_clean()
    liga.save()
    correo_encolar(
        para=usuario.email,
        plantilla="capturista_activacion" if tipo == Liga.Tipo.ACTIVACION else "capturista_recuperacion",
        contexto={
            "nombre": usuario.nombre_completo,
            "curp": usuario.curp,
            "contratista": relacion.contratista if relacion else None,
            "url": _url("capturistas:contrasena", token),
            "horas": int(VIGENCIA_LIGA.total_seconds() // 3600),
            "expira": timezone.localtime(liga.expira_at),
        },
        secretos=[token],  # leaves the outbox once sent: the stored copy holds no usable link
    )
    return liga


def _mensaje_invalida(liga: Liga, ahora: datetime) -> str | None:
    recuperacion = liga.tipo == Liga.Tipo.RECUPERACION
    if liga.usada_at:
        return (
            "Esta liga ya fue utilizada. Si no recuerdas tu contraseña, usa «¿Olvidaste tu contraseña?»."
            if recuperacion
            else "Esta liga ya fue utilizada: tu contraseña ya está registrada. "
            "Ingresa con tu CURP y tu contraseña."
        )
    if liga.invalidada_at:
        motivos: dict[str, str] = {
            Liga.Motivo.REENVIO: "Esta liga ya no es válida porque se envió una liga más reciente. "
            "Usa la liga del último correo que recibiste.",
            Liga.Motivo.CONTRASENA: "Esta liga ya no es válida: la contraseña se registró con otra liga.",
            Liga.Motivo.CORREO: "Esta liga ya no es válida porque cambió el correo electrónico del usuario.",
            Liga.Motivo.BAJA: "Esta liga ya no es válida porque el contratista dio de baja la relación. "
            "Si el contratista vuelve a activarte, te llegará un correo con una liga nueva; si no te llega, "
            "pídele que dé clic en «Enviar email» en su Consulta de usuarios.",
        }
        if liga.motivo_invalidacion == Liga.Motivo.BAJA and _reactivado(liga):
            return _mensaje_tras_reactivacion(liga, motivos[Liga.Motivo.REENVIO])
        return motivos.get(liga.motivo_invalidacion, "Esta liga ya no es válida.")
    if liga.expira_at <= ahora:
        horas = int(VIGENCIA_LIGA.total_seconds() // 3600)
        vencida = f"La liga ha expirado: era válida durante {horas} horas."
        if recuperacion:
            return f"{vencida} Solicita una nueva en «¿Olvidaste tu contraseña?»."
        return f"{vencida} Pide al contratista que te envíe una nueva."
    return None


def _reactivado(liga: Liga) -> bool:
    """Whether the person cancelled by a baja has a relation in force again (reactivated, or a new alta)."""
    return Relacion.objects.filter(capturista_id=liga.usuario_id).exclude(estatus=Relacion.Estatus.BAJA).exists()


def _mensaje_tras_reactivacion(liga: Liga, reemplazada: str) -> str:
    """A link the baja cancelled, opened once the person is back: the baja is no longer the story."""
    if Liga.objects.filter(usuario_id=liga.usuario_id, created_at__gt=liga.created_at).exists():
        return reemplazada
    return (
        "Esta liga ya no es válida. Pide al contratista que te envíe una nueva: la envía con «Enviar email» "
        "en su Consulta de usuarios."
    )


MENSAJE_LIGA_DESCONOCIDA = "La liga no es válida. Revisa que la hayas copiado completa desde el correo."


def liga_verificar(*, token: str, ahora: datetime | None = None) -> Liga:
    """The link of this token if it can still be used, else LigaError saying why."""
    ligas = Liga.objects.select_related("usuario", "relacion__contratista")
    liga = ligas.filter(token_hash=_hash(token)).first()
    if liga is None:
        raise LigaError(MENSAJE_LIGA_DESCONOCIDA)
    mensaje = _mensaje_invalida(liga, ahora or timezone.now())
    if mensaje:
        raise LigaError(mensaje)
    return liga


def _contrasena_validar(password: str, usuario: User) -> None:
    # The portal's language whatever the caller activated: the messages are shown as they come.
    with translation.override(settings.LANGUAGE_CODE):
        try:
            password_validation.validate_password(password, usuario)
        except ValidationError as error:
            raise ContrasenaError(error.messages) from None


@transaction.atomic
def contrasena_establecer(*, token: str, password: str, ahora: datetime | None = None) -> Liga:
    """Registers the password through a link: the link is spent, every other open link of the person stops
    working, the relations still Registrada become Activa, and a confirmation email is queued.

    The password must pass the project's validators (``AUTH_PASSWORD_VALIDATORS``, the rules the page shows):
    ContrasenaError lists what it breaks, in Spanish, and nothing changes.
    """
    ahora = ahora or timezone.now()
    liga = Liga.objects.select_for_update().filter(token_hash=_hash(token)).first()
    if liga is None:
        raise LigaError(MENSAJE_LIGA_DESCONOCIDA)
    mensaje = _mensaje_invalida(liga, ahora)
    if mensaje:
        raise LigaError(mensaje)
    usuario = User.objects.select_for_update().get(pk=liga.usuario_id)
    _contrasena_validar(password, usuario)
    usuario.set_password(password)
    usuario.save(update_fields=["password"])
    liga.usada_at = ahora
    liga.save(update_fields=["usada_at", "updated_at"])
    _ligas_invalidar(usuario=usuario, motivo=Liga.Motivo.CONTRASENA, excepto=liga)
    activadas = usuario.relaciones_capturista.filter(estatus=Relacion.Estatus.REGISTRADA).update(
        estatus=Relacion.Estatus.ACTIVA, updated_at=ahora
    )
    activacion = liga.tipo == Liga.Tipo.ACTIVACION
    bitacora_registrar(
        accion="capturistas.contrasena.registrada" if activacion else "capturistas.contrasena.restablecida",
        objeto=usuario,
        usuario=usuario,
        datos={"liga": liga.pk, "relaciones_activadas": activadas},
    )
    correo_encolar(
        para=usuario.email,
        plantilla="capturista_contrasena_registrada" if activacion else "capturista_contrasena_actualizada",
        contexto={
            "nombre": usuario.nombre_completo,
            "curp": usuario.curp,
            "url_acceso": _url("accounts:login"),
        },
    )
    return liga


@transaction.atomic
def contrasena_solicitar_recuperacion(*, curp: str, correo: str) -> None:
    """"¿Olvidaste tu contraseña?": emails a recovery link when the CURP and the email belong to the same
    capturista account. Returns nothing either way, so the caller cannot tell whether they matched."""
    curp = "".join(curp.split()).upper()
    usuario = (
        User.objects.filter(rol=User.Rol.CAPTURISTA, curp=curp, is_active=True, email__iexact=correo.strip())
        .exclude(email="")
        .first()
    )
    if usuario is None:
        return
    liga = _liga_emitir(usuario=usuario, relacion=None, tipo=Liga.Tipo.RECUPERACION)
    bitacora_registrar(accion="capturistas.contrasena.recuperacion_solicitada", objeto=liga, usuario=None)


# ----------------------------------------------------------------------------------------------------------
# Exportar excel
# ----------------------------------------------------------------------------------------------------------
HOJA_EXPORTACION = "Reporte Usuarios Icsoe"
COLUMNAS_EXPORTACION = (
    "CURP",
    "Nombre(s)",
    "Primer Apellido",
    "Segundo Apellido",
    "Rol",
    "Estatus",
    "Grupo",
    "Contratista relacionado",
    "Fecha alta",
    "Fecha baja",
    "Fecha actualización",
)
FORMATO_FECHA = "dd/mm/yyyy hh:mm:ss"
# Rows fetched per round trip of the server-side cursor: what bounds the memory of an export. While one batch
# is written the next is fetched, so two are held at once: small batches reach that bound at a few hundred rows
# already (with 1,000 a 1,000-row export held one and a 10,000-row one two: twice the memory).
LOTE_EXPORTACION = 250
def nombre_exportacion(*, contratista: Contratista, ahora: datetime | None = None) -> str:
    ahora = ahora or timezone.now()
    return f"Capturistas_{contratista.pk}_{int(ahora.timestamp() * 1000)}.xlsx"


def _fecha_local(valor: datetime | None) -> datetime | None:
    # Excel has no time zones: local time of the portal, to the second.
    return timezone.localtime(valor).replace(tzinfo=None, microsecond=0) if valor else None


@transaction.atomic  # its .iterator() reads in chunks through PgBouncer too (icsoe/pgbouncer/base.py)
def capturistas_exportar_xlsx(*, contratista: Contratista, archivo: IO[bytes]) -> int:
    """Writes the contratista's capturistas to ``archivo`` as XLSX ("Exportar excel"); returns the row count.

    openpyxl's write-only mode and a server-side cursor keep memory flat whatever the number of rows.
    """
    from openpyxl import Workbook  # imported here: ~12 MB (with lxml, Pillow) a web worker rarely needs
    from openpyxl.cell import WriteOnlyCell

    libro = Workbook(write_only=True)
    hoja = libro.create_sheet(HOJA_EXPORTACION)
    hoja.append(list(COLUMNAS_EXPORTACION))
    estatus = dict(Relacion.Estatus.choices)
    razon_social = celda_segura(contratista.razon_social)
    filas = (
        Relacion.objects.filter(contratista=contratista)
        .order_by("created_at", "pk")
        .values_list(
            "capturista__curp",
            "nombres",
            "primer_apellido",
            "segundo_apellido",
            "capturista__nombre_completo",
            "estatus",
            "created_at",
            "fecha_baja",
            "updated_at",
        )
    )
    total = 0
    for fila in filas.iterator(chunk_size=LOTE_EXPORTACION):
        curp, nombres, primer, segundo, nombre_completo, clave_estatus, *fechas_db = fila
        fechas = []
        for valor in fechas_db:
            celda = WriteOnlyCell(hoja, _fecha_local(valor))
            celda.number_format = FORMATO_FECHA
            fechas.append(celda)
        hoja.append(
            [
                celda_segura(curp),
                celda_segura(nombres or nombre_completo),
                celda_segura(primer),
                celda_segura(segundo),
                "Capturista",
                estatus[clave_estatus],
                GRUPO,
                razon_social,
                *fechas,
            ]
        )
        total += 1
    libro.save(archivo)
    return total
