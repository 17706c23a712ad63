"""Browser journey through Debian's Chromium: the contratista captures a Normal, signs it with its e.firma
(Validar shows the cadena original, Firmar signs it in the browser: no request carries the key or its
password), closes "Firma exitosa", downloads the acuse from "Acuses de presentación" and reads the
PDF back (folio, cadena original); its QR, decoded from the file, and the URL printed under it lead to the
verification page, which says the acuse is authentic. Then a Corrección of it is captured from "Modificar
presentación", signed, and gets its own folio and acuse."""

from __future__ import annotations

import io
import re
from urllib.parse import parse_qs

import pytest
from django.core.cache import cache
from playwright.sync_api import Page, expect
from pypdf import PdfReader

from informativas.models import Informativa
from tests.efirma_sat import cuerpo_resumido, rastros_en_cuerpo

from ..datos import nss
from ..qr import leer_qr

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _sin_bloqueos():
    cache.clear()


def _pregunta(page: Page, texto: str):
    return page.get_by_role("radiogroup", name=re.compile(re.escape(texto)))


def _menu(page: Page, opcion: str) -> None:
    page.get_by_role("navigation", name="Menú principal").get_by_role("link", name=opcion).click()


def _texto_pdf(ruta) -> str:
    with open(ruta, "rb") as f:
        return "".join(p.extract_text() for p in PdfReader(io.BytesIO(f.read())).pages)


def _sin_espacios(texto: str) -> str:
    return re.sub(r"\s", "", texto)


def _firmar(page: Page, fiel) -> str:
    """Validar and Firmar on the page; returns the cadena original the page showed before signing."""
    _menu(page, "Firma y presentación")
    page.locator("#firma tbody tr").first.get_by_role("link", name="Firmar").click()
    expect(page.get_by_role("heading", name="Resumen")).to_be_visible()
    page.get_by_label("RFC").fill(fiel.rfc)
    page.get_by_label("Certificado").set_input_files(str(fiel.cer))
    page.get_by_label(re.compile(r"^Llave privada")).set_input_files(str(fiel.key))
    page.get_by_label("Contraseña de la Llave privada").fill(fiel.password)
    page.get_by_role("button", name="Validar").click()
    expect(page.get_by_text("La validación de la FIEL fue exitosa.")).to_be_visible()
    cadena = page.locator("[data-cadena-original]").text_content()
    page.get_by_role("button", name="Firmar").click()
    dialogo = page.get_by_role("dialog", name="Firma exitosa")
    expect(dialogo).to_be_visible()
    dialogo.get_by_role("link", name="Cerrar").click()
    expect(page.get_by_role("heading", name="Firma y presentación")).to_be_visible()
    return cadena


def _descargar(page: Page, folio: str, tmp_path):
    """The downloaded acuse: its file and its text."""
    _menu(page, "Acuses de presentación")
    fila = page.locator(f'#acuses tr[data-folio="{folio}"]')
    with page.expect_download() as descarga:
        fila.get_by_role("link", name="Descargar Acuse").click()
    ruta = tmp_path / descarga.value.suggested_filename
    descarga.value.save_as(ruta)
    return ruta, _texto_pdf(ruta)


@pytest.mark.make_run
def test_the_contratista_signs_downloads_verifies_and_files_a_correccion(
    page: Page, live_server, settings, contratista, fiel, padron_sat, renapo, entrar_como, tmp_path, cuerpos_recibidos
):
    settings.ICSOE_BASE_URL = live_server.url  # the acuse's QR and printed URL point at this server
    page.set_default_timeout(60_000)  # signing renders a PDF; a shared machine may be slow
    entrar_como(contratista.usuario)

    # Capture a Normal with one contract and one worker, and send it to signing
    page.goto(live_server.url + "/informativas/nueva/")
    page.locator("#id_anio").select_option("2025")
    page.locator("#id_cuatrimestre").select_option(label="Enero - Abril")
    page.locator("#id_tipo").select_option(label="Normal")
    page.get_by_role("button", name="Continuar").click()
    _pregunta(page, "domicilio convencional del contratista").get_by_label("Sí").check()
    page.get_by_role("button", name="Guardar y continuar").click()
    page.locator("#id_rfc").fill(padron_sat.rfc)
    page.get_by_role("button", name="Validar").click()
    expect(page.locator("#id_razon_social")).to_have_value("CLIENTE INDUSTRIAL SA DE CV")
    page.locator("#id_correo").fill("compras@cliente.mx")
    page.locator("#id_celular").fill("5511112222")
    _pregunta(page, "domicilio social del contratante").get_by_label("Sí").check()
    _pregunta(page, "domicilio convencional del contratante").get_by_label("Sí").check()
    page.get_by_role("button", name="Agregar contrato").click()
    page.locator("#id_objeto").fill("OC 4500012345 limpieza de oficinas")
    page.locator("#id_registro_repse").fill("AR12345/2021")
    page.locator("#id_servicio").fill("Servicio especializado de limpieza industrial")
    page.locator("#id_fecha_inicio").fill("2025-02-01")
    page.get_by_role("button", name="Guardar y continuar").click()
    page.locator("#id_nss").fill(nss(1))
    page.locator("#id_curp").fill(renapo.curp)
    page.locator("#id_sbc").fill("452.37")
    page.get_by_role("button", name="Agregar trabajador").click()
    expect(page.locator("#trabajadores")).to_contain_text("MARÍA LÓPEZ HERNÁNDEZ")
    page.get_by_role("link", name="Continuar").click()
    page.locator("#id_contratos_declarados").fill("1")
    page.get_by_role("button", name="Guardar", exact=True).click()
    page.get_by_role("button", name="Enviar a firma").click()
    expect(page.get_by_role("status")).to_contain_text("La informativa se envió a firma")

    # Firma y presentación: the page shows the cadena original, signs it in the browser, and sends no key
    enviados: list[bytes] = []
    page.on("request", lambda r: enviados.append(r.post_data_buffer or b"") if r.method == "POST" else None)
    del cuerpos_recibidos[:]
    cadena = _firmar(page, fiel)
    normal = Informativa.objects.get(tipo="NORMAL")
    assert normal.estatus == Informativa.Estatus.PRESENTADA
    assert cadena == normal.cadena_original  # exactly what the contratista saw
    firma_posts = [(ruta, cuerpo) for metodo, ruta, cuerpo in cuerpos_recibidos if metodo == "POST"]
    assert [ruta for ruta, _ in firma_posts] == [f"/informativas/{normal.code}/firmar/validar/", f"/informativas/{normal.code}/firmar/"]
    assert len(enviados) == 2
    for ruta, cuerpo in firma_posts:
        print(cuerpo_resumido(ruta, cuerpo))
    for cuerpo in [c for _, c in firma_posts] + enviados:
        assert rastros_en_cuerpo(cuerpo, llave=fiel.key.read_bytes(), password=fiel.password) == []
        assert set(parse_qs(cuerpo.decode("ascii"))) <= {"csrfmiddlewaretoken", "rfc", "certificado", "reto", "firma"}

    # Acuses de presentación: the downloaded PDF shows the folio and the cadena original
    ruta, texto = _descargar(page, normal.folio_definitivo, tmp_path)
    fila = page.locator(f'#acuses tr[data-folio="{normal.folio_definitivo}"]')
    expect(fila.locator('[data-columna="tipo"]')).to_have_text("Normal")
    expect(fila.locator('[data-columna="contratos"]')).to_have_text("1")
    expect(fila.locator('[data-columna="trabajadores"]')).to_have_text("1")
    expect(fila.locator("[data-codigo-verificacion]")).to_have_text(
        f"Código de verificación: {normal.acuse.codigo_verificacion_mostrar}"
    )
    assert normal.folio_definitivo in texto
    assert _sin_espacios(normal.cadena_original) in _sin_espacios(texto)

    # The QR (read from the downloaded file by a real decoder) and the URL printed under it verify it, for anyone
    url = re.search(
        r"https?://\S+?verificar-acuse/\?folio=(?:N|SI|C|SE|A)\d{9}&codigo=[0-9A-Z]{20}", _sin_espacios(texto)
    ).group(0)
    codigo = normal.acuse.codigo_verificacion
    assert url == f"{live_server.url}/verificar-acuse/?folio={normal.folio_definitivo}&codigo={codigo}"
    assert leer_qr(ruta.read_bytes()) == [url]
    page.context.clear_cookies()
    page.goto(url)
    expect(page.locator('[data-verificacion="valido"]')).to_contain_text("El acuse es auténtico")
    expect(page.locator("#verificacion")).to_contain_text(normal.folio_definitivo)

    # Modificar presentación: a Corrección, captured, sent and signed, with its own folio and acuse
    entrar_como(contratista.usuario)
    page.goto(live_server.url + "/")
    _menu(page, "Modificar presentación")
    page.locator(f'#modificar tr[data-folio="{normal.folio_definitivo}"]').get_by_role("link", name="Modificar").click()
    expect(page.locator('[data-complementarias="restantes"]')).to_have_text("4 de 4")
    page.get_by_label("Corrección").check()
    page.get_by_role("button", name="Continuar").click()
    expect(page.get_by_role("status")).to_contain_text("Se creó la informativa complementaria de Corrección")
    expect(page.get_by_text("La informativa está completa y lista para enviarse a firma.")).to_be_visible()
    page.get_by_role("button", name="Enviar a firma").click()
    expect(page.get_by_role("status")).to_contain_text("La informativa se envió a firma")
    _firmar(page, fiel)

    correccion = Informativa.objects.get(tipo="CORRECCION")
    normal.refresh_from_db()
    assert correccion.estatus == Informativa.Estatus.PRESENTADA
    assert normal.estatus == Informativa.Estatus.SUSTITUIDA
    assert re.fullmatch(r"C25\d{7}", correccion.folio_definitivo)
    _, texto = _descargar(page, correccion.folio_definitivo, tmp_path)
    fila = page.locator(f'#acuses tr[data-folio="{correccion.folio_definitivo}"]')
    expect(fila.locator('[data-columna="tipo"]')).to_have_text("Complementaria")
    expect(fila.locator('[data-columna="complementaria"]')).to_have_text("Corrección")
    assert correccion.folio_definitivo in texto and normal.folio_definitivo in texto
    assert _sin_espacios(correccion.cadena_original) in _sin_espacios(texto)
