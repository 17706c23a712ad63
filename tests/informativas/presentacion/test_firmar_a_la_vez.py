"""Several Firmar submissions of one informativa at the same moment (issue 22): one presents it, every other
one gets a Spanish refusal, never a 500 — on PostgreSQL (row locks) and on the SQLite of `make run`, whose
transactions take the write lock when they begin (``transaction_mode: IMMEDIATE``) and wait for it (``timeout``)
instead of failing with «database is locked». On SQLite the test database is a file (icsoe/settings_test.py),
so each thread has its own connection and SQLite's real locks."""

from __future__ import annotations

import threading

import pytest
from django.core.cache import cache
from django.db import connections
from django.test import Client
from django.urls import reverse

from informativas.comun import MENSAJE_NO_EDITABLE
from informativas.models import Acuse, Informativa
from informativas.presentacion.services import MENSAJE_NO_PENDIENTE_FIRMA
from tests.firma_navegador import enviar, firmar_texto, llave_descifrar, validar

pytestmark = pytest.mark.django_db(transaction=True)

A_LA_VEZ = 4
RECHAZOS = (MENSAJE_NO_EDITABLE[Informativa.Estatus.PRESENTADA], MENSAJE_NO_PENDIENTE_FIRMA)


def _listo_para_firmar(cliente: Client, informativa, efirma) -> dict:
    """A browser of the contratista that pressed Validar: the signed reto it will post with Firmar."""
    url = reverse("informativas:firmar_validar", args=[informativa.code])
    reto = validar(cliente, url, cer=efirma.cer, rfc=efirma.rfc)
    llave = llave_descifrar(cer=efirma.cer, key=efirma.key, password=efirma.password)
    return {"reto": reto["reto"], "firma": firmar_texto(llave, reto["mensaje"])}


def test_simultaneous_firmar_presents_once_and_refuses_the_rest_in_spanish(pendiente, fiel, contratista):
    cache.clear()
    navegadores = []
    for _ in range(A_LA_VEZ):  # the contratista's browsers (or tabs), each past Validar
        cliente = Client(raise_request_exception=False)
        cliente.force_login(contratista.usuario)
        navegadores.append((cliente, _listo_para_firmar(cliente, pendiente, fiel)))
    url = reverse("informativas:firmar", args=[pendiente.code])
    barrera = threading.Barrier(A_LA_VEZ)
    respuestas: list = []

    def firmar(cliente: Client, datos: dict) -> None:
        try:
            barrera.wait()
            respuestas.append(enviar(cliente, url, cer=fiel.cer, rfc=fiel.rfc, **datos))
        finally:
            connections.close_all()

    hilos = [threading.Thread(target=firmar, args=navegador) for navegador in navegadores]
    for hilo in hilos:
        hilo.start()
    for hilo in hilos:
        hilo.join()

    estados = sorted(r.status_code for r in respuestas)
    assert 500 not in estados, estados
    exitosa = reverse("informativas:firma_exitosa", args=[pendiente.code])
    presentadas = [r for r in respuestas if r.status_code == 302 and r["Location"] == exitosa]
    assert len(presentadas) == 1, estados
    for respuesta in respuestas:
        if respuesta in presentadas:
            continue
        if respuesta.status_code == 302:  # it arrived once the first was presented: the page says why
            texto = respuesta.client.get(respuesta["Location"]).content.decode()
        else:
            texto = respuesta.content.decode()
        assert any(rechazo in texto for rechazo in RECHAZOS), texto[-3000:]
    pendiente.refresh_from_db()
    assert pendiente.estatus == Informativa.Estatus.PRESENTADA
    assert Acuse.objects.filter(informativa=pendiente).count() == 1


def test_simultaneous_first_validar_take_one_folio(pendiente, fiel, contratista):
    """Issue 24, finding 8: the first Validars of an informativa, at the same moment, reserve one folio of the
    series between them (the informativa's row lock), and every one signs it."""
    from informativas.models import FolioContador

    cache.clear()
    clientes = []
    for _ in range(A_LA_VEZ):
        cliente = Client(raise_request_exception=False)
        cliente.force_login(contratista.usuario)
        clientes.append(cliente)
    url = reverse("informativas:firmar_validar", args=[pendiente.code])
    barrera = threading.Barrier(A_LA_VEZ)
    respuestas: list = []

    def validar_a_la_vez(cliente: Client) -> None:
        try:
            barrera.wait()
            respuestas.append(validar(cliente, url, cer=fiel.cer, rfc=fiel.rfc))
        finally:
            connections.close_all()

    hilos = [threading.Thread(target=validar_a_la_vez, args=(cliente,)) for cliente in clientes]
    for hilo in hilos:
        hilo.start()
    for hilo in hilos:
        hilo.join()

    assert len(respuestas) == A_LA_VEZ and all("reto" in r for r in respuestas), respuestas
    assert {r["mensaje"].strip("|").split("|")[1] for r in respuestas} == {"N260000001"}
    assert FolioContador.objects.get(serie="N26").ultimo == 1
