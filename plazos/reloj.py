"""Today's date in Mexico City, as every process of the portal must agree on it.

``hoy()`` answers, in order: the test clock (``RelojPrueba``, one row in the database) when the
ICSOE_RELOJ_PRUEBA setting is on and the clock is set; the fixed date of the ICSOE_HOY setting (demos and unit
tests of one process); the real date in America/Mexico_City. The test clock lives in the database because the
reminders are decided by Celery beat's task in the worker and followed by the user in the web process: a date
kept in one process's memory would leave the others on another day.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone

from .models import RelojPrueba

MENSAJE_RELOJ_APAGADO = "El reloj de prueba sólo se usa con ICSOE_RELOJ_PRUEBA activo (nunca en producción)."


def reloj_prueba_activo() -> bool:
    return bool(settings.ICSOE_RELOJ_PRUEBA)


def reloj_prueba_fecha() -> datetime.date | None:
    """The test clock's date, or None when it is off or not set (no query when the setting is off)."""
    if not reloj_prueba_activo():
        return None
    return RelojPrueba.objects.filter(pk=RelojPrueba.UNICA).values_list("hoy", flat=True).first()


def hoy() -> datetime.date:
    """Today in Central Mexico time: the test clock, else ICSOE_HOY, else the real date."""
    if (fecha := reloj_prueba_fecha()) is not None:
        return fecha
    if settings.ICSOE_HOY:
        return datetime.date.fromisoformat(settings.ICSOE_HOY)
    return timezone.localdate()


def fecha_fijada() -> bool:
    """Whether "today" is not the real date (the test clock or ICSOE_HOY fixes it)."""
    return bool(settings.ICSOE_HOY) or reloj_prueba_fecha() is not None


def reloj_prueba_fijar(*, fecha: datetime.date) -> RelojPrueba:
    """Sets the test clock for every process; refused unless ICSOE_RELOJ_PRUEBA is on."""
    if not reloj_prueba_activo():
        raise ImproperlyConfigured(MENSAJE_RELOJ_APAGADO)
    reloj, _ = RelojPrueba.objects.update_or_create(pk=RelojPrueba.UNICA, defaults={"hoy": fecha})
    return reloj


def reloj_prueba_quitar() -> None:
    """Back to the real date (or ICSOE_HOY) for every process."""
    RelojPrueba.objects.filter(pk=RelojPrueba.UNICA).delete()
