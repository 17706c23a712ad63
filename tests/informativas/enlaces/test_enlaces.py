"""A link for the client, that expires (issue 25): made by the contratista or its capturista from a presented
informativa, its token never kept in clear, 1 to 90 days, revocable, every access recorded, throttled, and the
public page behind it showing one contratante's expediente and nothing of anyone else's. The presented
informativa (conftest's, three contratantes) is signed once for the module."""

from __future__ import annotations

import datetime
import hashlib
import re
from collections.abc import Iterator

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from core.models import Bitacora, Correo
from core.services import correo_mensaje
from informativas.enlaces import services
from informativas.enlaces.models import AccesoEnlace, EnlaceExpediente
from informativas.models import Informativa, Trabajador
from tests.conftest import contratista_crear

from ..conftest import (
    FirmadaDelModulo,
    contrato_crear,
    firmada_del_modulo,
    firmada_intacta,
    firmada_para_la_prueba,
    informativa_crear,
    padron_sat_crear,
)
from .conftest import (
    CORREO_OTRA_MORAL,
    RFC_FISICA,
    RFC_MORAL,
    RFC_OTRA_MORAL,
    desde,
    presentar_con_tres_contratantes,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def _firmada(django_db_setup, django_db_blocker, pki, tmp_path_factory) -> Iterator[FirmadaDelModulo]:
    with firmada_del_modulo(django_db_blocker, pki, tmp_path_factory, "enlaces-del-modulo") as firmada:
        contratista = contratista_crear()
        contrato = contrato_crear(informativa_crear(contratista), padron_sat_crear(), contratista)
        informativa = presentar_con_tres_contratantes(contrato, contratista, pki["fiel"])
        yield firmada(informativa)


@pytest.fixture
def presentada(_firmada, firma_lista, settings) -> Informativa:
    return firmada_para_la_prueba(_firmada, settings)


@pytest.fixture
def contratista(presentada):
    return presentada.contratista


def _crear(presentada, usuario, rfc=RFC_OTRA_MORAL, **kwargs):
    return services.enlace_crear(informativa=presentada, rfc=rfc, usuario=usuario, **kwargs)


def _ruta(token: str) -> str:
    return reverse("enlace:expediente", args=[token])


def _texto(respuesta) -> str:
    return " ".join(respuesta.content.decode().split())


def _abrir(token: str, ip: str = "203.0.113.7", **kwargs):
    return Client().get(_ruta(token), **desde(ip), **kwargs)


def _todo_el_contenido_de_la_base() -> str:
    """Every value of every row of every table of the portal, as text."""
    partes = []
    with connection.cursor() as cursor:
        for tabla in connection.introspection.table_names():
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(tabla)}")
            partes.extend(repr(fila) for fila in cursor.fetchall())
    return "\n".join(partes)


# ----------------------------------------------------------------------------------------------------------
# The token
# ----------------------------------------------------------------------------------------------------------
def test_the_token_is_random_enough_and_only_its_hash_is_stored_anywhere(presentada, contratista):
    creado = _crear(presentada, contratista.usuario, correo=CORREO_OTRA_MORAL)
    otro = _crear(presentada, contratista.usuario)

    assert len(creado.token) >= 43 and creado.token != otro.token  # 32 random bytes, URL-safe base64
    assert creado.url == f"https://icsoe.example.gob.mx/expediente/{creado.token}/"
    assert creado.enlace.token_hash == hashlib.sha256(creado.token.encode()).hexdigest()
    base = _todo_el_contenido_de_la_base()
    assert creado.enlace.token_hash in base
    assert creado.token not in base and otro.token not in base
    # The outbox holds it only encrypted, and puts it back only in the message handed to SMTP.
    correo = Correo.objects.get(para=CORREO_OTRA_MORAL)
    assert creado.token not in correo.asunto + correo.cuerpo_texto + correo.cuerpo_html
    assert "[secreto-0-se-agrega-al-enviar]" in correo.cuerpo_texto
    assert creado.url in correo_mensaje(correo=correo).body


def test_the_token_is_shown_once_in_the_answer_that_creates_it(presentada, cliente_contratista):
    ruta = reverse("informativas:enlace_crear", args=[presentada.code, RFC_OTRA_MORAL])

    respuesta = cliente_contratista.post(ruta, {"vigencia_dias": "30"})

    assert respuesta.status_code == 200
    token = re.search(r'value="https://icsoe\.example\.gob\.mx/expediente/([A-Za-z0-9_-]+)/"', respuesta.content.decode())[1]
    assert EnlaceExpediente.objects.get().token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert "es la única vez que se muestra" in _texto(respuesta)
    for pagina in (
        reverse("informativas:enlaces"),
        reverse("informativas:enlaces_informativa", args=[presentada.code]),
        reverse("informativas:enlace_revocar", args=[EnlaceExpediente.objects.get().code]),
    ):
        assert token not in cliente_contratista.get(pagina).content.decode()


# ----------------------------------------------------------------------------------------------------------
# Making a link: who, for how long, for which contratante
# ----------------------------------------------------------------------------------------------------------
def test_a_link_lasts_30_days_unless_told_between_1_and_90(presentada, contratista):
    antes = timezone.now()
    por_omision = _crear(presentada, contratista.usuario).enlace
    assert por_omision.vigencia_dias == 30
    assert antes + datetime.timedelta(days=30) <= por_omision.expira_at <= timezone.now() + datetime.timedelta(days=30)
    assert _crear(presentada, contratista.usuario, vigencia_dias=1).enlace.vigencia_dias == 1
    assert _crear(presentada, contratista.usuario, vigencia_dias=90).enlace.vigencia_dias == 90
    for dias in (0, 91, -5):
        with pytest.raises(ValidationError, match="La vigencia de la liga debe ser de 1 a 90 días."):
            _crear(presentada, contratista.usuario, vigencia_dias=dias)
    assert EnlaceExpediente.objects.count() == 3


@pytest.mark.parametrize(
    ("dias", "mensaje"),
    [
        ("0", "La vigencia de la liga debe ser de 1 a 90 días."),
        ("91", "La vigencia de la liga debe ser de 1 a 90 días."),
        ("", "Indica cuántos días será válida la liga."),
        ("treinta", "La vigencia debe ser un número entero de días."),
    ],
)
def test_the_form_refuses_a_vigencia_outside_1_to_90_in_spanish(presentada, cliente_contratista, dias, mensaje):
    ruta = reverse("informativas:enlace_crear", args=[presentada.code, RFC_OTRA_MORAL])

    respuesta = cliente_contratista.post(ruta, {"vigencia_dias": dias})

    assert respuesta.status_code == 200 and mensaje in _texto(respuesta)
    assert not EnlaceExpediente.objects.exists()


def test_the_correo_is_prefilled_from_the_contrato_and_sent_only_when_confirmed(presentada, cliente_contratista):
    ruta = reverse("informativas:enlace_crear", args=[presentada.code, RFC_OTRA_MORAL])
    assert f'value="{CORREO_OTRA_MORAL}"' in cliente_contratista.get(ruta).content.decode()

    cliente_contratista.post(ruta, {"vigencia_dias": "30", "correo": CORREO_OTRA_MORAL})  # not ticked
    assert not Correo.objects.filter(plantilla="enlace_expediente").exists()
    falta = cliente_contratista.post(ruta, {"vigencia_dias": "30", "enviar_correo": "on", "correo": ""})
    assert "Captura el correo al que se enviará la liga" in _texto(falta)
    cliente_contratista.post(ruta, {"vigencia_dias": "7", "enviar_correo": "on", "correo": "otra@cliente.mx"})

    correo = Correo.objects.get(plantilla="enlace_expediente")
    assert correo.para == "otra@cliente.mx"
    assert "COMERCIAL TORRES SA DE CV" in correo.cuerpo_texto and "7 días" in correo.cuerpo_texto
    assert EnlaceExpediente.objects.filter(correo="otra@cliente.mx").count() == 1


def test_the_capturista_who_made_it_is_recorded_by_name(presentada, cliente_capturista, capturista):
    ruta = reverse("informativas:enlace_crear", args=[presentada.code, RFC_FISICA])

    cliente_capturista.post(ruta, {"vigencia_dias": "10"})

    enlace = EnlaceExpediente.objects.get()
    assert (enlace.creado_por, enlace.creado_por_nombre) == (capturista, "ERNESTO GÓMEZ DÍAZ")
    assert enlace.rfc_contratante == RFC_FISICA and enlace.nombre_contratante == "ANA GARCÍA PÉREZ"
    lista = _texto(cliente_capturista.get(reverse("informativas:enlaces")))
    assert "ERNESTO GÓMEZ DÍAZ" in lista and "ANA GARCÍA PÉREZ" in lista
    entrada = Bitacora.objects.get(accion="informativas.enlace.creado")
    assert entrada.usuario == capturista and entrada.datos["contratante"] == RFC_FISICA


def test_only_a_presented_filing_in_force_and_one_of_its_contratantes_can_have_a_link(
    presentada, contratista, cliente_contratista
):
    with pytest.raises(ValidationError, match="un contratante|contratos de ese contratante"):
        _crear(presentada, contratista.usuario, rfc="XAXX010101000")
    assert cliente_contratista.get(reverse("informativas:enlace_crear", args=[presentada.code, "XAXX010101000"])).status_code == 404

    borrador = Informativa.objects.create(
        contratista=contratista, anio=2026, cuatrimestre=2, tipo="NORMAL", creada_por=contratista.usuario
    )
    with pytest.raises(ValidationError, match="Sólo puedes crear ligas de una informativa presentada"):
        _crear(borrador, contratista.usuario, rfc=RFC_MORAL)
    respuesta = cliente_contratista.get(reverse("informativas:enlaces_informativa", args=[borrador.code]), follow=True)
    assert respuesta.redirect_chain[-1][0] == reverse("informativas:detalle", args=[borrador.code])
    assert "Sólo puedes crear ligas de una informativa presentada" in _texto(respuesta)


# ----------------------------------------------------------------------------------------------------------
# Another tenant
# ----------------------------------------------------------------------------------------------------------
def test_another_contratista_or_its_capturista_gets_404_for_a_link_of_this_one(
    presentada, contratista, otro_contratista, capturista
):
    from capturistas.models import Relacion

    enlace = _crear(presentada, contratista.usuario).enlace
    otro = Client()
    otro.force_login(otro_contratista.usuario)
    # The same capturista, working now for the other contratista (an active relation with it).
    Relacion.objects.create(
        contratista=otro_contratista, capturista=capturista, estatus=Relacion.Estatus.ACTIVA,
        telefono="5512345678", correo=capturista.email, usuario_alta=otro_contratista.usuario,
    )
    ajeno = Client()
    ajeno.force_login(capturista)
    sesion = ajeno.session
    sesion["contratista_code"] = str(otro_contratista.code)
    sesion.save()

    for cliente in (otro, ajeno):
        revocar = reverse("informativas:enlace_revocar", args=[enlace.code])
        assert cliente.get(revocar).status_code == 404
        assert cliente.post(revocar).status_code == 404
        assert cliente.get(reverse("informativas:enlaces_informativa", args=[presentada.code])).status_code == 404
        assert cliente.get(reverse("informativas:enlace_crear", args=[presentada.code, RFC_MORAL])).status_code == 404
        assert str(enlace.code) not in cliente.get(reverse("informativas:enlaces")).content.decode()
    enlace.refresh_from_db()
    assert enlace.revocado_at is None


# ----------------------------------------------------------------------------------------------------------
# The public page
# ----------------------------------------------------------------------------------------------------------
def test_the_page_shows_one_contratantes_expediente_and_nothing_of_the_others(presentada, contratista):
    creado = _crear(presentada, contratista.usuario, rfc=RFC_OTRA_MORAL)

    respuesta = _abrir(creado.token)

    assert respuesta.status_code == 200
    pagina = _texto(respuesta)
    assert "COMERCIAL TORRES SA DE CV" in pagina and presentada.folio_definitivo in pagina
    assert "Vigente" in pagina
    suyos = Trabajador.objects.filter(contrato__informativa=presentada, contrato__contratante_rfc=RFC_OTRA_MORAL)
    ajenos = Trabajador.objects.filter(contrato__informativa=presentada).exclude(contrato__contratante_rfc=RFC_OTRA_MORAL)
    assert suyos.count() == 2 and ajenos.count() == 2
    for trabajador in suyos:
        assert trabajador.nss in pagina and trabajador.curp in pagina
    for trabajador in ajenos:
        assert trabajador.nss not in pagina and trabajador.curp not in pagina
    for ajeno in presentada.contratos.exclude(contratante_rfc=RFC_OTRA_MORAL):
        for dato in (ajeno.contratante_rfc, ajeno.contratante_razon_social, ajeno.folio, ajeno.objeto):
            assert dato not in pagina


def test_every_answer_behind_a_link_is_private_and_sends_no_referrer(presentada, contratista):
    creado = _crear(presentada, contratista.usuario)
    vencido = _crear(presentada, contratista.usuario)
    EnlaceExpediente.objects.filter(pk=vencido.enlace.pk).update(expira_at=timezone.now() - datetime.timedelta(seconds=1))

    respuestas = [
        _abrir(creado.token),
        _abrir(vencido.token),
        _abrir("x" * 43),
        Client().post(_ruta(creado.token), **desde("203.0.113.7")),
    ]

    assert [r.status_code for r in respuestas] == [200, 410, 404, 405]
    for respuesta in respuestas:
        assert respuesta["Cache-Control"] == "private, no-store"
        assert respuesta["Referrer-Policy"] == "no-referrer"
        assert "noindex" in respuesta["X-Robots-Tag"]


def test_an_unknown_token_says_so_and_nothing_else(presentada, contratista):
    _crear(presentada, contratista.usuario)

    respuesta = _abrir("no-es-una-liga-" + "a" * 30)

    assert respuesta.status_code == 404
    pagina = _texto(respuesta)
    assert "Esta liga no existe." in pagina
    assert presentada.folio_definitivo not in pagina and "CLIENTE" not in pagina and "Folio de la informativa" not in pagina
    assert not AccesoEnlace.objects.exists()


def test_an_expired_link_says_so_shows_nothing_and_the_attempt_is_recorded(presentada, contratista):
    creado = _crear(presentada, contratista.usuario, vigencia_dias=1)
    EnlaceExpediente.objects.filter(pk=creado.enlace.pk).update(
        expira_at=timezone.now() - datetime.timedelta(minutes=1)
    )

    respuesta = _abrir(creado.token, ip="198.51.100.4")

    assert respuesta.status_code == 410
    pagina = _texto(respuesta)
    assert "Esta liga venció el" in pagina
    assert presentada.folio_definitivo not in pagina and "COMERCIAL TORRES" not in pagina and "NSS" not in pagina
    acceso = AccesoEnlace.objects.get()
    assert (acceso.ip, acceso.atendido) == ("198.51.100.4", False)


def test_revoking_asks_first_then_the_link_says_it_was_revoked(presentada, contratista, cliente_contratista):
    creado = _crear(presentada, contratista.usuario)
    assert _abrir(creado.token).status_code == 200
    revocar = reverse("informativas:enlace_revocar", args=[creado.enlace.code])

    confirmacion = cliente_contratista.get(revocar)
    assert "¿Revocar esta liga?" in _texto(confirmacion)
    assert _abrir(creado.token).status_code == 200  # asking did not revoke
    respuesta = cliente_contratista.post(revocar, follow=True)

    assert "Se revocó la liga de COMERCIAL TORRES SA DE CV" in _texto(respuesta)
    revocada = _abrir(creado.token)
    assert revocada.status_code == 410
    pagina = _texto(revocada)
    assert "Esta liga fue revocada" in pagina and presentada.folio_definitivo not in pagina
    creado.enlace.refresh_from_db()
    assert creado.enlace.revocado_por_nombre == contratista.razon_social
    fila = _texto(cliente_contratista.get(reverse("informativas:enlaces")))
    assert "Revocada" in fila
    assert Bitacora.objects.filter(accion="informativas.enlace.revocado").count() == 1
    with pytest.raises(ValidationError, match="ya estaba revocada"):
        services.enlace_revocar(enlace=creado.enlace, usuario=contratista.usuario)


def test_every_access_is_recorded_and_listed_with_date_time_and_address(presentada, contratista, cliente_contratista):
    creado = _crear(presentada, contratista.usuario)

    _abrir(creado.token, ip="203.0.113.7")
    _abrir(creado.token, ip="2001:db8::1")

    accesos = list(AccesoEnlace.objects.order_by("pk"))
    assert [(a.ip, a.recurso, a.atendido) for a in accesos] == [
        ("203.0.113.7", "PAGINA", True),
        ("2001:db8::1", "PAGINA", True),
    ]
    lista = _texto(cliente_contratista.get(reverse("informativas:enlaces")))
    assert "2 accesos" in lista
    local = timezone.localtime(accesos[0].momento)
    assert f"{local:%d/%m/%Y} a las {local:%H:%M:%S} · 203.0.113.7" in lista
    assert "2001:db8::1" in lista


def test_unknown_tokens_from_one_address_make_it_wait_even_with_a_good_one(presentada, contratista):
    creado = _crear(presentada, contratista.usuario)
    presupuesto = services.ENLACE_POR_DIRECCION.presupuesto

    respuestas = [_abrir(f"adivinanza-{i:03d}-" + "b" * 30, ip="192.0.2.50") for i in range(presupuesto + 1)]

    assert {r.status_code for r in respuestas} == {404}
    espera = _abrir(creado.token, ip="192.0.2.50")
    assert espera.status_code == 429
    assert "espera 2 segundos" in _texto(espera) and presentada.folio_definitivo not in _texto(espera)
    assert espera["Cache-Control"] == "private, no-store"
    assert _abrir(creado.token, ip="192.0.2.51").status_code == 200  # another address is not slowed
    assert AccesoEnlace.objects.count() == 1


def test_the_trabajadores_are_paged_and_each_page_shows_only_its_rows(presentada, contratista, monkeypatch):
    from informativas import selectors

    monkeypatch.setattr(selectors, "TRABAJADORES_POR_PAGINA", 1)
    creado = _crear(presentada, contratista.usuario, rfc=RFC_OTRA_MORAL)
    primero, segundo = Trabajador.objects.filter(
        contrato__informativa=presentada, contrato__contratante_rfc=RFC_OTRA_MORAL
    ).order_by("created_at", "pk")

    paginas = {n: _texto(_abrir(creado.token, data={"pagina": n})) for n in ("1", "2", "99", "x")}

    assert primero.nss in paginas["1"] and segundo.nss not in paginas["1"] and "Siguiente" in paginas["1"]
    assert segundo.nss in paginas["2"] and primero.nss not in paginas["2"] and "Anterior" in paginas["2"]
    assert segundo.nss in paginas["99"]  # past the end: the last page
    assert primero.nss in paginas["x"]
    assert _texto(_abrir(creado.token, data={"pagina": "2"})).count(segundo.nss) == 1  # kept, the same page


# ----------------------------------------------------------------------------------------------------------
# The expediente behind the link (Part A's): its files, and what became of its filing
# ----------------------------------------------------------------------------------------------------------
def test_the_files_are_the_stored_expediente_byte_for_byte_and_each_download_is_recorded(presentada, contratista):
    from informativas.expediente.services import expediente_archivo, expediente_de

    creado = _crear(presentada, contratista.usuario, rfc=RFC_FISICA)
    expediente = expediente_de(informativa=presentada, rfc=RFC_FISICA)
    pagina = _texto(_abrir(creado.token))
    assert expediente.codigo_verificacion_mostrar in pagina and expediente.pdf_sha256 in pagina

    for formato in ("pdf", "xlsx", "manifiesto"):
        respuesta = Client().get(reverse("enlace:descargar", args=[creado.token, formato]), **desde("203.0.113.9"))
        assert respuesta.status_code == 200
        assert respuesta.content == expediente_archivo(expediente=expediente, formato=formato).contenido
        assert respuesta["Content-Disposition"].startswith("attachment")
        assert respuesta["Cache-Control"] == "private, no-store" and respuesta["Referrer-Policy"] == "no-referrer"
    assert list(AccesoEnlace.objects.order_by("pk").values_list("recurso", "ip")) == [
        ("PAGINA", "203.0.113.7"), ("PDF", "203.0.113.9"), ("XLSX", "203.0.113.9"), ("MANIFIESTO", "203.0.113.9"),
    ]
    services.enlace_revocar(enlace=creado.enlace, usuario=contratista.usuario)
    revocada = Client().get(reverse("enlace:descargar", args=[creado.token, "pdf"]), **desde("203.0.113.9"))
    assert revocada.status_code == 410 and b"%PDF" not in revocada.content
    assert Client().get(reverse("enlace:descargar", args=[creado.token, "docx"])).status_code == 404


def test_after_a_correccion_the_link_keeps_showing_its_expediente_marked_replaced(presentada, contratista, fiel):
    from informativas.captura import services as captura
    from informativas.expediente.services import expediente_de
    from informativas.presentacion import services as presentacion

    from ..conftest import firmar

    creado = _crear(presentada, contratista.usuario, rfc=RFC_OTRA_MORAL)
    antes = expediente_de(informativa=presentada, rfc=RFC_OTRA_MORAL)
    correccion = presentacion.complementaria_crear(origen=presentada, tipo="CORRECCION", usuario=contratista.usuario)
    captura.informativa_enviar_a_firma(informativa=correccion, usuario=contratista.usuario)
    correccion = firmar(correccion, fiel, usuario=contratista.usuario)

    pagina = _texto(_abrir(creado.token))

    assert f"Sustituida por {correccion.folio_definitivo}" in pagina
    assert f"fue sustituida por la informativa complementaria con folio {correccion.folio_definitivo}" in pagina
    assert presentada.folio_definitivo in pagina and antes.codigo_verificacion_mostrar in pagina
    assert expediente_de(informativa=presentada, rfc=RFC_OTRA_MORAL).pk == antes.pk
    # A new link comes from the filing in force only.
    presentada.refresh_from_db()
    with pytest.raises(ValidationError, match="Sólo puedes crear ligas de una informativa presentada"):
        _crear(presentada, contratista.usuario)


# ----------------------------------------------------------------------------------------------------------
# Last in the module: what the tests above did (links, accesses, a correccion signed) stayed in each of them;
# the presented informativa is as it was made
# ----------------------------------------------------------------------------------------------------------
def test_the_earlier_tests_left_nothing_behind(_firmada, db):
    assert not EnlaceExpediente.objects.exists() and not AccesoEnlace.objects.exists()
    assert not Correo.objects.filter(para__icontains=CORREO_OTRA_MORAL).exists()
    firmada_intacta(_firmada)
