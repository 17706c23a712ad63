"""The REPSE registration's reminders with the real processes of `make test` (Celery beat every half second, the
worker, the SMTP sink), in the shared test clock as tests/recordatorios/test_beat.py: the clock walks a
registration to its expiry and past it, each reminder arrives once (90, 60, 30, 7 days before, the day after),
to the contratista and the capturista it chose; a renewal starts a new series; no date, no reminder."""

from __future__ import annotations

import datetime
import time
import uuid

import pytest
from django.core.cache import cache

from capturistas.models import Relacion
from contratistas.models import Contratista
from core.models import Correo
from recordatorios.repse import PLANTILLA_REPSE
from recordatorios.tasks import ULTIMA_CORRIDA
from tests.conftest import requiere_servicios

from .conftest import preparar
from .test_beat import _asunto, beats, esperar  # noqa: F401 - beats is a fixture

pytestmark = [requiere_servicios, pytest.mark.django_db(transaction=True)]

VENCE = datetime.date(2027, 3, 15)  # registered on 15 March 2024
NUEVO = datetime.date(2030, 2, 3)  # renewed on 3 February 2027


def antes(n: int, *, vence: datetime.date = VENCE) -> datetime.date:
    return vence - datetime.timedelta(days=n)


def test_beat_sends_each_repse_reminder_once_and_a_renewal_starts_a_new_series(
    reloj, beats, smtp_sink, contratista, otro_contratista, capturista
):
    sufijo = uuid.uuid4().hex[:8]
    a = preparar(
        contratista, correo=f"repse-a-{sufijo}@example.com", recordatorios_capturistas=True,
        repse_fecha_registro=datetime.date(2024, 3, 15),
    )
    b = preparar(otro_contratista, correo=f"repse-b-{sufijo}@example.com")  # no date: never a REPSE reminder
    cap = f"repse-cap-{sufijo}@example.com"
    Relacion.objects.filter(contratista=a, capturista=capturista).update(correo=cap)
    direcciones = [a.correo, cap, b.correo]

    def recibidos() -> dict[str, int]:
        """The REPSE reminders each address got (the deadline reminders of the period also run in the clock's
        days, to the same contratistas: not counted here)."""
        repse = [m.get("To") or "" for m in smtp_sink.mensajes() if "registro REPSE" in _asunto(m)]
        return {d: sum(d in para for para in repse) for d in direcciones}

    def avanzar(fecha: datetime.date) -> None:
        reloj.reloj_prueba_fijar(fecha=fecha)
        fijado = time.time()

        def corrida_tras(momento: float):
            ultima = cache.get(ULTIMA_CORRIDA)
            if ultima and ultima["hoy"] == fecha.isoformat() and ultima["inicio"] > momento:
                return ultima
            return None

        primera = esperar(lambda: corrida_tras(fijado), timeout=60, que=f"una corrida con hoy = {fecha}")
        esperar(lambda: corrida_tras(primera["fin"]), timeout=60, que=f"otra corrida con hoy = {fecha}")
        esperar(
            lambda: not Correo.objects.filter(plantilla=PLANTILLA_REPSE, estatus=Correo.Estatus.PENDIENTE).exists(),
            timeout=60,
            que="el worker envió los correos de la bandeja de salida",
        )

    beats("repse-uno")
    enviados = 0
    pasos = [(antes(91), 0), (antes(90), 1), (antes(89), 0), (antes(60), 1), (antes(30), 1), (antes(7), 1)]
    pasos += [(antes(0), 0), (antes(-1), 1), (antes(-2), 0)]
    for fecha, nuevos in pasos:
        avanzar(fecha)
        enviados += nuevos
        esperado = {a.correo: enviados, cap: enviados, b.correo: 0}
        esperar(lambda: recibidos() == esperado, timeout=30, que=f"los correos del {fecha}")  # noqa: B023
        assert recibidos() == esperado, fecha

    asuntos = sorted(
        _asunto(m) for m in smtp_sink.mensajes() if a.correo in (m.get("To") or "") and "REPSE" in _asunto(m)
    )
    assert asuntos == sorted(
        [f"ICSOE: faltan {n} días para que venza el registro REPSE (15 de marzo de 2027)" for n in (90, 60, 30, 7)]
        + ["ICSOE: venció el registro REPSE el 15 de marzo de 2027"]
    )

    # Renewed (late): a new date, a new expiry, a new series from its own 90 days
    Contratista.objects.filter(pk=a.pk).update(repse_fecha_registro=datetime.date(2027, 2, 3))
    for fecha, nuevos in [(antes(91, vence=NUEVO), 0), (antes(90, vence=NUEVO), 1)]:
        avanzar(fecha)
        enviados += nuevos
        esperado = {a.correo: enviados, cap: enviados, b.correo: 0}
        esperar(lambda: recibidos() == esperado, timeout=30, que=f"los correos del {fecha}")  # noqa: B023
        assert recibidos() == esperado, fecha
    assert recibidos() == {a.correo: 6, cap: 6, b.correo: 0}
    assert Correo.objects.filter(plantilla=PLANTILLA_REPSE).count() == 12
