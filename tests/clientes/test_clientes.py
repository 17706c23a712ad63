"""The contratante's own view by e.firma: authorisations (the contratista only), the door (its own e.firma,
never a contratista created), the view (only what names it, only of who authorises it), revocation at once,
the capacities of one account, and the audit trail the contratista reads. ESI920427886's filing (conftest's
``presentada``) is signed once for the module."""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import urlencode

import pytest
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.test import Client

from accounts.models import User
from clientes import services
from clientes.models import Autorizacion
from contratistas.models import Contratista
from core.models import Bitacora
from informativas.selectors import contratos_del_contratante
from tests.conftest import contratista_crear
from tests.informativas.conftest import (
    FirmadaDelModulo,
    contrato_crear,
    firmada_del_modulo,
    firmada_intacta,
    firmada_para_la_prueba,
    informativa_crear,
    padron_sat_crear,
    trabajador_crear,
)
from tests.informativas.listado.conftest import presentada_crear

from .conftest import RFC_CLIENTE, RFC_FISICA, autorizado_por_otro, entrar_como_contratante

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def _firmada(django_db_setup, django_db_blocker, pki, tmp_path_factory) -> Iterator[FirmadaDelModulo]:
    with firmada_del_modulo(django_db_blocker, pki, tmp_path_factory, "clientes-del-modulo") as firmada:
        contratista = contratista_crear()
        contrato = contrato_crear(informativa_crear(contratista), padron_sat_crear(), contratista)
        trabajador_crear(contrato, contratista)
        informativa = presentada_crear(contrato, contratista, pki["fiel"])
        yield firmada(informativa)


@pytest.fixture
def presentada(_firmada, firma_lista, settings):
    return firmada_para_la_prueba(_firmada, settings)


@pytest.fixture
def contratista(presentada):
    return presentada.contratista


@pytest.fixture
def padron_sat(_firmada):
    """The SAT registry's row of CLI010101AB5 the module's filing was made with (for presentada_del_otro)."""
    from contratistas.models import ContribuyenteSat

    return ContribuyenteSat.objects.get(rfc=RFC_CLIENTE)


@pytest.fixture(autouse=True)
def _sin_bloqueos():
    cache.clear()
    yield
    cache.clear()


def _autorizar(contratista, rfc=RFC_CLIENTE):
    return services.autorizacion_otorgar(contratista=contratista, rfc=rfc, usuario=contratista.usuario)


def _cliente_del_contratista(contratista) -> Client:
    client = Client()
    client.force_login(contratista.usuario)
    return client


# ---------------------------------------------------------------------------------------------------------
# Authorisations: the contratista only
# ---------------------------------------------------------------------------------------------------------
def test_the_contratista_authorises_a_contratante_of_its_filings_and_the_record_says_who_and_when(presentada, contratista):
    client = _cliente_del_contratista(contratista)
    pagina = client.get("/autorizaciones/")
    assert pagina.status_code == 200
    assert f"Autorizar a CLIENTE INDUSTRIAL SA DE CV ({RFC_CLIENTE})" in pagina.text
    assert f"Autorizar a ANA GARCÍA PÉREZ ({RFC_FISICA})" in pagina.text

    respuesta = client.post("/autorizaciones/", {"rfc": RFC_CLIENTE}, follow=True)

    autorizacion = Autorizacion.objects.get()
    assert (autorizacion.contratista, autorizacion.rfc_contratante) == (contratista, RFC_CLIENTE)
    assert autorizacion.autorizada_por == contratista.usuario and autorizacion.autorizada_en
    assert autorizacion.nombre_contratante == "CLIENTE INDUSTRIAL SA DE CV"
    assert f"Autorizaste al RFC {RFC_CLIENTE}" in respuesta.text
    assert Bitacora.objects.filter(accion="clientes.autorizacion.otorgada", objeto_id=str(autorizacion.pk)).exists()


@pytest.mark.parametrize(
    ("rfc", "mensaje"),
    [
        ("CLI01", "El RFC debe tener 12 caracteres (persona moral) o 13 (persona física)."),
        ("1234567890123", "El RFC no tiene el formato correcto."),
        ("ESI920427886", "Ése es tu propio RFC: autoriza el RFC de un contratante."),
    ],
)
def test_a_typed_rfc_is_checked_as_everywhere_in_the_portal(contratista, rfc, mensaje):
    respuesta = _cliente_del_contratista(contratista).post("/autorizaciones/", {"rfc": rfc})

    assert respuesta.status_code == 200
    assert mensaje in respuesta.text
    assert not Autorizacion.objects.exists()


def test_a_typed_rfc_its_filings_never_named_may_be_authorised_once(contratista):
    client = _cliente_del_contratista(contratista)
    client.post("/autorizaciones/", {"rfc": " gode561231gr8 "})
    respuesta = client.post("/autorizaciones/", {"rfc": "GODE561231GR8"})

    assert list(Autorizacion.objects.values_list("rfc_contratante", flat=True)) == ["GODE561231GR8"]
    assert services.MENSAJE_YA_AUTORIZADO in respuesta.text


def test_its_capturistas_can_neither_authorise_nor_revoke_nor_read_the_accesses(presentada, contratista, capturista):
    autorizacion = _autorizar(contratista)
    client = Client()
    client.force_login(capturista)
    sesion = client.session
    sesion["contratista_code"] = str(contratista.code)
    sesion.save()

    assert client.get("/autorizaciones/").status_code == 403
    assert client.post("/autorizaciones/", {"rfc": RFC_FISICA}).status_code == 403
    assert client.post(f"/autorizaciones/{autorizacion.code}/revocar/").status_code == 403
    assert client.get("/autorizaciones/accesos/").status_code == 403
    assert Autorizacion.objects.count() == 1 and Autorizacion.objects.get().vigente
    with pytest.raises(PermissionDenied):
        services.autorizacion_otorgar(contratista=contratista, rfc=RFC_FISICA, usuario=capturista)


def test_revoking_asks_first_and_another_contratista_cannot_touch_it(presentada, contratista, otro_contratista):
    autorizacion = _autorizar(contratista)
    client = _cliente_del_contratista(contratista)

    confirmar = client.get(f"/autorizaciones/{autorizacion.code}/revocar/")
    assert confirmar.status_code == 200 and "¿Revocas la autorización" in confirmar.text
    autorizacion.refresh_from_db()
    assert autorizacion.vigente  # a GET only asks

    assert _cliente_del_contratista(otro_contratista).post(f"/autorizaciones/{autorizacion.code}/revocar/").status_code == 404
    client.post(f"/autorizaciones/{autorizacion.code}/revocar/")

    autorizacion.refresh_from_db()
    assert autorizacion.revocada_por == contratista.usuario and autorizacion.revocada_en
    assert Bitacora.objects.filter(accion="clientes.autorizacion.revocada").count() == 1


# ---------------------------------------------------------------------------------------------------------
# The door
# ---------------------------------------------------------------------------------------------------------
def test_an_rfc_no_contratista_authorises_is_refused_and_nothing_is_created(presentada, fiel_cliente):
    respuesta = entrar_como_contratante(Client(), fiel_cliente)

    assert respuesta.status_code == 200
    assert services.MENSAJE_SIN_AUTORIZACION in respuesta.text
    assert not User.objects.filter(rfc=RFC_CLIENTE).exists()
    assert not Contratista.objects.filter(rfc=RFC_CLIENTE).exists()


def test_an_authorised_contratante_logs_in_with_its_own_efirma_and_no_contratista_is_created(
    presentada, contratista, fiel_cliente
):
    _autorizar(contratista)
    client = Client()

    respuesta = entrar_como_contratante(client, fiel_cliente)

    assert respuesta.status_code == 302 and respuesta["Location"] == "/contratante/"
    usuario = User.objects.get(rfc=RFC_CLIENTE)
    assert usuario.rol == User.Rol.CONTRATANTE and not usuario.has_usable_password()
    assert not Contratista.objects.filter(rfc=RFC_CLIENTE).exists()
    assert client.get("/contratante/").status_code == 200
    # Its second entry finds the same account.
    entrar_como_contratante(Client(), fiel_cliente)
    assert User.objects.filter(rfc=RFC_CLIENTE).count() == 1


def test_a_persona_fisica_contratante_logs_in_with_its_fiel(presentada, contratista, fiel_fisica):
    _autorizar(contratista, RFC_FISICA)
    client = Client()

    assert entrar_como_contratante(client, fiel_fisica)["Location"] == "/contratante/"
    assert "Pedido 77 mantenimiento" in client.get(f"/contratante/informativas/{presentada.code}/").text


def test_the_door_keeps_the_efirma_throttle_of_the_contratistas_login(presentada, contratista, fiel_cliente):
    from contratistas import freno_efirma

    _autorizar(contratista)
    client = Client()
    for _ in range(freno_efirma.EFIRMA_POR_DIRECCION.presupuesto + 1):
        client.post(
            "/contratante/entrar/",
            urlencode({"rfc": RFC_CLIENTE, "certificado": "AAAA", "reto": "x", "firma": "AAAA"}),
            content_type="application/x-www-form-urlencoded",
        )

    with pytest.raises(AssertionError, match="intentos fallidos de e.firma desde tu red"):
        entrar_como_contratante(client, fiel_cliente)  # its Validar waits
    assert "_auth_user_id" not in client.session


# ---------------------------------------------------------------------------------------------------------
# The view: only what names it, only of who authorises it
# ---------------------------------------------------------------------------------------------------------
def test_the_view_shows_only_its_contratos_of_the_contratistas_that_authorise_it(
    presentada, presentada_del_otro, contratista, fiel_cliente
):
    _autorizar(contratista)
    client = Client()
    entrar_como_contratante(client, fiel_cliente)

    inicio = client.get("/contratante/").text
    assert contratista.razon_social in inicio and presentada.folio_definitivo in inicio
    assert "PEJJ800101AB6" not in inicio and presentada_del_otro.folio_definitivo not in inicio

    detalle = client.get(f"/contratante/informativas/{presentada.code}/").text
    suyo = contratos_del_contratante(informativa=presentada, rfc=RFC_CLIENTE).get()
    assert suyo.folio in detalle and "OC 4500012345 limpieza de oficinas" in detalle
    for trabajador in suyo.trabajadores.all():
        assert trabajador.nss in detalle and trabajador.curp in detalle
    ajeno = contratos_del_contratante(informativa=presentada, rfc=RFC_FISICA).get()
    assert RFC_FISICA not in detalle and "ANA GARC" not in detalle and "Pedido 77" not in detalle
    for trabajador in ajeno.trabajadores.all():
        assert trabajador.nss not in detalle and trabajador.curp not in detalle

    # The other contratista's filing names it too, but that contratista did not authorise it.
    assert client.get(f"/contratante/informativas/{presentada_del_otro.code}/").status_code == 404


def test_revocation_refuses_at_once_in_spanish(presentada, contratista, fiel_cliente):
    autorizacion = _autorizar(contratista)
    client = Client()
    entrar_como_contratante(client, fiel_cliente)
    assert client.get(f"/contratante/informativas/{presentada.code}/").status_code == 200

    services.autorizacion_revocar(autorizacion=autorizacion, usuario=contratista.usuario)

    respuesta = client.get(f"/contratante/informativas/{presentada.code}/")
    assert respuesta.status_code == 403
    assert services.MENSAJE_REVOCADA in respuesta.text
    assert presentada.folio_definitivo not in client.get("/contratante/").text
    assert "Pide a tu contratista que te autorice" in entrar_como_contratante(Client(), fiel_cliente).text


# ---------------------------------------------------------------------------------------------------------
# Capacities: one account per RFC, each capacity only its own pages
# ---------------------------------------------------------------------------------------------------------
def test_a_contratante_session_reaches_no_contratista_page(presentada, contratista, fiel_cliente):
    _autorizar(contratista)
    client = Client()
    entrar_como_contratante(client, fiel_cliente)

    for ruta in ("/contratista/", "/informativas/", "/usuarios/consulta/", "/autorizaciones/", "/informativas/tablero/"):
        respuesta = client.get(ruta)
        assert respuesta.status_code == 403, ruta
        assert "Entraste como contratante" in respuesta.text
    assert client.get("/inicio/")["Location"] == "/contratante/"


def test_a_contratista_that_is_also_a_contratante_chooses_and_sees_only_that_capacitys_pages(
    presentada, contratista, fiel
):
    """ESI920427886 is a contratista, and another contratista authorises it as its contratante."""
    autorizado_por_otro(contratista)
    client = Client()

    respuesta = entrar_como_contratante(client, fiel)

    assert respuesta["Location"] == "/contratante/como-entrar/"
    assert User.objects.filter(rfc=contratista.rfc).count() == 1
    assert "¿Cómo quieres entrar?" in client.get("/contratante/como-entrar/").text

    client.post("/contratante/como-entrar/", {"capacidad": "contratante"})
    assert client.get("/contratante/").status_code == 200
    assert client.get("/contratista/").status_code == 403
    assert client.get("/autorizaciones/").status_code == 403

    client.post("/contratante/como-entrar/", {"capacidad": "contratista"})
    assert client.get("/contratista/").status_code == 200
    assert client.get("/autorizaciones/").status_code == 200
    assert client.get("/contratante/").status_code == 403


def test_a_contratante_that_later_enters_as_contratista_keeps_its_one_account(presentada, contratista):
    from contratistas.services import contratista_obtener_o_crear

    _autorizar(contratista)
    usuario = services.contratante_usuario(rfc=RFC_CLIENTE, nombre="CLIENTE INDUSTRIAL SA DE CV")

    nuevo = contratista_obtener_o_crear(rfc=RFC_CLIENTE, razon_social="CLIENTE INDUSTRIAL SA DE CV")

    assert nuevo.usuario_id == usuario.pk
    usuario.refresh_from_db()
    assert usuario.rol == User.Rol.CONTRATISTA and usuario.es_contratista
    assert services.es_tambien_contratante(usuario)


# ---------------------------------------------------------------------------------------------------------
# The audit trail
# ---------------------------------------------------------------------------------------------------------
def test_every_access_is_in_the_audit_trail_the_contratista_reads(presentada, contratista, fiel_cliente):
    _autorizar(contratista)
    client = Client()
    entrar_como_contratante(client, fiel_cliente)
    client.get("/contratante/")
    client.get(f"/contratante/informativas/{presentada.code}/")

    acciones = list(services.accesos_de(contratista).order_by("creado", "pk").values_list("accion", flat=True))
    assert acciones == [services.ACCESO_INGRESO, services.ACCESO_PAGINA, services.ACCESO_PAGINA]

    bitacora = _cliente_del_contratista(contratista).get("/autorizaciones/accesos/").text
    assert "Ingreso con e.firma" in bitacora and "Consulta" in bitacora
    assert f"/contratante/informativas/{presentada.code}/" in bitacora
    assert RFC_CLIENTE in bitacora


# ---------------------------------------------------------------------------------------------------------
# Its expediente (informativas.expediente)
# ---------------------------------------------------------------------------------------------------------
def test_the_contratante_downloads_its_own_expediente_and_the_download_is_in_the_audit_trail(
    presentada, contratista, fiel_cliente
):
    import io

    from openpyxl import load_workbook

    autorizacion = _autorizar(contratista)
    client = Client()
    entrar_como_contratante(client, fiel_cliente)
    base = f"/contratante/informativas/{presentada.code}/expediente"

    pdf = client.get(f"{base}/pdf/")
    xlsx = client.get(f"{base}/xlsx/")

    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert pdf["Cache-Control"] == "private, no-store" and "attachment" in pdf["Content-Disposition"]
    celdas = [
        str(valor)
        for hoja in load_workbook(io.BytesIO(xlsx.content), read_only=True).worksheets
        for fila in hoja.iter_rows(values_only=True)
        for valor in fila
        if valor is not None
    ]
    suyo = contratos_del_contratante(informativa=presentada, rfc=RFC_CLIENTE).get()
    assert suyo.folio in celdas
    assert not [c for c in celdas if RFC_FISICA in c or "Pedido 77" in c]
    assert client.get(f"{base}/pdf/").content == pdf.content  # the same bytes ever after
    assert client.get(f"{base}/zip/").status_code == 404
    descargas = services.accesos_de(contratista).filter(accion=services.ACCESO_DESCARGA)
    assert descargas.count() == 3 and {d.datos["folio"] for d in descargas} == {presentada.folio_definitivo}

    services.autorizacion_revocar(autorizacion=autorizacion, usuario=contratista.usuario)
    respuesta = client.get(f"{base}/pdf/")
    assert respuesta.status_code == 403 and services.MENSAJE_REVOCADA in respuesta.text


def test_a_contratista_in_the_contratante_capacity_whose_authorisation_is_revoked_goes_back_to_its_own(
    presentada, contratista, fiel
):
    otro = Contratista.objects.create(
        usuario=User.objects.create(username="OTR010101AA1", rol=User.Rol.CONTRATISTA, rfc="OTR010101AA1"),
        rfc="OTR010101AA1",
        razon_social="OTRA EMPRESA SA DE CV",
    )
    autorizacion = services.autorizacion_otorgar(contratista=otro, rfc=contratista.rfc, usuario=otro.usuario)
    client = Client()
    entrar_como_contratante(client, fiel)
    client.post("/contratante/como-entrar/", {"capacidad": "contratante"})
    services.autorizacion_revocar(autorizacion=autorizacion, usuario=otro.usuario)

    inicio = client.get("/contratante/")
    assert services.MENSAJE_SIN_AUTORIZACION in inicio.text and "Entrar como contratista" in inicio.text
    respuesta = client.get("/contratante/como-entrar/")

    assert respuesta.status_code == 302 and respuesta["Location"] == "/inicio/"
    assert client.get("/contratista/").status_code == 200


# ---------------------------------------------------------------------------------------------------------
# Last in the module: what the tests above did (authorisations, logins, another contratista's filing) stayed in
# each of them; the module's filing is as it was made
# ---------------------------------------------------------------------------------------------------------
def test_the_earlier_tests_left_nothing_behind(_firmada, db):
    assert not Autorizacion.objects.exists() and not Bitacora.objects.filter(accion__startswith="clientes.").exists()
    assert list(Contratista.objects.values_list("rfc", flat=True)) == [_firmada.informativa.contratista.rfc]
    firmada_intacta(_firmada)
