"""WCAG 2.1 A and AA (axe-core) on every page of the portal, for every role, once per page.

The pages come from the URL resolver through the access matrix (tests/security/test_acceso_matriz.py): every
GET pattern that answers a role with an HTML page is visited by that role in Chromium; the Django admin is out.
On top of those: every tab of the informativa wizard, for a persona moral and a persona física, and the pages
with their errors shown (each form sent with what a hurried user sends). One test walks them all, so axe runs
once per page, and prints how many pages it checked and how many violations it found (zero, or it fails).
The same walk checks the layout rules every page must keep: at 1280 px no table is wider than its box, and at
390 px the menu is folded and every action of a table can be reached without scrolling sideways.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

import pytest
from django.conf import settings as django_settings
from django.test import Client
from playwright.sync_api import Page, expect

from capturistas.access import SESSION_KEY
from tests.core.axe import axe_violaciones, describir
from tests.informativas.conftest import (  # noqa: F401  (fixtures)
    contratista,
    contrato,
    datos_contratante,
    hoy_fijo,
    informativa,
    otro_contratista,
    padron_sat,
    sepomex,
)
from tests.security.test_acceso_matriz import PATRONES, ROLES, _fila, _url, mundo  # noqa: F401

pytestmark = [pytest.mark.e2e, pytest.mark.solo_make_run, pytest.mark.django_db(transaction=True)]

ANCHO, ANGOSTO = 1280, 390


@dataclass
class Barrido:
    """The walk's tally: pages checked, and what failed where."""

    paginas: int = 0
    violaciones: int = 0
    fallas: list[str] = field(default_factory=list)
    vistas: set[tuple[str, str]] = field(default_factory=set)

    def revisar(self, page: Page, rol: str, etiqueta: str) -> None:
        encontradas = axe_violaciones(page)
        self.paginas += 1
        self.violaciones += sum(len(v["nodos"]) for v in encontradas)
        if encontradas:
            self.fallas.append(f"{rol} · {etiqueta} ({page.url}):\n{describir(encontradas)}")
        self.fallas.extend(f"{rol} · {etiqueta}: {falla}" for falla in _revisar_diseno(page))


def _revisar_diseno(page: Page) -> list[str]:
    """Tables fit at 1280 px; at 390 px the menu is folded and every table action is within the screen."""
    fallas = []
    anchas = page.evaluate(
        """() => [...document.querySelectorAll('.tabla-envoltura')]
              .filter(e => e.scrollWidth > e.clientWidth + 1)
              .map(e => `${e.querySelector('table')?.id || e.querySelector('table')?.getAttribute('aria-label') || 'tabla'}`
                         + ` mide ${e.scrollWidth} px en una caja de ${e.clientWidth} px`)"""
    )
    fallas += [f"a {ANCHO} px la tabla {a}" for a in anchas]
    page.set_viewport_size({"width": ANGOSTO, "height": 844})
    try:
        fuera = page.evaluate(
            """(ancho) => [...document.querySelectorAll('table a, table button')]
                  .filter(e => e.offsetParent !== null)
                  .filter(e => { const r = e.getBoundingClientRect(); return r.left < 0 || r.right > ancho + 0.5; })
                  .map(e => (e.textContent || '').trim())""",
            ANGOSTO,
        )
        fallas += [f"a {ANGOSTO} px la acción «{f}» queda fuera de la pantalla" for f in fuera]
        if page.locator("nav.menu").count():
            try:  # portal.js folds it on the media query's change event, which may come a moment later
                expect(page.locator("nav.menu a").first).to_be_hidden(timeout=3000)
            except AssertionError:
                fallas.append(f"a {ANGOSTO} px el menú no está plegado")
            if not page.locator("summary", has_text="Menú").is_visible():
                fallas.append(f"a {ANGOSTO} px no se ve el botón «Menú»")
    finally:
        page.set_viewport_size({"width": ANCHO, "height": 900})
    return fallas


# ----------------------------------------------------------------------------------------------------------
# The cast's objects: the matrix's world (persona moral, its capturista) and a persona física's own informativa
# ----------------------------------------------------------------------------------------------------------
def _mundo_fisica(otro_contratista, padron_sat) -> dict:
    from informativas.captura import services
    from tests.informativas.datos import curp, nss

    usuario = otro_contratista.usuario
    inf = services.informativa_crear(contratista=otro_contratista, anio=2026, cuatrimestre=1, tipo="NORMAL", usuario=usuario)
    inf = services.informativa_contratista_guardar(informativa=inf, igual_fiscal=True, domicilio=None, usuario=usuario)
    con = services.contrato_crear(informativa=inf, contratante=datos_contratante(padron_sat.rfc), usuario=usuario)
    con = services.contrato_actualizar(
        contrato=con, objeto="Mantenimiento de jardines", registro_repse="AR54321/2022",
        servicio="Jardinería especializada", fecha_inicio=datetime.date(2026, 1, 15), fecha_termino=None,
        usuario=usuario,
    )
    services.trabajador_agregar(contrato=con, nss=nss(700), curp=curp(700), sbc=Decimal("350.00"), usuario=usuario)
    return {"informativa": inf, "contrato": con}


def _cliente(rol: str, mundo: dict) -> Client:
    cliente = Client()
    if rol != "anonimo":
        cliente.force_login(mundo["usuarios"][rol])
    if rol == "capturista":
        sesion = cliente.session
        sesion[SESSION_KEY] = str(mundo["contratista"].code)
        sesion.save()
    return cliente


def _paginas_html(rol: str, mundo: dict) -> list[str]:
    """Every GET URL of the portal that answers this role with an HTML page (status 200, or one page per error
    status: the 403, 404 and 410 pages are checked once each)."""
    urls, errores = [], set()
    cliente = _cliente(rol, mundo)
    for nombre, ruta, parametros in PATRONES:
        fila = _fila(nombre)
        if nombre.startswith("admin:") or fila is None or fila[0] != "GET":
            continue
        url = _url(nombre, ruta, parametros, mundo)
        respuesta = cliente.get(url)
        if not respuesta.get("Content-Type", "").startswith("text/html") or b"<html" not in respuesta.content[:300]:
            continue  # downloads, and the htmx fragments (checked inside the pages that show them)
        if respuesta.status_code == 200 or (respuesta.status_code >= 400 and respuesta.status_code not in errores):
            errores.add(respuesta.status_code)
            urls.append(url)
    return urls


def _entrar(browser, live_server, rol: str, mundo: dict):
    contexto = browser.new_context(
        bypass_csp=True, locale="es-MX", timezone_id="America/Mexico_City", viewport={"width": ANCHO, "height": 900}
    )
    if rol != "anonimo":
        cookie = _cliente(rol, mundo).cookies[django_settings.SESSION_COOKIE_NAME]
        contexto.add_cookies(
            [{"name": django_settings.SESSION_COOKIE_NAME, "value": cookie.value, "url": live_server.url}]
        )
    page = contexto.new_page()
    page.set_default_timeout(15_000)
    return contexto, page


def _pasos(informativa, contrato) -> list[tuple[str, str]]:
    from django.urls import reverse

    pasos = [(p, reverse("informativas:paso", args=[informativa.code, p])) for p in ("periodo", "contratista", "contratante", "resumen")]
    pasos += [
        (f"{p} del contrato", reverse("informativas:paso_contrato", args=[informativa.code, contrato.code, p]))
        for p in ("contratante", "contrato", "trabajadores")
    ]
    return pasos


# ----------------------------------------------------------------------------------------------------------
# Pages with their errors shown: each form sent the way a hurried user sends it
# ----------------------------------------------------------------------------------------------------------
def _con_errores(page: Page, base: str, rol: str, mundo: dict, barrido: Barrido) -> None:
    from django.urls import reverse

    def enviar(etiqueta: str, url: str, boton: str, llenar=None) -> None:
        page.goto(base + url)
        if llenar:
            llenar()
        page.get_by_role("button", name=boton, exact=True).first.click()
        page.wait_for_load_state("networkidle")
        expect(page.locator(".campo__error, .mensaje--error, [role=alert]").first).to_be_visible()
        barrido.revisar(page, rol, etiqueta + " (con errores)")

    if rol == "anonimo":
        def credenciales_malas():
            page.get_by_label("Usuario (CURP)").fill("GODE561231HDFRRN00")
            page.get_by_label("Contraseña").fill("incorrecta")

        enviar("Ingreso con CURP", reverse("accounts:login"), "Ingresar", credenciales_malas)
        enviar("Ingreso con e.firma", reverse("contratistas_acceso:efirma"), "Ingresar")
        enviar("Recuperar contraseña", reverse("capturistas:recuperar"), "Ingresar")
        return
    inf, con = mundo["informativa"], mundo["contrato"]
    if rol == "contratista":
        enviar("Alta de usuarios", reverse("capturistas:alta"), "Guardar")
        enviar("Información del contratista", reverse("contratistas:datos"), "Guardar")
    enviar("Nuevo contrato", reverse("informativas:paso", args=[inf.code, "contratante"]), "Agregar contrato")

    def contrato_vacio():
        page.get_by_label("Objeto del contrato").fill("")

    enviar("Contrato", reverse("informativas:paso_contrato", args=[inf.code, con.code, "contrato"]),
           "Guardar y continuar", contrato_vacio)

    def trabajador_malo():
        page.locator("input[name$=nss]").first.fill("123")

    enviar("Trabajadores", reverse("informativas:paso_contrato", args=[inf.code, con.code, "trabajadores"]),
           "Agregar trabajador", trabajador_malo)


def test_every_page_of_the_portal_passes_axe_wcag21_aa_for_every_role(
    browser, live_server, mundo, otro_contratista, padron_sat, settings, capsys
):
    settings.ICSOE_DEV_MAILBOX = True
    fisica = _mundo_fisica(otro_contratista, padron_sat)
    barrido = Barrido()
    roles = {"anonimo": "anónimo", "contratista": "contratista (moral)", "otro": "contratista (física)", "capturista": "capturista"}
    for rol, nombre in roles.items():
        assert rol in ROLES
        urls = _paginas_html(rol, mundo)
        if rol in ("contratista", "capturista"):
            urls += [u for _, u in _pasos(mundo["informativa"], mundo["contrato"])]
        if rol == "otro":
            urls += [u for _, u in _pasos(fisica["informativa"], fisica["contrato"])]
        if rol == "capturista":  # the board of a firm (issue 16), filtered, and with a filter's error shown
            urls += ["/informativas/tablero/", "/informativas/tablero/?estado=borrador&vence_en=30",
                     "/informativas/tablero/?vence_en=-1"]
        contexto, page = _entrar(browser, live_server, rol, mundo)
        try:
            for url in dict.fromkeys(urls):
                page.goto(live_server.url + url)
                barrido.revisar(page, nombre, url)
            mundo_rol = mundo if rol != "otro" else {**mundo, **fisica}
            _con_errores(page, live_server.url, rol, mundo_rol, barrido)
        finally:
            contexto.close()

    resumen = f"axe-core WCAG 2.1 A/AA: {barrido.paginas} páginas revisadas, {barrido.violaciones} violaciones"
    with capsys.disabled():  # shown even when pytest captures output, so `make test` always prints the count
        print("\n" + resumen)
    assert barrido.paginas >= 60
    assert not barrido.fallas, "\n\n".join(barrido.fallas)
