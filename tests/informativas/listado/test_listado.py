"""The listado público (issue 25, «The public list»): the layout of Lineamientos 6.1 without RFCs or worker
data, the filings presented in the month (Mexico City), published once, by the beat task in the first five
business days, by the command, and on the public page. The presented filing (conftest's) is signed once for
the module; a filing without contratos, alone in its month: test_listado_sin_contratos.py."""

from __future__ import annotations

import datetime
import hashlib
import io
import zipfile
from collections.abc import Iterator

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from openpyxl import load_workbook

from informativas.listado import services, tasks
from informativas.listado.models import ListadoPublico
from informativas.models import Informativa, Trabajador
from plazos.models import DiaInhabil
from tests.conftest import contratista_crear

from ..conftest import (
    FirmadaDelModulo,
    contrato_crear,
    firmada_del_modulo,
    firmada_intacta,
    firmada_para_la_prueba,
    informativa_crear,
    padron_sat_crear,
    trabajador_crear,
)
from .conftest import RFC_FISICA, presentada_crear

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def _presentada(django_db_setup, django_db_blocker, pki, tmp_path_factory) -> Iterator[FirmadaDelModulo]:
    with firmada_del_modulo(django_db_blocker, pki, tmp_path_factory, "listado-del-modulo") as firmada:
        contratista = contratista_crear()
        contrato = contrato_crear(informativa_crear(contratista), padron_sat_crear(), contratista)
        trabajador_crear(contrato, contratista)
        yield firmada(presentada_crear(contrato, contratista, pki["fiel"]))


@pytest.fixture
def presentada(_presentada, firma_lista, settings):
    """conftest's filing, signed once for the module."""
    return firmada_para_la_prueba(_presentada, settings)


@pytest.fixture
def contratista(presentada):
    return presentada.contratista

MAYO = datetime.date(2026, 5, 1)
JUNIO = datetime.date(2026, 6, 1)
JULIO_1 = datetime.date(2026, 7, 1)


def _filas(contenido: bytes) -> list[list]:
    libro = load_workbook(io.BytesIO(contenido), read_only=True)
    return [list(fila) for fila in libro.worksheets[0].iter_rows(values_only=True)]


def _partes(contenido: bytes) -> str:
    """Every part of the package inflated (shared strings, properties, styles), as text."""
    with zipfile.ZipFile(io.BytesIO(contenido)) as paquete:
        return "\n".join(paquete.read(nombre).decode("utf-8", "replace") for nombre in paquete.namelist())


def _textos_de(contenido: bytes) -> str:
    """Every cell's text, the way a reader of the file would search it."""
    return "\n".join(" | ".join("" if v is None else str(v) for v in fila) for fila in _filas(contenido))


def _identificadores(informativa: Informativa) -> set[str]:
    rfcs = {informativa.contratista.rfc, *informativa.contratos.values_list("contratante_rfc", flat=True)}
    trabajadores = Trabajador.objects.filter(contrato__informativa=informativa)
    return rfcs | set(trabajadores.values_list("nss", flat=True)) | set(trabajadores.values_list("curp", flat=True))


def test_the_listado_has_the_layout_of_the_lineamientos_and_no_rfc_nor_worker_data(presentada):
    listado = services.listado_construir(mes=MAYO)

    filas = _filas(listado.contenido)
    assert filas[0] == services.ENCABEZADO
    assert listado.filas == 2 == len(filas) - 1
    por_contratante = {fila[2]: fila for fila in filas[1:]}
    moral, fisica = por_contratante["CLIENTE INDUSTRIAL SA DE CV"], por_contratante["ANA GARCÍA PÉREZ"]
    contratista = presentada.contratista.razon_social
    assert moral[:2] == fisica[:2] == [contratista, "Moral"]
    assert moral[3] == "Moral" and fisica[3] == "Física"
    contrato_fisica = presentada.contratos.get(contratante_rfc=RFC_FISICA)
    assert fisica[4] == contrato_fisica.folio
    assert fisica[5] == "'=Mantenimiento de elevadores"  # escaped: never a formula
    assert moral[5] == "Servicio especializado de limpieza industrial"
    assert fisica[6:9] == [datetime.datetime(2026, 1, 15), datetime.datetime(2026, 4, 30), 2]
    assert moral[6:9] == [datetime.datetime(2026, 2, 1), None, 1]
    assert fisica[9:] == [1, 2026, "Normal", None, presentada.folio_definitivo, datetime.datetime(2026, 5, 31, 23, 30)]

    texto = _textos_de(listado.contenido)
    identificadores = _identificadores(presentada)
    assert len(identificadores) == 3 + 3 + 3  # contratista and 2 contratantes, 3 NSS, 3 CURP
    assert [dato for dato in identificadores if dato in texto] == []
    # Nor in any part of the package (shared strings, properties, styles).
    crudo = _partes(listado.contenido)
    assert [dato for dato in identificadores if dato in crudo] == []


def test_only_the_filings_presented_in_the_month_in_mexico_city_time(presentada):
    # 23:30 of 31 May in Mexico City is 1 June in UTC: May's, not June's.
    assert services.listado_construir(mes=MAYO).filas == 2
    assert services.listado_construir(mes=JUNIO).filas == 0
    assert services.listado_construir(mes=datetime.date(2026, 4, 1)).filas == 0


def test_a_correction_appears_in_the_month_it_was_filed_and_the_published_month_is_not_rewritten(
    presentada, contratista, fiel, django_capture_on_commit_callbacks
):
    mayo, nuevo = services.listado_publicar(mes=MAYO, hoy=JUNIO)
    assert nuevo and mayo.filas == 2
    with mayo.archivo.open("rb") as archivo:
        contenido_mayo = archivo.read()
    assert hashlib.sha256(contenido_mayo).hexdigest() == mayo.sha256

    correccion = _corregir(presentada, contratista, fiel)

    otra_vez, nuevo = services.listado_publicar(mes=MAYO, hoy=JULIO_1)
    assert not nuevo and otra_vez.pk == mayo.pk and otra_vez.archivo.name == mayo.archivo.name
    with otra_vez.archivo.open("rb") as archivo:
        assert archivo.read() == contenido_mayo  # never rewritten
    assert ListadoPublico.objects.count() == 1

    junio, nuevo = services.listado_publicar(mes=JUNIO, hoy=JULIO_1)
    with junio.archivo.open("rb") as archivo:
        filas = _filas(archivo.read())
    assert nuevo and junio.filas == 2
    assert {tuple(fila[11:14]) for fila in filas[1:]} == {("Complementaria", "Corrección", correccion.folio_definitivo)}
    # May's original is still May's (now replaced, it was filed then).
    assert {fila[13] for fila in _filas(contenido_mayo)[1:]} == {presentada.folio_definitivo}


def _corregir(presentada, contratista, fiel):
    import datetime as dt

    from informativas.captura import services as captura
    from informativas.presentacion import services as presentacion

    from ..conftest import firmar
    from .conftest import ZONA, presentar_el

    nueva = presentacion.complementaria_crear(origen=presentada, tipo="CORRECCION", usuario=contratista.usuario)
    if nueva.estatus == Informativa.Estatus.EN_CAPTURA:
        captura.informativa_enviar_a_firma(informativa=nueva, usuario=contratista.usuario)
    nueva = firmar(nueva, fiel, usuario=contratista.usuario)
    return presentar_el(nueva, dt.datetime(2026, 6, 2, 10, 0, tzinfo=ZONA))


def test_a_month_not_ended_is_not_published(presentada):
    with pytest.raises(ValueError, match="ya terminó"):
        services.listado_publicar(mes=JUNIO, hoy=datetime.date(2026, 6, 30))
    assert not ListadoPublico.objects.exists()


# ------------------------------------------------------------------------------------------------ beat task
def test_the_window_is_the_first_five_business_days_of_the_plazos_calendar(db):
    # June 2026 starts on a Monday: 1-5 June.
    assert services.quinto_dia_habil(mes=JUNIO) == datetime.date(2026, 6, 5)
    DiaInhabil.objects.create(fecha=datetime.date(2026, 6, 2), motivo="Acuerdo de prueba")
    assert services.quinto_dia_habil(mes=JUNIO) == datetime.date(2026, 6, 8)
    assert services.en_plazo_de_publicar(hoy=datetime.date(2026, 6, 8))
    assert not services.en_plazo_de_publicar(hoy=datetime.date(2026, 6, 2))  # inhábil
    assert not services.en_plazo_de_publicar(hoy=datetime.date(2026, 6, 6))  # Saturday
    assert not services.en_plazo_de_publicar(hoy=datetime.date(2026, 6, 9))
    # 1 May is a holiday and 2-3 May 2026 a weekend, 5 May inhábil: 4, 6, 7, 8, 11 May.
    assert services.quinto_dia_habil(mes=MAYO) == datetime.date(2026, 5, 11)


def test_the_beat_task_publishes_the_previous_month_only_in_the_window_and_once(presentada, settings):
    settings.ICSOE_HOY = "2026-06-08"  # the sixth business day: too late, nothing
    assert tasks.listado_publico_publicar() is False
    settings.ICSOE_HOY = "2026-06-06"  # a Saturday
    assert tasks.listado_publico_publicar() is False
    assert not ListadoPublico.objects.exists()

    settings.ICSOE_HOY = "2026-06-03"
    assert tasks.listado_publico_publicar() is True
    publicado = ListadoPublico.objects.get()
    assert (publicado.mes, publicado.filas) == (MAYO, 2)

    for dia in ("2026-06-04", "2026-06-05"):
        settings.ICSOE_HOY = dia
        assert tasks.listado_publico_publicar() is False
    assert list(ListadoPublico.objects.values_list("pk", "archivo")) == [(publicado.pk, publicado.archivo.name)]


# ------------------------------------------------------------------------------------------------ command
def test_the_command_with_salida_writes_the_file_and_publishes_nothing(presentada, tmp_path):
    salida = tmp_path / "mayo.xlsx"
    texto = io.StringIO()

    call_command("listado_publico", "2026-05", "--salida", str(salida), stdout=texto)

    contenido = salida.read_bytes()
    assert f"Listado 2026-05 escrito en {salida} (no publicado): 2 registros, SHA-256 " in texto.getvalue()
    assert hashlib.sha256(contenido).hexdigest() in texto.getvalue()
    assert _filas(contenido)[0] == services.ENCABEZADO and len(_filas(contenido)) == 3
    assert not ListadoPublico.objects.exists()


def test_the_command_publishes_once_through_the_service(presentada):
    primero, segundo = io.StringIO(), io.StringIO()
    call_command("listado_publico", "2026-05", stdout=primero)
    call_command("listado_publico", "2026-05", stdout=segundo)

    publicado = ListadoPublico.objects.get()
    assert primero.getvalue().strip() == f"Listado 2026-05 publicado: 2 registros, SHA-256 {publicado.sha256}"
    assert segundo.getvalue().strip() == (
        f"Listado 2026-05 ya estaba publicado; no se reescribió: 2 registros, SHA-256 {publicado.sha256}"
    )


def test_the_command_refuses_a_bad_month_and_one_not_ended(db):
    with pytest.raises(CommandError, match="AAAA-MM"):
        call_command("listado_publico", "mayo")
    with pytest.raises(CommandError, match="ya terminó"):
        call_command("listado_publico", "2026-06")  # today is 1 June 2026 (hoy_fijo)


# ------------------------------------------------------------------------------------------------ public page
def test_the_public_page_lists_every_month_and_downloads_its_file_without_login(presentada, client):
    vacia = client.get(reverse("listado:publico"))
    assert "Todavía no hay listados publicados." in vacia.content.decode()

    publicado, _ = services.listado_publicar(mes=MAYO, hoy=JUNIO)
    pagina = client.get(reverse("listado:publico"))

    html = pagina.content.decode()
    enlace = reverse("listado:descargar", kwargs={"mes": "2026-05"})
    assert pagina.status_code == 200 and f'href="{enlace}"' in html
    assert "Mayo de 2026" in html and publicado.sha256 in html
    for dato in _identificadores(presentada):
        assert dato not in html
    descarga = client.get(enlace)
    assert descarga.status_code == 200
    assert descarga["Content-Disposition"] == 'attachment; filename="listado-publico-icsoe-2026-05.xlsx"'
    contenido = b"".join(descarga.streaming_content)
    assert hashlib.sha256(contenido).hexdigest() == publicado.sha256
    assert client.get(reverse("listado:descargar", kwargs={"mes": "2026-06"})).status_code == 404
    assert client.get("/listado-publico/no-es-mes.xlsx").status_code == 404


# ----------------------------------------------------------------------------------------------------------
# Last in the module: what the tests above published or filed stayed in each of them
# ----------------------------------------------------------------------------------------------------------
def test_the_earlier_tests_left_nothing_behind(_presentada, db):
    assert not ListadoPublico.objects.exists()
    firmada_intacta(_presentada)
