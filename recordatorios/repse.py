"""Reminders of the REPSE registration's expiry (contratistas.repse): 90, 60, 30 and 7 days before it, and the
day after it lapsed, to the contratista and, when it chose so (the same «Enviarlos también a mis capturistas»
of the deadline reminders), its active capturistas.

Through the same machinery as the deadline reminders (recordatorios.services): beat's ``recordatorios_enviar``
runs this with "today" from ``plazos.reloj``; each reminder is claimed by a ``RecordatorioRepse`` row (unique by
contratista, expiry date and kind) inserted in the transaction that queues its emails, so it goes out at most
once, and a renewal (a new registration date, hence a new expiry) starts a new series. A run missed is made up
within the window up to the next reminder, never stacked. Contratistas without a registration date, or with
reminders turned off, get none.
"""

from __future__ import annotations

import datetime
import logging

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse

from contratistas.models import Contratista
from contratistas.repse import VIGENCIA_ANIOS, vigencia_repse
from core.services import bitacora_registrar, correo_encolar
from informativas.periodos import fecha_larga

from .models import RecordatorioRepse
from .services import destinatarios_de

logger = logging.getLogger(__name__)

PLANTILLA_REPSE = "recordatorio_repse"
# The days left (expiry − today) in which each reminder goes out, as recordatorios.services.VENTANAS. The day
# after the expiry is −1; a lapsed reminder missed for more than a week is not sent late.
VENTANAS_REPSE: tuple[tuple[str, int, int], ...] = (
    (RecordatorioRepse.Tipo.D90, 61, 90),
    (RecordatorioRepse.Tipo.D60, 31, 60),
    (RecordatorioRepse.Tipo.D30, 8, 30),
    (RecordatorioRepse.Tipo.D7, 0, 7),
    (RecordatorioRepse.Tipo.VENCIDO, -7, -1),
)
ANTICIPACION = max(hasta for _, _, hasta in VENTANAS_REPSE)
ATRASO = -min(desde for _, desde, _ in VENTANAS_REPSE)


def recordatorio_repse_tipo(*, dias: int) -> str | None:
    """The reminder whose window ``dias`` (expiry − today) falls in; None outside all."""
    for tipo, desde, hasta in VENTANAS_REPSE:
        if desde <= dias <= hasta:
            return tipo
    return None


def _anios_antes(fecha: datetime.date, anios: int) -> datetime.date:
    try:
        return fecha.replace(year=fecha.year - anios)
    except ValueError:  # 29 February
        return fecha.replace(year=fecha.year - anios, day=28)


def _candidatos(*, hoy: datetime.date) -> list[Contratista]:
    """Contratistas with reminders on whose registration expires in a window around ``hoy`` (a day of slack on
    each side for 29 February; the exact window is checked per contratista). One query."""
    desde = _anios_antes(hoy - datetime.timedelta(days=ATRASO + 1), VIGENCIA_ANIOS)
    hasta = _anios_antes(hoy + datetime.timedelta(days=ANTICIPACION + 1), VIGENCIA_ANIOS)
    return list(
        Contratista.objects.filter(
            recordatorios_activos=True, repse_fecha_registro__range=(desde, hasta)
        ).order_by("pk")
    )


def _asunto(*, dias: int, vence: str) -> str:
    if dias < 0:
        return f"venció el registro REPSE el {vence}"
    if dias == 0:
        return "hoy vence el registro REPSE"
    if dias == 1:
        return "mañana vence el registro REPSE"
    return f"faltan {dias} días para que venza el registro REPSE ({vence})"


def recordatorio_repse_enviar(*, contratista_id: int, hoy: datetime.date) -> RecordatorioRepse | None:
    """Claims and queues one contratista's REPSE reminder due on ``hoy``, in one transaction; None when none
    is due (no date, outside every window, reminders off, nobody to write to) or it was claimed already."""
    with transaction.atomic():
        contratista = Contratista.objects.filter(pk=contratista_id, recordatorios_activos=True).first()
        if contratista is None:
            return None
        vigencia = vigencia_repse(fecha_registro=contratista.repse_fecha_registro, hoy=hoy)
        if vigencia.vence is None or vigencia.dias is None:
            return None
        tipo = recordatorio_repse_tipo(dias=vigencia.dias)
        para = destinatarios_de(contratista=contratista)
        if tipo is None or not para:
            return None
        try:
            with transaction.atomic():  # a savepoint: a concurrent run's claim makes this one fail
                recordatorio = RecordatorioRepse.objects.create(
                    contratista=contratista, vence=vigencia.vence, tipo=tipo, hoy=hoy, destinatarios=para
                )
        except IntegrityError:
            return None
        assert vigencia.ventana_desde is not None
        vence = fecha_larga(vigencia.vence)
        base = settings.ICSOE_BASE_URL.rstrip("/")
        contexto = {
            "razon_social": contratista.razon_social,
            "rfc": contratista.rfc,
            "registro_repse": contratista.registro_repse,
            "vence": vence,
            "ventana_desde": fecha_larga(vigencia.ventana_desde),
            "dias": vigencia.dias,
            "asunto": _asunto(dias=vigencia.dias, vence=vence),
            "url_datos": f"{base}{reverse('contratistas:datos')}#vigencia-repse",
            "url_ajustes": f"{base}{reverse('contratistas:datos')}#recordatorios",
        }
        for correo in para:
            correo_encolar(
                para=correo,
                plantilla=PLANTILLA_REPSE,
                contexto={**contexto, "al_contratista": correo == contratista.correo},
            )
        bitacora_registrar(
            accion="recordatorios.recordatorio_repse.enviado",
            objeto=contratista,
            datos={"vence": vigencia.vence.isoformat(), "tipo": tipo, "para": para},
        )
    return recordatorio


def recordatorios_repse_enviar(*, hoy: datetime.date) -> int:
    """Sends every REPSE reminder due on ``hoy`` not sent yet; how many were sent. Safe to run any number of
    times, also at once."""
    enviados = sum(
        1 for c in _candidatos(hoy=hoy) if recordatorio_repse_enviar(contratista_id=c.pk, hoy=hoy) is not None
    )
    if enviados:
        logger.info("Recordatorios del registro REPSE enviados el %s: %s", hoy.isoformat(), enviados)
    return enviados
