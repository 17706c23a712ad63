"""Shared operations: the email outbox and the audit trail."""

from __future__ import annotations

import datetime
import html
import logging
import smtplib
from collections.abc import Callable, Sequence
from typing import Any
from urllib.parse import quote

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.mail import EmailMultiAlternatives
from django.db import models, transaction
from django.template.loader import render_to_string
from django.utils import timezone

from . import cifrado
from .models import Bitacora, Correo

logger = logging.getLogger(__name__)


def correo_encolar(
    *,
    para: str,
    plantilla: str,
    contexto: dict[str, Any],
    adjunto: tuple[str, bytes, str] | None = None,
    secretos: Sequence[str] = (),
) -> Correo:
    """Renders the template triplet ``emails/<plantilla>-{subject.txt,body.txt,body.html}`` into an outbox
    row and schedules its sending after the surrounding transaction commits.

    ``secretos`` (the token of a link) never reach the stored subject and bodies: each is replaced there by a
    marker (``marcador_secreto``) and kept apart, encrypted with a key derived from SECRET_KEY (core.cifrado),
    until the email is sent; only the message handed to SMTP carries them. Staff reading a pending email in the
    admin, or a backup of the table, get no working link. Once sent, the stored copy says ``SECRETO_RETIRADO``
    where the secret went (the dev mailbox keeps it, so `make run` shows working links)."""
    asunto = " ".join(render_to_string(f"emails/{plantilla}-subject.txt", contexto).split())
    secretos = [secreto for secreto in secretos if secreto]
    asunto, cuerpo_texto, cuerpo_html = secretos_apartar(
        textos=[
            asunto,
            render_to_string(f"emails/{plantilla}-body.txt", contexto),
            render_to_string(f"emails/{plantilla}-body.html", contexto),
        ],
        secretos=secretos,
    )
    correo = Correo(
        para=para,
        remitente=settings.DEFAULT_FROM_EMAIL,
        asunto=asunto,
        cuerpo_texto=cuerpo_texto,
        cuerpo_html=cuerpo_html,
        plantilla=plantilla,
        programado_at=timezone.now(),
        secretos=[cifrado.cifrar(secreto) for secreto in secretos],
    )
    if adjunto:
        nombre, contenido, tipo = adjunto
        correo.adjunto_nombre, correo.adjunto_tipo = nombre, tipo
        correo.adjunto.save(nombre, ContentFile(contenido), save=False)
    correo.full_clean()
    correo.save()
    transaction.on_commit(lambda: _programar_envio(correo.pk))
    return correo


def _programar_envio(correo_id: int) -> None:
    from .tasks import correo_enviar

    try:
        correo_enviar.delay(correo_id)
    except Exception:  # the broker is down: the periodic sweep sends it at its next run
        logger.warning("No se pudo encolar el correo %s; se enviará en el barrido periódico", correo_id)
        Correo.objects.filter(pk=correo_id).update(programado_at=None)


CLAVE_DISTINTA = (
    "No se envió: la liga del correo se cifró con otra SECRET_KEY (se cambió con el correo pendiente). "
    "La persona debe pedir una liga nueva."
)


def correo_enviar(*, correo_id: int) -> bool:
    """Sends one outbox email. Returns False when it had already been sent (never sends twice), or when its
    secrets were encrypted with another SECRET_KEY: then it is marked failed, says so, and is never tried again
    (without its token the link would not work).

    SMTP errors propagate (the task retries them with backoff) after the failed attempt is recorded.
    """
    try:
        with transaction.atomic():
            correo = Correo.objects.select_for_update().get(pk=correo_id)
            if correo.estatus != Correo.Estatus.PENDIENTE:
                return False
            try:
                mensaje = correo_mensaje(correo=correo)
            except cifrado.InvalidToken:
                _fallido_sin_clave(correo)
                return False
            mensaje.send()
            correo.estatus = Correo.Estatus.ENVIADO
            correo.enviado_at = correo.programado_at = timezone.now()
            correo.intentos += 1
            correo.ultimo_error = ""
            campos = ["estatus", "enviado_at", "programado_at", "intentos", "ultimo_error", "updated_at"]
            if correo.secretos:
                # The stored copy keeps its wording, but no usable token (a link in it leads to the portal's
                # "liga no válida" page); the dev mailbox keeps what was sent.
                poner = _secretos_descifrar(correo) if settings.ICSOE_DEV_MAILBOX else None
                correo.asunto, correo.cuerpo_texto, correo.cuerpo_html = _secretos_poner(correo, poner)
                correo.secretos = []
                campos += ["asunto", "cuerpo_texto", "cuerpo_html", "secretos"]
            correo.save(update_fields=campos)
    except (smtplib.SMTPException, OSError) as error:
        Correo.objects.filter(pk=correo_id).update(
            intentos=models.F("intentos") + 1, ultimo_error=str(error)[:2000], programado_at=timezone.now()
        )
        raise
    return True


def _fallido_sin_clave(correo: Correo) -> None:
    logger.error("El correo %s no se envió: sus secretos se cifraron con otra SECRET_KEY", correo.pk)
    correo.asunto, correo.cuerpo_texto, correo.cuerpo_html = _secretos_poner(correo, None)
    correo.estatus, correo.secretos, correo.ultimo_error = Correo.Estatus.FALLIDO, [], CLAVE_DISTINTA
    correo.intentos += 1
    correo.save(
        update_fields=["asunto", "cuerpo_texto", "cuerpo_html", "estatus", "secretos", "ultimo_error", "intentos",
                       "updated_at"]
    )


SECRETO_RETIRADO = "[retirado-tras-el-envio]"
# How a secret appears in a rendered email: as is, HTML-escaped (the HTML body) and URL-quoted (a link's query).
_FORMAS: dict[str, Callable[[str], str]] = {
    "": lambda secreto: secreto,
    "-html": html.escape,
    "-url": lambda secreto: quote(secreto, safe=""),
}


def marcador_secreto(numero: int, forma: str = "") -> str:
    """What a pending email's stored copy says where its ``numero``-th secret goes (in that form)."""
    return f"[secreto-{numero}{forma}-se-agrega-al-enviar]"


def secretos_apartar(*, textos: Sequence[str], secretos: Sequence[str]) -> list[str]:
    """``textos`` with every form of each secret replaced by its marker (the longest secrets first, so one
    that holds another is replaced whole)."""
    reemplazos: dict[str, str] = {}
    for numero, secreto in enumerate(secretos):
        for forma, escribir in _FORMAS.items():
            reemplazos.setdefault(escribir(secreto), marcador_secreto(numero, forma))
    textos = list(textos)
    for valor in sorted(reemplazos, key=len, reverse=True):
        textos = [texto.replace(valor, reemplazos[valor]) for texto in textos]
    return textos


def _secretos_poner(correo: Correo, valores: Sequence[str] | None) -> tuple[str, str, str]:
    """The subject and both bodies with each marker replaced by its secret, or by SECRETO_RETIRADO (None)."""
    textos = [correo.asunto, correo.cuerpo_texto, correo.cuerpo_html]
    for numero in range(len(correo.secretos)):
        for forma, escribir in _FORMAS.items():
            valor = SECRETO_RETIRADO if valores is None else escribir(valores[numero])
            textos = [texto.replace(marcador_secreto(numero, forma), valor) for texto in textos]
    asunto, texto, cuerpo_html = textos
    return asunto, texto, cuerpo_html


def _secretos_descifrar(correo: Correo) -> list[str]:
    return [cifrado.descifrar(secreto) for secreto in correo.secretos]


def correo_mensaje(*, correo: Correo) -> EmailMultiAlternatives:
    """The message as it goes out: the stored copy with its secrets decrypted and put back in."""
    asunto, texto, cuerpo_html = _secretos_poner(correo, _secretos_descifrar(correo))
    mensaje = EmailMultiAlternatives(
        subject=asunto,
        body=texto,
        from_email=correo.remitente,
        to=[correo.para],
        headers={"X-ICSOE-Correo": str(correo.code)},
    )
    if cuerpo_html:
        mensaje.attach_alternative(cuerpo_html, "text/html")
    if correo.adjunto:
        with correo.adjunto.open("rb") as f:
            mensaje.attach(correo.adjunto_nombre, f.read(), correo.adjunto_tipo)
    return mensaje


def correos_programar_pendientes(*, inactivos_desde: datetime.datetime, limite: int = 500) -> list[int]:
    """The periodic sweep's choice: pending emails whose sending is not under way, because queueing failed
    (the broker was down) or because nothing was queued or tried since ``inactivos_desde`` (the retries ran
    out, or were lost with a worker). Marks them queued now and returns their ids, oldest first.

    An email queued or tried more recently may still have a retry scheduled with backoff: queueing it again
    would start a second chain of retries, and every sweep one more.
    """
    with transaction.atomic():
        ids = list(
            Correo.objects.select_for_update(skip_locked=True)  # one being sent right now is not pending
            .filter(estatus=Correo.Estatus.PENDIENTE)
            .filter(models.Q(programado_at__isnull=True) | models.Q(programado_at__lt=inactivos_desde))
            .order_by("created_at")
            .values_list("pk", flat=True)[:limite]
        )
        Correo.objects.filter(pk__in=ids).update(programado_at=timezone.now())
    return ids


def bitacora_registrar(*, accion: str, objeto: models.Model, usuario: Any = None, datos: dict | None = None) -> Bitacora:
    """Writes an audit entry; call it inside the transaction of the change it records."""
    return Bitacora.objects.create(
        accion=accion,
        usuario=usuario if getattr(usuario, "is_authenticated", False) else None,
        objeto_tipo=objeto._meta.label_lower,
        objeto_id=str(objeto.pk),
        datos=datos or {},
    )


def bitacora_registrar_varias(
    *, accion: str, objeto: models.Model, usuario: Any = None, datos: list[dict]
) -> int:
    """``bitacora_registrar`` of one action many times over (one entry per item of ``datos``), in one
    statement: a change of thousands of rows keeps one entry per row without thousands of queries."""
    usuario = usuario if getattr(usuario, "is_authenticated", False) else None
    entradas = [
        Bitacora(
            accion=accion,
            usuario=usuario,
            objeto_tipo=objeto._meta.label_lower,
            objeto_id=str(objeto.pk),
            datos=d,
        )
        for d in datos
    ]
    return len(Bitacora.objects.bulk_create(entradas, batch_size=1000))
