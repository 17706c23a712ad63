"""Proof of possession, now that the key stays in the browser (docs/firma-en-navegador.md): "Validar" issues a
reto, the page signs it, the submit consumes it. A reto is single-use, tied to the session, the certificate
and its purpose, valid 10 minutes; two tabs hold two. No request carrying files is read."""

from __future__ import annotations

import base64
import datetime

import pytest
from django.contrib.auth import authenticate
from django.test import Client
from django.utils import timezone

from contratistas.backends import EfirmaBackend
from contratistas.models import Contratista
from firma import retos, sat
from firma.models import RetoEfirma
from tests.efirma_sat import FIEL_EKU
from tests.firma_navegador import (
    URL_ACCESO,
    URL_ACCESO_VALIDAR,
    enviar,
    firmar_texto,
    ingresar,
    llave_descifrar,
    validar,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("sin_bloqueos")]

MENSAJE_VENCIDO = (
    'La validación de tu e.firma venció o ya se usó. Da clic en "Validar" de nuevo y vuelve a intentarlo.'
)


def _llave(efirma=FIEL_EKU):
    return llave_descifrar(cer=efirma.cer, key=efirma.key, password=efirma.password)


def _reto(client, efirma=FIEL_EKU) -> dict:
    respuesta = validar(client, URL_ACCESO_VALIDAR, cer=efirma.cer, rfc=efirma.rfc)
    assert "reto" in respuesta, respuesta
    return respuesta


def _enviar(client, reto: dict, *, efirma=FIEL_EKU, llave=None):
    firma = firmar_texto(llave or _llave(efirma), reto["mensaje"])
    return enviar(client, URL_ACCESO, cer=efirma.cer, rfc=efirma.rfc, reto=reto["reto"], firma=firma)


def _error(respuesta) -> str:
    return respuesta.content.decode()


def test_a_signed_challenge_logs_in_once_and_a_replay_is_refused(client):
    reto = _reto(client)
    firma = firmar_texto(_llave(), reto["mensaje"])

    primera = enviar(client, URL_ACCESO, cer=FIEL_EKU.cer, rfc=FIEL_EKU.rfc, reto=reto["reto"], firma=firma)
    assert primera.status_code == 302
    assert not RetoEfirma.objects.exists()  # consumed
    client.logout()

    repetida = enviar(client, URL_ACCESO, cer=FIEL_EKU.cer, rfc=FIEL_EKU.rfc, reto=reto["reto"], firma=firma)

    assert repetida.status_code == 200
    assert MENSAJE_VENCIDO.replace('"', "&quot;") in _error(repetida)
    assert client.get("/inicio/").status_code == 302


def test_a_captured_request_is_useless_in_another_browser(client):
    reto = _reto(client)
    otro = Client()

    respuesta = _enviar(otro, reto)

    assert respuesta.status_code == 200
    assert "venció o ya se usó" in _error(respuesta)
    assert not Contratista.objects.exists()
    assert _enviar(client, reto).status_code == 302  # the refusal did not spend it for its own session


def test_a_reto_issued_to_another_certificate_is_refused(client, demo_efirma):
    otra = demo_efirma("EKU9003173C9", "ESCUELA KEMPER URGATE SA DE CV")  # same RFC, another certificate
    reto = _reto(client)

    respuesta = _enviar(client, reto, efirma=otra)

    assert "venció o ya se usó" in _error(respuesta)
    assert not Contratista.objects.exists()


def test_a_signature_by_another_key_or_altered_is_refused_and_spends_the_reto(client, demo_efirma):
    otra = demo_efirma("ESI920427886", "EMPRESA DE SERVICIOS INTEGRALES SA DE CV")
    reto = _reto(client)

    respuesta = _enviar(client, reto, llave=_llave(otra))

    assert "La firma electrónica no es válida. Verifica tus archivos de e.firma." in _error(respuesta)
    assert "venció o ya se usó" in _error(_enviar(client, reto))  # spent by the failed attempt
    segundo = _reto(client)
    firma = bytearray(base64.b64decode(firmar_texto(_llave(), segundo["mensaje"])))
    firma[10] ^= 1
    alterada = enviar(
        client,
        URL_ACCESO,
        cer=FIEL_EKU.cer,
        rfc=FIEL_EKU.rfc,
        reto=segundo["reto"],
        firma=base64.b64encode(firma).decode(),
    )
    assert "La firma electrónica no es válida" in _error(alterada)
    assert not Contratista.objects.exists()


def test_two_tabs_get_two_retos_each_usable_once(client):
    primera, segunda = _reto(client), _reto(client)
    assert primera["reto"] != segunda["reto"] and primera["mensaje"] != segunda["mensaje"]

    assert _enviar(client, segunda).status_code == 302
    client.post("/acceso/terminos/", {"acepto": "on"})  # else every page of this session asks for them first
    assert RetoEfirma.objects.count() == 1

    otra_pestana = _enviar(client, primera)  # the same session: login kept its token

    assert otra_pestana.status_code == 302 and otra_pestana.url == "/acceso/efirma/bienvenida/"
    assert not RetoEfirma.objects.exists()
    assert "venció o ya se usó" in _error(_enviar(client, primera))


def test_a_reto_expires_after_ten_minutes():
    sesion: dict = {}
    certificado = sat.cargar_certificado(FIEL_EKU.cer.read_bytes())
    emitido = timezone.now()
    reto = retos.reto_emitir(
        sesion=sesion,
        certificado=certificado,
        proposito=retos.ACCESO,
        mensaje="ICSOE|acceso|00",
        ahora=emitido,
    )
    firma = base64.b64decode(firmar_texto(_llave(), reto.mensaje))
    assert reto.expira == emitido + datetime.timedelta(minutes=10)

    with pytest.raises(sat.EfirmaError) as error:
        retos.reto_consumir(
            sesion=sesion,
            reto_id=str(reto.id),
            certificado=certificado,
            proposito=retos.ACCESO,
            firma=firma,
            ahora=emitido + datetime.timedelta(minutes=10, seconds=1),
        )

    assert error.value.mensaje == MENSAJE_VENCIDO
    assert not RetoEfirma.objects.exists()


def test_the_reto_stores_no_session_token_and_a_cadena_never_logs_in(client):
    sesion: dict = {}
    certificado = sat.cargar_certificado(FIEL_EKU.cer.read_bytes())
    reto = retos.reto_emitir(
        sesion=sesion, certificado=certificado, proposito=retos.FIRMA, mensaje="||1|N26||"
    )
    assert sesion[retos.SESION_TOKEN] not in str(RetoEfirma.objects.values_list().get())

    verificada = retos.reto_consumir(
        sesion=sesion,
        reto_id=str(reto.id),
        certificado=certificado,
        proposito=retos.FIRMA,
        firma=base64.b64decode(firmar_texto(_llave(), reto.mensaje)),
    )

    assert verificada.proposito == retos.FIRMA
    assert EfirmaBackend().authenticate(None, efirma=verificada) is None
    assert authenticate(None, efirma=verificada) is None
    assert not Contratista.objects.exists()


def test_a_firma_reto_cannot_be_used_to_log_in(client):
    client.get("/acceso/efirma/")
    sesion = client.session
    certificado = sat.cargar_certificado(FIEL_EKU.cer.read_bytes())
    reto = retos.reto_emitir(
        sesion=sesion, certificado=certificado, proposito=retos.FIRMA, mensaje="||1|N26||"
    )
    sesion.save()

    respuesta = _enviar(client, {"reto": str(reto.id), "mensaje": reto.mensaje})

    assert "venció o ya se usó" in _error(respuesta)
    assert not Contratista.objects.exists()


@pytest.mark.parametrize("url", [URL_ACCESO, URL_ACCESO_VALIDAR])
def test_no_request_carrying_the_key_is_read(client, url):
    """Before: the login received the .key and its password. Now a multipart request is refused before its
    body is parsed, even with an otherwise valid reto and signature."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    reto = _reto(client)
    datos = {
        "rfc": FIEL_EKU.rfc,
        "certificado": base64.b64encode(FIEL_EKU.cer.read_bytes()).decode(),
        "reto": reto["reto"],
        "firma": firmar_texto(_llave(), reto["mensaje"]),
        "llave": SimpleUploadedFile("e.key", FIEL_EKU.key.read_bytes()),
        "contrasena": FIEL_EKU.password,
    }

    respuesta = client.post(url, datos)

    assert respuesta.status_code == 400
    assert "El portal no recibe archivos de e.firma" in respuesta.content.decode()
    assert not Contratista.objects.exists()
    assert client.get("/inicio/").status_code == 302


def test_the_login_still_works_through_the_helper_and_rotates_the_session(client):
    client.get("/acceso/efirma/")
    antes = client.session.session_key

    assert ingresar(client, FIEL_EKU).status_code == 302
    assert client.session.session_key != antes


# ---------------------------------------------------------------------------------------------------------
# Issue 24, finding 8: every anonymous Validar stored a reto, without limit (200 Validar, 300 rows)
# ---------------------------------------------------------------------------------------------------------
def test_two_hundred_anonymous_validar_from_one_address_keep_a_few_retos_and_the_newest_logs_in():
    navegadores = [Client() for _ in range(200)]  # a new browser each time: no session to count them by
    respuestas = [_reto(navegador) for navegador in navegadores]

    assert RetoEfirma.objects.count() <= 30
    assert _enviar(navegadores[-1], respuestas[-1]).status_code == 302  # the newest one still works
    assert "venció o ya se usó" in _error(_enviar(navegadores[0], respuestas[0]))  # the oldest was replaced


def test_one_session_keeps_a_few_live_retos_the_newest_ones(client):
    emitidos = [_reto(client) for _ in range(20)]

    assert RetoEfirma.objects.count() <= 5
    assert "venció o ya se usó" in _error(_enviar(client, emitidos[0]))
    assert _enviar(client, emitidos[-1]).status_code == 302


def test_a_flood_from_another_address_does_not_replace_the_victims_reto():
    victima = Client(REMOTE_ADDR="127.0.0.2")
    reto = _reto(victima)

    for _ in range(100):
        assert "reto" in validar(Client(REMOTE_ADDR="127.0.0.3"), URL_ACCESO_VALIDAR, cer=FIEL_EKU.cer, rfc=FIEL_EKU.rfc)

    assert RetoEfirma.objects.count() <= 31
    assert _enviar(victima, reto).status_code == 302


def test_expired_retos_are_purged_by_the_periodic_task_and_live_ones_stay(settings):
    from firma.tasks import retos_depurar

    certificado = sat.cargar_certificado(FIEL_EKU.cer.read_bytes())
    hace_una_hora = timezone.now() - datetime.timedelta(hours=1)
    vivo = retos.reto_emitir(sesion={}, certificado=certificado, proposito=retos.ACCESO, mensaje="ICSOE|acceso|01")
    for _ in range(3):  # issued an hour ago: expired since (an issue sweeps only what expired before it)
        retos.reto_emitir(
            sesion={}, certificado=certificado, proposito=retos.ACCESO, mensaje="ICSOE|acceso|00", ahora=hace_una_hora
        )

    assert retos_depurar() == 3

    assert list(RetoEfirma.objects.values_list("pk", flat=True)) == [vivo.pk]
    assert settings.CELERY_BEAT_SCHEDULE["depurar-retos-efirma"]["task"] == "firma.tasks.retos_depurar"
