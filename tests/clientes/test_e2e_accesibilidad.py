"""WCAG 2.1 A and AA (axe-core) on the contratante's pages and the contratista's authorisation pages, with a
presented filing, an authorisation and an access to show (the portal-wide sweep visits the matrix's world,
where nothing is presented), at 1280 px and 390 px."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import Browser

from clientes import services
from tests.core.axe import axe_violaciones, describir

from .conftest import RFC_CLIENTE

pytestmark = [pytest.mark.e2e, pytest.mark.solo_make_run, pytest.mark.django_db(transaction=True)]


def _contexto(browser: Browser, live_server, client: Client, **viewport):
    contexto = browser.new_context(bypass_csp=True, locale="es-MX", viewport=viewport or {"width": 1280, "height": 900})
    contexto.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": client.cookies[settings.SESSION_COOKIE_NAME].value, "url": live_server.url}]
    )
    return contexto


def test_the_contratantes_and_the_authorisation_pages_pass_axe(browser: Browser, live_server, presentada, contratista):
    autorizacion = services.autorizacion_otorgar(contratista=contratista, rfc=RFC_CLIENTE, usuario=contratista.usuario)
    contratante = services.contratante_usuario(rfc=RFC_CLIENTE, nombre="CLIENTE INDUSTRIAL SA DE CV")
    del_contratante, del_contratista = Client(), Client()
    del_contratante.force_login(contratante)
    del_contratista.force_login(contratista.usuario)
    del_contratante.get("/contratante/")  # an access for the bitácora to list
    paginas = {
        del_contratante: ["/contratante/", f"/contratante/informativas/{presentada.code}/", "/contratista/"],
        del_contratista: ["/autorizaciones/", "/autorizaciones/accesos/", f"/autorizaciones/{autorizacion.code}/revocar/"],
    }
    fallas = []
    for ancho in (1280, 390):
        for client, urls in paginas.items():
            contexto = _contexto(browser, live_server, client, width=ancho, height=900)
            page = contexto.new_page()
            for url in urls:
                page.goto(live_server.url + url)
                if violaciones := axe_violaciones(page):
                    fallas.append(f"{url} a {ancho} px:\n{describir(violaciones)}")
            contexto.close()
    contexto = browser.new_context(bypass_csp=True, locale="es-MX")
    page = contexto.new_page()
    page.goto(live_server.url + "/contratante/entrar/")
    if violaciones := axe_violaciones(page):
        fallas.append(f"/contratante/entrar/:\n{describir(violaciones)}")
    contexto.close()

    assert not fallas, "\n\n".join(fallas)
