"""The reminders with the real processes of `make test`: Celery beat (started here through scripts/services.sh,
the reminders every half second), the Celery worker and the SMTP sink. The test moves the shared test clock (a row in
the database that beat's task, the worker and the web all read) through the deadline of September–December
2026 and counts, in the sink, exactly the emails expected: 10, 3 and 1 day before and the day after, none twice
(also while a second beat runs by mistake, and across a restart of beat), none to the contratista that presented."""

from __future__ import annotations

import collections
import email.header
import os
import subprocess
import time
import uuid
from pathlib import Path

import pytest
from django.core.cache import cache
from django.db import connection

from capturistas.models import Relacion
from core.models import Correo
from recordatorios.services import PLANTILLA
from recordatorios.tasks import ULTIMA_CORRIDA
from tests.conftest import requiere_servicios

from .conftest import dia, preparar

pytestmark = [requiere_servicios, pytest.mark.django_db(transaction=True)]

SERVICES = Path(__file__).resolve().parents[2] / "scripts" / "services.sh"


def esperar(condicion, *, timeout: float, que: str):
    limite = time.monotonic() + timeout
    while time.monotonic() < limite:
        if valor := condicion():
            return valor
        time.sleep(0.2)
    raise AssertionError(f"tiempo agotado esperando: {que}")


@pytest.fixture
def beats(reloj):
    """Starts Celery beats (scripts/services.sh beat-start) on the test database; stops them all at the end."""
    iniciados: list[str] = []
    base = connection.settings_dict["NAME"]

    def iniciar(nombre: str) -> None:
        subprocess.run([str(SERVICES), "beat-start", nombre, base], check=True, env=os.environ, timeout=60)
        iniciados.append(nombre)

    def detener(nombre: str) -> None:
        subprocess.run([str(SERVICES), "beat-stop", nombre], check=True, env=os.environ, timeout=60)

    iniciar.detener = detener
    yield iniciar
    for nombre in dict.fromkeys(iniciados):
        detener(nombre)


def _asunto(mensaje) -> str:
    return str(email.header.make_header(email.header.decode_header(mensaje.get("Subject", ""))))


def test_beat_and_worker_send_each_reminder_exactly_once_through_the_deadline(
    reloj, beats, smtp_sink, contratista, otro_contratista, tercer_contratista, capturista, presentar
):
    sufijo = uuid.uuid4().hex[:8]  # the sink keeps every email of the run: these addresses are this test's
    a = preparar(contratista, correo=f"a-{sufijo}@example.com", recordatorios_capturistas=True)
    b = preparar(otro_contratista, correo=f"b-{sufijo}@example.com")
    c = preparar(tercer_contratista, correo=f"c-{sufijo}@example.com")
    cap = f"cap-{sufijo}@example.com"
    Relacion.objects.filter(contratista=a, capturista=capturista).update(correo=cap)
    presentar(c, tipo="SIN_INFORMACION")  # c presented: never a reminder
    direcciones = [a.correo, cap, b.correo, c.correo]

    def recibidos() -> dict[str, int]:
        return {d: smtp_sink.contar(para=d) for d in direcciones}

    def avanzar(n: int) -> None:
        """Moves the shared clock to deadline+n and waits for two runs of beat's task that read it (the second
        proves a run that finds everything claimed sends nothing), then for the outbox to be empty."""
        reloj.reloj_prueba_fijar(fecha=dia(n))
        fijado = time.time()

        def corrida_tras(momento: float):
            ultima = cache.get(ULTIMA_CORRIDA)
            if ultima and ultima["hoy"] == dia(n).isoformat() and ultima["inicio"] > momento:
                return ultima
            return None

        primera = esperar(lambda: corrida_tras(fijado), timeout=60, que=f"una corrida con hoy = {dia(n)}")
        esperar(lambda: corrida_tras(primera["fin"]), timeout=60, que=f"otra corrida con hoy = {dia(n)}")
        esperar(
            lambda: not Correo.objects.filter(plantilla=PLANTILLA, estatus=Correo.Estatus.PENDIENTE).exists(),
            timeout=60,
            que="el worker envió los correos de la bandeja de salida",
        )

    beats("recordatorios-uno")
    esperado = collections.Counter()
    pasos = [(-11, []), (-10, [a.correo, cap, b.correo]), (-3, [a.correo, cap, b.correo])]
    pasos += [(-1, [a.correo, cap, b.correo]), (1, [a.correo, cap, b.correo]), (2, [])]
    for n, nuevos in pasos:
        if n == -3:
            beats("recordatorios-dos")  # a second beat by mistake: every reminder still goes out once
        if n == 1:  # beat restarted (its schedule file kept): nothing sent twice
            beats.detener("recordatorios-uno")
            beats("recordatorios-uno")
        avanzar(n)
        esperado.update(nuevos)
        esperar(lambda: recibidos() == {d: esperado[d] for d in direcciones}, timeout=30,
                que=f"los correos del día {n:+d}")
        assert recibidos() == {d: esperado[d] for d in direcciones}, f"día {n:+d}"

    assert recibidos() == {a.correo: 4, cap: 4, b.correo: 4, c.correo: 0}
    for direccion in (a.correo, cap, b.correo):
        asuntos = [_asunto(m) for m in smtp_sink.mensajes() if direccion in (m.get("To") or "")]
        assert len(asuntos) == len(set(asuntos)) == 4, asuntos  # none twice
        assert sorted(asuntos) == sorted(
            [
                "ICSOE: faltan 10 días para presentar la informativa de Septiembre - Diciembre 2026",
                "ICSOE: faltan 3 días para presentar la informativa de Septiembre - Diciembre 2026",
                "ICSOE: mañana vence el plazo de la informativa de Septiembre - Diciembre 2026",
                "ICSOE: venció el plazo de la informativa de Septiembre - Diciembre 2026",
            ]
        )
    # Both beats really sent the task, every half second
    carpeta = Path(os.environ["ICSOE_SERVICES_DIR"])
    for nombre in ("recordatorios-uno", "recordatorios-dos"):
        registro = (carpeta / f"beat-{nombre}.log").read_text()
        assert registro.count("Sending due task enviar-recordatorios") >= 5, nombre
    # The worker read "today" from the database: the real date (December 2026) has no deadline near.
    assert Correo.objects.filter(plantilla=PLANTILLA).count() == 12
