"""Defects found walking the informativa through Chromium (issue 14): a contratante's razón social always
belongs to the RFC it is shown with; every domicilio of the informativa loads its colonias; the REPSE folio
has the STPS format; the periodo and the protesta are written in correct Spanish; on the signing page "Firmar"
waits for a successful "Validar", and "Validar" puts each field's message at its field."""

from __future__ import annotations

import re

import pytest
from django.core.cache import cache
from playwright.sync_api import Page, expect

from informativas.models import Contrato, Informativa

pytestmark = [pytest.mark.e2e, pytest.mark.solo_make_run, pytest.mark.django_db(transaction=True)]

RFC_SIN_PADRON = "SCO990101AA6"


@pytest.fixture(autouse=True)
def _sin_bloqueos():
    cache.clear()


def _pregunta(page: Page, texto: str):
    return page.get_by_role("radiogroup", name=re.compile(re.escape(texto)))


def _contratante(page: Page, live_server, informativa) -> None:
    page.goto(f"{live_server.url}/informativas/{informativa.code}/captura/contratante/")


def _validar(page: Page, rfc: str) -> None:
    page.locator("#id_rfc").fill(rfc)
    page.get_by_role("button", name="Validar").click()


def test_a_razon_social_from_the_registry_is_cleared_when_the_rfc_changes_and_never_saved_under_another(
    page: Page, live_server, contratista, informativa, padron_sat, entrar_como
):
    entrar_como(contratista.usuario)
    _contratante(page, live_server, informativa)
    _validar(page, padron_sat.rfc)
    expect(page.locator("#id_razon_social")).to_have_value("CLIENTE INDUSTRIAL SA DE CV")

    # The RFC is changed: the name of the other company goes at once, and Validar asks for this one's
    page.locator("#id_rfc").fill(RFC_SIN_PADRON)
    expect(page.locator("#id_razon_social")).to_have_value("")
    page.get_by_role("button", name="Validar").click()
    expect(page.locator("#rfc-validado")).to_contain_text("no se encontró en el padrón del SAT")
    expect(page.locator("#id_razon_social")).to_have_value("")

    # Typing the other company's name back is refused at save, at the field, and nothing is lost
    page.locator("#id_razon_social").fill("Cliente Industrial SA de CV")
    page.locator("#id_correo").fill("compras@sco.mx")
    page.locator("#id_celular").fill("5511112222")
    _pregunta(page, "domicilio social del contratante").get_by_label("Sí").check()
    _pregunta(page, "domicilio convencional del contratante").get_by_label("Sí").check()
    page.get_by_role("button", name="Agregar contrato").click()
    campo = page.locator(".campo", has=page.locator("#id_razon_social"))
    expect(campo).to_contain_text(f"es la del RFC {padron_sat.rfc} en el padrón del SAT, no la del RFC {RFC_SIN_PADRON}")
    expect(page.locator("#id_correo")).to_have_value("compras@sco.mx")
    assert not Contrato.objects.exists()

    # Its own name is saved under its RFC
    page.locator("#id_razon_social").fill("Servicios Corporativos del Occidente SA de CV")
    page.get_by_role("button", name="Agregar contrato").click()
    expect(page.get_by_role("status")).to_contain_text("Se registró el contrato")
    contrato = Contrato.objects.get()
    assert (contrato.contratante_rfc, contrato.contratante_razon_social) == (
        RFC_SIN_PADRON,
        "SERVICIOS CORPORATIVOS DEL OCCIDENTE SA DE CV",
    )


def test_without_javascript_validar_clears_the_name_of_the_rfc_validated_before(
    page: Page, browser, browser_context_args, live_server, contratista, informativa, padron_sat, entrar_como
):
    entrar_como(contratista.usuario)
    contexto = browser.new_context(**browser_context_args, java_script_enabled=False)
    contexto.add_cookies(page.context.cookies())
    sin_js = contexto.new_page()
    _contratante(sin_js, live_server, informativa)
    _validar(sin_js, padron_sat.rfc)
    expect(sin_js.locator("#id_razon_social")).to_have_value("CLIENTE INDUSTRIAL SA DE CV")

    _validar(sin_js, RFC_SIN_PADRON)

    expect(sin_js.locator("#rfc-validado")).to_contain_text("no se encontró en el padrón del SAT")
    expect(sin_js.locator("#id_razon_social")).to_have_value("")
    contexto.close()


def test_every_domicilio_of_the_informativa_loads_the_colonias_of_its_codigo_postal(
    page: Page, live_server, contratista, sepomex, padron_sat, entrar_como
):
    from informativas.captura import services

    informativa = services.informativa_crear(
        contratista=contratista, anio=2026, cuatrimestre=1, tipo="NORMAL", usuario=contratista.usuario
    )
    entrar_como(contratista.usuario)
    page.goto(f"{live_server.url}/informativas/{informativa.code}/captura/contratista/")

    # Contratista: "Sí" asks for no domicilio; "No" shows it, and the código postal loads its colonias
    convencional = _pregunta(page, "domicilio convencional del contratista")
    convencional.get_by_label("No").check()
    page.locator("#id_convencional-codigo_postal").press_sequentially("01000")
    expect(page.locator("#id_convencional-asentamiento option", has_text="TLACOPAC")).to_have_count(1)
    convencional.get_by_label("Sí").check()
    page.get_by_role("button", name="Guardar y continuar").click()
    expect(page.get_by_role("status")).to_contain_text("Se guardaron los datos del contratista.")

    # Contratante (persona moral): the domicilio social and the convencional, each with its colonias
    _contratante(page, live_server, informativa)
    _validar(page, padron_sat.rfc)
    expect(page.locator("#id_razon_social")).to_have_value("CLIENTE INDUSTRIAL SA DE CV")
    page.locator("#id_correo").fill("compras@cliente.mx")
    page.locator("#id_celular").fill("5511112222")
    for pregunta, prefijo, colonia in (
        ("domicilio social del contratante", "social", "SAN ÁNGEL"),
        ("domicilio convencional del contratante", "convencional", "TLACOPAC"),
    ):
        _pregunta(page, pregunta).get_by_label("No").check()
        page.locator(f"#id_{prefijo}-codigo_postal").press_sequentially("01000")
        select = page.locator(f"#id_{prefijo}-asentamiento")
        expect(select.locator("option", has_text=colonia)).to_have_count(1)
        select.select_option(label=colonia)
        page.locator(f"#id_{prefijo}-calle").fill("Av. Revolución")
        page.locator(f"#id_{prefijo}-numero_exterior").fill("1500")
    page.get_by_role("button", name="Agregar contrato").click()

    expect(page.get_by_role("status")).to_contain_text("Se registró el contrato")
    contrato = Contrato.objects.get()
    assert contrato.domicilio_social.asentamiento.nombre == "SAN ÁNGEL"
    assert contrato.domicilio_convencional.asentamiento.nombre == "TLACOPAC"


def test_the_repse_folio_of_a_contract_must_have_the_stps_format(
    page: Page, live_server, contratista, contrato, entrar_como
):
    entrar_como(contratista.usuario)
    page.goto(f"{live_server.url}/informativas/{contrato.informativa.code}/contratos/{contrato.code}/captura/contrato/")

    page.locator("#id_registro_repse").fill("xxx")
    page.get_by_role("button", name="Guardar y continuar").click()

    campo = page.locator(".campo", has=page.locator("#id_registro_repse"))
    expect(campo).to_contain_text("El número de registro REPSE no tiene el formato de la STPS")
    expect(page.locator("#id_registro_repse")).to_have_value("xxx")
    contrato.refresh_from_db()
    assert contrato.registro_repse == "AR12345/2021"

    page.locator("#id_registro_repse").fill("ar 777/2024")
    page.get_by_role("button", name="Guardar y continuar").click()
    expect(page.get_by_role("heading", name=re.compile("Trabajadores del contrato"))).to_be_visible()
    contrato.refresh_from_db()
    assert contrato.registro_repse == "AR777/2024"


def test_the_periodo_and_the_protesta_are_written_in_correct_spanish(
    page: Page, live_server, contratista, informativa, entrar_como
):
    entrar_como(contratista.usuario)
    _contratante(page, live_server, informativa)
    expect(page.get_by_text("(Primer cuatrimestre)")).to_be_visible()
    expect(page.get_by_text("Primero cuatrimestre")).to_have_count(0)

    page.goto(live_server.url + "/informativas/nueva/")
    page.locator("#id_anio").select_option("2025")
    page.locator("#id_cuatrimestre").select_option(label="Septiembre - Diciembre")
    page.locator("#id_tipo").select_option(label="Sin información")
    page.get_by_role("button", name="Continuar").click()
    expect(page.get_by_text("(Tercer cuatrimestre)")).to_be_visible()
    expect(page.get_by_text("no celebré contratos")).to_be_visible()
    page.get_by_role("button", name="Continuar").click()
    expect(page.get_by_role("status")).to_contain_text("quedó pendiente de firma")

    sin_informacion = Informativa.objects.get(tipo="SIN_INFORMACION")
    page.goto(f"{live_server.url}/informativas/{sin_informacion.code}/firmar/")
    expect(page.get_by_text("no celebré contratos")).to_be_visible()


def test_firmar_waits_for_a_successful_validar_which_names_each_field(
    page: Page, live_server, contratista, pendiente, fiel, entrar_como
):
    page.set_default_timeout(60_000)  # signing renders a PDF; a shared machine may be slow
    entrar_como(contratista.usuario)
    page.goto(f"{live_server.url}/informativas/{pendiente.code}/firmar/")
    firmar = page.get_by_role("button", name="Firmar")
    validar = page.get_by_role("button", name="Validar")
    expect(validar).to_be_enabled()  # static/js/efirma.js has started: it enables what may be used
    expect(firmar).to_be_disabled()

    # A 10-character RFC: the message at the RFC field, and Firmar stays disabled
    page.get_by_label("RFC").fill(fiel.rfc[:10])
    page.get_by_label("Certificado").set_input_files(str(fiel.cer))
    page.get_by_label(re.compile(r"^Llave privada")).set_input_files(str(fiel.key))
    page.get_by_label("Contraseña de la Llave privada").fill(fiel.password)
    page.get_by_role("button", name="Validar").click()
    expect(page.locator(".campo", has=page.get_by_label("RFC"))).to_contain_text(
        "El RFC debe tener 12 (persona moral) o 13 (persona física) caracteres."
    )
    expect(firmar).to_be_disabled()

    # Corrected and validated: Firmar is enabled
    page.get_by_label("RFC").fill(fiel.rfc)
    validar.click()
    expect(page.get_by_text("La validación de la FIEL fue exitosa.")).to_be_visible()
    expect(firmar).to_be_enabled()

    # A field changed after Validar: Firmar is disabled until Validar succeeds again
    page.get_by_label("Contraseña de la Llave privada").fill(fiel.password + "x")
    expect(firmar).to_be_disabled()
    expect(page.get_by_text("La validación de la FIEL fue exitosa.")).to_have_count(0)
    validar.click()
    expect(page.get_by_text("La contraseña de la llave privada es incorrecta")).to_be_visible()
    expect(firmar).to_be_disabled()
    page.get_by_label("Contraseña de la Llave privada").fill(fiel.password)
    validar.click()
    expect(page.get_by_text("La validación de la FIEL fue exitosa.")).to_be_visible()
    expect(firmar).to_be_enabled()
    firmar.click()
    expect(page.get_by_role("dialog", name="Firma exitosa")).to_be_visible()
    pendiente.refresh_from_db()
    assert pendiente.estatus == Informativa.Estatus.PRESENTADA


def test_a_number_below_its_minimum_is_refused_naming_the_field_in_tu(
    page: Page, live_server, contratista, trabajador, entrar_como
):
    entrar_como(contratista.usuario)
    page.goto(f"{live_server.url}/informativas/{trabajador.contrato.informativa.code}/captura/resumen/")

    page.locator("#id_contratos_declarados").fill("-1")
    page.get_by_role("button", name="Guardar", exact=True).click()

    campo = page.locator(".campo", has=page.locator("#id_contratos_declarados"))
    expect(campo).to_contain_text("«Número de contratos celebrados en el periodo» debe ser mayor o igual a 0.")
    expect(page.get_by_text("Asegúrese")).to_have_count(0)
