"""The e.firma throttle seen through the login, behind a trusted proxy, from many addresses (issue 13, finding
3): a flood from one address is slowed, an office behind one address is not, a victim RFC attacked from many
addresses still logs in."""

from __future__ import annotations

import pytest
from django.http import HttpResponse

from contratistas.freno_efirma import EFIRMA_POR_DIRECCION
from contratistas.models import Contratista
from core import throttle
from tests.efirma_sat import FIEL_EKU
from tests.firma_navegador import URL_ACCESO, enviar, ingresar

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("sin_bloqueos")]

PROXY = "10.0.0.1"


@pytest.fixture(autouse=True)
def _detras_de_un_proxy(settings, monkeypatch):
    """Behind one trusted proxy, with the throttle's clock stopped (a slow machine must not let waits pass)."""
    settings.ICSOE_TRUSTED_PROXIES = 1
    monkeypatch.setattr(throttle, "reloj", lambda: 1_750_000_000.0)


def _desde(ip: str) -> dict[str, str]:
    return {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": ip}


def _basura(client, *, rfc: str, ip: str, cer: bytes = b"no es un certificado"):
    """A junk attempt: a certificate (anyone's, or garbage) with a signature that was never made by its key.
    A wrong password never reaches the server any more (docs/firma-en-navegador.md)."""
    respuesta = enviar(client, URL_ACCESO, cer=cer, rfc=rfc, reto="x", firma="AAAA", **_desde(ip))
    assert respuesta.status_code == 200
    return respuesta.content.decode()


def _ingresar(client, *, ip: str):
    """The page's Validar and Ingresar (tests/firma_navegador.py); a refusal at Validar comes back as the
    page would show it."""
    try:
        return ingresar(client, FIEL_EKU, **_desde(ip))
    except AssertionError as refusal:
        return HttpResponse(str(refusal))


def test_a_flood_from_one_address_is_slowed_and_says_what_to_do_other_addresses_are_not(client):
    atacante = "203.0.113.5"
    for n in range(EFIRMA_POR_DIRECCION.presupuesto):
        html = _basura(client, rfc=f"PEJJ8001{n % 100:02d}AB6", ip=atacante)
        assert "espera" not in html  # within the budget: answered, not slowed

    _basura(client, rfc="ESI920427886", ip=atacante)
    refusal = _ingresar(client, ip=atacante).content.decode()

    assert "hay muchos intentos fallidos de e.firma desde tu red" in refusal
    assert "espera 2 segundos y vuelve a intentarlo; tu e.firma no está bloqueada." in refusal
    assert not Contratista.objects.exists()
    assert _ingresar(client, ip="203.0.113.6").status_code == 302  # the address next door logs in


def test_an_office_of_30_behind_one_address_each_failing_3_times_still_logs_in_at_once(client):
    oficina = "198.51.100.20"
    for persona in range(30):
        for _ in range(3):
            _basura(client, rfc=f"PEJJ8001{persona:02d}AB6", ip=oficina)

    respuesta = _ingresar(client, ip=oficina)

    assert respuesta.status_code == 302
    assert Contratista.objects.filter(rfc=FIEL_EKU.rfc).exists()


def test_a_victim_rfc_attacked_from_many_addresses_with_its_own_certificate_still_logs_in(client):
    certificado_publico = FIEL_EKU.cer.read_bytes()
    for n in range(60):
        _basura(client, rfc=FIEL_EKU.rfc, ip=f"192.0.2.{n + 1}", cer=certificado_publico)

    assert _ingresar(client, ip="198.51.100.77").status_code == 302
    client.logout()
    assert _ingresar(client, ip="192.0.2.1").status_code == 302  # even from an attacker's address
