"""Every acuse of a period in one download: the ZIP (streamed from the storage, RFC_folio.pdf) and the XLSX
summary, from the capturista's board (every contratista it serves) and from a contratista's Acuses page (its
own), opened back and checked. The five signed informativas are made once for the module; the storage being S3
or down: test_descargas_s3.py."""

from __future__ import annotations

import copy
import datetime
import hashlib
import io
import re
import shutil
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.core.cache import cache
from django.db import transaction
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook
from pypdf import PdfReader

from capturistas.access import SESSION_KEY
from contratistas.models import Contratista
from informativas.models import Acuse, Informativa
from informativas.periodos import Periodo
from informativas.presentacion import paquete
from informativas.presentacion.paquete import COLUMNAS_RESUMEN, FALTANTES
from informativas.tablero.views import MENSAJE_SIN_ACUSES
from tests.conftest import contratista_con_terminos, contratista_crear, otro_contratista_crear

from ..conftest import ajustes_de_firma
from .conftest import HOY_TABLERO, Despacho, despacho_crear, presentar_sin_informacion, relacionar

pytestmark = pytest.mark.django_db

D = datetime.date
TABLERO_ACUSES = "/informativas/tablero/acuses/"
ACUSES_PERIODO = "/informativas/acuses/periodo/"


@pytest.fixture(autouse=True)
def _hoy(settings):
    settings.ICSOE_HOY = HOY_TABLERO.isoformat()
    cache.clear()


@dataclass
class Firmadas:
    despacho: Despacho
    presentadas: dict[str, Informativa]
    media: Path  # their acuses' PDFs


@pytest.fixture(scope="module")
def _firmadas(django_db_setup, django_db_blocker, pki, _fieles_de_la_sesion, tmp_path_factory) -> Iterator[Firmadas]:
    """January–April 2026 presented by A (on time), B (late), C and E (another capturista's); A also presented
    September–December 2025, another period. Signed once for the module, as Django's setUpTestData (and the
    demo of tests/demo/test_cargar_demo.py): in a transaction rolled back after the module's last test, each
    test in a savepoint inside it (`firmadas`)."""
    media = tmp_path_factory.mktemp("acuses-del-modulo") / "media"
    with (
        django_db_blocker.unblock(),
        override_settings(**ajustes_de_firma(pki, media=media), ICSOE_HOY=HOY_TABLERO.isoformat()),
        transaction.atomic(),
    ):
        cache.clear()
        despacho = despacho_crear(contratista_crear(), otro_contratista_crear())
        fieles = _fieles_de_la_sesion
        presentadas = {
            "a": presentar_sin_informacion(despacho.a, 2026, 1, fieles, hoy=D(2026, 5, 12)),
            "b": presentar_sin_informacion(despacho.b, 2026, 1, fieles, hoy=D(2026, 6, 2)),
            "c": presentar_sin_informacion(despacho.c, 2026, 1, fieles, hoy=D(2026, 5, 18)),
            "e": presentar_sin_informacion(despacho.e, 2026, 1, fieles, hoy=D(2026, 5, 13)),
            "a_anterior": presentar_sin_informacion(despacho.a, 2025, 3, fieles, hoy=D(2026, 1, 12)),
        }
        try:
            yield Firmadas(despacho, presentadas, media)
        finally:
            transaction.set_rollback(True)


@pytest.fixture
def firmadas(_firmadas, firma_lista, settings) -> Firmadas:
    """The module's signed set for one test: its own copies of the objects (what a test changes on them stays
    in it) and of the stored PDFs, in the test's media folder (a test may delete one)."""
    shutil.copytree(_firmadas.media, settings.MEDIA_ROOT)
    return copy.deepcopy(_firmadas)


@pytest.fixture
def despacho(firmadas) -> Despacho:
    return firmadas.despacho


@pytest.fixture
def presentadas(firmadas) -> dict[str, Informativa]:
    return firmadas.presentadas


@pytest.fixture
def cliente_despacho(client, despacho):
    client.force_login(despacho.capturista)
    return client


def _zip(respuesta) -> zipfile.ZipFile:
    assert respuesta.status_code == 200, respuesta.content[:300]
    assert respuesta["Content-Type"] == "application/zip"
    assert respuesta.streaming
    return zipfile.ZipFile(io.BytesIO(b"".join(respuesta.streaming_content)))


def _texto_pdf(datos: bytes) -> str:
    return re.sub(r"\s", "", "".join(p.extract_text() for p in PdfReader(io.BytesIO(datos)).pages))


def _pdfs(archivo: zipfile.ZipFile) -> dict[str, bytes]:
    return {n: archivo.read(n) for n in archivo.namelist() if n.endswith(".pdf")}


def _filas(datos: bytes) -> list[tuple]:
    hoja = load_workbook(io.BytesIO(datos)).active
    return list(hoja.iter_rows(values_only=True))


def _revisar_pdfs(pdfs: dict[str, bytes], informativas: list[Informativa]) -> None:
    """Each PDF is the stored acuse, byte for byte: a real acuse naming its folio."""
    assert sorted(pdfs) == sorted(f"{i.contratista.rfc}_{i.folio_definitivo}.pdf" for i in informativas)
    for informativa in informativas:
        datos = pdfs[f"{informativa.contratista.rfc}_{informativa.folio_definitivo}.pdf"]
        assert datos.startswith(b"%PDF") and hashlib.sha256(datos).hexdigest() == informativa.acuse.pdf_sha256
        assert informativa.folio_definitivo in _texto_pdf(datos)


# ----------------------------------------------------------------------------------------------------------
# From the board: every contratista the capturista serves
# ----------------------------------------------------------------------------------------------------------
def test_the_board_zip_holds_the_acuse_of_each_contratista_served_and_the_summary(cliente_despacho, presentadas):
    respuesta = cliente_despacho.get(TABLERO_ACUSES, {"periodo": "2026-1", "formato": "zip"})

    assert 'filename="Acuses_2026_Enero-Abril.zip"' in respuesta["Content-Disposition"]
    archivo = _zip(respuesta)
    assert archivo.testzip() is None
    _revisar_pdfs(_pdfs(archivo), [presentadas[k] for k in ("a", "b", "c")])  # not E's, not A's other period
    filas = _filas(archivo.read("Resumen_Acuses_2026_Enero-Abril.xlsx"))
    assert filas[0] == tuple(t for t, _ in COLUMNAS_RESUMEN)
    assert [f[7] for f in filas[1:]] == [presentadas[k].folio_definitivo for k in ("c", "a", "b")]  # by RFC


def test_the_summary_has_the_rows_clients_ask_for(cliente_despacho, presentadas, despacho):
    respuesta = cliente_despacho.get(TABLERO_ACUSES, {"periodo": "2026-1", "formato": "xlsx"})

    assert respuesta["Content-Type"] == paquete_xlsx()
    assert 'filename="Acuses_2026_Enero-Abril.xlsx"' in respuesta["Content-Disposition"]
    filas = _filas(b"".join(respuesta.streaming_content))
    b = presentadas["b"]
    acuse = Acuse.objects.get(informativa=b)
    fila_b = next(f for f in filas if f[0] == despacho.b.rfc)
    assert fila_b == (
        "PEJJ800101AB6",
        "JUAN PÉREZ JIMÉNEZ",
        "Enero - Abril 2026",
        2026,
        "Primero",
        "Sin información",
        None,
        b.folio_definitivo,
        timezone.localtime(b.fecha_presentacion).replace(tzinfo=None, microsecond=0),
        0,
        0,
        acuse.codigo_verificacion_mostrar,
        "Vigente",
        "Sí",
        f"PEJJ800101AB6_{b.folio_definitivo}.pdf",
    )
    assert next(f for f in filas if f[0] == despacho.a.rfc)[13] == "No"
    assert len(filas) == 4


def paquete_xlsx() -> str:
    return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def test_a_period_without_acuses_says_so_and_keeps_the_filters(cliente_despacho, despacho):
    respuesta = cliente_despacho.get(TABLERO_ACUSES, {"periodo": "2026-2", "formato": "zip", "estado": "borrador"})

    assert respuesta.status_code == 302
    assert respuesta["Location"] == "/informativas/tablero/?estado=borrador&periodo=2026-2"
    pagina = cliente_despacho.get(respuesta["Location"]).content.decode()
    assert MENSAJE_SIN_ACUSES.format(periodo=Periodo(2026, 2)) in pagina
    assert '<option value="2026-2" selected>' in pagina


@pytest.mark.parametrize("periodo", ["", "2020-1", "basura"])
def test_a_period_not_on_the_board_is_refused_with_a_message(cliente_despacho, despacho, periodo):
    respuesta = cliente_despacho.get(TABLERO_ACUSES, {"periodo": periodo}, follow=True)

    html = respuesta.content.decode()
    assert ("Selecciona el periodo de los acuses" in html) or ("Selecciona uno de los periodos de la lista." in html)


def test_another_capturistas_contratistas_are_never_in_the_zip(client, despacho, presentadas):
    client.force_login(despacho.otro_capturista)

    archivo = _zip(client.get(TABLERO_ACUSES, {"periodo": "2026-1"}))

    _revisar_pdfs(_pdfs(archivo), [presentadas["e"]])


# ----------------------------------------------------------------------------------------------------------
# From a contratista's Acuses page: its own acuses of the period
# ----------------------------------------------------------------------------------------------------------
def test_the_acuses_page_offers_the_periods_with_acuses_and_downloads_its_own(client, despacho, presentadas):
    client.force_login(despacho.a.usuario)

    pagina = client.get(reverse("informativas:acuses")).content.decode()
    assert '<option value="2026-1">Enero - Abril 2026</option>' in pagina
    assert '<option value="2025-3">Septiembre - Diciembre 2025</option>' in pagina
    respuesta = client.get(ACUSES_PERIODO, {"periodo": "2026-1", "formato": "zip"})

    assert 'filename="Acuses_ESI920427886_2026_Enero-Abril.zip"' in respuesta["Content-Disposition"]
    archivo = _zip(respuesta)
    _revisar_pdfs(_pdfs(archivo), [presentadas["a"]])
    assert [f[7] for f in _filas(archivo.read("Resumen_Acuses_ESI920427886_2026_Enero-Abril.xlsx"))[1:]] == [
        presentadas["a"].folio_definitivo
    ]


def test_a_capturista_downloads_the_acuses_of_the_contratista_it_works_for(client, despacho, presentadas):
    client.force_login(despacho.capturista)
    sesion = client.session
    sesion[SESSION_KEY] = str(despacho.b.code)
    sesion.save()

    archivo = _zip(client.get(ACUSES_PERIODO, {"periodo": "2026-1"}))

    _revisar_pdfs(_pdfs(archivo), [presentadas["b"]])


def test_a_period_in_which_the_contratista_presented_nothing_is_refused(client, despacho, presentadas):
    client.force_login(despacho.b.usuario)

    respuesta = client.get(ACUSES_PERIODO, {"periodo": "2025-3", "formato": "xlsx"}, follow=True)

    assert respuesta.redirect_chain[-1][0] == reverse("informativas:acuses") + "?periodo=2025-3"
    assert "Selecciona uno de los periodos de la lista." in respuesta.content.decode()


def test_a_replaced_filings_acuse_comes_too_marked_in_the_summary(client, despacho, fieles, presentadas):
    from informativas.presentacion import services as presentacion
    from tests.firma_navegador import firmar_informativa

    a = presentadas["a"]
    sin_efectos = presentacion.complementaria_crear(origen=a, tipo="SIN_EFECTOS", usuario=despacho.a.usuario)
    firmar_informativa(sin_efectos, fieles[despacho.a.rfc], usuario=despacho.a.usuario, hoy=D(2026, 7, 1))
    client.force_login(despacho.a.usuario)

    archivo = _zip(client.get(ACUSES_PERIODO, {"periodo": "2026-1"}))

    sin_efectos.refresh_from_db()
    a.refresh_from_db()
    _revisar_pdfs(_pdfs(archivo), [a, sin_efectos])
    filas = _filas(archivo.read("Resumen_Acuses_ESI920427886_2026_Enero-Abril.xlsx"))
    assert {(f[7], f[6], f[12]) for f in filas[1:]} == {
        (a.folio_definitivo, None, "Dejada sin efectos"),
        (sin_efectos.folio_definitivo, "Sin efectos", "Presentada"),
    }


# ----------------------------------------------------------------------------------------------------------
# The summary's cells are safe; a PDF missing from the storage is named, the rest still arrives
# ----------------------------------------------------------------------------------------------------------
def test_a_razon_social_that_looks_like_a_formula_is_written_as_text(despacho, fieles, firma_lista, tmp_path):
    from firma.demo import DemoCA, emitir_efirma, guardar_efirma
    from tests.efirma_sat import PASSWORD_SAT, Efirma

    rfc = "FOR010101AB1"
    formula = contratista_con_terminos(rfc=rfc, razon_social='=HYPERLINK("http://x.example","SA DE CV")')
    relacionar(formula, despacho.capturista)
    cer, key = emitir_efirma(
        ca=DemoCA.load_or_create(firma_lista["var"] / "demo-efirma"), rfc=rfc, nombre="FORMULA", password=PASSWORD_SAT
    )
    ruta_cer, ruta_key = guardar_efirma(directorio=tmp_path, rfc=rfc, cer=cer, key=key)
    presentar_sin_informacion(formula, 2026, 1, {rfc: Efirma(ruta_cer, ruta_key, PASSWORD_SAT, rfc)}, hoy=D(2026, 5, 5))
    archivo = io.BytesIO()

    paquete.acuses_resumen_xlsx(
        acuses=paquete.acuses_del_periodo(contratistas=[formula.pk], periodo=Periodo(2026, 1)), archivo=archivo
    )

    celda = load_workbook(io.BytesIO(archivo.getvalue())).active["B2"]
    assert celda.value == "'" + formula.razon_social and celda.data_type == "s"


def test_a_pdf_missing_from_the_storage_is_named_and_the_others_still_arrive(cliente_despacho, presentadas):
    faltante = Acuse.objects.get(informativa=presentadas["b"])
    faltante.pdf.storage.delete(faltante.pdf.name)

    archivo = _zip(cliente_despacho.get(TABLERO_ACUSES, {"periodo": "2026-1"}))

    _revisar_pdfs(_pdfs(archivo), [presentadas["a"], presentadas["c"]])
    assert f"PEJJ800101AB6_{presentadas['b'].folio_definitivo}.pdf" in archivo.read(FALTANTES).decode()


def test_the_zip_is_a_stream_of_many_chunks_not_one_file_in_memory(presentadas):
    acuses = paquete.acuses_del_periodo(contratistas=[i.contratista_id for i in presentadas.values()], periodo=Periodo(2026, 1))

    partes = list(paquete.acuses_zip(acuses=acuses))

    assert len(partes) >= len(acuses) + 1
    assert len(zipfile.ZipFile(io.BytesIO(b"".join(partes))).namelist()) == 4


# ----------------------------------------------------------------------------------------------------------
# Last in the module: what the tests above changed (a complementaria signed, a stored PDF deleted, a
# contratista added) stayed in each of them; the signed set is as it was made
# ----------------------------------------------------------------------------------------------------------
def test_the_earlier_tests_left_nothing_behind(presentadas, settings):
    assert Informativa.objects.count() == Acuse.objects.count() == len(presentadas)
    for informativa in presentadas.values():
        actual = Informativa.objects.get(pk=informativa.pk)
        assert (actual.estatus, actual.folio_definitivo) == (informativa.estatus, informativa.folio_definitivo)
        ruta = settings.MEDIA_ROOT / informativa.acuse.pdf.name
        assert hashlib.sha256(ruta.read_bytes()).hexdigest() == informativa.acuse.pdf_sha256
    assert sorted(p.name for p in settings.MEDIA_ROOT.rglob("*.pdf")) == sorted(
        Path(i.acuse.pdf.name).name for i in presentadas.values()
    )
    assert not Contratista.objects.filter(rfc="FOR010101AB1").exists()
