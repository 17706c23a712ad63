"""Browser journeys through Debian's Chromium for the complementarias of one period (issue 14, defects 16-21):
a Sin efectos is final and not offered in Modificar presentación, the filing it cancels reads "Dejada sin
efectos" in Consulta, Acuses and /verificar-acuse/, the verification page shows the state and the chain, a
Corrección keeps the contract's folio and its acuse says what it replaces, and a new Normal in a period with no
complementarias left is created only after the portal says so and the contratista confirms.

The filings are signed in Python with the same service the Firmar page calls (the signing page itself has its
own journey in presentacion/test_e2e_firma.py); every screen checked here is driven in the browser."""

from __future__ import annotations

import datetime
import io
import re

import pytest
from django.core.cache import cache
from django.utils import timezone
from playwright.sync_api import Page, expect
from pypdf import PdfReader

from informativas.captura import services
from informativas.models import Acuse, Informativa
from informativas.presentacion import services as presentacion

from .conftest import firmar

pytestmark = [pytest.mark.e2e, pytest.mark.solo_make_run, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _sin_bloqueos():
    cache.clear()


@pytest.fixture
def presentada(pendiente, fiel, contratista):
    return firmar(pendiente, fiel, usuario=contratista.usuario)


def _complementaria(origen, tipo, contratista, fiel) -> Informativa:
    nueva = presentacion.complementaria_crear(origen=origen, tipo=tipo, usuario=contratista.usuario)
    if nueva.estatus == Informativa.Estatus.EN_CAPTURA:
        services.informativa_enviar_a_firma(informativa=nueva, usuario=contratista.usuario)
    return firmar(nueva, fiel, usuario=contratista.usuario)


def _menu(page: Page, opcion: str) -> None:
    page.get_by_role("navigation", name="Menú principal").get_by_role("link", name=opcion).click()


def _texto_pdf(ruta) -> str:
    with open(ruta, "rb") as f:
        return "".join(p.extract_text() for p in PdfReader(io.BytesIO(f.read())).pages)


def _sin_espacios(texto: str) -> str:
    return re.sub(r"\s", "", texto)


def _estatus(texto: str) -> re.Pattern:
    """The Estatus cell: the state, then "(extemporánea)" when the filing was late (the fixed date makes the
    Normal of 2026-1 late)."""
    return re.compile(rf"^{re.escape(texto)}( \(extemporánea\))?$")


def _verificar(page: Page, live_server, folio: str) -> None:
    """/verificar-acuse/ as anyone holding the acuse does it: its folio and its verification code."""
    acuse = Acuse.objects.get(informativa__folio_definitivo=folio)
    page.goto(f"{live_server.url}/verificar-acuse/")
    page.get_by_label("Folio definitivo de la informativa").fill(folio)
    page.get_by_label("Código de verificación").fill(acuse.codigo_verificacion_mostrar)
    page.get_by_role("button", name="Verificar").click()
    expect(page.locator('[data-verificacion="valido"]')).to_contain_text("El acuse es auténtico")


@pytest.fixture
def cadena(presentada, contratista, fiel):
    """Normal N, its Corrección C, and a Sin efectos SE of C: the period has no filing in force."""
    correccion = _complementaria(presentada, "CORRECCION", contratista, fiel)
    sin_efectos = _complementaria(correccion, "SIN_EFECTOS", contratista, fiel)
    return presentada, correccion, sin_efectos


def test_16_modificar_offers_only_the_filing_in_force_never_a_sin_efectos(
    page: Page, live_server, contratista, cadena, entrar_como
):
    page.set_default_timeout(30_000)
    presentada, _, sin_efectos = cadena
    entrar_como(contratista.usuario)

    page.goto(live_server.url + "/")
    _menu(page, "Modificar presentación")
    expect(page.locator("#modificar tbody tr[data-folio]")).to_have_count(0)
    expect(page.locator("#modificar")).to_contain_text("No existen informativas vigentes para modificar.")
    # Its address, typed by hand, is refused before any choice is made.
    page.goto(f"{live_server.url}/informativas/{sin_efectos.code}/complementaria/")
    expect(page.get_by_role("heading", name="Modificar presentación")).to_be_visible()
    expect(page.get_by_role("status")).to_contain_text(
        "Una informativa complementaria Sin efectos es definitiva: no puede modificarse con otra complementaria."
    )
    page.goto(f"{live_server.url}/informativas/{presentada.code}/complementaria/")
    expect(page.get_by_role("status")).to_contain_text("Sólo se puede modificar una informativa presentada y vigente.")
    assert not Informativa.objects.filter(estatus=Informativa.Estatus.EN_CAPTURA).exists()


def test_17_the_filing_a_sin_efectos_cancels_reads_dejada_sin_efectos(
    page: Page, live_server, contratista, cadena, entrar_como
):
    page.set_default_timeout(30_000)
    n, c, se = (i.folio_definitivo for i in cadena)
    entrar_como(contratista.usuario)

    page.goto(live_server.url + "/")
    _menu(page, "Consulta de informativas")
    filas = {folio: page.locator("#consulta tbody tr", has_text=folio) for folio in (n, c, se)}
    expect(filas[c].locator('[data-columna="estatus"]')).to_have_text(_estatus("Dejada sin efectos"))
    expect(filas[n].locator('[data-columna="estatus"]')).to_have_text(_estatus("Sustituida"))
    expect(filas[se].locator('[data-columna="estatus"]')).to_have_text(_estatus("Presentada"))

    filas[c].get_by_role("link", name="Consultar").click()
    expect(page.locator('[data-detalle="estatus"]')).to_have_text(_estatus("Dejada sin efectos"))
    expect(page.locator('[data-detalle="vigencia"]')).to_have_text(f"Dejada sin efectos por la informativa con folio {se}.")

    _menu(page, "Acuses de presentación")
    expect(page.locator(f'#acuses tr[data-folio="{c}"] [data-columna="estado"]')).to_have_text(
        f"(dejada sin efectos por {se})"
    )
    expect(page.locator(f'#acuses tr[data-folio="{n}"] [data-columna="estado"]')).to_have_text(f"(sustituida por {c})")
    expect(page.locator(f'#acuses tr[data-folio="{se}"] [data-columna="estado"]')).to_have_count(0)

    page.context.clear_cookies()
    _verificar(page, live_server, c)
    expect(page.locator("#verificacion")).to_contain_text(f"Dejada sin efectos por la informativa con folio {se}.")
    expect(page.locator("#verificacion")).not_to_contain_text(f"Sustituida por la informativa {se}")


def test_18_the_verification_page_shows_the_state_and_the_chain(
    page: Page, live_server, contratista, fiel, cadena
):
    page.set_default_timeout(30_000)
    n, c, se = (i.folio_definitivo for i in cadena)

    _verificar(page, live_server, n)
    expect(page.locator('[data-vigencia="estado"]')).to_have_text(f"Sustituida por la informativa con folio {c}.")
    expect(page.locator('[data-vigencia="vigente"]')).to_have_text("El periodo no tiene informativa vigente.")
    historial = page.locator('[data-vigencia="historial"] li')
    expect(historial).to_have_count(3)
    expect(historial.nth(0)).to_contain_text(f"{n} · Normal (la que verificaste).")
    expect(historial.nth(1)).to_contain_text(f"{c} · Complementaria de Corrección.")
    expect(historial.nth(1)).to_contain_text(f"Sustituye a la informativa con folio {n}.")
    expect(historial.nth(1)).to_contain_text(f"Dejada sin efectos por la informativa con folio {se}.")
    expect(historial.nth(2)).to_contain_text(f"{se} · Complementaria de Sin efectos.")
    expect(historial.nth(2)).to_contain_text(f"Deja sin efectos la informativa con folio {c}.")

    _verificar(page, live_server, se)
    expect(page.locator('[data-vigencia="estado"]')).to_have_text("Presentada. Es definitiva: no puede modificarse.")
    expect(page.locator('[data-vigencia="relacion"]')).to_have_text(f"Deja sin efectos la informativa con folio {c}.")

    # A new filing of the period is the one in force, and every verification of the period says so.
    nueva = services.informativa_sin_informacion_declarar(
        contratista=contratista, anio=2026, cuatrimestre=1, usuario=contratista.usuario
    )
    nueva = firmar(nueva, fiel, usuario=contratista.usuario)
    _verificar(page, live_server, nueva.folio_definitivo)
    expect(page.locator('[data-vigencia="estado"]')).to_have_text("Vigente: es la informativa en vigor del periodo.")
    expect(page.locator('[data-vigencia="vigente"]')).to_have_text(f"Folio {nueva.folio_definitivo}")
    _verificar(page, live_server, c)
    expect(page.locator('[data-vigencia="vigente"]')).to_have_text(f"Folio {nueva.folio_definitivo}")


def _correccion_por_el_portal(page: Page, live_server, contratista, fiel, presentada) -> Informativa:
    """Modificar presentación → Corrección → Enviar a firma in the browser; signed with the service."""
    page.goto(live_server.url + "/")
    _menu(page, "Modificar presentación")
    page.locator(f'#modificar tr[data-folio="{presentada.folio_definitivo}"]').get_by_role("link", name="Modificar").click()
    page.get_by_label("Corrección").check()
    page.get_by_role("button", name="Continuar").click()
    expect(page.get_by_role("status")).to_contain_text("Se creó la informativa complementaria de Corrección")
    return Informativa.objects.get(tipo="CORRECCION")


def test_19_a_correccion_keeps_the_folio_of_each_contract(
    page: Page, live_server, contratista, fiel, presentada, entrar_como
):
    page.set_default_timeout(30_000)
    folio_contrato = presentada.contratos.get().folio
    entrar_como(contratista.usuario)

    correccion = _correccion_por_el_portal(page, live_server, contratista, fiel, presentada)

    # The Resumen of the Corrección lists the copied contract under the folio it was presented with.
    expect(page.get_by_role("heading", name="Resumen")).to_be_visible()
    expect(page.locator("main")).to_contain_text(folio_contrato)
    assert correccion.contratos.get().folio == folio_contrato


def test_21_the_acuse_of_a_correccion_says_what_it_replaces_and_its_cadena_names_it(
    page: Page, live_server, settings, contratista, fiel, presentada, entrar_como, tmp_path
):
    settings.ICSOE_BASE_URL = live_server.url
    page.set_default_timeout(60_000)
    n = presentada.folio_definitivo
    entrar_como(contratista.usuario)

    page.goto(live_server.url + "/")
    correccion = _correccion_por_el_portal(page, live_server, contratista, fiel, presentada)
    page.get_by_role("button", name="Enviar a firma").click()
    expect(page.get_by_role("status")).to_contain_text("La informativa se envió a firma")
    c = firmar(correccion, fiel, usuario=contratista.usuario).folio_definitivo

    _menu(page, "Acuses de presentación")
    expect(page.locator(f'#acuses tr[data-folio="{c}"] [data-columna="estado"]')).to_have_text("(vigente)")
    with page.expect_download() as descarga:
        page.locator(f'#acuses tr[data-folio="{c}"]').get_by_role("link", name="Descargar Acuse").click()
    ruta = tmp_path / descarga.value.suggested_filename
    descarga.value.save_as(ruta)
    texto = _sin_espacios(_texto_pdf(ruta))
    assert _sin_espacios(f"Esta informativa complementaria de Corrección sustituye a la informativa con folio {n}.") in texto
    assert f"||2|{c}|" in texto and f"|CORRECCION|{n}|" in texto  # cadena version 2 names the folio it modifies

    page.context.clear_cookies()
    _verificar(page, live_server, c)
    expect(page.locator('[data-vigencia="estado"]')).to_have_text("Vigente: es la informativa en vigor del periodo.")
    expect(page.locator('[data-vigencia="relacion"]')).to_have_text(f"Sustituye a la informativa con folio {n}.")

    # In Consulta, the Corrección is the filing in force and says so; the Normal was replaced.
    entrar_como(contratista.usuario)
    page.goto(live_server.url + "/")
    _menu(page, "Consulta de informativas")
    expect(page.locator("#consulta tbody tr", has_text=c).locator('[data-columna="estatus"]')).to_have_text(
        _estatus("Presentada (vigente)")
    )
    expect(page.locator("#consulta tbody tr", has_text=n).locator('[data-columna="estatus"]')).to_have_text(
        _estatus("Sustituida")
    )


def test_21_the_acuse_of_a_sin_efectos_says_which_filing_it_leaves_without_effect(
    page: Page, live_server, settings, contratista, fiel, presentada, entrar_como, tmp_path
):
    settings.ICSOE_BASE_URL = live_server.url
    page.set_default_timeout(60_000)
    sin_efectos = _complementaria(presentada, "SIN_EFECTOS", contratista, fiel)
    n, se = presentada.folio_definitivo, sin_efectos.folio_definitivo
    entrar_como(contratista.usuario)

    page.goto(live_server.url + "/")
    _menu(page, "Acuses de presentación")
    with page.expect_download() as descarga:
        page.locator(f'#acuses tr[data-folio="{se}"]').get_by_role("link", name="Descargar Acuse").click()
    ruta = tmp_path / descarga.value.suggested_filename
    descarga.value.save_as(ruta)
    texto = _sin_espacios(_texto_pdf(ruta))
    assert _sin_espacios(f"Esta informativa complementaria deja sin efectos la informativa con folio {n}.") in texto
    assert f"|SIN_EFECTOS|{n}|" in texto


def test_20_a_new_normal_without_complementarias_left_is_created_only_after_a_warning(
    page: Page, live_server, contratista, fiel, presentada, entrar_como
):
    page.set_default_timeout(30_000)
    for _ in range(3):  # three Correcciones of the period, already replaced
        Informativa.objects.create(
            contratista=contratista,
            anio=2026,
            cuatrimestre=1,
            tipo="CORRECCION",
            informativa_origen=presentada,
            estatus=Informativa.Estatus.SUSTITUIDA,
        )
    _complementaria(presentada, "SIN_EFECTOS", contratista, fiel)  # the fourth: the period has none in force
    entrar_como(contratista.usuario)

    def elegir(tipo: str) -> None:
        page.goto(f"{live_server.url}/informativas/nueva/")
        page.get_by_label("Año").select_option("2026")
        page.get_by_label("Periodo a informar").select_option("1")
        page.get_by_label("Tipo de informativa a presentar").select_option(tipo)
        page.get_by_role("button", name="Continuar").click()

    aviso = (
        "Ya se usaron las 4 informativas complementarias permitidas para el periodo Enero - Abril 2026: si "
        "presentas una nueva informativa {tipo}, no podrás corregirla ni dejarla sin efectos."
    )
    elegir("NORMAL")
    dialogo = page.get_by_role("dialog", name="Sin complementarias disponibles")
    expect(dialogo.locator('[data-aviso="sin-complementarias"]')).to_have_text(aviso.format(tipo="Normal"))
    dialogo.get_by_role("link", name="Cancelar").click()
    expect(page.get_by_role("heading", name="Capturar informativa")).to_be_visible()
    expect(page.get_by_label("Tipo de informativa a presentar")).to_have_value("NORMAL")  # nothing typed is lost
    assert not Informativa.objects.filter(tipo="NORMAL", estatus=Informativa.Estatus.EN_CAPTURA).exists()

    # Sin información: the same warning on its protesta de decir verdad, before anything is created.
    elegir("SIN_INFORMACION")
    expect(page.locator('[data-aviso="sin-complementarias"]')).to_have_text(aviso.format(tipo="Sin información"))
    assert not Informativa.objects.filter(tipo="SIN_INFORMACION").exists()

    elegir("NORMAL")
    page.get_by_role("button", name="Sí, crear la informativa").click()
    expect(page.get_by_role("status")).to_contain_text("Se creó la informativa.")
    nueva = Informativa.objects.get(tipo="NORMAL", estatus=Informativa.Estatus.EN_CAPTURA)
    assert (nueva.anio, nueva.cuatrimestre) == (2026, 1)


def test_issue_22_a_period_left_without_effect_reads_the_same_on_the_board_the_period_page_and_the_bandeja(
    page: Page, live_server, cadena, contratista, capturista, entrar_como
):
    """Normal → Corrección → Sin efectos of January–April 2026: no filing in force. The board said «Presentada
    extemporánea» while the period page said «Aún no has presentado»; now every screen says it is to present."""
    _, _, sin_efectos = cadena
    alta = timezone.make_aware(datetime.datetime(2025, 3, 3, 10))  # registered before the period: it owes it
    type(contratista).objects.filter(pk=contratista.pk).update(created_at=alta)

    # The capturista's board: the cell reads «Dejada sin efectos» and opens a new informativa of the period
    entrar_como(capturista)
    page.goto(f"{live_server.url}/informativas/tablero/")
    celda = page.get_by_role("button", name=f"{contratista.razon_social}, Enero - Abril 2026", exact=False)
    expect(celda).to_have_text(re.compile(r"^Dejada sin efectos"))
    celda.click()
    expect(page).to_have_url(re.compile(r"/informativas/nueva/\?anio=2026&cuatrimestre=1"))

    # The period page (where a reminder leads) says why, and speaks to the capturista of the contratista
    page.goto(f"{live_server.url}/informativas/periodos/{contratista.code}/2026/1/")
    texto = page.locator("#sin-vigente")
    expect(texto).to_contain_text(f"La informativa con folio {sin_efectos.folio_definitivo} dejó sin efectos")
    expect(texto).to_contain_text("el periodo no tiene una informativa vigente. El contratista puede presentarla")
    expect(page.get_by_text("con la e.firma del contratista")).to_be_visible()
    expect(page.get_by_text("Aún no has presentado")).to_have_count(0)

    # The contratista's bandeja lists the period as not presented
    entrar_como(contratista.usuario)
    page.goto(f"{live_server.url}/informativas/")
    expect(page.locator('#no-presentados [data-periodo="2026-1"]')).to_contain_text("Enero - Abril 2026")
