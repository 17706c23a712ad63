"""The reminders' rules, one by one, on the real database: which reminder is due on which day, to whom, never
twice, never to a contratista that presented, through the outbox, in Spanish."""

from __future__ import annotations

import datetime
import threading

import pytest
from django.db import connection, transaction
from django.utils import timezone

from capturistas.models import Relacion
from core.models import Bitacora, Correo
from recordatorios import services
from recordatorios.models import Recordatorio

from .conftest import LIMITE, PERIODO, dia

pytestmark = pytest.mark.django_db

PLANTILLA = services.PLANTILLA


def correos(para: str | None = None):
    qs = Correo.objects.filter(plantilla=PLANTILLA).order_by("created_at")
    return qs.filter(para=para) if para else qs


def enviar(n: int) -> int:
    return services.recordatorios_enviar(hoy=dia(n)).enviados


# ----------------------------------------------------------------------------------------------------------
# Which reminder, which day
# ----------------------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("dias", "tipo"),
    [
        (11, None),
        (10, "D10"),
        (4, "D10"),
        (3, "D3"),
        (2, "D3"),
        (1, "D1"),
        (0, "D1"),
        (-1, "VENCIDO"),
        (-7, "VENCIDO"),
        (-8, None),
    ],
)
def test_each_day_falls_in_the_window_of_one_reminder_at_most(dias, tipo):
    assert services.recordatorio_tipo(dias=dias) == tipo


def test_the_period_near_its_deadline_is_the_one_that_ended_last():
    (vencimiento,) = services.vencimientos_de(hoy=dia(-10))
    assert (vencimiento.periodo.anio, vencimiento.periodo.cuatrimestre) == PERIODO
    assert vencimiento.plazo.fecha_limite == LIMITE == datetime.date(2027, 1, 18)
    assert vencimiento.plazo.dias == 10
    assert vencimiento.tipo == "D10"
    assert services.vencimientos_de(hoy=dia(-11)) == []
    assert services.vencimientos_de(hoy=datetime.date(2026, 12, 2)) == []


def test_a_dia_inhabil_moves_the_reminders_with_the_deadline():
    from plazos.models import DiaInhabil

    DiaInhabil.objects.create(fecha=LIMITE, motivo="Acuerdo del IMSS")  # the deadline moves to the 19th
    assert services.vencimientos_de(hoy=dia(-10)) == []  # 11 days before the new deadline
    (vencimiento,) = services.vencimientos_de(hoy=dia(-9))
    assert vencimiento.plazo.fecha_limite == datetime.date(2027, 1, 19)
    assert vencimiento.plazo.dias == 10
    assert vencimiento.tipo == "D10"


def test_walking_through_the_deadline_sends_ten_three_one_days_before_and_the_day_after(contratista):
    enviados = {n: enviar(n) for n in (-11, -10, -9, -4, -3, -2, -1, 0, 1, 2, 8)}
    assert enviados == {-11: 0, -10: 1, -9: 0, -4: 0, -3: 1, -2: 0, -1: 1, 0: 0, 1: 1, 2: 0, 8: 0}
    tipos = list(Recordatorio.objects.filter(contratista=contratista).order_by("hoy").values_list("tipo", "hoy"))
    assert tipos == [("D10", dia(-10)), ("D3", dia(-3)), ("D1", dia(-1)), ("VENCIDO", dia(1))]
    assert correos(contratista.correo).count() == 4


def test_running_again_the_same_day_sends_nothing_more(contratista, otro_contratista):
    assert enviar(-10) == 2
    assert enviar(-10) == 0
    assert enviar(-10) == 0
    assert correos().count() == 2
    assert Recordatorio.objects.count() == 2


def test_a_day_missed_by_beat_is_made_up_later_in_its_window_and_never_stacked(contratista):
    assert enviar(-8) == 1  # beat was down on days −10 and −9
    assert enviar(-1) == 1  # and from −3 to −2: only the 1-day reminder, not the 3-day one too
    assert list(Recordatorio.objects.values_list("tipo", flat=True).order_by("hoy")) == ["D10", "D1"]
    (primero, segundo) = correos()
    assert "faltan 8 días" in primero.asunto
    assert "mañana vence" in segundo.asunto


# ----------------------------------------------------------------------------------------------------------
# Never to a contratista that presented
# ----------------------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "cadena",
    [
        [("NORMAL", "PRESENTADA")],
        [("SIN_INFORMACION", "PRESENTADA")],
        [("NORMAL", "SUSTITUIDA"), ("CORRECCION", "PRESENTADA")],  # replaced by a Corrección, in force
        [("SIN_INFORMACION", "SUSTITUIDA"), ("ACTUALIZACION", "PRESENTADA")],
    ],
)
def test_no_reminder_to_a_contratista_with_a_filing_in_force(contratista, otro_contratista, presentar, cadena):
    for tipo, estatus in cadena:
        presentar(contratista, tipo=tipo, estatus=estatus)
    for n in (-10, -3, -1, 1):
        assert enviar(n) == 1  # the other one only
    assert correos(contratista.correo).count() == 0
    assert correos(otro_contratista.correo).count() == 4


@pytest.mark.parametrize(
    "cadena",
    [
        [("NORMAL", "SIN_EFECTOS"), ("SIN_EFECTOS", "PRESENTADA")],
        [("NORMAL", "SUSTITUIDA"), ("CORRECCION", "SIN_EFECTOS"), ("SIN_EFECTOS", "PRESENTADA")],
    ],
)
def test_a_period_left_without_effect_has_none_in_force_and_gets_reminders(contratista, presentar, cadena):
    """Presented, then cancelled by a Sin efectos: the period has to be presented again (issue 22)."""
    for tipo, estatus in cadena:
        presentar(contratista, tipo=tipo, estatus=estatus)
    assert enviar(-10) == 1
    assert enviar(1) == 1
    assert correos(contratista.correo).count() == 2


def test_a_draft_or_one_pending_signature_is_not_presented_and_still_gets_reminders(
    contratista, otro_contratista, presentar
):
    presentar(contratista, tipo="NORMAL", estatus="EN_CAPTURA")
    presentar(otro_contratista, tipo="SIN_INFORMACION", estatus="PENDIENTE_FIRMA")
    assert enviar(-3) == 2


def test_presenting_another_period_does_not_stop_this_periods_reminders(contratista, presentar):
    presentar(contratista, periodo=(2026, 2))
    assert enviar(-10) == 1


def test_presenting_between_two_reminders_stops_the_next_ones(contratista, presentar):
    assert enviar(-10) == 1
    presentar(contratista, tipo="SIN_INFORMACION")
    assert [enviar(n) for n in (-3, -1, 1)] == [0, 0, 0]
    assert correos().count() == 1


# ----------------------------------------------------------------------------------------------------------
# To whom
# ----------------------------------------------------------------------------------------------------------
def test_a_contratista_that_turned_reminders_off_gets_none(contratista, otro_contratista):
    type(contratista).objects.filter(pk=contratista.pk).update(recordatorios_activos=False)
    assert enviar(-10) == 1
    assert not correos(contratista.correo).exists()
    assert not Recordatorio.objects.filter(contratista=contratista).exists()


def test_reminders_are_on_for_the_contratista_and_off_for_its_capturistas_by_default(contratista, capturista):
    assert contratista.recordatorios_activos is True
    assert contratista.recordatorios_capturistas is False
    enviar(-10)
    assert [c.para for c in correos()] == [contratista.correo]


def test_the_active_capturistas_get_them_when_the_contratista_chooses_so(contratista, capturista):
    from accounts.models import User

    baja = User.objects.create_user(
        username="PEMA700101MDFRRR09", rol=User.Rol.CAPTURISTA, curp="PEMA700101MDFRRR09", email="baja@example.com"
    )
    Relacion.objects.create(
        contratista=contratista, capturista=baja, estatus=Relacion.Estatus.BAJA, telefono="5512345678",
        correo="baja@example.com",
    )
    type(contratista).objects.filter(pk=contratista.pk).update(recordatorios_capturistas=True)
    assert enviar(-10) == 1  # one reminder, two emails
    assert sorted(c.para for c in correos()) == sorted([contratista.correo, "capturista@example.com"])
    (recordatorio,) = Recordatorio.objects.all()
    assert sorted(recordatorio.destinatarios) == sorted([contratista.correo, "capturista@example.com"])


def test_a_contratista_with_no_email_and_no_capturistas_is_not_claimed(contratista):
    type(contratista).objects.filter(pk=contratista.pk).update(correo="")
    assert enviar(-10) == 0
    assert not Recordatorio.objects.exists()


def test_a_contratista_registered_after_the_period_ended_gets_no_reminder_for_it(contratista):
    despues = timezone.make_aware(datetime.datetime(2027, 1, 2, 9))
    type(contratista).objects.filter(pk=contratista.pk).update(created_at=despues)
    assert enviar(-10) == 0


# ----------------------------------------------------------------------------------------------------------
# What the email says
# ----------------------------------------------------------------------------------------------------------
def test_the_email_names_the_period_the_deadline_and_the_days_left_and_links_to_the_period(contratista, settings):
    settings.ICSOE_BASE_URL = "https://icsoe.example.gob.mx"
    enviar(-10)
    (correo,) = correos()
    assert correo.asunto == "ICSOE: faltan 10 días para presentar la informativa de Septiembre - Diciembre 2026"
    texto = correo.cuerpo_texto
    assert "EMPRESA DE SERVICIOS INTEGRALES SA DE CV (RFC ESI920427886)" in texto
    assert "Faltan 10 días para que venza el plazo de tu informativa del tercer cuatrimestre" in texto
    assert "la fecha límite es el 18 de enero de 2027" in texto
    url = f"https://icsoe.example.gob.mx/informativas/periodos/{contratista.code}/2026/3/"
    assert url in texto
    assert f'href="{url}"' in correo.cuerpo_html
    assert "https://icsoe.example.gob.mx/contratista/#recordatorios" in texto
    assert correo.estatus == Correo.Estatus.PENDIENTE  # in the outbox, sent by the worker after commit


@pytest.mark.parametrize(
    ("n", "asunto", "frase"),
    [
        (-3, "faltan 3 días para presentar", "Faltan 3 días para que venza el plazo"),
        (-1, "mañana vence el plazo", "Mañana, 18 de enero de 2027, vence el plazo"),
        (1, "venció el plazo", "venció el 18 de enero de 2027 y aún no la has presentado"),
    ],
)
def test_each_reminder_says_how_close_the_deadline_is(contratista, n, asunto, frase):
    enviar(n)
    (correo,) = correos()
    assert asunto in correo.asunto
    assert frase in correo.cuerpo_texto


def test_the_capturistas_email_speaks_of_the_contratistas_informativa(contratista, capturista):
    type(contratista).objects.filter(pk=contratista.pk).update(recordatorios_capturistas=True)
    enviar(1)
    texto = correos("capturista@example.com").get().cuerpo_texto
    assert "aún no la ha presentado el contratista" in texto
    assert "Sólo el contratista puede dejar de enviarlos" in texto
    assert "El contratista todavía puede presentarla; quedará marcada como extemporánea." in texto
    assert "Si el contratista ya la presentó, no tienes que hacer nada." in texto
    for frase in ("Todavía puedes presentarla", "Si ya la presentaste", "tu informativa"):
        assert frase not in texto, frase


def test_each_reminder_sent_is_in_the_bitacora(contratista):
    enviar(-10)
    entrada = Bitacora.objects.get(accion="recordatorios.recordatorio.enviado")
    assert entrada.objeto_id == str(contratista.pk)
    assert entrada.datos == {"anio": 2026, "cuatrimestre": 3, "tipo": "D10", "para": [contratista.correo]}


# ----------------------------------------------------------------------------------------------------------
# At most once, also when two runs race (two beats by mistake)
# ----------------------------------------------------------------------------------------------------------
def test_the_unique_claim_refuses_a_second_row_for_the_same_reminder(contratista):
    from django.db import IntegrityError

    enviar(-10)
    with pytest.raises(IntegrityError), transaction.atomic():
        Recordatorio.objects.create(
            contratista=contratista, anio=2026, cuatrimestre=3, tipo="D10", fecha_limite=LIMITE, hoy=dia(-9)
        )


@pytest.mark.django_db(transaction=True)
def test_two_runs_at_the_same_time_send_each_reminder_once(contratista, otro_contratista, tercer_contratista):
    (vencimiento,) = services.vencimientos_de(hoy=dia(-3))
    ids = [contratista.pk, otro_contratista.pk, tercer_contratista.pk]
    barrera = threading.Barrier(2)
    resultados: list[list[bool]] = []

    def correr():
        try:
            barrera.wait(timeout=10)
            resultados.append(
                [
                    services.recordatorio_enviar(contratista_id=i, vencimiento=vencimiento, hoy=dia(-3)) is not None
                    for i in ids
                ]
            )
        finally:
            connection.close()

    hilos = [threading.Thread(target=correr) for _ in range(2)]
    for h in hilos:
        h.start()
    for h in hilos:
        h.join(timeout=60)
    assert len(resultados) == 2
    # Each contratista was claimed by exactly one of the two runs
    assert [a + b for a, b in zip(*resultados, strict=True)] == [1, 1, 1]
    assert Recordatorio.objects.count() == 3
    assert correos().count() == 3


def test_the_command_runs_one_pass_with_todays_date_from_the_shared_clock(contratista, reloj, capsys):
    from django.core.management import call_command

    reloj.reloj_prueba_fijar(fecha=dia(-10))
    call_command("recordatorios_enviar")
    call_command("recordatorios_enviar")
    salida = capsys.readouterr().out.splitlines()
    assert salida == [
        "2027-01-08: 1 recordatorio(s) enviado(s); 0 recordatorio(s) del registro REPSE enviado(s)",
        "2027-01-08: 0 recordatorio(s) enviado(s); 0 recordatorio(s) del registro REPSE enviado(s)",
    ]
    assert correos(contratista.correo).count() == 1


def test_the_task_records_its_last_run_for_operations(contratista, reloj):
    from django.core.cache import cache

    from recordatorios.tasks import ULTIMA_CORRIDA, recordatorios_enviar

    reloj.reloj_prueba_fijar(fecha=dia(1))
    assert recordatorios_enviar.apply().get() == 1  # run here, in this process
    ultima = cache.get(ULTIMA_CORRIDA)
    assert (ultima["hoy"], ultima["enviados"]) == ("2027-01-19", 1)
    assert ultima["fin"] >= ultima["inicio"]
