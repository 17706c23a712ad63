"""Two web hosts behind one address: a contratista's whole filing, each request answered by the other gunicorn
process, succeeds; the acuse downloaded from one host is the same bytes as from the other, and neither host
wrote an upload to its own disk.

The hosts (tests/faults/dos_servidores.py) share only what docs/operations.md says must be shared: PostgreSQL,
Redis, the object storage (a bucket of the loopback S3 server) and SECRET_KEY. The requests are the pages' own:
each form's CSRF token read from the page the previous request returned, the e.firma login and Firmar through
the signing protocol of static/js/efirma.js (tests/firma_navegador.py), files posted as multipart.
"""

from __future__ import annotations

import hashlib
import io
import re
import uuid
from pathlib import Path
from urllib.parse import parse_qsl, urlencode, urlsplit

import pytest
import requests
from openpyxl import load_workbook
from pypdf import PdfReader

from tests.efirma_sat import FIEL_EKU
from tests.firma_navegador import URL_ACCESO, URL_ACCESO_VALIDAR, firmar_en_pagina
from tests.informativas.datos import csv_trabajadores, curp, nss_digito_erroneo
from tests.s3 import LLAVE, SECRETO, cliente, servidor_s3  # noqa: F401 (fixture)

from . import dos_servidores as ds

pytestmark = pytest.mark.django_db(transaction=True)

HOY = "2026-06-01"  # 2026's first cuatrimestre has ended
TRABAJADORES = 12
RE_CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


class Navegador:
    """What a browser does with the portal's pages, over real HTTP: one cookie jar, the CSRF token of the last
    page shown put in every form it posts, redirects followed (each hop is a request of its own)."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.sesion = requests.Session()
        self.token = ""

    def _visto(self, respuesta: requests.Response) -> requests.Response:
        if "text/html" in respuesta.headers.get("Content-Type", ""):
            if encontrado := RE_CSRF.search(respuesta.text):
                self.token = encontrado.group(1)
        return respuesta

    def get(self, ruta: str, **kwargs) -> requests.Response:
        return self._visto(self.sesion.get(self.url + ruta, timeout=120, **kwargs))

    def post(self, ruta: str, datos=None, content_type: str | None = None, archivos=None, **kwargs):
        """A form's submission. ``datos`` a dict, or an already urlencoded body (tests/firma_navegador.py posts
        the e.firma fields that way, as the page's fetch does) with its ``content_type``."""
        if isinstance(datos, str):
            campos = [*parse_qsl(datos, keep_blank_values=True), ("csrfmiddlewaretoken", self.token)]
            cuerpo = urlencode(campos)
            encabezados = {"Content-Type": content_type or "application/x-www-form-urlencoded"}
            respuesta = self.sesion.post(
                self.url + ruta, data=cuerpo, headers=encabezados, timeout=120, **kwargs
            )
        else:
            respuesta = self.sesion.post(
                self.url + ruta,
                data={**(datos or {}), "csrfmiddlewaretoken": self.token},
                files=archivos,
                timeout=120,
                **kwargs,
            )
        return self._visto(respuesta)


def _pdf_stps() -> bytes:
    from pypdf import PdfWriter

    escritor = PdfWriter()
    escritor.add_blank_page(width=612, height=792)
    salida = io.BytesIO()
    escritor.write(salida)
    return salida.getvalue()


@pytest.fixture
def padron(db):
    """The SAT registry stand-in knows the contratista's domicilio fiscal and the contratante's name."""
    from contratistas.models import ContribuyenteSat

    ContribuyenteSat.objects.create(
        rfc=FIEL_EKU.rfc,
        razon_social="ESCUELA KEMPER URGATE SA DE CV",
        codigo_postal="06600",
        estado="Ciudad de México",
        municipio="Cuauhtémoc",
        colonia="Juárez",
        calle="PASEO DE LA REFORMA",
        numero_exterior="222",
    )
    ContribuyenteSat.objects.create(rfc="CLI010101AB5", razon_social="CLIENTE INDUSTRIAL SA DE CV")


@pytest.fixture
def dos_anfitriones(tmp_path, servidor_s3, base_de_datos):  # noqa: F811
    from firma.demo import emitir_sello_portal, guardar_sello_portal

    bucket = f"icsoe-{uuid.uuid4().hex[:12]}"
    cliente(servidor_s3).create_bucket(Bucket=bucket)
    s3 = {
        "ICSOE_S3_BUCKET": bucket,
        "ICSOE_S3_ENDPOINT_URL": servidor_s3,
        "ICSOE_S3_ACCESS_KEY": LLAVE,
        "ICSOE_S3_SECRET_KEY": SECRETO,
        "ICSOE_S3_TIMEOUT": "5",
    }
    cer, key = emitir_sello_portal()
    sello_cer, sello_key = tmp_path / "secreto" / "portal.cer", tmp_path / "secreto" / "portal.key"
    guardar_sello_portal(ruta_cer=sello_cer, ruta_key=sello_key, cer=cer, key=key)

    web = [ds.Anfitrion("web-a", tmp_path / "web-a"), ds.Anfitrion("web-b", tmp_path / "web-b")]
    worker = ds.Anfitrion("worker", tmp_path / "worker")
    procesos = [*web, worker]
    try:
        for anfitrion in procesos:
            variables = ds.entorno(anfitrion=anfitrion, base_de_datos=base_de_datos, s3=s3, hoy=HOY)
            ds.copiar_sello(anfitrion=anfitrion, cer=sello_cer, key=sello_key)
            if anfitrion is worker:
                ds.celery_iniciar(anfitrion, variables)
            else:
                ds.gunicorn_iniciar(anfitrion, variables)
        ds.esperar_listos(web, worker)
        proxy = ds.Proxy(web)
        proxy.iniciar()
        try:
            yield {"proxy": proxy, "web": web, "worker": worker, "bucket": bucket, "s3": cliente(servidor_s3)}
        finally:
            proxy.detener()
    finally:
        for anfitrion in procesos:
            ds.detener(anfitrion)
        for anfitrion in procesos:  # shown when the test failed
            for nombre in ("gunicorn.log", "celery.log"):
                if texto := ds.log(anfitrion, nombre):
                    print(f"----- {anfitrion.nombre}/{nombre}\n{texto}")


def _ruta(respuesta: requests.Response) -> str:
    """The path of the page the request ended on (after its redirects)."""
    return urlsplit(respuesta.url).path


def _esperar_carga(navegador: Navegador, carga_url: str, *, que: str) -> None:
    """What the carga page's htmx does: polls the progress fragment until it asks for a reload."""

    def terminada() -> bool:
        respuesta = navegador.get(carga_url + "progreso/", headers={"HX-Request": "true"})
        assert respuesta.status_code == 200, respuesta.text[:500]
        return respuesta.headers.get("HX-Refresh") == "true"

    ds.esperar_hasta(terminada, timeout=120, que=que, cada=0.5)


def _ingresar(navegador: Navegador) -> requests.Response:
    """e.firma login: the page, Validar (certificate checked, challenge issued) and Ingresar (signed challenge),
    then the términos if the portal asks for them."""
    assert navegador.get(URL_ACCESO).status_code == 200
    ingreso = firmar_en_pagina(
        navegador, url_validar=URL_ACCESO_VALIDAR, url_enviar=URL_ACCESO, efirma=FIEL_EKU
    )
    assert ingreso.status_code == 200, ingreso.text[:1000]
    if _ruta(ingreso).startswith("/acceso/terminos/"):
        ingreso = navegador.post("/acceso/terminos/", {"acepto": "on"})
    return ingreso


def _informativa_con_contrato(navegador: Navegador):
    """Nueva informativa (Normal, 2026-1) and the wizard's tabs up to a contrato with its data: returns the
    informativa, the contrato and their paths."""
    from informativas.models import Informativa

    navegador.get("/informativas/nueva/")
    nueva = navegador.post("/informativas/nueva/", {"anio": "2026", "cuatrimestre": "1", "tipo": "NORMAL"})
    informativa = Informativa.objects.get(contratista__rfc=FIEL_EKU.rfc)
    base = f"/informativas/{informativa.code}"
    assert _ruta(nueva) == f"{base}/captura/contratista/"
    contratista_tab = navegador.post(
        f"{base}/captura/contratista/", {"domicilio_convencional_igual_fiscal": "si"}
    )
    assert contratista_tab.status_code == 200
    assert _ruta(contratista_tab) == f"{base}/captura/contratante/", contratista_tab.text[:2000]
    contratante = navegador.post(
        f"{base}/captura/contratante/",
        {
            "rfc": "CLI010101AB5",
            "correo": "compras@cliente.mx",
            "celular": "55 1111 2222",
            "domicilio_social_igual_fiscal": "si",
            "domicilio_convencional_igual_fiscal": "si",
        },
    )
    contrato = informativa.contratos.get()
    base_contrato = f"{base}/contratos/{contrato.code}"
    assert _ruta(contratante) == f"{base_contrato}/captura/contrato/", contratante.text[:2000]
    datos_contrato = navegador.post(
        f"{base_contrato}/captura/contrato/",
        {
            "objeto": "OC 4500012345 limpieza de oficinas",
            "registro_repse": "AR12345/2021",
            "servicio": "Servicio especializado de limpieza industrial",
            "fecha_inicio": "2026-01-01",
        },
    )
    assert _ruta(datos_contrato) == f"{base_contrato}/captura/trabajadores/", datos_contrato.text[:2000]
    return informativa, contrato, base, base_contrato


def _alternaron(proxy: ds.Proxy, web: list[ds.Anfitrion]) -> dict[str, set[str]]:
    """Every request alternated: the proxy sent them A, B, A, B...; each host's gunicorn answered exactly those
    sent to it, from one process per host, and the two processes differ. Returns the paths each host served."""
    nombres = [nombre for nombre, _, _ in proxy.registro]
    assert nombres == [web[i % 2].nombre for i in range(len(nombres))]
    pids = set()
    for anfitrion in web:
        enviados = [(m, r) for n, m, r in proxy.registro if n == anfitrion.nombre]
        # gunicorn writes a request's access line after sending its response: the last one may still be coming.
        cuantos = len(enviados)
        ds.esperar_hasta(
            lambda a=anfitrion, n=cuantos: len(a.accesos()) >= n,
            timeout=15,
            que=f"el registro de accesos de {anfitrion.nombre}",
            cada=0.1,
        )
        accesos = anfitrion.accesos()
        assert [(m, r) for _, m, r, _ in accesos] == enviados
        assert all(estatus < 500 for *_, estatus in accesos), accesos
        pids |= {pid for pid, *_ in accesos}
    assert len(pids) == 2
    print(f"{len(nombres)} solicitudes alternadas entre los procesos {sorted(pids)}")
    return {a.nombre: {r.split("?")[0] for n, _, r in proxy.registro if n == a.nombre} for a in web}


def test_a_whole_filing_alternating_between_two_hosts_succeeds(dos_anfitriones, padron, smtp_sink):
    from informativas.models import Acuse, CargaMasiva, Informativa, Trabajador

    proxy: ds.Proxy = dos_anfitriones["proxy"]
    web: list[ds.Anfitrion] = dos_anfitriones["web"]
    navegador = Navegador(proxy.url)

    ingreso = _ingresar(navegador)
    assert "Por favor ingresa tus datos generales." in ingreso.text, _ruta(ingreso)

    # Datos generales with the acuse STPS. The first submission misses the celular: the page keeps the PDF as
    # pending (in the bucket) and the second submission, on the other host, saves it without uploading again.
    pagina = navegador.get("/contratista/")
    assert "PASEO DE LA REFORMA" in pagina.text
    pdf_stps = _pdf_stps()
    datos_generales = {
        "correo": "contacto@kemper.example.mx",
        "confirmar_correo": "contacto@kemper.example.mx",
        "celular": "",
        "telefono_fijo": "",
        "registro_repse": "AR12345/2021",
        "domicilio_social_igual_fiscal": "si",
    }
    incompleto = navegador.post(
        "/contratista/",
        datos_generales,
        archivos={"acuse": ("Registro_STPS.pdf", pdf_stps, "application/pdf")},
    )
    assert "Revisa los campos marcados; no se guardó ningún dato." in incompleto.text
    pendiente = re.search(r'name="acuse_pendiente" value="([0-9a-f-]+)"', incompleto.text).group(1)
    guardado = navegador.post(
        "/contratista/", {**datos_generales, "celular": "55 1234 5678", "acuse_pendiente": pendiente}
    )
    assert _ruta(guardado) == "/contratista/", guardado.text[:2000]
    assert "Revisa los campos" not in guardado.text
    enlace_stps = re.search(r'href="(/contratista/acuse-stps/[0-9a-f-]+/)"', guardado.text).group(1)
    assert pendiente in enlace_stps
    stps = [navegador.get(enlace_stps) for _ in range(2)]
    assert [r.status_code for r in stps] == [200, 200]
    assert stps[0].content == stps[1].content == pdf_stps

    # Nueva informativa (Normal, 2026-1) and the wizard's tabs.
    informativa, contrato, base, base_contrato = _informativa_con_contrato(navegador)

    # Carga masiva: uploaded to one host, checked and stored by the worker reading the file from the bucket.
    # One row has a wrong NSS check digit: the rejected rows' workbook is written by the worker to the bucket.
    archivo = (csv_trabajadores(TRABAJADORES) + f"{nss_digito_erroneo(500)},{curp(500)},400.00\n").encode()
    subida = navegador.post(
        f"{base_contrato}/carga/", archivos={"archivo": ("trabajadores.csv", archivo, "text/csv")}
    )
    carga = CargaMasiva.objects.get(contrato=contrato)
    carga_url = f"{base}/cargas/{carga.code}/"
    assert _ruta(subida) == carga_url, subida.text[:2000]
    _esperar_carga(navegador, carga_url, que="carga validada por el worker")
    validada = navegador.get(carga_url)
    carga.refresh_from_db()
    assert carga.estatus == CargaMasiva.Estatus.VALIDADA, (carga.estatus, carga.errores[:3])
    assert (carga.aceptados, carga.rechazados) == (TRABAJADORES, 1)
    assert '<dd data-carga="rechazados">1</dd>' in validada.text
    rechazados = [navegador.get(f"{carga_url}rechazados.xlsx") for _ in range(2)]
    assert [r.status_code for r in rechazados] == [200, 200]
    assert rechazados[0].content == rechazados[1].content
    libro = load_workbook(io.BytesIO(rechazados[0].content), read_only=True)
    assert nss_digito_erroneo(500) in [
        str(c) for fila in libro.active.iter_rows(values_only=True) for c in fila
    ]
    confirmada = navegador.post(f"{carga_url}confirmar/")
    assert confirmada.status_code == 200
    _esperar_carga(navegador, carga_url, que="carga guardada por el worker")
    carga.refresh_from_db()
    assert carga.estatus == CargaMasiva.Estatus.APLICADA
    assert Trabajador.objects.filter(contrato=contrato).count() == TRABAJADORES
    # Both phases ran on the worker started here, with the hosts' settings (not in a web request).
    assert carga.tarea_id
    log_worker = (dos_anfitriones["worker"].disco / "celery.log").read_text()
    assert "informativas.tasks.carga_validar[" in log_worker and "succeeded" in log_worker
    assert "informativas.tasks.carga_aplicar[" in log_worker

    # Resumen, Enviar a firma, Firmar (the page's signing protocol), Firma exitosa.
    navegador.get(f"{base}/captura/resumen/")
    navegador.post(f"{base}/captura/resumen/", {"contratos_declarados": "1"})
    enviada = navegador.post(f"{base}/enviar-a-firma/")
    assert "La informativa se envió a firma" in enviada.text, enviada.text[:2000]
    assert navegador.get(f"{base}/firmar/").status_code == 200
    firmada = firmar_en_pagina(
        navegador, url_validar=f"{base}/firmar/validar/", url_enviar=f"{base}/firmar/", efirma=FIEL_EKU
    )
    informativa.refresh_from_db()
    assert informativa.estatus == Informativa.Estatus.PRESENTADA, firmada.text[:2000]
    assert "Firma exitosa" in firmada.text and informativa.folio_definitivo in firmada.text

    # The acuse from each host: the same bytes, those stored at signing, a real PDF with the folio.
    descargas = [navegador.get(f"{base}/acuse.pdf") for _ in range(2)]
    assert [d.status_code for d in descargas] == [200, 200]
    assert descargas[0].content == descargas[1].content
    acuse = Acuse.objects.get(informativa=informativa)
    guardado_s3 = dos_anfitriones["s3"].get_object(Bucket=dos_anfitriones["bucket"], Key=acuse.pdf.name)
    assert guardado_s3["Body"].read() == descargas[0].content
    assert hashlib.sha256(descargas[0].content).hexdigest() == acuse.pdf_sha256
    texto = "".join(p.extract_text() for p in PdfReader(io.BytesIO(descargas[0].content)).pages)
    assert informativa.folio_definitivo in texto

    # The worker emailed the acuse, read from the bucket: the attachment is the same PDF.
    correo = smtp_sink.esperar(
        para="contacto@kemper.example.mx", asunto_contiene=informativa.folio_definitivo, timeout=90
    )
    adjuntos = [
        p.get_payload(decode=True) for p in correo.walk() if p.get_content_type() == "application/pdf"
    ]
    assert adjuntos == [descargas[0].content]

    # Every request alternated; the steps that matter landed on both hosts.
    assert len(proxy.registro) >= 30
    por_anfitrion = _alternaron(proxy, web)
    assert f"{base}/acuse.pdf" in por_anfitrion["web-a"] and f"{base}/acuse.pdf" in por_anfitrion["web-b"]
    assert enlace_stps in por_anfitrion["web-a"] and enlace_stps in por_anfitrion["web-b"]

    # Nothing was written to any host's disk (media, var, temporary files): every file is in the bucket.
    for anfitrion in [*web, dos_anfitriones["worker"]]:
        assert anfitrion.archivos_en_disco() == [], anfitrion.nombre
    objetos = dos_anfitriones["s3"].list_objects_v2(Bucket=dos_anfitriones["bucket"]).get("Contents", [])
    claves = {o["Key"] for o in objetos}
    assert {acuse.pdf.name, carga.archivo.name, carga.archivo_rechazados.name} <= claves
    assert any(Path(k).suffix == ".pdf" and k != acuse.pdf.name for k in claves)  # the acuse STPS


def _esperar_importacion(navegador: Navegador, url: str, *, que: str) -> None:
    """What the import page's htmx does: polls its progress fragment until it asks for a reload."""

    def terminada() -> bool:
        respuesta = navegador.get(f"{url}progreso/", headers={"HX-Request": "true"})
        assert respuesta.status_code == 200, respuesta.text[:500]
        return respuesta.headers.get("HX-Refresh") == "true"

    ds.esperar_hasta(terminada, timeout=120, que=que, cada=0.5)


def test_importar_nomina_alternating_between_two_hosts_succeeds(dos_anfitriones, padron):
    """The payroll ZIP uploaded to one host is checked and stored by the worker from the bucket; its problems
    workbook is the same from both hosts; confirming on the other host stores the workers."""
    from informativas.models import ImportacionNomina, Trabajador
    from informativas.nomina import generador

    proxy: ds.Proxy = dos_anfitriones["proxy"]
    web: list[ds.Anfitrion] = dos_anfitriones["web"]
    navegador = Navegador(proxy.url)
    _ingresar(navegador)
    informativa, contrato, base, _ = _informativa_con_contrato(navegador)

    zip_nomina = generador.zip_en_memoria(
        generador.archivos_nomina(
            emisor_rfc=FIEL_EKU.rfc,
            trabajadores=generador.plantilla(15, clientes=["CLI010101AB5"]),
            fechas_pago=generador.fechas_quincenales(2026, 1),
        )
    )
    assert navegador.get(f"{base}/nomina/").status_code == 200
    subida = navegador.post(
        f"{base}/nomina/", archivos={"archivos": ("nomina.zip", zip_nomina, "application/zip")}
    )
    importacion = ImportacionNomina.objects.get(informativa=informativa)
    url = f"{base}/nomina/{importacion.code}/"
    assert _ruta(subida) == url, subida.text[:2000]
    _esperar_importacion(navegador, url, que="nómina revisada por el worker")
    importacion.refresh_from_db()
    assert importacion.estatus == ImportacionNomina.Estatus.VALIDADA, importacion.mensaje
    resumen = navegador.get(url)
    assert f'data-contrato="{contrato.folio}"' in resumen.text

    # The problems workbook (other emitter's CFDIs, invoices mixed in) from both hosts: the same bytes.
    problemas = [navegador.get(f"{url}problemas.xlsx") for _ in range(2)]
    assert [r.status_code for r in problemas] == [200, 200], problemas[0].text[:500]
    assert problemas[0].content == problemas[1].content
    filas = list(
        load_workbook(io.BytesIO(problemas[0].content), read_only=True).active.iter_rows(values_only=True)
    )
    assert len(filas) > 1

    navegador.post(f"{url}confirmar/")
    _esperar_importacion(navegador, url, que="nómina guardada por el worker")
    importacion.refresh_from_db()
    assert importacion.estatus == ImportacionNomina.Estatus.APLICADA, importacion.mensaje
    assert Trabajador.objects.filter(contrato=contrato).count() == importacion.guardados > 0
    guardada = navegador.get(url)
    assert f'<dd data-nomina="guardados">{importacion.guardados}</dd>' in guardada.text

    log_worker = (dos_anfitriones["worker"].disco / "celery.log").read_text()
    assert "informativas.nomina.tasks.nomina_validar[" in log_worker
    assert "informativas.nomina.tasks.nomina_aplicar[" in log_worker
    _alternaron(proxy, web)
    for anfitrion in [*web, dos_anfitriones["worker"]]:
        assert anfitrion.archivos_en_disco() == [], anfitrion.nombre
    claves = {
        o["Key"]
        for o in dos_anfitriones["s3"].list_objects_v2(Bucket=dos_anfitriones["bucket"]).get("Contents", [])
    }
    assert importacion.archivo.name in claves
