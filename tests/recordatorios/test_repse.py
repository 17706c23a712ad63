"""The REPSE registration's reminders (recordatorios.repse): 90, 60, 30 and 7 days before its expiry and the day
after it lapsed, each once per registration (contratista, expiry date, kind), a renewal starting a new series,
to the contratista and, when it chose so, its capturistas; none without a registration date."""

from __future__ import annotations

import datetime

import pytest

from capturistas.models import Relacion
from contratistas.models import Contratista
from core.models import Bitacora, Correo
from recordatorios import repse
from recordatorios.models import RecordatorioRepse

pytestmark = pytest.mark.django_db

REGISTRO = datetime.date(2024, 3, 15)
VENCE = datetime.date(2027, 3, 15)


def antes(n: int, *, vence: datetime.date = VENCE) -> datetime.date:
    """The day ``n`` days before the expiry (−1: the day after it)."""
    return vence - datetime.timedelta(days=n)


def correos(para: str | None = None):
    qs = Correo.objects.filter(plantilla=repse.PLANTILLA_REPSE).order_by("created_at")
    return qs.filter(para=para) if para else qs


def fechar(contratista, fecha: datetime.date | None, **campos):
    Contratista.objects.filter(pk=contratista.pk).update(repse_fecha_registro=fecha, **campos)
    contratista.refresh_from_db()
    return contratista


@pytest.mark.parametrize(
    ("dias", "tipo"),
    [(91, None), (90, "D90"), (61, "D90"), (60, "D60"), (31, "D60"), (30, "D30"), (8, "D30"), (7, "D7"),
     (0, "D7"), (-1, "VENCIDO"), (-7, "VENCIDO"), (-8, None)],
)
def test_each_day_falls_in_the_window_of_one_reminder_at_most(dias, tipo):
    assert repse.recordatorio_repse_tipo(dias=dias) == tipo


def test_walking_to_the_expiry_sends_each_reminder_once(contratista):
    fechar(contratista, REGISTRO, registro_repse="AR12345/2024")

    enviados = {n: repse.recordatorios_repse_enviar(hoy=antes(n)) for n in (91, 90, 89, 61, 60, 45, 30, 8, 7, 0, -1, -2, -8)}

    assert enviados == {91: 0, 90: 1, 89: 0, 61: 0, 60: 1, 45: 0, 30: 1, 8: 0, 7: 1, 0: 0, -1: 1, -2: 0, -8: 0}
    assert list(RecordatorioRepse.objects.order_by("hoy").values_list("tipo", "vence", "hoy")) == [
        ("D90", VENCE, antes(90)), ("D60", VENCE, antes(60)), ("D30", VENCE, antes(30)),
        ("D7", VENCE, antes(7)), ("VENCIDO", VENCE, antes(-1)),
    ]
    asuntos = [c.asunto for c in correos(para=contratista.correo)]
    assert asuntos == [
        "ICSOE: faltan 90 días para que venza el registro REPSE (15 de marzo de 2027)",
        "ICSOE: faltan 60 días para que venza el registro REPSE (15 de marzo de 2027)",
        "ICSOE: faltan 30 días para que venza el registro REPSE (15 de marzo de 2027)",
        "ICSOE: faltan 7 días para que venza el registro REPSE (15 de marzo de 2027)",
        "ICSOE: venció el registro REPSE el 15 de marzo de 2027",
    ]
    primero = correos(para=contratista.correo).first()
    assert "registro REPSE AR12345/2024" in primero.cuerpo_texto
    assert "del 15 de diciembre de 2026 al 15 de marzo de 2027" in primero.cuerpo_texto
    assert "/contratista/#vigencia-repse" in primero.cuerpo_texto
    assert Bitacora.objects.filter(accion="recordatorios.recordatorio_repse.enviado").count() == 5


def test_a_missed_run_is_made_up_once_within_the_window(contratista):
    fechar(contratista, REGISTRO)

    assert repse.recordatorios_repse_enviar(hoy=antes(75)) == 1  # beat was down on day 90
    assert repse.recordatorios_repse_enviar(hoy=antes(62)) == 0

    assert correos().get().asunto == "ICSOE: faltan 75 días para que venza el registro REPSE (15 de marzo de 2027)"


def test_a_renewal_starts_a_new_series_and_ends_the_old_one(contratista):
    fechar(contratista, REGISTRO)
    assert repse.recordatorios_repse_enviar(hoy=antes(90)) == 1
    assert repse.recordatorios_repse_enviar(hoy=antes(60)) == 1

    renovado = antes(40)  # renewed inside the window: a new registration date, a new expiry three years later
    fechar(contratista, renovado)
    nuevo = datetime.date(2030, 2, 3)
    assert contratista.repse_fecha_registro == datetime.date(2027, 2, 3)

    assert repse.recordatorios_repse_enviar(hoy=antes(30)) == 0  # the old expiry's series is over
    assert repse.recordatorios_repse_enviar(hoy=antes(90, vence=nuevo)) == 1
    assert repse.recordatorios_repse_enviar(hoy=antes(60, vence=nuevo)) == 1

    assert list(RecordatorioRepse.objects.order_by("hoy").values_list("vence", "tipo")) == [
        (VENCE, "D90"), (VENCE, "D60"), (nuevo, "D90"), (nuevo, "D60"),
    ]


def test_the_capturistas_get_them_only_when_the_contratista_chose_so(contratista, capturista):
    Relacion.objects.filter(contratista=contratista, capturista=capturista).update(correo="cap@example.com")
    fechar(contratista, REGISTRO)

    repse.recordatorios_repse_enviar(hoy=antes(90))
    assert [c.para for c in correos()] == [contratista.correo]

    fechar(contratista, REGISTRO, recordatorios_capturistas=True)
    repse.recordatorios_repse_enviar(hoy=antes(60))
    assert sorted(c.para for c in correos().filter(asunto__contains="60 días")) == sorted(
        [contratista.correo, "cap@example.com"]
    )
    al_capturista = correos(para="cap@example.com").get()
    assert "eligió enviar los recordatorios a sus capturistas" in al_capturista.cuerpo_texto
    assert RecordatorioRepse.objects.get(tipo="D60").destinatarios == [contratista.correo, "cap@example.com"]


def test_none_without_a_date_or_with_reminders_off(contratista, otro_contratista):
    fechar(contratista, None)
    fechar(otro_contratista, REGISTRO, recordatorios_activos=False)

    assert sum(repse.recordatorios_repse_enviar(hoy=antes(n)) for n in (90, 60, 30, 7, -1)) == 0
    assert not RecordatorioRepse.objects.exists()
    assert not correos().exists()


def test_a_leap_day_registration_expires_on_the_28th_and_gets_its_reminders(contratista):
    fechar(contratista, datetime.date(2024, 2, 29))
    vence = datetime.date(2027, 2, 28)

    assert repse.recordatorios_repse_enviar(hoy=antes(90, vence=vence)) == 1
    assert repse.recordatorios_repse_enviar(hoy=antes(-1, vence=vence)) == 1
    assert set(RecordatorioRepse.objects.values_list("vence", flat=True)) == {vence}


def test_the_command_beat_runs_sends_the_repse_reminders_too(contratista, settings):
    import io

    from django.core.management import call_command

    fechar(contratista, REGISTRO)
    settings.ICSOE_HOY = antes(90).isoformat()
    salida = io.StringIO()

    call_command("recordatorios_enviar", stdout=salida)

    assert "1 recordatorio(s) del registro REPSE enviado(s)" in salida.getvalue()
    assert correos(para=contratista.correo).count() == 1
