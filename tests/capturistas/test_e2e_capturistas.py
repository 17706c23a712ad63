"""Browser journeys through Chromium: a contratista registers a capturista, the activation email travels
through the real worker to the SMTP sink, and the capturista creates the password, logs in with the CURP
and selects the contratista."""

from __future__ import annotations

import re
import uuid
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from accounts.models import PersonaRenapo
from capturistas.models import Liga
from tests.capturistas.conftest import MARIA, aceptar_terminos, dar_de_alta, ultima_liga
from tests.conftest import texto_de
from tests.efirma_sat import demo_efirma, ingresar_con_efirma, var_dir  # noqa: F401 (fixtures)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

NUEVA = "Tortuga-Azul-2026"


@pytest.fixture
def portal_url(settings, live_server):
    """Links in emails point at the live server."""
    settings.ICSOE_BASE_URL = live_server.url
    return live_server.url


def _alta_en_navegador(page: Page, url: str, correo: str) -> None:
    page.goto(url + "/inicio/")
    page.get_by_role("navigation", name="Menú principal").get_by_role("link", name="Alta de usuarios").click()
    expect(page.get_by_role("heading", name="Alta de Usuario")).to_be_visible()
    page.get_by_label("CURP*:").fill(MARIA["curp"].lower())
    page.get_by_role("button", name="Validar").click()
    expect(page.get_by_label("Nombre(s)*:")).to_have_value("MARÍA FERNANDA")
    expect(page).to_have_url(re.compile(r"/usuarios/alta/$"))  # htmx swapped the fragment in place
    expect(page.get_by_label("Primer apellido*:")).to_have_value("LÓPEZ")
    expect(page.get_by_label("Segundo apellido*:")).to_have_value("HERNÁNDEZ")
    page.get_by_label("Teléfono*:").fill("5512345678")
    page.get_by_label("Correo electrónico*:", exact=True).fill(correo)
    page.get_by_label("Confirmar correo electrónico*:").fill(correo)
    page.get_by_role("button", name="Guardar").click()
    expect(page.get_by_text("El usuario se guardó exitosamente")).to_be_visible()
    fila = page.get_by_role("row").filter(has_text=MARIA["curp"])
    expect(fila).to_contain_text("Registrada")


def _crear_contrasena_e_ingresar(page: Page, liga: str, contratista) -> None:
    page.context.clear_cookies()
    page.goto(liga)
    page.get_by_label("Contraseña nueva*:").fill(NUEVA)
    page.get_by_label("Confirmar contraseña*:").fill(NUEVA)
    page.get_by_role("button", name="Guardar Contraseña").click()
    expect(page.get_by_text("La contraseña se registró correctamente.")).to_be_visible()
    page.get_by_role("link", name="Aceptar").click()

    page.get_by_label("Usuario (CURP)").fill(MARIA["curp"])
    page.get_by_label("Contraseña").fill(NUEVA)
    page.get_by_role("button", name="Ingresar").click()
    page.get_by_role("link", name="Seleccionar Contratista").click()
    page.get_by_label(f"Seleccionar {contratista.razon_social}").check()
    page.get_by_role("button", name="Siguiente").click()
    expect(page.get_by_role("alertdialog")).to_contain_text(contratista.razon_social)
    page.get_by_role("button", name="Continuar").click()

    expect(page).to_have_url(re.compile(r"/inicio/$"))
    perfil = page.get_by_role("region", name="Perfil del usuario")
    expect(perfil).to_contain_text(contratista.rfc)
    expect(perfil).to_contain_text(contratista.razon_social)
    expect(perfil).to_contain_text("Capturista")
    expect(page.get_by_role("navigation", name="Menú principal")).not_to_contain_text("Alta de usuarios")


@pytest.mark.make_run
def test_the_whole_journey_with_the_email_through_the_worker(
    page: Page, portal_url, contratista, demo_efirma, buzon
):
    PersonaRenapo.objects.create(**MARIA)
    aceptar_terminos(contratista.usuario)
    correo = f"maria.{uuid.uuid4().hex[:8]}@example.com"
    ingresar_con_efirma(page, portal_url, demo_efirma(contratista.rfc, contratista.razon_social))
    expect(page.get_by_role("region", name="Perfil del usuario")).to_contain_text(contratista.rfc)

    _alta_en_navegador(page, portal_url, correo)

    mensaje = buzon.esperar(para=correo, asunto_contiene="crea tu contraseña")
    assert mensaje["From"] == "icsoe@imss.gob.mx"
    liga = re.search(r"https?://\S+/usuarios/contrasena/[\w-]+/", texto_de(mensaje)).group(0)
    assert liga.startswith(portal_url)
    _crear_contrasena_e_ingresar(page, liga, contratista)
    confirmacion = buzon.esperar(para=correo, asunto_contiene="se ha registrado la contraseña")
    assert "se ha registrado la contraseña" in texto_de(confirmacion)


@pytest.mark.make_run
def test_a_capturista_who_forgot_the_password_sets_a_new_one_through_the_email(
    page: Page, portal_url, capturista, buzon
):
    """Guía «Recuperar contraseña»: «¿Olvidaste tu contraseña?» on the login, the CURP and the correo, the link
    by email (the SMTP sink through the worker; make run's dev mailbox in the second pass), a new password."""
    capturista.email = f"olvido.{uuid.uuid4().hex[:8]}@example.com"  # the sink keeps every test's emails
    capturista.save(update_fields=["email"])
    page.goto(portal_url + "/acceso/")
    page.get_by_role("link", name="¿Olvidaste tu contraseña?").click()
    page.get_by_label("CURP*:").fill(capturista.curp)
    page.get_by_label("Correo electrónico*:").fill(capturista.email)
    page.get_by_role("button", name="Ingresar").click()
    expect(page.get_by_role("status")).to_contain_text("te enviamos un correo de icsoe@imss.gob.mx")

    mensaje = buzon.esperar(para=capturista.email, asunto_contiene="restablece tu contraseña")
    page.goto(re.search(r"https?://\S+/usuarios/contrasena/[\w-]+/", texto_de(mensaje)).group(0))
    expect(page.get_by_role("heading", name="Restablecer Contraseña")).to_be_visible()
    page.get_by_label("Contraseña nueva*:").fill(NUEVA)
    page.get_by_label("Confirmar contraseña*:").fill(NUEVA)
    page.get_by_role("button", name="Guardar Contraseña").click()
    expect(page.get_by_role("heading", name="Contraseña actualizada")).to_be_visible()
    page.get_by_role("link", name="Aceptar").click()

    page.get_by_label("Usuario (CURP)").fill(capturista.curp)
    page.get_by_label("Contraseña").fill(NUEVA)
    page.get_by_role("button", name="Ingresar").click()
    expect(page.get_by_role("link", name="Seleccionar Contratista")).to_be_visible()
    confirmacion = buzon.esperar(para=capturista.email, asunto_contiene="se actualizó tu contraseña")
    assert capturista.curp in texto_de(confirmacion)


def test_the_journey_reading_the_link_from_the_outbox(page: Page, portal_url, contratista, entrar_como):
    """The same journey without the real services (the link is read from the outbox row)."""
    PersonaRenapo.objects.create(**MARIA)
    aceptar_terminos(contratista.usuario)
    entrar_como(contratista.usuario)

    _alta_en_navegador(page, portal_url, "maria@example.com")

    _crear_contrasena_e_ingresar(page, portal_url + ultima_liga("maria@example.com"), contratista)


def test_validar_refuses_an_unknown_curp_in_place_and_guardar_keeps_what_was_typed(
    page: Page, live_server, contratista, entrar_como
):
    aceptar_terminos(contratista.usuario)
    entrar_como(contratista.usuario)
    page.goto(live_server.url + "/usuarios/alta/")
    page.get_by_label("Teléfono*:").fill("5512345678")

    page.get_by_label("CURP*:").fill("MARA850722MNLRZL04")
    page.get_by_role("button", name="Validar").click()
    expect(page.get_by_role("alert")).to_contain_text("La CURP no se encuentra en el registro de población")
    expect(page.get_by_label("Teléfono*:")).to_have_value("5512345678")

    PersonaRenapo.objects.create(**MARIA)
    page.get_by_label("CURP*:").fill(MARIA["curp"])
    page.get_by_label("Correo electrónico*:", exact=True).fill("maria@example.com")
    page.get_by_label("Confirmar correo electrónico*:").fill("maria@ejemplo.com")
    page.get_by_role("button", name="Guardar").click()
    expect(page.get_by_text("Los correos electrónicos no coinciden.")).to_be_visible()
    expect(page.get_by_label("Confirmar correo electrónico*:")).to_have_value("maria@ejemplo.com")
    expect(page.get_by_label("Teléfono*:")).to_have_value("5512345678")


def test_an_expired_link_tells_the_capturista_what_to_do(page: Page, portal_url, contratista, maria):
    dar_de_alta(contratista, maria)
    Liga.objects.update(expira_at=timezone.now() - timedelta(minutes=1))

    page.goto(portal_url + ultima_liga("maria@example.com"))

    expect(page.get_by_role("alert")).to_contain_text("La liga ha expirado")
    expect(page.get_by_role("button", name="Guardar Contraseña")).to_have_count(0)


def test_eliminar_asks_before_putting_the_relation_in_baja(
    page: Page, live_server, contratista, capturista, entrar_como
):
    aceptar_terminos(contratista.usuario)
    entrar_como(contratista.usuario)
    page.goto(live_server.url + "/usuarios/")

    page.get_by_role("row").filter(has_text=capturista.curp).get_by_role("link", name="Eliminar").click()
    expect(page.get_by_role("alertdialog")).to_contain_text(
        f"Estás dando de baja al usuario {capturista.nombre_completo} ¿Deseas continuar?"
    )
    page.get_by_role("button", name="Continuar").click()

    expect(page.get_by_text("Relación con el usuario en baja.")).to_be_visible()
    expect(page.get_by_role("row").filter(has_text=capturista.curp)).to_contain_text("Baja")


def test_a_capturista_opening_the_export_by_url_is_refused(
    page: Page, live_server, contratista, capturista, entrar_como
):
    entrar_como(capturista, contratista_code=str(contratista.code))

    page.goto(live_server.url + "/usuarios/exportar/")

    expect(page.get_by_role("heading", name="Acceso no permitido")).to_be_visible()
    expect(page.get_by_text("No tienes permiso para realizar esta acción con tu rol.")).to_be_visible()
