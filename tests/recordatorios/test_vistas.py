"""The period page a reminder links to, and the reminders' switch in the datos generales: happy paths,
anonymous, another contratista, the capturista."""

from __future__ import annotations

import re
from urllib.parse import quote

import pytest
from django.urls import reverse

from capturistas.access import SESSION_KEY
from core.models import Bitacora
from informativas.models import Informativa

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def hoy(settings):
    settings.ICSOE_HOY = "2027-01-08"  # ten days before the deadline of September–December 2026


def url(contratista, anio=2026, cuatrimestre=3, accion=""):
    nombre = "informativas:periodo_sin_informacion" if accion else "informativas:periodo"
    return reverse(nombre, args=[contratista.code, anio, cuatrimestre])


@pytest.fixture
def como_contratista(client, contratista):
    client.force_login(contratista.usuario)
    return client


@pytest.fixture
def como_capturista(client, capturista, contratista):
    client.force_login(capturista)
    sesion = client.session
    sesion[SESSION_KEY] = str(contratista.code)
    sesion.save()
    return client


# ----------------------------------------------------------------------------------------------------------
# The period page
# ----------------------------------------------------------------------------------------------------------
def test_the_period_page_offers_capturar_and_sin_informacion_and_creates_nothing(como_contratista, contratista):
    respuesta = como_contratista.get(url(contratista))
    assert respuesta.status_code == 200
    html = respuesta.content.decode()
    assert "Informativa de Septiembre - Diciembre 2026" in html
    assert "Tercer cuatrimestre de 2026. Aún no has presentado la informativa de este periodo." in html
    assert "Vence el 18 de enero de 2027 (faltan 10 días)" in html
    assert "/informativas/nueva/?anio=2026&amp;cuatrimestre=3&amp;tipo=NORMAL" in html
    assert "Declaro bajo protesta de decir verdad" in html
    assert ">Presentar Sin información</button>" in html
    assert not Informativa.objects.exists()


def test_a_period_past_its_deadline_says_it_will_be_extemporanea(como_contratista, contratista, settings):
    settings.ICSOE_HOY = "2027-01-19"
    html = como_contratista.get(url(contratista)).content.decode()
    assert "Venció el 18 de enero de 2027" in html
    assert "quedará marcada como extemporánea" in html


def test_the_period_page_leads_to_the_informativa_when_there_is_one(como_contratista, contratista):
    informativa = Informativa.objects.create(contratista=contratista, anio=2026, cuatrimestre=3, tipo="NORMAL")
    respuesta = como_contratista.get(url(contratista))
    assert respuesta.status_code == 302
    assert respuesta["Location"] == reverse("informativas:detalle", args=[informativa.code])


def test_the_period_page_leads_to_the_filing_in_force_after_a_correccion(como_contratista, contratista):
    Informativa.objects.create(contratista=contratista, anio=2026, cuatrimestre=3, tipo="NORMAL", estatus="SUSTITUIDA")
    vigente = Informativa.objects.create(
        contratista=contratista, anio=2026, cuatrimestre=3, tipo="CORRECCION", estatus="PRESENTADA"
    )
    respuesta = como_contratista.get(url(contratista))
    assert respuesta["Location"] == reverse("informativas:detalle", args=[vigente.code])


def test_a_period_left_without_effect_offers_to_present_it_again_and_says_why(como_contratista, contratista):
    """Normal → Corrección → Sin efectos (issue 22): no filing in force; the page names the Sin efectos."""
    Informativa.objects.create(contratista=contratista, anio=2026, cuatrimestre=3, tipo="NORMAL", estatus="SUSTITUIDA")
    Informativa.objects.create(contratista=contratista, anio=2026, cuatrimestre=3, tipo="CORRECCION", estatus="SIN_EFECTOS")
    Informativa.objects.create(
        contratista=contratista, anio=2026, cuatrimestre=3, tipo="SIN_EFECTOS", estatus="PRESENTADA",
        folio_definitivo="SE260000003",
    )
    respuesta = como_contratista.get(url(contratista))
    assert respuesta.status_code == 200
    html = respuesta.content.decode()
    assert "La informativa con folio SE260000003 dejó sin efectos la de este periodo" in html
    assert "el periodo no tiene una informativa vigente" in html
    assert "Aún no has presentado" not in html
    assert ">Presentar Sin información</button>" in html


def test_presentar_sin_informacion_creates_it_pending_signature_and_opens_firmar(como_contratista, contratista):
    respuesta = como_contratista.post(url(contratista, accion="sin"))
    informativa = Informativa.objects.get(contratista=contratista)
    assert (informativa.tipo, informativa.estatus) == ("SIN_INFORMACION", "PENDIENTE_FIRMA")
    assert (informativa.anio, informativa.cuatrimestre, informativa.extemporanea) == (2026, 3, False)
    assert respuesta.status_code == 302
    assert respuesta["Location"] == reverse("informativas:firmar", args=[informativa.code])
    assert Bitacora.objects.filter(accion="informativas.informativa.creada", objeto_id=str(informativa.pk)).exists()


def test_presentar_sin_informacion_twice_creates_one_and_says_why(como_contratista, contratista):
    como_contratista.post(url(contratista, accion="sin"))
    respuesta = como_contratista.post(url(contratista, accion="sin"), follow=True)
    assert Informativa.objects.filter(contratista=contratista).count() == 1
    mensajes = [str(m) for m in respuesta.context["messages"]]
    assert any("Ya existe" in m for m in mensajes), mensajes


def test_the_period_page_is_not_a_get_that_creates(como_contratista, contratista):
    assert como_contratista.get(url(contratista, accion="sin")).status_code == 405
    assert not Informativa.objects.exists()


def test_another_contratistas_period_answers_404(como_contratista, contratista, otro_contratista):
    assert como_contratista.get(url(otro_contratista)).status_code == 404
    assert como_contratista.post(url(otro_contratista, accion="sin")).status_code == 404
    assert not Informativa.objects.exists()


@pytest.mark.parametrize(("anio", "cuatrimestre"), [(2027, 1), (2026, 4), (2019, 1), (99999, 1)])
def test_a_period_not_ended_or_that_does_not_exist_answers_404(como_contratista, contratista, anio, cuatrimestre):
    assert como_contratista.get(url(contratista, anio, cuatrimestre)).status_code == 404


def test_anonymous_is_sent_to_log_in(client, contratista):
    respuesta = client.get(url(contratista))
    assert respuesta.status_code == 302
    assert respuesta["Location"].startswith("/acceso/?next=")


def test_a_capturista_of_the_contratista_may_present_it_sin_informacion_for_signing(
    como_capturista, contratista
):
    assert como_capturista.get(url(contratista)).status_code == 200
    respuesta = como_capturista.post(url(contratista, accion="sin"), follow=True)
    informativa = Informativa.objects.get(contratista=contratista)
    assert informativa.estatus == "PENDIENTE_FIRMA"
    assert respuesta.redirect_chain[-1][0] == reverse("informativas:detalle", args=[informativa.code])
    mensajes = [str(m) for m in respuesta.context["messages"]]
    assert "El contratista debe firmarla con su e.firma para presentarla." in mensajes


def test_a_capturista_reads_of_the_contratista_presenting_and_signing_not_of_itself(como_capturista, contratista):
    html = como_capturista.get(url(contratista)).content.decode()
    assert "El contratista aún no ha presentado la informativa de este periodo." in html
    assert "con la e.firma del contratista" in html
    for frase in ("Aún no has presentado", "con tu e.firma", "celebraste", "Declaro bajo protesta"):
        assert frase not in html, frase
    assert "Al firmarla, el contratista declara bajo protesta de decir verdad" in html


def test_the_contratista_reads_of_its_own_informativa_and_e_firma(como_contratista, contratista):
    html = como_contratista.get(url(contratista)).content.decode()
    assert "Aún no has presentado la informativa de este periodo." in html
    assert "se abre la firma con tu e.firma" in html


def test_a_capturista_cannot_open_a_period_of_a_contratista_it_does_not_serve(
    como_capturista, otro_contratista
):
    assert como_capturista.get(url(otro_contratista)).status_code == 404


def test_a_capturista_working_for_another_contratista_it_serves_is_asked_to_select_this_one(
    como_capturista, capturista, otro_contratista
):
    from capturistas.models import Relacion

    Relacion.objects.create(
        contratista=otro_contratista, capturista=capturista, estatus=Relacion.Estatus.ACTIVA,
        telefono="5512345678", correo=capturista.email,
    )
    respuesta = como_capturista.get(url(otro_contratista), follow=True)
    confirmar = reverse("capturistas:seleccionar_confirmar", args=[otro_contratista.code])
    assert respuesta.redirect_chain[0][0] == f"{confirmar}?next={quote(url(otro_contratista), safe='')}"
    mensajes = [str(m) for m in respuesta.context["messages"]]
    assert "El recordatorio es de JUAN PÉREZ JIMÉNEZ. Selecciónalo para continuar." in mensajes
    assert f'<input type="hidden" name="next" value="{url(otro_contratista)}">' in respuesta.content.decode()
    assert como_capturista.post(url(otro_contratista, accion="sin")).status_code == 404  # nothing created
    assert not Informativa.objects.exists()

    # «Continuar» returns to the reminder's period, now for the contratista just selected
    continuar = como_capturista.post(confirmar, {"next": url(otro_contratista)}, follow=True)
    assert continuar.redirect_chain == [(url(otro_contratista), 302)]
    assert "Informativa de Septiembre - Diciembre 2026" in continuar.content.decode()
    assert como_capturista.session[SESSION_KEY] == str(otro_contratista.code)


def test_the_bandeja_links_each_pending_period_to_its_page(como_contratista, contratista):
    html = como_contratista.get(reverse("informativas:bandeja")).content.decode()
    assert f'href="{url(contratista)}"' in html


# ----------------------------------------------------------------------------------------------------------
# The switch in the datos generales
# ----------------------------------------------------------------------------------------------------------
def test_the_datos_generales_show_the_reminders_switch_on_and_capturistas_off(como_contratista):
    html = como_contratista.get(reverse("contratistas:datos")).content.decode()
    assert 'id="recordatorios"' in html
    activos = re.search(r'<input type="checkbox" name="activos"[^>]*>', html).group(0)
    capturistas = re.search(r'<input type="checkbox" name="capturistas"[^>]*>', html).group(0)
    assert " checked" in activos
    assert " checked" not in capturistas


def test_the_contratista_turns_reminders_off_and_on_and_chooses_its_capturistas(como_contratista, contratista):
    respuesta = como_contratista.post(reverse("contratistas:recordatorios"), {})
    assert respuesta.status_code == 302
    assert respuesta["Location"] == "/contratista/#recordatorios"
    contratista.refresh_from_db()
    assert (contratista.recordatorios_activos, contratista.recordatorios_capturistas) == (False, False)

    como_contratista.post(reverse("contratistas:recordatorios"), {"activos": "on", "capturistas": "on"})
    contratista.refresh_from_db()
    assert (contratista.recordatorios_activos, contratista.recordatorios_capturistas) == (True, True)
    entrada = Bitacora.objects.filter(accion="contratistas.contratista.recordatorios").latest("creado")
    assert entrada.datos == {
        "antes": {"activos": False, "capturistas": False},
        "despues": {"activos": True, "capturistas": True},
    }


def test_saving_the_reminders_does_not_touch_the_datos_generales(como_contratista, contratista):
    type(contratista).objects.filter(pk=contratista.pk).update(correo="a@example.com", celular="5512345678")
    como_contratista.post(reverse("contratistas:recordatorios"), {"activos": "on"})
    contratista.refresh_from_db()
    assert (contratista.correo, contratista.celular) == ("a@example.com", "5512345678")


def test_a_capturista_cannot_change_the_reminders(como_capturista, contratista):
    assert como_capturista.post(reverse("contratistas:recordatorios"), {}).status_code == 403
    contratista.refresh_from_db()
    assert contratista.recordatorios_activos is True


def test_anonymous_cannot_change_the_reminders(client, contratista):
    respuesta = client.post(reverse("contratistas:recordatorios"), {})
    assert respuesta["Location"].startswith("/acceso/?next=")


def test_the_bandeja_of_a_capturista_speaks_of_the_contratistas_periods(como_capturista, settings):
    settings.ICSOE_HOY = "2027-01-19"
    html = como_capturista.get(reverse("informativas:bandeja")).content.decode()
    assert "El contratista no ha presentado la informativa de estos periodos" in html
    assert "aún puede presentarla como extemporánea" in html
    assert "No has presentado" not in html


def test_the_bandeja_of_the_contratista_speaks_to_it(como_contratista, settings):
    settings.ICSOE_HOY = "2027-01-19"
    html = como_contratista.get(reverse("informativas:bandeja")).content.decode()
    assert "No has presentado la informativa de estos periodos" in html

