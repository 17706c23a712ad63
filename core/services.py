"""Shared operations: the email outbox and the audit trail."""

from __future__ import annotations

import datetime
import html
import logging
import smtplib
from collections.abc import Sequence
from typing import Any
from urllib.parse import quote

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.mail import EmailMultiAlternatives
from django.db import models, transaction
from django.template.loader import render_to_string
from django.utils import timezone

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

    ``secretos`` (the token of a link) are kept in the row only until the email is sent: then both bodies
    have them replaced by ``SECRETO_RETIRADO`` (unless the dev mailbox is on)."""
    asunto = " ".join(render_to_string(f"emails/{plantilla}-subject.txt", contexto).split())
    correo = Correo(
        para=para,
        remitente=settings.DEFAULT_FROM_EMAIL,
        asunto=asunto,
        cuerpo_texto=render_to_string(f"emails/{plantilla}-body.txt", contexto),
        cuerpo_html=render_to_string(f"emails/{plantilla}-body.html", contexto),
        plantilla=plantilla,
        programado_at=timezone.now(),
        secretos=[secreto for secreto in secretos if secreto],
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


def correo_enviar(*, correo_id: int) -> bool:
    """Sends one outbox email. Returns False when it had already been sent (never sends twice).

    SMTP errors propagate (the task retries them with backoff) after the failed attempt is recorded.
    """
    try:
        with transaction.atomic():
            correo = Correo.objects.select_for_update().get(pk=correo_id)
            if correo.estatus == Correo.Estatus.ENVIADO:
                return False
            _mensaje(correo).send()
            correo.estatus = Correo.Estatus.ENVIADO
            correo.enviado_at = correo.programado_at = timezone.now()
            correo.intentos += 1
            correo.ultimo_error = ""
            campos = ["estatus", "enviado_at", "programado_at", "intentos", "ultimo_error", "updated_at"]
            if correo.secretos and not settings.ICSOE_DEV_MAILBOX:
                _retirar_secretos(correo)
                campos += ["cuerpo_texto", "cuerpo_html", "secretos"]
            correo.save(update_fields=campos)
    except (smtplib.SMTPException, OSError) as error:
        Correo.objects.filter(pk=correo_id).update(
            intentos=models.F("intentos") + 1, ultimo_error=str(error)[:2000], programado_at=timezone.now()
        )
        raise
    return True


SECRETO_RETIRADO = "[retirado-tras-el-envio]"


def _retirar_secretos(correo: Correo) -> None:
    """The sent email's stored copy keeps its wording, but no usable token: a link in it now leads to the
    portal's "liga no válida" page."""
    for secreto in sorted(correo.secretos, key=len, reverse=True):
        for forma in {secreto, html.escape(secreto), quote(secreto, safe="")}:
            correo.cuerpo_texto = correo.cuerpo_texto.replace(forma, SECRETO_RETIRADO)
            correo.cuerpo_html = correo.cuerpo_html.replace(forma, SECRETO_RETIRADO)
    correo.secretos = []


def _mensaje(correo: Correo) -> EmailMultiAlternatives:
    mensaje = EmailMultiAlternatives(
        subject=correo.asunto,
        body=correo.cuerpo_texto,
        from_email=correo.remitente,
        to=[correo.para],
        headers={"X-ICSOE-Correo": str(correo.code)},
    )
    if correo.cuerpo_html:
        mensaje.attach_alternative(correo.cuerpo_html, "text/html")
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
