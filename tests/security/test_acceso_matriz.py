"""Access matrix: every URL pattern of the portal, taken from the URL resolver, visited as anonymous, as the
contratista, as its capturista (with the contratista selected), as IMSS staff and as another contratista.

A URL pattern without a row in MATRIZ fails the test: a new screen must say who may see it. One row per URL
name: (method, anonymous, contratista, capturista, staff, otro contratista). Path parameters are filled with
the codes of real objects of the contratista, so "otro" proves that another tenant's object answers 404.

Expected answers: a status code, LOGIN (redirect to /acceso/?next=…), ADMIN (redirect to the admin login),
REDIR (any other redirect: to the page that follows, or to "Seleccionar contratista"), or STAFF (an
admin page or the admin's own refusal, never the login nor a 500).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from capturistas.access import SESSION_KEY
from tests.conftest import PASSWORD  # noqa: F401  (the cast's password, for the reader)
from tests.informativas.datos import csv_trabajadores

pytestmark = pytest.mark.django_db

LOGIN, ADMIN, REDIR, STAFF = "LOGIN", "ADMIN", "REDIR", "STAFF"
ROLES = ("anonimo", "contratista", "capturista", "staff", "otro")

# name: (method, anonymous, contratista, capturista, staff, otro contratista)
MATRIZ: dict[str, tuple] = {
    # Public pages and the ways in
    "core:landing": ("GET", 200, REDIR, REDIR, REDIR, REDIR),
    "core:salud": ("GET", 200, 200, 200, 200, 200),
    "core:favicon": ("GET", REDIR, REDIR, REDIR, REDIR, REDIR),  # to the portal's icon, a static file
    "core:inicio": ("GET", LOGIN, 200, 200, 200, 200),
    "core:sesion_seguir": ("POST", LOGIN, 200, 200, 200, 200),  # "Seguir trabajando": renews the session
    # A stored file as the admin links it: only to staff who may view a record holding it
    "core:archivo_staff": ("GET", 404, 404, 404, 200, 404),
    # The dev mailbox: only with DEBUG on and to loopback clients (tests/security/test_correo_y_buzon.py): off
    # as in production (the first pass of make test); CON_DEBUG below for make run's configuration
    "core:dev_correo": ("GET", 404, 404, 404, 404, 404),
    "core:dev_correo_detalle": ("GET", 404, 404, 404, 404, 404),
    "accounts:login": ("GET", 200, REDIR, REDIR, REDIR, REDIR),
    "accounts:terminos": ("GET", LOGIN, REDIR, 200, 200, REDIR),  # shown until the current version is accepted
    "contratistas_acceso:efirma": ("GET", 200, 200, 200, 200, 200),
    "contratistas_acceso:efirma_validar": ("POST", 200, 200, 200, 200, 200),
    "contratistas_acceso:bienvenida": ("GET", LOGIN, 200, REDIR, REDIR, 200),
    # allauth, reduced to what the portal uses (accounts/cuenta_urls.py); every other account page answers 404
    # to everyone (tests/security/test_cuenta_allauth.py posts to each of them as every role too)
    "account_login": ("GET", 200, REDIR, REDIR, REDIR, REDIR),
    "account_logout": ("GET", REDIR, 200, 200, 200, 200),
    "account_inactive": ("GET", 200, 200, 200, 200, 200),
    "account_change_password": ("GET", LOGIN, 404, 200, 200, 404),  # asks for the current password
    "account_reset_password": ("GET", 200, 200, 200, 200, 200),  # shows the portal's CURP + correo form
    "account_signup": ("GET", 404, 404, 404, 404, 404),
    "account_reauthenticate": ("GET", 404, 404, 404, 404, 404),
    "account_email": ("GET", 404, 404, 404, 404, 404),
    "account_email_verification_sent": ("GET", 404, 404, 404, 404, 404),
    "account_set_password": ("GET", 404, 404, 404, 404, 404),
    "account_confirm_login_code": ("GET", 404, 404, 404, 404, 404),
    "account_confirm_email": ("GET", 404, 404, 404, 404, 404),
    "account_reset_password_from_key_done": ("GET", 404, 404, 404, 404, 404),
    "account_reset_password_from_key": ("GET", 404, 404, 404, 404, 404),
    "account_reset_password_done": ("GET", 404, 404, 404, 404, 404),
    # Administración: the contratista only
    "contratistas:datos": ("GET", LOGIN, 200, 403, 403, 200),
    "contratistas:domicilio_ubicar": ("POST", LOGIN, 200, 403, 403, 200),
    "contratistas:recordatorios": ("POST", LOGIN, REDIR, 403, 403, REDIR),  # each saves its own preference
    "contratistas:domicilio_aceptar": ("POST", LOGIN, 200, 403, 403, 200),
    "contratistas:domicilio_modificar": ("POST", LOGIN, 200, 403, 403, 200),
    "contratistas:acuse_eliminar": ("GET", LOGIN, 404, 403, 403, 404),  # the world's acuse is not saved yet
    "contratistas:acuse_ver": ("GET", LOGIN, 200, 404, 200, 404),  # its owner and IMSS staff only
    "contratistas:municipios": ("GET", LOGIN, 200, 403, 403, 200),
    "contratistas:codigos_postales": ("GET", LOGIN, 200, 403, 403, 200),
    "contratistas:colonias": ("GET", LOGIN, 200, 403, 403, 200),
    "capturistas:consulta": ("GET", LOGIN, 200, 403, 403, 200),
    "capturistas:alta": ("GET", LOGIN, 200, 403, 403, 200),
    "capturistas:validar": ("POST", LOGIN, 200, 403, 403, 200),
    "capturistas:exportar": ("GET", LOGIN, 200, 403, 403, 200),
    "capturistas:editar": ("GET", LOGIN, REDIR, 403, 403, 404),  # only before the password: this one is Activa
    "capturistas:enviar_email": ("POST", LOGIN, REDIR, 403, 403, 404),
    "capturistas:baja": ("GET", LOGIN, 200, 403, 403, 404),
    "capturistas:activar": ("GET", LOGIN, 200, 403, 403, 404),
    # The capturista: Seleccionar contratista
    "capturistas:seleccionar": ("GET", LOGIN, 403, 200, 403, 403),
    "capturistas:seleccionar_confirmar": ("GET", LOGIN, 403, 200, 403, 403),
    # Anyone holding a link, or who forgot the password
    "capturistas:recuperar": ("GET", 200, 200, 200, 200, 200),
    "capturistas:recuperar_enviado": ("GET", 200, 200, 200, 200, 200),
    "capturistas:contrasena_lista": ("GET", 200, 200, 200, 200, 200),
    "capturistas:contrasena": ("GET", 410, 410, 410, 410, 410),  # an unknown link: "liga inválida" (410)
    # Informativas: the contratista and its capturista; staff works in the admin; another tenant gets 404
    "informativas:bandeja": ("GET", LOGIN, 200, 200, 403, 200),
    "informativas:nueva": ("GET", LOGIN, 200, 200, 403, 200),
    "informativas:sin_informacion": ("POST", LOGIN, 200, 200, 403, 200),
    "informativas:consulta": ("GET", LOGIN, 200, 200, 403, 200),
    # The period a reminder links to (the contratista's code in the URL): another tenant's answers 404
    "informativas:periodo": ("GET", LOGIN, 200, 200, 403, 404),
    "informativas:periodo_sin_informacion": ("POST", LOGIN, REDIR, REDIR, 403, 404),
    "informativas:colonias": ("GET", LOGIN, 200, 200, 403, 200),
    "informativas:plantilla": ("GET", LOGIN, 200, 200, 200, 200),
    "informativas:firma": ("GET", LOGIN, 200, 200, 403, 200),
    "informativas:acuses": ("GET", LOGIN, 200, 200, 403, 200),
    "informativas:modificar": ("GET", LOGIN, 200, 200, 403, 200),
    # Every acuse of a period: the world has none, so back to the Acuses page with the form's message
    "informativas:acuses_periodo": ("GET", LOGIN, REDIR, REDIR, 403, REDIR),
    # The board of a capturista who files for several contratistas: capturistas only. Opening a cell and the
    # period's download, sent without a cell or a period, go back to the board with the message.
    "informativas:tablero": ("GET", LOGIN, 403, 200, 403, 403),
    "informativas:tablero_abrir": ("POST", LOGIN, 403, REDIR, 403, 403),
    "informativas:tablero_acuses": ("GET", LOGIN, 403, REDIR, 403, 403),
    "informativas:detalle": ("GET", LOGIN, 200, 200, 403, 404),
    # Signing is the contratista's alone; the matrix's informativa is still en captura
    "informativas:firmar": ("GET", LOGIN, REDIR, 403, 403, 404),
    "informativas:firmar_validar": ("POST", LOGIN, 200, 403, 403, 404),
    "informativas:firmar_listas_sat": ("POST", LOGIN, REDIR, 403, 403, 404),  # confirms a Definitivo, back to Firmar
    "informativas:firma_exitosa": ("GET", LOGIN, REDIR, 403, 403, 404),  # not presented: back to the list
    "informativas:acuse_descargar": ("GET", LOGIN, 404, 404, 403, 404),  # no acuse before it is presented
    "informativas:expediente_descargar": ("GET", LOGIN, 404, 404, 403, 404),  # nor an expediente (issue 25)
    # Capturistas may start one, not sign it; the matrix's informativa is not in force: back to Modificar.
    "informativas:complementaria": ("GET", LOGIN, REDIR, REDIR, 403, 404),
    "verificacion:acuse": ("GET", 200, 200, 200, 200, 200),  # public, as the acuse's QR needs
    # The listado público: public to everyone; a month not published answers 404 (none in the matrix's world)
    "listado:publico": ("GET", 200, 200, 200, 200, 200),
    "listado:descargar": ("GET", 404, 404, 404, 404, 404),
    "informativas:eliminar": ("GET", LOGIN, 200, 200, 403, 404),
    # Only for a "Sin información" draft; the matrix's informativa is a Normal one, so 404 for everyone.
    "informativas:sin_informacion_existente": ("POST", LOGIN, 404, 404, 403, 404),
    "informativas:enviar_a_firma": ("POST", LOGIN, REDIR, REDIR, 403, 404),
    "informativas:regresar_a_captura": ("POST", LOGIN, REDIR, REDIR, 403, 404),
    "informativas:contratante_validar": ("POST", LOGIN, 200, 200, 403, 404),
    "informativas:paso": ("GET", LOGIN, 200, 200, 403, 404),
    "informativas:contrato_detalle": ("GET", LOGIN, 200, 200, 403, 404),
    "informativas:contrato_eliminar": ("GET", LOGIN, 200, 200, 403, 404),
    "informativas:carga_subir": ("POST", LOGIN, 200, 200, 403, 404),
    "informativas:trabajador_editar": ("GET", LOGIN, 200, 200, 403, 404),
    "informativas:trabajador_eliminar": ("GET", LOGIN, 200, 200, 403, 404),
    "informativas:paso_contrato": ("GET", LOGIN, 200, 200, 403, 404),
    "informativas:carga": ("GET", LOGIN, 200, 200, 403, 404),
    "informativas:carga_progreso": ("GET", LOGIN, 200, 200, 403, 404),
    "informativas:carga_confirmar": ("POST", LOGIN, REDIR, REDIR, 403, 404),
    "informativas:carga_cancelar": ("POST", LOGIN, REDIR, REDIR, 403, 404),
    "informativas:carga_deshacer": ("GET", LOGIN, 200, 200, 403, 404),
    "informativas:carga_rechazados": ("GET", LOGIN, 200, 200, 403, 404),
    "informativas:bloque_plantilla": ("GET", LOGIN, 200, 200, 200, 200),
    "informativas:bloque_plantilla_contratantes": ("GET", LOGIN, 200, 200, 403, 404),  # of one informativa
    "informativas:bloque_subir": ("GET", LOGIN, 200, 200, 403, 404),
    "informativas:bloque": ("GET", LOGIN, 200, 200, 403, 404),
    "informativas:bloque_progreso": ("GET", LOGIN, 200, 200, 403, 404),
    "informativas:bloque_confirmar": ("POST", LOGIN, REDIR, REDIR, 403, 404),
    "informativas:bloque_cancelar": ("POST", LOGIN, REDIR, REDIR, 403, 404),
    "informativas:bloque_rechazados": ("GET", LOGIN, 200, 200, 403, 404),
    "informativas:contratantes": ("GET", LOGIN, 200, 200, 403, 200),
    "informativas:contratante_editar": ("GET", LOGIN, 200, 200, 403, 404),
    "informativas:contratante_eliminar": ("GET", LOGIN, 200, 200, 403, 404),
    "informativas:nomina_subir": ("GET", LOGIN, 200, 200, 403, 404),
    "informativas:nomina_subir_contrato": ("GET", LOGIN, 200, 200, 403, 404),
    "informativas:nomina": ("GET", LOGIN, 200, 200, 403, 404),
    "informativas:nomina_progreso": ("GET", LOGIN, 200, 200, 403, 404),
    "informativas:nomina_asignar": ("POST", LOGIN, REDIR, REDIR, 403, 404),
    "informativas:nomina_confirmar": ("POST", LOGIN, REDIR, REDIR, 403, 404),
    "informativas:nomina_cancelar": ("POST", LOGIN, REDIR, REDIR, 403, 404),
    "informativas:nomina_problemas": ("GET", LOGIN, 200, 200, 403, 404),
    "informativas:nomina_contratos": ("POST", LOGIN, REDIR, REDIR, 403, 404),
    "informativas:nomina_revisar": ("POST", LOGIN, REDIR, REDIR, 403, 404),
    # Links for a contratante (issue 25): the matrix's informativa is not presented, so back to its page
    "informativas:enlaces": ("GET", LOGIN, 200, 200, 403, 200),
    "informativas:enlace_revocar": ("GET", LOGIN, 200, 200, 403, 404),  # asks to confirm; another tenant's: 404
    "informativas:enlaces_informativa": ("GET", LOGIN, REDIR, REDIR, 403, 404),
    "informativas:enlace_crear": ("GET", LOGIN, REDIR, REDIR, 403, 404),
    "enlace:expediente": ("GET", 404, 404, 404, 404, 404),  # public; an unknown token says so (404)
    "enlace:descargar": ("GET", 404, 404, 404, 404, 404),
    # The contratante's door and its own pages (clientes/): only a session in the contratante capacity (its
    # column is CONTRATANTE below); anonymous is sent to the contratante's door, not to /acceso/.
    "clientes:entrar": ("GET", 200, 200, 200, 200, 200),
    "clientes:entrar_validar": ("POST", 200, 200, 200, 200, 200),
    "clientes:inicio": ("GET", REDIR, 403, 403, 403, 403),
    "clientes:como_entrar": ("GET", REDIR, 403, 403, 403, 403),  # no one authorises the matrix's contratistas
    "clientes:informativa": ("GET", REDIR, 403, 403, 403, 403),
    "clientes:expediente": ("GET", REDIR, 403, 403, 403, 403),
    # The contratista's authorisations of its contratantes and their accesses: the contratista only
    "autorizaciones:lista": ("GET", LOGIN, 200, 403, 403, 200),
    "autorizaciones:accesos": ("GET", LOGIN, 200, 403, 403, 200),
    "autorizaciones:revocar": ("GET", LOGIN, 200, 403, 403, 404),  # asks first; another tenant's is 404
    # The Django admin (IMSS staff): one row for every page the ModelAdmins register
    # Staff: the page itself, or the admin's own answer (read-only models refuse "add" with 403, a missing
    # object redirects to the index); never the login.
    "admin:*": ("GET", ADMIN, ADMIN, ADMIN, STAFF, ADMIN),
    "admin:<RedirectView>": ("GET", ADMIN, ADMIN, ADMIN, REDIR, ADMIN),  # <id>/ -> <id>/change/
    "admin:<catch_all_view>": ("GET", ADMIN, ADMIN, ADMIN, 404, ADMIN),
    "admin:login": ("GET", 200, 200, 200, REDIR, 200),
    # The same two pages in front of the site's own, with the throttle of every password form (icsoe/urls.py)
    "admin_ingreso": ("GET", 200, 200, 200, REDIR, 200),
    "admin_contrasena_cambiar": ("GET", ADMIN, ADMIN, ADMIN, STAFF, ADMIN),
    "admin:logout": ("POST", REDIR, REDIR, REDIR, REDIR, REDIR),
    "admin:view_on_site": ("GET", ADMIN, ADMIN, ADMIN, 404, ADMIN),
}


# ----------------------------------------------------------------------------------------------------------
# Every URL pattern of the resolver
# ----------------------------------------------------------------------------------------------------------
def _patrones(resolver=None, espacio: str = "", ruta: str = "") -> Iterator[tuple[str, str, tuple[str, ...]]]:
    """(name with namespace, route, names of its path parameters) for every pattern, unnamed ones included."""
    for patron in (resolver or get_resolver()).url_patterns:
        if isinstance(patron, URLResolver):
            sub = f"{espacio}{patron.namespace}:" if patron.namespace else espacio
            yield from _patrones(patron, sub, ruta + str(patron.pattern))
        elif isinstance(patron, URLPattern):
            vista = patron.lookup_str.rsplit(".", 1)[-1]
            nombre = f"{espacio}{patron.name}" if patron.name else f"{espacio}<{vista}>"
            completa = ruta + str(patron.pattern)
            yield nombre, completa, tuple(dict.fromkeys([*patron.pattern.regex.groupindex, *_parametros(completa)]))


def _parametros(ruta: str) -> list[str]:
    return re.findall(r"<(?:\w+:)?(\w+)>", ruta) + re.findall(r"\(\?P<(\w+)>", ruta)


# The contratante (an RFC that is only a contratante, authorised by the matrix's contratista): a session in
# the contratante capacity reaches only its own pages and the public ones (clientes.capacidad, deny by
# default), so every URL not named here answers it 403, the admin's included only where the admin answers first.
CONTRATANTE: dict[str, object] = {
    "core:landing": REDIR,  # to its own home
    "core:inicio": REDIR,
    "core:salud": 200,
    "core:favicon": REDIR,
    "core:sesion_seguir": 200,
    "account_logout": 200,
    "accounts:terminos": REDIR,  # accepted (as the contratista's): to its own home
    "verificacion:acuse": 200,
    "listado:publico": 200,
    "listado:descargar": 404,
    "enlace:expediente": 404,  # public: an unknown token says so
    "enlace:descargar": 404,
    "clientes:entrar": 200,
    "clientes:entrar_validar": 200,
    "clientes:inicio": 200,
    "clientes:como_entrar": REDIR,  # it has one capacity only: to its home
    "clientes:informativa": 404,  # the matrix's informativa is not presented: nothing to see
    "clientes:expediente": 404,
    "admin:*": ADMIN,
    "admin:<RedirectView>": ADMIN,
    "admin:<catch_all_view>": ADMIN,
    "admin:login": 200,
    "admin_ingreso": 200,
    "admin_contrasena_cambiar": ADMIN,
    "admin:logout": REDIR,
    "admin:view_on_site": ADMIN,
}


def _fila_contratante(nombre: str) -> object:
    if nombre in CONTRATANTE:
        return CONTRATANTE[nombre]
    espacio = nombre.rsplit(":", 1)[0] + ":*" if ":" in nombre else None
    return CONTRATANTE.get(espacio, 403) if espacio else 403


# With DEBUG on, as `make run` sets it (the second pass of make test): the test client is on loopback, so the
# dev mailbox opens to everyone on this machine, and shows any email by its code.
CON_DEBUG: dict[str, tuple] = {
    "core:dev_correo": ("GET", 200, 200, 200, 200, 200),
    "core:dev_correo_detalle": ("GET", 200, 200, 200, 200, 200),
}


def _fila(nombre: str) -> tuple | None:
    if settings.DEBUG and nombre in CON_DEBUG:
        return CON_DEBUG[nombre]
    if nombre in MATRIZ:
        return MATRIZ[nombre]
    espacio = nombre.rsplit(":", 1)[0] + ":*" if ":" in nombre else None
    return MATRIZ.get(espacio) if espacio else None


PATRONES = sorted(set(_patrones()), key=lambda p: (p[0], p[1]))


def test_every_url_pattern_has_a_row_in_the_matrix():
    sin_fila = [f"{nombre}  ({ruta})" for nombre, ruta, _ in PATRONES if _fila(nombre) is None]
    assert not sin_fila, "URL sin expectativa en la matriz de acceso:\n" + "\n".join(sin_fila)


def test_every_row_of_the_matrix_names_a_url_that_exists():
    nombres = {nombre for nombre, _, _ in PATRONES}
    espacios = {nombre.rsplit(":", 1)[0] + ":*" for nombre in nombres if ":" in nombre}
    sobrantes = [fila for fila in [*MATRIZ, *CONTRATANTE] if fila not in nombres and fila not in espacios]
    assert not sobrantes, f"filas de la matriz sin URL: {sobrantes}"


# ----------------------------------------------------------------------------------------------------------
# The cast and its objects
# ----------------------------------------------------------------------------------------------------------
@pytest.fixture
def mundo(contratista, otro_contratista, capturista, staff, contrato, settings):
    from accounts.services import terminos_aceptar, terminos_vigentes
    from capturistas.models import Relacion
    from clientes.services import autorizacion_otorgar, contratante_usuario
    from contratistas.services import acuse_stps_subir
    from core.services import correo_encolar
    from informativas.captura import services
    from informativas.carga import services as carga_services
    from informativas.models import Informativa
    from tests.contratistas.conftest import pdf

    settings.ICSOE_DEV_MAILBOX = True
    trabajador = services.trabajador_agregar(
        contrato=contrato, nss=_nss(), curp=_curp(), sbc=_sbc(), usuario=contratista.usuario
    )
    carga = carga_services.carga_crear(
        contrato=contrato,
        archivo=SimpleUploadedFile("t.csv", (csv_trabajadores(3, inicio=500) + "123,NO-ES-CURP,1\n").encode()),
        usuario=contratista.usuario,
    )
    carga = carga_services.carga_validar(carga_id=carga.pk)
    importacion = _importacion_nomina(contrato, contratista)
    bloque = _bloque(contrato, contratista)
    correo = correo_encolar(para="x@example.com", plantilla="prueba", contexto={"mensaje": "hola"})
    acuse_stps = acuse_stps_subir(
        contratista=contratista, archivo=SimpleUploadedFile("stps.pdf", pdf()), usuario=contratista.usuario
    )
    informativa = Informativa.objects.get(pk=contrato.informativa_id)
    relacion = Relacion.objects.get(capturista=capturista, contratista=contratista)
    enlace = _enlace(informativa, contratista)
    autorizacion = autorizacion_otorgar(contratista=contratista, rfc=contrato.contratante_rfc, usuario=contratista.usuario)
    contratante = contratante_usuario(rfc=contrato.contratante_rfc, nombre=contrato.contratante_razon_social)
    if terminos := terminos_vigentes():  # accepted, as the matrix's contratistas have (tests/clientes/test_terminos.py)
        terminos_aceptar(usuario=contratante, terminos=terminos, ip=None)
    return {
        "enlace": enlace,
        "informativa": informativa,
        "contrato": contrato,
        "trabajador": trabajador,
        "carga": carga,
        "importacion": importacion,
        "bloque": bloque,
        "correo": correo,
        "acuse_stps": acuse_stps,
        "relacion": relacion,
        "autorizacion": autorizacion,
        "contratista": contratista,
        "usuarios": {
            "contratista": contratista.usuario,
            "capturista": capturista,
            "staff": staff,
            "otro": otro_contratista.usuario,
            "contratante": contratante,
        },
    }


def _enlace(informativa, contratista):
    """A link of the contratista's (made directly: the matrix's informativa is not presented)."""
    import datetime

    from django.utils import timezone

    from informativas.enlaces.models import EnlaceExpediente

    return EnlaceExpediente.objects.create(
        informativa=informativa, rfc_contratante="CLI010101AB5", nombre_contratante="CLIENTE", token_hash="0" * 64,
        vigencia_dias=30, expira_at=timezone.now() + datetime.timedelta(days=30), creado_por=contratista.usuario,
        creado_por_nombre="ESI",
    )


def _importacion_nomina(contrato, contratista):
    """A checked payroll import of the informativa, with a problem (an invoice) so its workbook exists."""
    import datetime

    from informativas.nomina import generador
    from informativas.nomina import services as nomina
    from tests.informativas.nomina.conftest import un_cfdi, zip_de

    factura = generador.cfdi_ingreso(emisor_rfc=contratista.rfc, receptor_rfc="XAXX010101000", fecha=datetime.date(2026, 2, 1))
    from tests.informativas.fases import en_el_worker

    return en_el_worker(
        nomina.nomina_recibir(
            informativa=contrato.informativa,
            archivos=[SimpleUploadedFile("n.zip", zip_de({"a.xml": un_cfdi(800), "f.xml": factura}))],
            usuario=contratista.usuario,
        )
    )


def _bloque(contrato, contratista):
    """A checked Contratos en bloque workbook with one rejected row."""
    from informativas.bloque import services as bloque
    from tests.informativas.bloque.test_bloque import libro
    from tests.informativas.fases import en_el_worker

    return en_el_worker(
        bloque.bloque_recibir(
            informativa=contrato.informativa,
            archivo=SimpleUploadedFile("c.xlsx", libro([{"rfc": ""}])),
            usuario=contratista.usuario,
        )
    )


def _nss() -> str:
    from tests.informativas.datos import nss

    return nss(900)


def _curp() -> str:
    from tests.informativas.datos import curp

    return curp(900)


def _sbc():
    from decimal import Decimal

    return Decimal("500.00")


def _valores(nombre: str, mundo: dict) -> dict:
    """Path parameters filled with the contratista's real objects."""
    informativa, contrato = mundo["informativa"], mundo["contrato"]
    code = {
        "informativas": informativa.code,
        "capturistas": mundo["relacion"].code,
        "core": mundo["correo"].code,
        "contratistas": mundo["acuse_stps"].code,
        "clientes": informativa.code,
        "autorizaciones": mundo["autorizacion"].code,
    }.get(nombre.split(":")[0])
    if nombre == "capturistas:seleccionar_confirmar":
        code = mundo["contratista"].code
    paso = "contratante" if nombre == "informativas:paso_contrato" else "contratista"
    return {
        "code": code,
        "contrato_code": contrato.code,
        "trabajador_code": mundo["trabajador"].code,
        "carga_code": mundo["bloque"].code if nombre.startswith("informativas:bloque") else mundo["carga"].code,
        "importacion_code": mundo["importacion"].code,
        "contratante_code": mundo["contratista"].contratantes.get().code,
        "enlace_code": mundo["enlace"].code,
        "paso": paso,
        "contratista_code": mundo["contratista"].code,
        "anio": 2025,  # ended, and with no informativa in the matrix's world
        "mes": "2025-01",  # no listado público published in the matrix's world
        "rfc": contrato.contratante_rfc,  # an expediente's contratante
        "formato": "pdf",
        "cuatrimestre": 1,
        "token": "liga-que-no-existe",
        "key": "clave-que-no-existe",
        "uidb36": "1",
        "app_label": "informativas",
        "url": "no-existe/",
        "id": str(mundo["usuarios"]["staff"].pk),
        "content_type_id": "1",
        "nombre": mundo["acuse_stps"].archivo.name,
    }


def _url(nombre: str, ruta: str, parametros: tuple[str, ...], mundo: dict) -> str:
    valores = _valores(nombre, mundo)
    if nombre.startswith("admin:") and "object_id" in parametros:
        valores["object_id"] = _objeto_admin(nombre, ruta, mundo)
    kwargs = {p: valores[p] for p in dict.fromkeys(parametros)}
    if not patron_con_nombre(nombre):
        ruta = re.sub(r"\(\?P<(\w+)>[^)]*\)", lambda m: str(kwargs[m.group(1)]), ruta)
        ruta = re.sub(r"<(?:\w+:)?(\w+)>", lambda m: str(kwargs[m.group(1)]), ruta)
        return "/" + ruta.replace("^", "").replace("$", "")
    return reverse(nombre, kwargs=kwargs or None)


def patron_con_nombre(nombre: str) -> bool:
    return not nombre.rsplit(":", 1)[-1].startswith("<")


def _objeto_admin(nombre: str, ruta: str, mundo: dict) -> str:
    """The pk of a real instance of the model an admin page is about (or of the staff user)."""
    from django.apps import apps

    partes = ruta.split("/")
    try:
        modelo = apps.get_model(partes[1], partes[2])
    except (LookupError, IndexError):
        return str(mundo["usuarios"]["staff"].pk)
    objeto = modelo._default_manager.order_by("pk").first()
    return str(objeto.pk) if objeto else "0"


# ----------------------------------------------------------------------------------------------------------
# The visits
# ----------------------------------------------------------------------------------------------------------
def _cliente(rol: str, mundo: dict) -> Client:
    cliente = Client()
    if rol != "anonimo":
        cliente.force_login(mundo["usuarios"][rol])
    if rol == "capturista":
        sesion = cliente.session
        sesion[SESSION_KEY] = str(mundo["contratista"].code)
        sesion.save()
    return cliente


def _cumple(respuesta, esperado) -> bool:
    destino = respuesta.get("Location", "")
    if esperado == LOGIN:
        return respuesta.status_code == 302 and destino.startswith("/acceso/?next=")
    if esperado == ADMIN:
        return respuesta.status_code == 302 and destino.startswith("/admin/login/")
    if esperado == STAFF:
        return respuesta.status_code < 500 and not destino.startswith(("/acceso/?next=", "/admin/login/"))
    if esperado == REDIR:
        return respuesta.status_code in (301, 302) and not destino.startswith(("/acceso/?next=", "/admin/login/"))
    return respuesta.status_code == esperado


@pytest.mark.parametrize(("nombre", "ruta", "parametros"), PATRONES, ids=[f"{p[0]} {p[1]}" for p in PATRONES])
def test_the_url_answers_each_role_as_the_matrix_says(nombre, ruta, parametros, mundo):
    fila = _fila(nombre)
    assert fila is not None, f"{nombre} no tiene fila en la matriz"
    metodo, *esperados = fila
    url = _url(nombre, ruta, parametros, mundo)
    fallas = []
    for rol, esperado in [*zip(ROLES, esperados, strict=True), ("contratante", _fila_contratante(nombre))]:
        cliente = _cliente(rol, mundo)
        # Each visit is undone afterwards, so a POST by one role cannot change what the next one sees.
        with transaction.atomic():
            respuesta = cliente.generic(metodo, url)
            transaction.set_rollback(True)
        if not _cumple(respuesta, esperado):
            fallas.append(f"{rol}: esperado {esperado}, obtuvo {respuesta.status_code} {respuesta.get('Location', '')}")
    assert not fallas, f"{metodo} {url}\n" + "\n".join(fallas)
