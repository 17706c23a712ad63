"""Browser journeys through Debian's Chromium: a capturista captures a Normal informativa with two contracts
(one worker typed by hand, the other contract's workers uploaded as a real CSV file) and sends it to signing;
the contratista then sees it in its bandeja. A Sin información reaches "Pendiente de firma"."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from informativas.models import CargaMasiva, Informativa

from ..datos import csv_trabajadores, curp, nss

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

RFC_CLIENTE = "CLI010101AB5"
RFC_SIN_PADRON = "SCO990101AA6"


def _pregunta(page: Page, texto: str):
    return page.get_by_role("radiogroup", name=re.compile(re.escape(texto)))


def _agregar_contratante(page: Page, *, rfc: str, razon_social: str | None = None, domicilio: bool = False):
    page.locator("#id_rfc").fill(rfc)
    page.get_by_role("button", name="Validar").click()
    if razon_social is None:
        expect(page.locator("#rfc-validado")).to_contain_text("RFC encontrado en el padrón del SAT")
        expect(page.locator("#id_razon_social")).to_have_value("CLIENTE INDUSTRIAL SA DE CV")
    else:
        expect(page.locator("#rfc-validado")).to_contain_text("no se encontró en el padrón del SAT")
        page.locator("#id_razon_social").fill(razon_social)
    page.locator("#id_correo").fill("compras@cliente.mx")
    page.locator("#id_celular").fill("5511112222")
    _pregunta(page, "domicilio social del contratante").get_by_label("Sí").check()
    if domicilio:
        _pregunta(page, "domicilio convencional del contratante").get_by_label("No").check()
        page.locator("#id_convencional-codigo_postal").press_sequentially("01000")
        colonia = page.locator("#id_convencional-asentamiento")
        expect(colonia.locator("option", has_text="SAN ÁNGEL")).to_have_count(1)  # loaded by htmx
        colonia.select_option(label="SAN ÁNGEL")
        page.locator("#id_convencional-calle").fill("Av. Revolución")
        page.locator("#id_convencional-numero_exterior").fill("1500")
    else:
        _pregunta(page, "domicilio convencional del contratante").get_by_label("Sí").check()
    page.get_by_role("button", name="Agregar contrato").click()
    expect(page.get_by_role("status")).to_contain_text("Se registró el contrato A25P")


def _capturar_contrato(page: Page, *, objeto: str, inicio: str):
    page.locator("#id_objeto").fill(objeto)
    page.locator("#id_registro_repse").fill("AR12345/2021")
    page.locator("#id_servicio").fill("Servicio especializado de limpieza industrial")
    page.locator("#id_fecha_inicio").fill(inicio)
    page.get_by_role("button", name="Guardar y continuar").click()
    expect(page.get_by_role("heading", name=re.compile("Trabajadores del contrato"))).to_be_visible()


@pytest.mark.make_run
def test_a_capturista_captures_a_normal_with_two_contracts_and_the_contratista_sees_it(
    page: Page, live_server, contratista, capturista, padron_sat, sepomex, renapo, entrar_como, tmp_path
):
    entrar_como(capturista, contratista_code=str(contratista.code))
    page.goto(live_server.url + "/informativas/")
    expect(page.locator("#bandeja")).to_contain_text(
        "No existen informativas registradas, para crear una dar clic en la opción Nueva Informativa"
    )

    # Periodo
    page.get_by_role("link", name="Nueva informativa").click()
    page.locator("#id_anio").select_option("2025")
    page.locator("#id_cuatrimestre").select_option(label="Enero - Abril")
    expect(page.locator("#cuatrimestre-texto")).to_have_text("Primero")
    page.locator("#id_tipo").select_option(label="Normal")
    page.get_by_role("button", name="Continuar").click()

    # Contratista
    _pregunta(page, "domicilio convencional del contratista").get_by_label("Sí").check()
    page.get_by_role("button", name="Guardar y continuar").click()

    # First contract: contratante in the SAT registry, one worker typed by hand
    _agregar_contratante(page, rfc=RFC_CLIENTE)
    _capturar_contrato(page, objeto="OC 4500012345 limpieza de oficinas", inicio="2025-02-01")
    page.locator("#id_nss").fill(nss(1))
    page.locator("#id_curp").fill(renapo.curp)
    page.locator("#id_sbc").fill("452.37")
    page.get_by_role("button", name="Agregar trabajador").click()
    expect(page.locator("#trabajadores")).to_contain_text("MARÍA LÓPEZ HERNÁNDEZ")

    # Second contract: contratante outside the registry with its own domicilio, workers by carga masiva
    page.get_by_role("link", name="Agregar otro contrato").click()
    _agregar_contratante(page, rfc=RFC_SIN_PADRON, razon_social="SERVICIOS COSTA", domicilio=True)
    _capturar_contrato(page, objeto="OC 77 vigilancia", inicio="2025-03-15")
    archivo = tmp_path / "trabajadores.csv"
    archivo.write_text(csv_trabajadores(30, inicio=100) + f"{nss(5)},{curp(5)},-5.00\n", encoding="utf-8")
    page.locator("#id_archivo").set_input_files(str(archivo))
    page.get_by_role("button", name="Cargar archivo").click()  # checked by the worker, however small
    expect(page.locator('[data-carga="aceptados"]')).to_have_text("30", timeout=60_000)
    expect(page.locator('[data-carga="rechazados"]')).to_have_text("1")
    expect(page.locator("#errores")).to_contain_text("El SBC debe ser mayor a cero.")
    page.get_by_role("button", name="Confirmar carga").click()
    expect(page.locator('[data-carga="estatus"]')).to_have_text("Guardada", timeout=60_000)
    expect(page.get_by_text("Se guardaron 30 trabajadores el ")).to_be_visible()
    page.get_by_role("link", name="Regresar a Trabajadores").click()

    # Resumen and Enviar a firma
    page.get_by_role("link", name="Continuar").click()
    expect(page.locator('[data-resumen="contratos"]')).to_have_text("2")
    expect(page.locator('[data-resumen="trabajadores"]')).to_have_text("31")
    page.locator("#id_contratos_declarados").fill("2")
    page.get_by_role("button", name="Guardar", exact=True).click()
    expect(page.get_by_text("La informativa está completa y lista para enviarse a firma.")).to_be_visible()
    expect(page.locator("#bitacora")).to_contain_text("ERNESTO GÓMEZ DÍAZ")
    page.get_by_role("button", name="Enviar a firma").click()
    expect(page.get_by_role("status")).to_contain_text("La informativa se envió a firma")

    informativa = Informativa.objects.get()
    assert informativa.estatus == Informativa.Estatus.PENDIENTE_FIRMA
    assert informativa.contratos.count() == 2

    # The contratista, in its own session, sees it in the bandeja
    page.context.clear_cookies()
    entrar_como(contratista.usuario)
    page.goto(live_server.url + "/informativas/")
    fila = page.locator(f'tr[data-informativa="{informativa.code}"]')
    expect(fila.locator('[data-columna="contratos"]')).to_have_text("2")
    expect(fila.locator('[data-columna="trabajadores"]')).to_have_text("31")
    expect(fila.locator('[data-columna="estatus"]')).to_contain_text("Pendiente de firma")
    expect(page.get_by_role("region", name="Perfil del usuario")).to_contain_text(contratista.rfc)

    # ... and, opening it, who captured what: the capturista's name beside each change
    fila.get_by_role("link", name="Consultar").click()
    historial = page.locator("#bitacora tbody tr")
    for accion in (
        "Envió la informativa a firma",
        "Guardó los trabajadores de la carga masiva",
        "Agregó un trabajador",
        "Guardó los datos del contrato",
        "Agregó el contrato",
        "Creó la informativa",
    ):
        expect(historial.filter(has_text=accion).first).to_contain_text(
            f"ERNESTO GÓMEZ DÍAZ ({capturista.curp})"
        )


def test_a_sin_informacion_reaches_pendiente_de_firma(page: Page, live_server, contratista, entrar_como):
    entrar_como(contratista.usuario)
    page.goto(live_server.url + "/informativas/nueva/")

    page.locator("#id_anio").select_option("2025")
    page.locator("#id_cuatrimestre").select_option(label="Mayo - Agosto")
    page.locator("#id_tipo").select_option(label="Sin información")
    page.get_by_role("button", name="Continuar").click()
    expect(page.get_by_text("Declaro bajo protesta de decir verdad")).to_be_visible()

    page.get_by_role("link", name="Cancelar").click()  # nothing is lost when cancelling
    expect(page.locator("#id_tipo")).to_have_value("SIN_INFORMACION")
    page.get_by_role("button", name="Continuar").click()
    page.get_by_role("button", name="Continuar").click()

    expect(page.get_by_role("status")).to_contain_text(
        "La informativa Sin información quedó pendiente de firma."
    )
    fila = page.locator("#bandeja tbody tr").first
    expect(fila).to_contain_text("Sin información")
    expect(fila.locator('[data-columna="estatus"]')).to_contain_text("Pendiente de firma")
    expect(fila.locator('[data-columna="contratos"]')).to_have_text("0")


def test_the_cuatrimestre_follows_the_periodo_without_leaving_the_page(
    page: Page, live_server, contratista, entrar_como
):
    entrar_como(contratista.usuario)
    page.goto(live_server.url + "/informativas/nueva/")
    expect(page.locator("#cuatrimestre-texto")).to_have_text("—")
    page.locator("#id_anio").select_option("2025")
    page.evaluate("window.sinRecargar = true")

    for periodo, cuatrimestre in (
        ("Mayo - Agosto", "Segundo"),
        ("Septiembre - Diciembre", "Tercero"),
        ("Enero - Abril", "Primero"),
    ):
        page.locator("#id_cuatrimestre").select_option(label=periodo)
        expect(page.locator("#cuatrimestre-texto")).to_have_text(cuatrimestre)

    assert page.evaluate("window.sinRecargar") is True  # the same page: nothing reloaded or submitted
    expect(page.locator("#id_anio")).to_have_value("2025")
    assert not Informativa.objects.exists()


def test_without_javascript_the_cuatrimestre_shows_after_continuar(
    page: Page, browser, browser_context_args, live_server, contratista, entrar_como
):
    entrar_como(contratista.usuario)
    contexto = browser.new_context(**browser_context_args, java_script_enabled=False)
    contexto.add_cookies(page.context.cookies())
    sin_js = contexto.new_page()
    sin_js.goto(live_server.url + "/informativas/nueva/")

    sin_js.locator("#id_anio").select_option("2026")
    sin_js.locator("#id_cuatrimestre").select_option(label="Mayo - Agosto")
    sin_js.locator("#id_tipo").select_option(label="Normal")
    expect(sin_js.locator("#cuatrimestre-texto")).to_have_text("—")  # no script, no update yet
    sin_js.get_by_role("button", name="Continuar").click()

    expect(sin_js.get_by_role("alert")).to_contain_text("El periodo seleccionado aún no concluye.")
    expect(sin_js.locator("#cuatrimestre-texto")).to_have_text("Segundo")
    expect(sin_js.locator("#id_cuatrimestre")).to_have_value("2")
    contexto.close()


def test_a_second_normal_for_the_period_is_refused_in_the_browser(
    page: Page, live_server, informativa, entrar_como
):
    entrar_como(informativa.contratista.usuario)
    page.goto(live_server.url + "/informativas/nueva/")

    page.locator("#id_anio").select_option("2026")
    page.locator("#id_cuatrimestre").select_option(label="Enero - Abril")
    page.locator("#id_tipo").select_option(label="Normal")
    page.get_by_role("button", name="Continuar").click()

    expect(page.get_by_role("alert")).to_contain_text(
        "Ya existe una informativa Normal del primer cuatrimestre de 2026"
    )
    expect(page.locator("#id_anio")).to_have_value("2026")
    assert Informativa.objects.count() == 1


@pytest.mark.make_run
def test_a_large_carga_shows_its_progress_and_finishes_without_a_manual_reload(
    page: Page, live_server, contrato, capturista, contratista, entrar_como, tmp_path
):
    """With `make test` the real Celery worker processes it; without services it runs in-process."""
    entrar_como(capturista, contratista_code=str(contratista.code))
    page.goto(
        f"{live_server.url}/informativas/{contrato.informativa.code}/contratos/{contrato.code}/captura/trabajadores/"
    )
    archivo = tmp_path / "grande.csv"
    archivo.write_text(csv_trabajadores(5000, inicio=1000), encoding="utf-8")

    page.locator("#id_archivo").set_input_files(str(archivo))
    page.get_by_role("button", name="Cargar archivo").click()

    expect(page.locator('[data-carga="aceptados"]')).to_have_text("5,000", timeout=60_000)
    page.get_by_role("button", name="Confirmar carga").click()
    expect(page.locator('[data-carga="estatus"]')).to_have_text("Guardada", timeout=60_000)
    expect(page.locator('[data-carga="guardados"]')).to_have_text("5,000")
    assert contrato.trabajadores.count() == 5000
    carga = CargaMasiva.objects.get()
    assert carga.tarea_id  # both phases were queued (make test: to the real worker)
