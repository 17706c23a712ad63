"""Capacity per filing: the requests of one whole filing of each kind, counted from real browser journeys, times
the server CPU of each kind of request, measured in isolation against gunicorn; and the cores that 42,000
filings in three days need (docs/capacity.md explains the model).

    python bench/load/capacidad.py http://127.0.0.1:PORT --proceso gunicorn=PID --proceso postgres=PID ...

1. Seeds its own contratistas (capacidad_sembrar.py, in a process of its own: Django).
2. Journeys in Debian's Chromium (Playwright), each from the e.firma login to the acuse download: a Normal
   whose 3,000 workers come in a carga masiva, a Normal captured by hand, a Sin información, and a
   complementaria (Corrección) of the hand-captured Normal. Every request the browser makes is recorded and
   grouped by kind; the server CPU of the whole journey is measured too, as a check of the model.
3. Each kind of request alone for a few seconds (locust, a few users, no think time), the CPU of each process
   group (correr.py's accounting) divided by the requests. A kind that can only be measured with others (the
   Firmar that follows its Validar; a carga's upload, polling and worker) has the others' cost subtracted.
4. Prints the CPU-seconds of one filing of each kind and the cores for the deadline, and writes it all to
   var/capacidad.json.
"""

from __future__ import annotations

# correr.py imports locust, which patches the standard library with gevent: it must come first.
import correr  # isort: skip

import argparse
import collections
import datetime
import itertools
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlparse

import gevent
from locust import HttpUser, constant, task
from locust.exception import StopUser

REPO = Path(__file__).resolve().parents[2]
ANIO = datetime.date.today().year - 1  # the journeys file last year's three cuatrimestres, all concluded
sys.path.insert(0, str(REPO))

from capacidad_modelo import (  # noqa: E402
    ACUSE,
    CARGA,
    COMO,
    DIAS,
    ESTATICO,
    FILAS_CARGA,
    FILINGS,
    FIRMAR,
    FIRMAR_VALIDAR,
    GRUPOS,
    GUARDAR,
    INGRESO,
    INGRESO_VALIDAR,
    MEZCLA,
    NOMBRE_GRUPO,
    PAGINA,
    PICO,
    PRESENTACIONES,
    SONDEO,
    TRABAJADOR,
    TRABAJADORES_A_MANO,
    UTILIZACION,
    clasificar,
    nucleos_necesarios,
    por_presentacion,
    presentaciones_por_segundo_pico,
)

from tests.firma_navegador import certificado_b64, firmar_texto, llave_descifrar  # noqa: E402
from tests.informativas.datos import csv_trabajadores, curp, nss  # noqa: E402


# ----------------------------------------------------------------------------------------------------------
# 2. The journeys in Chromium
# ----------------------------------------------------------------------------------------------------------
class Registro:
    """Every request the page sends to the server, from Chromium's own network events (DevTools protocol):
    each request and each redirect it follows, less those Chromium served from its cache (a static file
    within its max-age), which never reach the server. By kind, and the list kept in the JSON for a reader."""

    def __init__(self, contexto, page) -> None:
        self.enviadas: list[list] = []  # [requestId, method, path, kind, from cache]
        self.ultima: dict[str, list] = {}
        cdp = contexto.new_cdp_session(page)
        cdp.on("Network.requestWillBeSent", self._enviada)
        cdp.on("Network.requestServedFromCache", self._de_cache)
        cdp.send("Network.enable")

    def _enviada(self, evento: dict) -> None:
        metodo, ruta = evento["request"]["method"], urlparse(evento["request"]["url"]).path
        entrada = [
            evento["requestId"],
            metodo,
            ruta,
            clasificar(metodo, ruta, evento.get("type", "").lower()),
            False,
        ]
        self.enviadas.append(entrada)
        self.ultima[evento["requestId"]] = entrada

    def _de_cache(self, evento: dict) -> None:
        if entrada := self.ultima.get(evento["requestId"]):
            entrada[4] = True

    @property
    def lista(self) -> list[tuple[str, str, str]]:
        return [(metodo, ruta, clase) for _, metodo, ruta, clase, cache in self.enviadas if not cache]

    @property
    def cuenta(self) -> collections.Counter:
        return collections.Counter(clase for _, _, clase in self.lista)

    @property
    def de_cache(self) -> int:
        return sum(1 for entrada in self.enviadas if entrada[4])


def _pregunta(page, texto: str):
    return page.get_by_role("radiogroup", name=re.compile(re.escape(texto)))


def _efirma(page, efirma: dict) -> None:
    page.get_by_label("RFC").fill(efirma["rfc"])
    page.get_by_label("Certificado").set_input_files(efirma["cer"])
    page.get_by_label(re.compile(r"^Llave privada")).set_input_files(efirma["key"])
    page.get_by_label("Contraseña de la Llave privada").fill(efirma["password"])
    page.get_by_role("button", name="Validar").click()
    page.get_by_text("La validación de la FIEL fue exitosa.").wait_for()


def _ingresar(page, host: str, efirma: dict) -> None:
    page.goto(host + "/")
    page.get_by_role("link", name="Ingresar con E.Firma").click()
    _efirma(page, efirma)
    page.get_by_role("button", name="Ingresar").click()
    page.get_by_role("region", name="Perfil del usuario").wait_for()


def _nueva(page, host: str, anio: int, cuatrimestre: str, tipo: str) -> None:
    page.goto(host + "/informativas/nueva/")
    page.locator("#id_anio").select_option(str(anio))
    page.locator("#id_cuatrimestre").select_option(label=cuatrimestre)
    page.locator("#id_tipo").select_option(label=tipo)
    page.get_by_role("button", name="Continuar").click()


def _contrato(page, rfc_cliente: str, inicio: str) -> None:
    """Contratista tab, then a contratante from the SAT registry and its contrato: up to the Trabajadores step."""
    _pregunta(page, "domicilio convencional del contratista").get_by_label("Sí").check()
    page.get_by_role("button", name="Guardar y continuar").click()
    page.locator("#id_rfc").fill(rfc_cliente)
    page.get_by_role("button", name="Validar").click()
    page.locator("#rfc-validado").get_by_text("RFC encontrado en el padrón del SAT").wait_for()
    page.locator("#id_correo").fill("compras@cliente.mx")
    page.locator("#id_celular").fill("5511112222")
    _pregunta(page, "domicilio social del contratante").get_by_label("Sí").check()
    _pregunta(page, "domicilio convencional del contratante").get_by_label("Sí").check()
    page.get_by_role("button", name="Agregar contrato").click()
    page.locator("#id_objeto").fill("OC 4500012345 limpieza de oficinas")
    page.locator("#id_registro_repse").fill("AR12345/2021")
    page.locator("#id_servicio").fill("Servicio especializado de limpieza industrial")
    page.locator("#id_fecha_inicio").fill(inicio)
    page.get_by_role("button", name="Guardar y continuar").click()
    page.get_by_role("heading", name=re.compile("Trabajadores del contrato")).wait_for()


def _resumen_y_enviar(page) -> None:
    page.get_by_role("link", name="Continuar").click()
    page.locator("#id_contratos_declarados").fill("1")
    page.get_by_role("button", name="Guardar", exact=True).click()
    page.get_by_role("button", name="Enviar a firma").click()
    page.get_by_role("status").get_by_text("La informativa se envió a firma").wait_for()


def _firmar_y_descargar(page, host: str, efirma: dict, carpeta: Path) -> str:
    """Firma y presentación (Validar, Firmar, close the dialog), then the acuse from Acuses de presentación.
    Returns the folio."""
    page.goto(host + "/informativas/firma/")
    page.locator("#firma tbody tr").first.get_by_role("link", name="Firmar").click()
    page.wait_for_url(re.compile(r"/firmar/$"))
    code = urlparse(page.url).path.split("/")[2]  # /informativas/<code>/firmar/
    _efirma(page, efirma)
    page.get_by_role("button", name="Firmar").click()
    dialogo = page.get_by_role("dialog", name="Firma exitosa")
    dialogo.wait_for()
    dialogo.get_by_role("link", name="Cerrar").click()
    page.get_by_role("heading", name="Firma y presentación").wait_for()
    page.goto(host + "/informativas/acuses/")
    fila = page.locator(f'#acuses tr[data-informativa="{code}"]')
    folio = fila.get_attribute("data-folio")
    with page.expect_download() as descarga:
        fila.get_by_role("link", name="Descargar Acuse").click()
    ruta = carpeta / f"{folio}.pdf"
    descarga.value.save_as(ruta)
    if not ruta.read_bytes().startswith(b"%PDF-"):
        raise AssertionError(f"el acuse {folio} descargado no es un PDF")
    return folio


def jornada_carga(page, host: str, datos: dict, carpeta: Path) -> str:
    _ingresar(page, host, datos["jornada"])
    _nueva(page, host, ANIO, "Enero - Abril", "Normal")
    _contrato(page, datos["rfc_cliente"], f"{ANIO}-02-01")
    archivo = carpeta / "trabajadores.csv"
    archivo.write_text(csv_trabajadores(FILAS_CARGA, inicio=200_000), encoding="utf-8")
    paso = page.url
    page.locator("#id_archivo").set_input_files(str(archivo))
    page.get_by_role("button", name="Cargar archivo").click()
    correr_espera = 180_000
    page.locator('[data-carga="aceptados"]').filter(has_text=correr.FILAS_CARGA_TEXTO).wait_for(timeout=correr_espera)
    page.get_by_role("button", name="Confirmar carga").click()
    page.locator('[data-carga="estatus"]').filter(has_text="Guardada").wait_for(timeout=correr_espera)
    guardados = page.locator('[data-carga="guardados"]').text_content().strip()
    if guardados != str(FILAS_CARGA):
        raise AssertionError(f"la carga guardó {guardados} de {FILAS_CARGA} trabajadores")
    page.goto(paso)  # "Regresar" to the Trabajadores step, then the resumen
    _resumen_y_enviar(page)
    return _firmar_y_descargar(page, host, datos["jornada"], carpeta)


def _trabajador(page, i: int) -> None:
    page.locator("#id_nss").fill(nss(i))
    page.locator("#id_curp").fill(curp(i))
    page.locator("#id_sbc").fill("452.37")
    page.get_by_role("button", name="Agregar trabajador").click()
    page.locator("#trabajadores").get_by_text(nss(i)).wait_for()


def jornada_mano(page, host: str, datos: dict, carpeta: Path) -> str:
    _ingresar(page, host, datos["jornada"])
    _nueva(page, host, ANIO, "Mayo - Agosto", "Normal")
    _contrato(page, datos["rfc_cliente"], f"{ANIO}-06-01")
    for i in range(TRABAJADORES_A_MANO):
        _trabajador(page, 210_000 + i)
    _resumen_y_enviar(page)
    return _firmar_y_descargar(page, host, datos["jornada"], carpeta)


def jornada_sin_informacion(page, host: str, datos: dict, carpeta: Path) -> str:
    _ingresar(page, host, datos["jornada"])
    _nueva(page, host, ANIO, "Septiembre - Diciembre", "Sin información")
    page.get_by_text("Declaro bajo protesta de decir verdad").wait_for()
    page.get_by_role("button", name="Continuar").click()
    page.get_by_role("status").get_by_text("quedó pendiente de firma").wait_for()
    return _firmar_y_descargar(page, host, datos["jornada"], carpeta)


def jornada_complementaria(page, host: str, datos: dict, carpeta: Path, folio: str) -> str:
    _ingresar(page, host, datos["jornada"])
    page.goto(host + "/informativas/modificar/")
    page.locator(f'#modificar tr[data-folio="{folio}"]').get_by_role("link", name="Modificar").click()
    page.get_by_label("Corrección").check()
    page.get_by_role("button", name="Continuar").click()
    page.get_by_text("La informativa está completa y lista para enviarse a firma.").wait_for()
    # The correction: one worker more in the copied contrato, then back to the resumen.
    page.get_by_role("link", name="Agregar otro contrato").click()
    page.locator("table").get_by_role("link", name="Trabajadores").first.click()
    _trabajador(page, 210_000 + TRABAJADORES_A_MANO)
    page.get_by_role("link", name="Continuar").click()
    page.get_by_text("La informativa está completa y lista para enviarse a firma.").wait_for()
    page.get_by_role("button", name="Enviar a firma").click()
    page.get_by_role("status").get_by_text("La informativa se envió a firma").wait_for()
    return _firmar_y_descargar(page, host, datos["jornada"], carpeta)


def jornadas(host: str, datos: dict, procesos: dict[str, int]) -> dict:
    """Runs the four journeys, each in a fresh browser context; returns, per filing, its requests by kind,
    the list of requests, and the server CPU the journey took, measured directly."""
    from playwright.sync_api import sync_playwright

    resultado = {}
    with sync_playwright() as p, tempfile.TemporaryDirectory() as tmp:
        navegador = p.chromium.launch(
            executable_path="/usr/bin/chromium",
            headless=True,
            args=["--no-sandbox", "--disable-dev-shm-usage"],
        )
        folio_mano = None
        for clave in ("carga", "mano", "sin_informacion", "complementaria"):
            contexto = navegador.new_context(
                locale="es-MX", timezone_id="America/Mexico_City", accept_downloads=True
            )
            contexto.set_default_timeout(60_000)
            page = contexto.new_page()
            registro = Registro(contexto, page)
            medicion = correr.Medicion(procesos)
            inicio = time.monotonic()
            try:
                if clave == "carga":
                    folio = jornada_carga(page, host, datos, Path(tmp))
                elif clave == "mano":
                    folio = folio_mano = jornada_mano(page, host, datos, Path(tmp))
                elif clave == "sin_informacion":
                    folio = jornada_sin_informacion(page, host, datos, Path(tmp))
                else:
                    folio = jornada_complementaria(page, host, datos, Path(tmp), folio_mano)
            except Exception:
                # What the page showed when the journey stopped, to tell a slow machine from a refusal.
                texto = " ".join(page.locator("main").inner_text(timeout=5000).split())
                print(f"jornada «{FILINGS[clave]}» detenida en {page.url}: …{texto[-700:]}")
                raise
            cpu = medicion.fin()
            contexto.close()
            resultado[clave] = {
                "folio": folio,
                "solicitudes": dict(registro.cuenta),
                "lista": registro.lista,
                "segundos": time.monotonic() - inicio,
                "cpu_medida": cpu["servidor"],
            }
            print(
                f"jornada «{FILINGS[clave]}»: folio {folio}, {sum(registro.cuenta.values())} solicitudes al "
                f"servidor (y {registro.de_cache} servidas por la caché de Chromium) en "
                f"{resultado[clave]['segundos']:.0f} s"
            )
        navegador.close()
    return resultado


# ----------------------------------------------------------------------------------------------------------
# 3. Each kind of request in isolation
# ----------------------------------------------------------------------------------------------------------
DATOS: dict = {}
ESTATICOS: list[str] = []
CONTADOR = itertools.count()


class _Usuario(HttpUser):
    abstract = True
    wait_time = constant(0)

    def _cookie(self, sesion: str) -> None:
        self.client.cookies.set(DATOS["cookie"], sesion)

    def _token(self, url: str) -> str:
        r = self.client.get(url, name=PAGINA)
        return correr._csrf(r.text)

    def _espera(self, r, nombre: str, codigos=(200,)) -> bool:
        if r.status_code not in codigos:
            r.failure(f"{nombre}: {r.status_code}")
            return False
        r.success()
        return True


class Pagina(_Usuario):
    """The pages of a filing, in rotation: bandeja, Nueva, the wizard's steps, Firma, Acuses."""

    def on_start(self) -> None:
        self._cookie(DATOS["cargas"]["sesion"])
        informativa, contrato = DATOS["cargas"]["contratos"][-1]
        self.urls = itertools.cycle(
            [
                "/informativas/",
                "/informativas/nueva/",
                f"/informativas/{informativa}/captura/contratista/",
                f"/informativas/{informativa}/contratos/{contrato}/captura/trabajadores/",
                f"/informativas/{informativa}/",
                "/informativas/firma/",
                "/informativas/acuses/",
            ]
        )

    @task
    def pagina(self) -> None:
        with self.client.get(next(self.urls), name=PAGINA, catch_response=True) as r:
            self._espera(r, PAGINA)


class Estatico(_Usuario):
    @task
    def estatico(self) -> None:
        with self.client.get(
            ESTATICOS[next(CONTADOR) % len(ESTATICOS)], name=ESTATICO, catch_response=True
        ) as r:
            self._espera(r, ESTATICO)


class Guardar(_Usuario):
    def on_start(self) -> None:
        self._cookie(DATOS["cargas"]["sesion"])
        informativa, _ = DATOS["cargas"]["contratos"][-1]
        self.url = f"/informativas/{informativa}/captura/contratista/"
        self.token = self._token(self.url)

    @task
    def guardar(self) -> None:
        datos = {"csrfmiddlewaretoken": self.token, "domicilio_convencional_igual_fiscal": "si"}
        with self.client.post(self.url, datos, name=GUARDAR, allow_redirects=False, catch_response=True) as r:
            self._espera(r, GUARDAR, codigos=(302,))


class Trabajador(_Usuario):
    def on_start(self) -> None:
        self._cookie(DATOS["cargas"]["sesion"])
        informativa, contrato = DATOS["cargas"]["contratos"][-1]
        self.url = f"/informativas/{informativa}/contratos/{contrato}/captura/trabajadores/"
        self.token = self._token(self.url)

    @task
    def agregar(self) -> None:
        i = 250_000 + next(CONTADOR)
        datos = {"csrfmiddlewaretoken": self.token, "nss": nss(i), "curp": curp(i), "sbc": "452.37"}
        with self.client.post(
            self.url, datos, name=TRABAJADOR, allow_redirects=False, catch_response=True
        ) as r:
            self._espera(r, TRABAJADOR, codigos=(302,))


class Sondeo(_Usuario):
    def on_start(self) -> None:
        self._cookie(DATOS["cargas"]["sesion"])

    @task
    def sondeo(self) -> None:
        with self.client.get(DATOS["progreso"], name=SONDEO, catch_response=True) as r:
            self._espera(r, SONDEO)


FIRMANTES: list = []


class _Firmante(_Usuario):
    """One user per firmante (the reto of Validar lives in its session)."""

    abstract = True

    def on_start(self) -> None:
        if not FIRMANTES:
            raise StopUser()
        self.firmante = FIRMANTES.pop()
        self._cookie(self.firmante["sesion"])
        cer = Path(self.firmante["cer"]).read_bytes()
        self.llave = llave_descifrar(
            cer=cer, key=Path(self.firmante["key"]).read_bytes(), password=self.firmante["password"]
        )
        self.certificado = certificado_b64(cer)
        self.token = self._token("/informativas/firma/")

    def _validar(self, url: str, nombre: str) -> dict | None:
        datos = {
            "csrfmiddlewaretoken": self.token,
            "rfc": self.firmante["rfc"],
            "certificado": self.certificado,
        }
        with self.client.post(url, datos, name=nombre, catch_response=True) as r:
            if not self._espera(r, nombre):
                return None
            respuesta = r.json()
            if "reto" not in respuesta:
                r.failure(f"{nombre}: {respuesta.get('error')}")
                return None
            return respuesta


class FirmarValidar(_Firmante):
    @task
    def validar(self) -> None:
        code = self.firmante["pendientes"][next(CONTADOR) % len(self.firmante["pendientes"])]
        self._validar(f"/informativas/{code}/firmar/validar/", FIRMAR_VALIDAR)


class Acuse(_Usuario):
    """The acuses the Firmar phase presented, downloaded again and again by their contratistas."""

    def on_start(self) -> None:
        con_acuse = [f for f in DATOS["firmantes"] if f.get("presentadas")]
        self.firmante = con_acuse[next(CONTADOR) % len(con_acuse)]
        self._cookie(self.firmante["sesion"])

    @task
    def acuse(self) -> None:
        presentadas = self.firmante["presentadas"]
        url = f"/informativas/{presentadas[next(CONTADOR) % len(presentadas)]}/acuse.pdf"
        with self.client.get(url, name=ACUSE, catch_response=True) as r:
            if self._espera(r, ACUSE) and not r.content.startswith(b"%PDF-"):
                r.failure(f"{ACUSE}: no es un PDF")


class Ingreso(_Usuario):
    """Validar and Ingresar of the e.firma login, by a visitor with no session; only Validar with
    ``solo_validar``."""

    abstract = True
    solo_validar = False

    def on_start(self) -> None:
        self.firmante = DATOS["firmantes"][next(CONTADOR) % len(DATOS["firmantes"])]
        cer = Path(self.firmante["cer"]).read_bytes()
        self.llave = llave_descifrar(
            cer=cer, key=Path(self.firmante["key"]).read_bytes(), password=self.firmante["password"]
        )
        self.certificado = certificado_b64(cer)
        self.client.get("/acceso/efirma/", name=PAGINA)

    @task
    def ingresar(self) -> None:
        token = next(c.value for c in self.client.cookies if c.name == "csrftoken")
        datos = {"csrfmiddlewaretoken": token, "rfc": self.firmante["rfc"], "certificado": self.certificado}
        with self.client.post(
            "/acceso/efirma/validar/", datos, name=INGRESO_VALIDAR, catch_response=True
        ) as r:
            if not self._espera(r, INGRESO_VALIDAR) or "reto" not in (respuesta := r.json()):
                r.failure(f"{INGRESO_VALIDAR}: {r.text[:200]}")
                return
        if self.solo_validar:
            return
        datos |= {"reto": respuesta["reto"], "firma": firmar_texto(self.llave, respuesta["mensaje"])}
        with self.client.post(
            "/acceso/efirma/", datos, name=INGRESO, allow_redirects=False, catch_response=True
        ) as r:
            self._espera(r, INGRESO, codigos=(302,))
        # Out again, keeping only the CSRF cookie (rotated by the login): the next login starts anonymous.
        for cookie in [c for c in self.client.cookies if c.name == DATOS["cookie"]]:
            self.client.cookies.clear(cookie.domain, cookie.path, cookie.name)


class IngresoValidar(Ingreso):
    solo_validar = True


class IngresoCompleto(Ingreso):
    pass


def cargas(host: str, procesos: dict[str, int], veces: int) -> dict:
    """``veces`` cargas masivas of 3,000 rows, one after another, as the page makes them (upload, polling
    every second, the result, Confirmar, polling, the result). Returns the requests by kind and the CPU."""
    import requests

    cuenta: collections.Counter = collections.Counter()
    sesion = requests.Session()
    sesion.cookies.set(DATOS["cookie"], DATOS["cargas"]["sesion"])

    def pedir(metodo: str, url: str, clase: str, **kw):
        cuenta[clase] += 1
        r = sesion.request(metodo, host + url, allow_redirects=False, timeout=120, **kw)
        if r.status_code not in (200, 302):
            raise AssertionError(f"{clase}: {r.status_code} en {url}")
        return r

    def esperar(pagina: str) -> str:
        while not pedir("GET", pagina + "progreso/", SONDEO).headers.get("HX-Refresh"):
            time.sleep(1)
        return pedir("GET", pagina, PAGINA).text

    medicion = correr.Medicion(procesos)
    for n in range(veces):
        informativa, contrato = DATOS["cargas"]["contratos"][n]
        paso = f"/informativas/{informativa}/contratos/{contrato}/captura/trabajadores/"
        token = correr._csrf(pedir("GET", paso, PAGINA).text)
        archivo = csv_trabajadores(FILAS_CARGA, inicio=260_000 + n * FILAS_CARGA).encode()
        r = pedir(
            "POST",
            f"/informativas/{informativa}/contratos/{contrato}/carga/",
            CARGA,
            data={"csrfmiddlewaretoken": token},
            files={"archivo": ("trabajadores.csv", archivo, "text/csv")},
        )
        pagina = urlparse(r.headers["Location"]).path
        html = esperar(pagina)
        if correr._campo_carga(html, "aceptados") != correr.FILAS_CARGA_TEXTO:
            raise AssertionError(f"carga: {correr._campo_carga(html, 'mensaje')}")
        cuenta[CARGA] -= 1  # the confirmation is part of the same carga
        pedir("POST", pagina + "confirmar/", CARGA, data={"csrfmiddlewaretoken": correr._csrf(html)})
        html = esperar(pagina)
        if correr._campo_carga(html, "guardados") != str(FILAS_CARGA):
            raise AssertionError(f"carga: guardados {correr._campo_carga(html, 'guardados')}")
        DATOS["progreso"] = pagina + "progreso/"
    cpu = medicion.fin()
    return {"filas": {clase: {"n": n, "errores": 0} for clase, n in cuenta.items()}, "cpu": cpu}


def firmas(host: str, procesos: dict[str, int], veces: int, calentamiento: int) -> dict:
    """``veces`` Firmar, each after its Validar, spread over the firmantes (one session each, as the reto lives
    in it) and made at once by one greenlet per firmante: Firmar is slow (it renders and signs the acuse PDF),
    so its count is fixed rather than its time. ``calentamiento`` more come first, unmeasured: the first Firmar
    of each gunicorn process imports WeasyPrint and pyHanko and loads the fonts, a cost paid once per process,
    not per filing. Returns the requests by kind and the CPU of the measured ones."""
    import requests

    cuenta: collections.Counter = collections.Counter()

    def firmar(trabajo: list) -> None:
        firmante = trabajo[0][0]
        sesion = requests.Session()
        sesion.cookies.set(DATOS["cookie"], firmante["sesion"])
        cer = Path(firmante["cer"]).read_bytes()
        llave = llave_descifrar(
            cer=cer, key=Path(firmante["key"]).read_bytes(), password=firmante["password"]
        )
        cuenta[PAGINA] += 1
        token = correr._csrf(sesion.get(f"{host}/informativas/firma/", timeout=120).text)
        for _, code in trabajo:
            datos = {
                "csrfmiddlewaretoken": token,
                "rfc": firmante["rfc"],
                "certificado": certificado_b64(cer),
            }
            cuenta[FIRMAR_VALIDAR] += 1
            respuesta = sesion.post(f"{host}/informativas/{code}/firmar/validar/", datos, timeout=120).json()
            if "reto" not in respuesta:
                raise AssertionError(f"{FIRMAR_VALIDAR}: {respuesta.get('error')}")
            datos |= {"reto": respuesta["reto"], "firma": firmar_texto(llave, respuesta["mensaje"])}
            cuenta[FIRMAR] += 1
            r = sesion.post(f"{host}/informativas/{code}/firmar/", datos, allow_redirects=False, timeout=120)
            if r.status_code != 302 or "firma-exitosa" not in r.headers.get("Location", ""):
                raise AssertionError(f"{FIRMAR}: {r.status_code} hacia {r.headers.get('Location')}")
            firmante.setdefault("presentadas", []).append(code)
            firmante["pendientes"].remove(code)

    def lote(n: int) -> None:
        # Round robin over the firmantes, so each greenlet signs its share at the same time as the others.
        por_cada = [[(f, code) for code in f["pendientes"]] for f in DATOS["firmantes"]]
        por_firmante = collections.defaultdict(list)
        for firmante, code in [par for vuelta in itertools.zip_longest(*por_cada) for par in vuelta if par][
            :n
        ]:
            por_firmante[firmante["rfc"]].append((firmante, code))
        gevent.joinall([gevent.spawn(firmar, trabajo) for trabajo in por_firmante.values()], raise_error=True)

    lote(calentamiento)
    cuenta.clear()
    medicion = correr.Medicion(procesos)
    lote(veces)
    cpu = medicion.fin()
    print("  firmas: " + ", ".join(f"{k} {n}" for k, n in cuenta.items()) + f" en {cpu['duracion']:.1f} s")
    return {"filas": {clase: {"n": n, "errores": 0} for clase, n in cuenta.items()}, "cpu": cpu}


def aislado(host: str, clase, usuarios: int, segundos: float, procesos: dict[str, int]) -> dict:
    _, resultado = correr.fase(host, [clase], usuarios, segundos, procesos, calentamiento=1.5)
    errores = sum(f["errores"] for f in resultado["filas"].values())
    resumen = ", ".join(f"{nombre} {f['n']}" for nombre, f in resultado["filas"].items() if f["n"])
    print(
        f"  {clase.__name__}: {resumen} en {resultado['duracion']:.1f} s"
        + (f", {errores} errores" if errores else "")
    )
    for error, veces in resultado["errores"].items():
        print(f"    error ({veces}x): {error[:200]}")
    return resultado


def costo(resultado: dict, objetivo: str, costos: dict) -> dict:
    """CPU seconds per request of ``objetivo`` in each group: the phase's CPU, less the other kinds of request
    it made at their own measured cost, divided by the requests of ``objetivo``."""
    restante = dict(resultado["cpu"]["servidor"])
    n = 0
    for nombre, f in resultado["filas"].items():
        if nombre == objetivo:
            n = f["n"] - f["errores"]
            continue
        for g in restante:
            restante[g] -= f["n"] * costos[nombre].get(g, 0.0)
    if not n:
        raise AssertionError(f"{objetivo}: ninguna solicitud medida")
    return {g: max(0.0, v) / n for g, v in restante.items()}


# ----------------------------------------------------------------------------------------------------------
# 4. The model and the table
# ----------------------------------------------------------------------------------------------------------
def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("host")
    parser.add_argument("--proceso", action="append", default=[], metavar="NOMBRE=PID")
    parser.add_argument(
        "--segundos", type=float, default=float(os.environ.get("BENCH_CAPACIDAD_SEGUNDOS", 4))
    )
    parser.add_argument("--salida", default=str(REPO / "var" / "capacidad.json"))
    args = parser.parse_args()
    procesos = {nombre: int(pid) for nombre, pid in (p.split("=", 1) for p in args.proceso)}
    inicio = time.monotonic()
    carga_media = os.getloadavg()[0]

    with tempfile.NamedTemporaryFile(suffix=".json") as f:
        subprocess.run(
            [sys.executable, str(Path(__file__).with_name("capacidad_sembrar.py")), f.name], check=True
        )
        DATOS.update(json.loads(Path(f.name).read_text()))

    print(
        f"\n--- capacidad: CPU del servidor por solicitud de cada tipo, aislada ({args.segundos:.0f} s cada una)"
    )
    fases: dict[str, dict] = {}
    fases[CARGA] = cargas(args.host, procesos, veces=2)
    print("  cargas: " + ", ".join(f"{k} {v['n']}" for k, v in fases[CARGA]["filas"].items()))
    for clase, objetivo, usuarios in (
        (Pagina, PAGINA, 4),
        (Sondeo, SONDEO, 4),
        (Guardar, GUARDAR, 4),
        (Trabajador, TRABAJADOR, 2),
        (IngresoValidar, INGRESO_VALIDAR, 4),
        (IngresoCompleto, INGRESO, 4),
    ):
        fases[objetivo] = aislado(args.host, clase, usuarios, args.segundos, procesos)
    FIRMANTES.extend(DATOS["firmantes"])
    fases[FIRMAR_VALIDAR] = aislado(args.host, FirmarValidar, len(FIRMANTES), args.segundos, procesos)
    # Firmar renders and signs the acuse PDF: a fixed number of them rather than a fixed time.
    fases[FIRMAR] = firmas(
        args.host, procesos, veces=int(os.environ.get("BENCH_CAPACIDAD_FIRMAS", 8)), calentamiento=6
    )
    fases[ACUSE] = aislado(args.host, Acuse, 2, args.segundos, procesos)

    # The journeys after the isolated phases, so every gunicorn worker has already loaded what each kind of
    # request imports (WeasyPrint and pyHanko for Firmar, once per process): the journey's CPU is then a
    # filing's, not a process's first use.
    print("\n--- capacidad: jornadas completas en Chromium (del ingreso con e.firma a la descarga del acuse)")
    recorridos = jornadas(args.host, DATOS, procesos)
    ESTATICOS.extend(sorted({r for j in recorridos.values() for m, r, c in j["lista"] if c == ESTATICO}))

    fases[ESTATICO] = aislado(args.host, Estatico, 4, args.segundos, procesos)

    costos: dict[str, dict] = {}
    for objetivo in (
        PAGINA,
        ESTATICO,
        SONDEO,
        GUARDAR,
        TRABAJADOR,
        INGRESO_VALIDAR,
        INGRESO,
        ACUSE,
        FIRMAR_VALIDAR,
        FIRMAR,
        CARGA,
    ):
        costos[objetivo] = costo(fases[objetivo], objetivo, costos)
    imprimir(recorridos, costos, procesos, carga_media, inicio, args.salida)


def _ms(cpu: dict) -> str:
    return " ".join(f"{1000 * cpu.get(g, 0.0):>9.2f}" for g in GRUPOS) + f"{1000 * sum(cpu.values()):>9.2f}"


def imprimir(
    recorridos: dict, costos: dict, procesos: dict, carga_media: float, inicio: float, salida: str
) -> None:
    grupos = [NOMBRE_GRUPO[g] for g in GRUPOS]
    print("\nCPU del servidor por solicitud (ms; aislada, descontando las solicitudes auxiliares de la fase)")
    print(f"{'tipo de solicitud':<52}" + "".join(f"{g:>9}" for g in grupos) + f"{'total':>9}")
    for clase, cpu in costos.items():
        print(f"{clase[:51]:<52}{_ms(cpu)}")
    print(
        "  sin fase propia: "
        + "; ".join(f"{c} = {p}" for c, p in COMO.items() if p)
        + f"; carga: subir y confirmar van en «{CARGA[:30]}…», una vez por carga"
    )

    clases = sorted({c for j in recorridos.values() for c in j["solicitudes"]})
    print("\nSolicitudes de una presentación completa (jornadas en Chromium)")
    print(f"{'tipo de solicitud':<48}" + "".join(f"{k[:12]:>13}" for k in recorridos))
    for c in clases:
        print(f"{c[:47]:<48}" + "".join(f"{j['solicitudes'].get(c, 0):>13}" for j in recorridos.values()))
    print(f"{'total':<48}" + "".join(f"{sum(j['solicitudes'].values()):>13}" for j in recorridos.values()))

    print(
        "\nCPU-segundos de una presentación (modelo: solicitudes x CPU por solicitud; medida: la jornada misma)"
    )
    print(f"{'presentación':<50}" + "".join(f"{g:>11}" for g in grupos) + f"{'total':>9}{'medida':>9}")
    modelo = {}
    for clave, j in recorridos.items():
        cpu = por_presentacion(j["solicitudes"], costos, con_carga=clave == "carga")
        modelo[clave] = cpu
        medida = sum(j["cpu_medida"].values())
        print(
            f"{FILINGS[clave][:49]:<50}"
            + "".join(f"{cpu.get(g, 0.0):>11.3f}" for g in GRUPOS)
            + f"{sum(cpu.values()):>9.3f}{medida:>9.3f}"
        )

    mezcla = (
        json.loads(os.environ["BENCH_CAPACIDAD_MEZCLA"])
        if os.environ.get("BENCH_CAPACIDAD_MEZCLA")
        else MEZCLA
    )
    media, nucleos = nucleos_necesarios(modelo, mezcla)
    por_segundo = presentaciones_por_segundo_pico()
    total = sum(nucleos.values())
    peor = max(sum(m.values()) for m in modelo.values()) * por_segundo / UTILIZACION
    print(
        "\nMezcla supuesta: "
        + ", ".join(f"{100 * v:.0f}% {FILINGS[k]}" for k, v in mezcla.items())
        + f" (BENCH_CAPACIDAD_MEZCLA la cambia); media {sum(media.values()):.3f} CPU-s por presentación"
    )
    print(
        f"{PRESENTACIONES:,} presentaciones en {DIAS} días = {PRESENTACIONES / (DIAS * 24):.0f} por hora en promedio; "
        f"hora pico {PICO:.0f}x = {por_segundo * 3600:,.0f} por hora ({por_segundo:.2f}/s); utilización objetivo "
        f"{UTILIZACION:.0%}"
    )
    print(
        "núcleos para la hora pico: "
        + ", ".join(f"{NOMBRE_GRUPO[g]} {nucleos[g]:.2f}" for g in GRUPOS)
        + f"; total {total:.2f} (si todas fueran la más costosa: {peor:.2f})"
    )
    print(
        f"(máquina compartida: carga media {carga_media:.1f} al empezar, {os.getloadavg()[0]:.1f} al terminar; "
        f"{os.cpu_count()} núcleos; capacidad tardó {time.monotonic() - inicio:.0f} s)"
    )
    Path(salida).parent.mkdir(parents=True, exist_ok=True)
    Path(salida).write_text(
        json.dumps(
            {
                "costos_por_solicitud_s": costos,
                "jornadas": recorridos,
                "cpu_por_presentacion_s": modelo,
                "mezcla": mezcla,
                "nucleos": nucleos | {"total": total},
                "carga_media": [carga_media, os.getloadavg()[0]],
            },
            indent=1,
            ensure_ascii=False,
        )
    )
    print(f"capacidad: {salida}")


if __name__ == "__main__":
    main()
