"""`make run`'s demo data (`cargar_demo`, DEBUG on) on the test database: what it prints works, the CURP
registry sample answers "Validar", a second run duplicates nothing, the portal's sello is created, and the
demo's listado público (issue 25) names no RFC, NSS or CURP.

The demo is loaded once for the module (`demo`: seven acuses signed and sealed, a few seconds each), in a
transaction around the module's tests that is rolled back at the end; each test runs in its own savepoint, so
what one test writes (an alta, a login, a second load) is gone before the next, as with Django's
setUpTestData."""

from __future__ import annotations

import csv
import datetime
import io
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction
from django.test import override_settings
from django.utils import timezone
from openpyxl import load_workbook

from accounts.models import PersonaRenapo, User
from accounts.renapo import curp_consultar
from accounts.renapo import muestra as curp_muestra
from capturistas.access import SESSION_KEY
from capturistas.models import Relacion
from capturistas.services import capturista_alta
from contratistas.models import Asentamiento, Contratista, ContribuyenteSat
from core.models import Correo
from firma.services import sello_portal
from informativas.listado import services as listado_services
from informativas.models import Acuse, Contrato, Informativa, Trabajador
from informativas.tablero.services import tablero_de
from recordatorios.services import recordatorios_enviar
from tests.firma_navegador import validar_efirma

pytestmark = pytest.mark.django_db

MODELOS = (User, Contratista, Relacion, PersonaRenapo, ContribuyenteSat, Asentamiento, Informativa, Acuse)


def _cargar_demo() -> str:
    salida = io.StringIO()
    call_command("cargar_demo", stdout=salida)
    return salida.getvalue()


def _conteos() -> dict[str, int]:
    return {modelo.__name__: modelo.objects.count() for modelo in MODELOS}


@dataclass(frozen=True)
class Demo:
    salida: str  # what the command printed
    var: Path  # make run's var/ of the demo (its e.firma files, the portal's sello)


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker, tmp_path_factory):
    """`cargar_demo` run once with tests/demo/conftest.py's `como_make_run` settings, for the module's tests; the
    data is rolled back after the last one (the files stay in the module's own tmp folder)."""
    var = tmp_path_factory.mktemp("demo") / "var"
    ajustes = override_settings(
        DEBUG=True,
        ICSOE_HOY="2026-11-20",
        ICSOE_VAR_DIR=var,
        ICSOE_SIGNING_CERT=str(var / "sello-portal" / "portal.cer"),
        ICSOE_SIGNING_KEY=str(var / "sello-portal" / "portal.key"),
    )
    with django_db_blocker.unblock(), ajustes:
        atomico = transaction.atomic()
        atomico.__enter__()
        try:
            yield Demo(salida=_cargar_demo(), var=var)
        finally:
            transaction.set_rollback(True)
            atomico.__exit__(None, None, None)


def test_it_refuses_without_debug(settings):
    settings.DEBUG = False
    antes = _conteos()  # nothing, unless the module's demo was loaded before this test

    with pytest.raises(CommandError, match="sólo se cargan con DEBUG activo"):
        _cargar_demo()
    assert _conteos() == antes


def test_the_credentials_it_prints_let_staff_and_the_capturista_in(demo, client):
    salida = demo.salida

    assert "http://127.0.0.1:8000/" in salida
    assert "http://127.0.0.1:8000/dev/correo/" in salida
    usuario, contrasena = re.search(r"/admin/\s+usuario (\S+) / (\S+)", salida).groups()
    assert client.login(username=usuario, password=contrasena)
    assert client.get("/admin/").status_code == 200
    client.logout()
    curp, contrasena = re.search(r"Capturista \(CURP\):\s+\S+/acceso/\s+(\S+) / (\S+)", salida).groups()
    respuesta = client.post("/acceso/", {"login": curp, "password": contrasena})
    assert respuesta.status_code == 302
    assert client.get("/inicio/").status_code == 200


def test_the_demo_efirma_files_it_prints_pass_the_login_checks(demo):
    salida = demo.salida

    contrasena = re.search(r"contraseña (\S+)\): http://127\.0\.0\.1:8000/acceso/efirma/", salida).group(1)
    for contratista in Contratista.objects.all():
        cer, key = re.search(rf"\s+(\S+{contratista.rfc}\.cer)\n\s+(\S+{contratista.rfc}\.key)", salida).groups()
        with open(cer, "rb") as f_cer, open(key, "rb") as f_key:
            validada = validar_efirma(cer=f_cer.read(), key=f_key.read(), password=contrasena, rfc=contratista.rfc)
        assert validada.rfc == contratista.rfc


def test_every_sample_curp_validates_and_one_goes_through_the_alta(demo):
    salida = demo.salida

    with curp_muestra().open(encoding="utf-8") as f:
        muestra = list(csv.DictReader(f))
    assert len(muestra) > 10
    for fila in muestra:
        persona = curp_consultar(fila["curp"])
        assert (persona.nombres, persona.primer_apellido) == (fila["nombres"], fila["primer_apellido"])
    curp = re.search(r"para probar Alta de usuarios: (\w{18})", salida).group(1)
    contratista = Contratista.objects.get(rfc="ESI920427886")

    relacion = capturista_alta(
        contratista=contratista, curp=curp, telefono="5598765432", correo="alta@example.com", usuario=contratista.usuario
    )

    fila = next(f for f in muestra if f["curp"] == curp)
    assert relacion.estatus == Relacion.Estatus.REGISTRADA
    assert (relacion.nombres, relacion.segundo_apellido) == (fila["nombres"], fila["segundo_apellido"])
    assert relacion.capturista.curp == curp


def test_running_it_twice_duplicates_nothing_and_keeps_the_files(demo):
    primera = demo.salida
    conteos = _conteos()
    archivos = {p: p.read_bytes() for p in demo.var.rglob("*") if p.is_file()}

    segunda = _cargar_demo()

    assert _conteos() == conteos
    assert conteos["PersonaRenapo"] >= 20
    assert conteos["Contratista"] == 5
    assert (conteos["Informativa"], conteos["Acuse"]) == (10, 7)
    assert {p: p.read_bytes() for p in demo.var.rglob("*") if p.is_file()} == archivos
    # The same URL and credentials; only the SEPOMEX summary says that nothing was new this time.
    sin_resumen = [linea for linea in primera.splitlines() if "Catálogo SEPOMEX" not in linea]
    assert [linea for linea in segunda.splitlines() if "Catálogo SEPOMEX" not in linea] == sin_resumen
    assert "(0 asentamientos nuevos)" in segunda


def test_the_portals_demo_sello_is_created_and_signs(demo, settings):
    sello = sello_portal()  # reads both files and checks that the key is the certificate's

    assert settings.ICSOE_SIGNING_CERT.startswith(str(demo.var))
    assert (demo.var / "sello-portal" / "portal.cer").is_file() and (demo.var / "sello-portal" / "portal.key").is_file()
    firma = sello.firmar(b"||1|N260000001|ESI920427886||")
    assert sello.verificar(b"||1|N260000001|ESI920427886||", firma)
    assert not sello.verificar(b"||1|N260000002|ESI920427886||", firma)


# The demo capturista's board: what `make run` shows a firm that files for several contratistas
ESTADOS_DEL_TABLERO = {
    # razón social: the state of May–Aug 2026, Jan–Apr 2026, Sep–Dec 2025, May–Aug 2025, Jan–Apr 2025, Sep–Dec 2024
    # ("antes_del_alta": the contratista registered in the portal after that period)
    "CONSTRUCCIONES DEL SOL SA DE CV": ["presentada_extemporanea", "sin_iniciar", "borrador", "sin_iniciar"]
    + ["antes_del_alta"] * 2,
    "CONSTRUCTORA TRES RÍOS SA DE CV": ["en_firma", "presentada"] + ["antes_del_alta"] * 4,
    "DISTRIBUIDORA DEL BAJÍO SA DE CV": ["sin_iniciar"] * 6,
    "EMPRESA DE SERVICIOS INTEGRALES SA DE CV": ["presentada", "presentada", "presentada_extemporanea"]
    + ["antes_del_alta"] * 3,
    "JUAN PÉREZ JIMÉNEZ": ["borrador", "presentada_extemporanea", "sin_iniciar", "presentada", "sin_iniciar"]
    + ["antes_del_alta"],
}


def test_the_demo_capturista_serves_five_contratistas_with_a_mix_of_states(demo, client):
    salida = demo.salida
    curp, contrasena = re.search(r"Capturista \(CURP\):\s+\S+/acceso/\s+(\S+) / (\S+)", salida).groups()
    capturista = User.objects.get(username=curp)

    tablero = tablero_de(capturista=capturista, hoy=datetime.date(2026, 11, 20))

    assert [str(c.periodo) for c in tablero.columnas][:2] == ["Mayo - Agosto 2026", "Enero - Abril 2026"]
    assert {f.razon_social: [c.estado for c in f.celdas] for f in tablero.filas} == ESTADOS_DEL_TABLERO
    # The presented ones were signed with the demo e.firma, each with its acuse, dated as the board says
    presentadas = Informativa.objects.filter(estatus="PRESENTADA")
    assert presentadas.count() == Acuse.objects.count() == 7
    for informativa in presentadas:
        limite = informativa.periodo.fecha_limite
        assert informativa.folio_definitivo
        with informativa.acuse.pdf.open("rb") as pdf:
            assert pdf.read(5) == b"%PDF-"
        dias = (timezone.localdate(informativa.fecha_presentacion) - limite).days
        assert dias == (12 if informativa.extemporanea else -3)
    # and the page of the board, as the capturista sees it after logging in with what the command printed
    assert client.post("/acceso/", {"login": curp, "password": contrasena}).status_code == 302
    html = client.get("/informativas/tablero/").content.decode()
    assert html.count('<th scope="row"') == 5
    for razon_social in ESTADOS_DEL_TABLERO:
        assert razon_social in html
    for etiqueta in ("Presentada extemporánea", "Borrador", "En firma", "Sin iniciar", "Antes del registro"):
        assert etiqueta in html


def _periodos_en(html: str, selector: str) -> list[str]:
    """The data-periodo of the bandeja's list ``selector`` ("no-presentados" or "plazos")."""
    inicio = html.find(f'id="{selector}"')
    if inicio < 0:
        return []
    fin = html.find("</ul>", inicio) if selector == "no-presentados" else html.find('id="no-presentados"', inicio)
    return re.findall(r'data-periodo="(\d{4}-\d)"', html[inicio : fin if fin > 0 else None])


def test_each_demo_contratistas_overdue_cells_on_the_board_are_its_bandejas_pending_periods(demo, client):
    """Issue 22: the board showed Distribuidora del Bajío five overdue «Sin iniciar» periods and its bandeja only
    the upcoming one (the demo registered every contratista today, and filed before that)."""
    salida = demo.salida
    curp = re.search(r"Capturista \(CURP\):\s+\S+/acceso/\s+(\S+) / ", salida).group(1)
    capturista = User.objects.get(username=curp)
    client.force_login(capturista)

    tablero = tablero_de(capturista=capturista, hoy=datetime.date(2026, 11, 20))

    for fila in tablero.filas:
        sesion = client.session
        sesion[SESSION_KEY] = str(fila.code)
        sesion.save()
        html = client.get("/informativas/").content.decode()
        vencidas = [c.periodo.clave for c in fila.celdas if c.por_presentar and c.columna.dias < 0]
        sin_iniciar = {c.periodo.clave for c in fila.celdas if c.estado == "sin_iniciar" and c.columna.dias < 0}
        assert _periodos_en(html, "no-presentados") == vencidas[::-1], fila.razon_social
        assert sin_iniciar <= set(vencidas)
        # every filing of the demo is of a period the contratista owed: it had registered by the period's end
        contratista = Contratista.objects.get(code=fila.code)
        alta = timezone.localdate(contratista.created_at)
        assert all(alta <= i.periodo.fin for i in contratista.informativas.all()), fila.razon_social
    distribuidora = next(f for f in tablero.filas if f.rfc == "DIS040506CD7")
    assert [c.estado for c in distribuidora.celdas] == ["sin_iniciar"] * 6


def test_a_reminder_of_the_demo_reaches_every_contratista_and_the_capturista(demo, settings):
    salida = demo.salida
    dia = re.search(r'Recordatorios:\s+make manage ARGS="reloj_prueba (\d{4}-\d\d-\d\d)"', salida).group(1)
    assert dia == "2027-01-08"  # ten days before the deadline of Sep–Dec 2026 (18 Jan 2027)
    settings.ICSOE_BASE_URL = "http://127.0.0.1:8000"
    Correo.objects.all().delete()  # the acuses' emails of the demo's presented informativas

    resultado = recordatorios_enviar(hoy=datetime.date.fromisoformat(dia))

    assert resultado.enviados == 5
    correos = {c.para: c.asunto for c in Correo.objects.all()}
    esperados = {c.correo for c in Contratista.objects.all()} | {"capturista.demo@example.com"}
    assert set(correos) == esperados and len(esperados) == 6
    assert all("faltan 10 días" in asunto for asunto in correos.values())


def test_the_demo_contratistas_repse_registrations_expire_at_varied_dates_and_one_has_none(demo, client):
    salida = demo.salida
    curp, contrasena = re.search(r"Capturista \(CURP\):\s+\S+/acceso/\s+(\S+) / (\S+)", salida).groups()

    tablero = tablero_de(capturista=User.objects.get(username=curp), hoy=datetime.date(2026, 11, 20))

    estados = {f.rfc: f.repse.estado for f in tablero.filas}
    assert sorted(estados.values()) == ["en_ventana", "sin_fecha", "vencido", "vigente", "vigente"]
    assert estados["DIS040506CD7"] == "sin_fecha"
    assert len({f.repse.vence for f in tablero.filas}) == 5  # four dates and one «sin fecha»
    assert all(f.repse_fecha_registro <= datetime.date(2026, 11, 20) for f in tablero.filas if f.repse_fecha_registro)
    assert client.post("/acceso/", {"login": curp, "password": contrasena}).status_code == 302
    html = client.get("/informativas/tablero/").content.decode()
    assert re.search(r'data-repse="sin_fecha"[^>]*>sin fecha<', html)
    assert 'data-repse="en_ventana"' in html and 'data-repse="vencido"' in html
    # A second run keeps the dates (the user's own date is never overwritten)
    Contratista.objects.filter(rfc="ESI920427886").update(repse_fecha_registro=datetime.date(2026, 1, 15))
    _cargar_demo()
    assert Contratista.objects.get(rfc="ESI920427886").repse_fecha_registro == datetime.date(2026, 1, 15)


# The listado público of `make run`'s demo (issue 25, «Must show»): every month with a filing, opened back with
# openpyxl, holds a row for each filing and not one RFC, NSS or CURP of the demo.
def test_the_demos_listado_has_its_contratos_and_no_rfc_nss_or_curp(demo):
    presentadas = Informativa.objects.filter(estatus__in=Informativa.ESTATUS_PRESENTADAS)
    meses = sorted({timezone.localdate(i.fecha_presentacion).replace(day=1) for i in presentadas})
    identificadores = (
        set(Contratista.objects.values_list("rfc", flat=True))
        | set(Contrato.objects.values_list("contratante_rfc", flat=True))
        | set(Trabajador.objects.values_list("nss", flat=True))
        | set(Trabajador.objects.values_list("curp", flat=True))
    )
    # The demo's presented filings are Sin información (one row each); its five contratistas' RFCs at least.
    assert meses and len(identificadores) >= 5

    filas_totales = 0
    for mes in meses:
        listado = listado_services.listado_construir(mes=mes)
        hoja = load_workbook(io.BytesIO(listado.contenido), read_only=True).worksheets[0]
        filas = [list(fila) for fila in hoja.iter_rows(values_only=True)]
        assert filas[0] == listado_services.ENCABEZADO and len(filas) - 1 == listado.filas
        filas_totales += listado.filas
        with zipfile.ZipFile(io.BytesIO(listado.contenido)) as paquete:
            crudo = "\n".join(paquete.read(n).decode("utf-8", "replace") for n in paquete.namelist())
        assert [dato for dato in identificadores if dato and dato in crudo] == [], mes
    contratos = Contrato.objects.filter(informativa__in=presentadas).count()
    sin_contratos = presentadas.exclude(contratos__isnull=False).count()
    assert filas_totales == contratos + sin_contratos > 0
