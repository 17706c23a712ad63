"""Fixtures of the informativas tests: a contratista that has accepted the términos, a fixed "today", a small
SEPOMEX catalog and SAT registry, and informativas at each stage of capture."""

from __future__ import annotations

import contextlib
import copy
import datetime
import hashlib
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

HOY = datetime.date(2026, 6, 1)  # 2026 cuatrimestre 1 has ended; its deadline (18 May 2026) has passed


def datos_contratante(rfc: str = "CLI010101AB5", **extra):
    """A contratante as the Contratante tab sends it, complete; ``extra`` overrides any field."""
    from informativas.captura import services

    datos = dict(
        rfc=rfc,
        razon_social="",
        correo="compras@cliente.mx",
        celular="5511112222",
        domicilio_social_igual_fiscal=True,
        domicilio_convencional_igual_fiscal=True,
    )
    datos.update(extra)
    return services.DatosContratante(**datos)


def agregar_trabajador(contrato, usuario, i: int):
    """The i-th test trabajador (valid NSS and CURP from ``datos``) captured one by one in the contract."""
    from informativas.captura import services

    from .datos import curp, nss

    return services.trabajador_agregar(
        contrato=contrato, nss=nss(i), curp=curp(i), sbc=Decimal("400.00"), usuario=usuario
    )


@pytest.fixture
def contratista(contratista):
    """The owner contratista, past the términos y condiciones screen (another issue's middleware)."""
    from accounts.models import AceptacionTerminos, TerminosCondiciones

    for terminos in TerminosCondiciones.objects.filter(activo=True):
        AceptacionTerminos.objects.get_or_create(usuario=contratista.usuario, terminos=terminos)
    return contratista


@pytest.fixture
def otro_contratista(otro_contratista):
    from accounts.models import AceptacionTerminos, TerminosCondiciones

    for terminos in TerminosCondiciones.objects.filter(activo=True):
        AceptacionTerminos.objects.get_or_create(usuario=otro_contratista.usuario, terminos=terminos)
    return otro_contratista


@pytest.fixture(autouse=True)
def hoy_fijo(settings):
    settings.ICSOE_HOY = HOY.isoformat()
    return HOY


@pytest.fixture
def sepomex(db):
    from contratistas.models import Asentamiento, CodigoPostal, Estado, Municipio

    estado = Estado.objects.create(clave="09", nombre="CIUDAD DE MÉXICO")
    municipio = Municipio.objects.create(estado=estado, clave="010", nombre="ÁLVARO OBREGÓN")
    cp = CodigoPostal.objects.create(codigo="01000", municipio=municipio, ciudad="CIUDAD DE MÉXICO")
    return {
        "cp": cp,
        "san_angel": Asentamiento.objects.create(
            codigo_postal=cp, clave="0001", nombre="SAN ÁNGEL", tipo="Colonia"
        ),
        "tlacopac": Asentamiento.objects.create(
            codigo_postal=cp, clave="0002", nombre="TLACOPAC", tipo="Colonia"
        ),
    }


@pytest.fixture
def padron_sat(db):
    return padron_sat_crear()


def padron_sat_crear():
    from contratistas.models import ContribuyenteSat

    return ContribuyenteSat.objects.create(rfc="CLI010101AB5", razon_social="CLIENTE INDUSTRIAL SA DE CV")


@pytest.fixture
def renapo(db):
    from accounts.models import PersonaRenapo

    from .datos import curp

    return PersonaRenapo.objects.create(
        curp=curp(1), nombres="MARÍA", primer_apellido="LÓPEZ", segundo_apellido="HERNÁNDEZ"
    )


@pytest.fixture
def cliente_rfc() -> str:
    return "CLI010101AB5"


@pytest.fixture
def informativa(contratista):
    return informativa_crear(contratista)


def informativa_crear(contratista):
    """A draft Normal of the first cuatrimestre of 2026 with its Contratista tab done."""
    from informativas.captura import services

    informativa = services.informativa_crear(
        contratista=contratista, anio=2026, cuatrimestre=1, tipo="NORMAL", usuario=contratista.usuario
    )
    return services.informativa_contratista_guardar(
        informativa=informativa, igual_fiscal=True, domicilio=None, usuario=contratista.usuario
    )


@pytest.fixture
def contrato(informativa, padron_sat, contratista):
    return contrato_crear(informativa, padron_sat, contratista)


def contrato_crear(informativa, padron_sat, contratista):
    """A contract of that informativa with contratante and contract data, and no worker yet."""
    from informativas.captura import services

    contrato = services.contrato_crear(
        informativa=informativa,
        contratante=datos_contratante(padron_sat.rfc),
        usuario=contratista.usuario,
    )
    return services.contrato_actualizar(
        contrato=contrato,
        objeto="OC 4500012345 limpieza de oficinas",
        registro_repse="AR12345/2021",
        servicio="Servicio especializado de limpieza industrial",
        fecha_inicio=datetime.date(2026, 2, 1),
        fecha_termino=None,
        usuario=contratista.usuario,
    )


@pytest.fixture
def trabajador(contrato, contratista):
    return trabajador_crear(contrato, contratista)


def trabajador_crear(contrato, contratista):
    from informativas.captura import services

    from .datos import curp, nss

    return services.trabajador_agregar(
        contrato=contrato, nss=nss(1), curp=curp(1), sbc=Decimal("452.37"), usuario=contratista.usuario
    )


@pytest.fixture
def cliente_contratista(client, contratista):
    client.force_login(contratista.usuario)
    return client


@pytest.fixture
def cliente_capturista(client, capturista, contratista):
    client.force_login(capturista)
    sesion = client.session
    sesion["contratista_code"] = str(contratista.code)
    sesion.save()
    return client


# ---------------------------------------------------------------------------------------------------------
# Signing: a demo CA (trusted in tests), the contratista's own FIEL and CSD, and the portal's sello, made
# once per session in a tmp dir; each test points the settings at them and gets its own media folder.
# ---------------------------------------------------------------------------------------------------------
@pytest.fixture(scope="session")
def pki(tmp_path_factory):
    from firma.demo import DemoCA, emitir_efirma, emitir_sello_portal, guardar_efirma, guardar_sello_portal
    from tests.efirma_sat import PASSWORD_SAT, Efirma

    base = tmp_path_factory.mktemp("pki")
    ca = DemoCA.load_or_create(base / "var" / "demo-efirma")
    archivos = {}
    for clave, rfc, nombre, tipo in (
        ("fiel", "ESI920427886", "EMPRESA DE SERVICIOS INTEGRALES SA DE CV", "fiel"),
        ("csd", "ESI920427886", "EMPRESA DE SERVICIOS INTEGRALES SA DE CV", "csd"),
        ("otro", "PEJJ800101AB6", "JUAN PEREZ JIMENEZ", "fiel"),
    ):
        cer, key = emitir_efirma(ca=ca, rfc=rfc, nombre=nombre, password=PASSWORD_SAT, tipo=tipo)
        ruta_cer, ruta_key = guardar_efirma(directorio=base / clave, rfc=rfc, cer=cer, key=key)
        archivos[clave] = Efirma(ruta_cer, ruta_key, PASSWORD_SAT, rfc)
    cer, key = emitir_sello_portal()
    archivos["sello_cer"], archivos["sello_key"] = base / "sello" / "portal.cer", base / "sello" / "portal.key"
    guardar_sello_portal(ruta_cer=archivos["sello_cer"], ruta_key=archivos["sello_key"], cer=cer, key=key)
    archivos["var"] = base / "var"
    return archivos


@pytest.fixture
def firma_lista(settings, pki, tmp_path):
    """Settings for signing: the demo CA trusted, the portal's sello, a private media folder."""
    for nombre, valor in ajustes_de_firma(pki, media=tmp_path / "media").items():
        setattr(settings, nombre, valor)
    return pki


def ajustes_de_firma(pki, *, media) -> dict:
    """firma_lista's settings (also for a module-scoped fixture, through override_settings)."""
    return {
        "ICSOE_VAR_DIR": pki["var"],
        "ICSOE_SIGNING_CERT": str(pki["sello_cer"]),
        "ICSOE_SIGNING_KEY": str(pki["sello_key"]),
        "MEDIA_ROOT": media,
        "ICSOE_BASE_URL": "https://icsoe.example.gob.mx",
    }


@dataclass
class FirmadaDelModulo:
    """An informativa a module signs once (``firmada_del_modulo``) and what the signature stored in media."""

    informativa: Any
    media: Path
    archivos: dict[str, str]  # path in media: SHA-256


def archivos_en(media: Path) -> dict[str, str]:
    return {p.relative_to(media).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest() for p in media.rglob("*") if p.is_file()}


@contextlib.contextmanager
def firmada_del_modulo(
    django_db_blocker, pki, tmp_path_factory, nombre: str
) -> Iterator[Callable[[Any], FirmadaDelModulo]]:
    """Where a module-scoped fixture signs its data once, as Django's setUpTestData: in a transaction rolled back
    after the module's last test (each test runs in a savepoint inside it), signing into a media folder of its
    own (``nombre``). What it yields records the signed informativa with the files its signature stored."""
    from django.core.cache import cache
    from django.db import transaction
    from django.test import override_settings

    media = tmp_path_factory.mktemp(nombre) / "media"
    with (
        django_db_blocker.unblock(),
        override_settings(**ajustes_de_firma(pki, media=media), ICSOE_HOY=HOY.isoformat()),
        transaction.atomic(),
    ):
        cache.clear()
        try:
            yield lambda informativa: FirmadaDelModulo(informativa, media, archivos_en(media))
        finally:
            transaction.set_rollback(True)


def firmada_para_la_prueba(firmada: FirmadaDelModulo, settings) -> Any:
    """The module's signed informativa for one test: its own copy of the object and of the stored files, in the
    test's media folder (firma_lista's). What the process keeps rendered for a presented filing, keyed by its code
    (the ``plantillas`` cache), starts empty, as for an informativa the test made itself."""
    from django.core.cache import caches

    caches["plantillas"].clear()
    shutil.copytree(firmada.media, settings.MEDIA_ROOT)
    return copy.deepcopy(firmada.informativa)


@pytest.fixture(scope="module")
def _normal_firmada_del_modulo(django_db_setup, django_db_blocker, pki, tmp_path_factory) -> Iterator[FirmadaDelModulo]:
    """What ``pendiente`` makes (the Normal of 2026-1, one contract, one worker) signed with the contratista's
    FIEL, once for the module that asks for it (``firmada_del_modulo``)."""
    from tests.conftest import contratista_crear

    with firmada_del_modulo(django_db_blocker, pki, tmp_path_factory, "normal-del-modulo") as firmada:
        contratista = contratista_crear()
        contrato = contrato_crear(informativa_crear(contratista), padron_sat_crear(), contratista)
        pendiente = pendiente_crear(trabajador_crear(contrato, contratista), contratista)
        informativa = firmar(pendiente, pki["fiel"], usuario=contratista.usuario)
        yield firmada(informativa)


@pytest.fixture
def normal_firmada_del_modulo(_normal_firmada_del_modulo, firma_lista, settings):
    """The module's signed Normal for one test (``firmada_para_la_prueba``)."""
    return firmada_para_la_prueba(_normal_firmada_del_modulo, settings)


def firmada_intacta(firmada: FirmadaDelModulo) -> None:
    """For a module's last test: the informativa it signed once is as it was made (the only filing and acuse,
    its state and folio, its stored files), whatever the tests before it did in their savepoints."""
    from informativas.models import Acuse, Informativa

    assert Informativa.objects.count() == Acuse.objects.count() == 1
    actual, hecha = Informativa.objects.select_related("acuse").get(), firmada.informativa
    assert (actual.pk, actual.estatus, actual.folio_definitivo) == (hecha.pk, hecha.estatus, hecha.folio_definitivo)
    assert (actual.acuse.codigo_verificacion, actual.acuse.pdf_sha256) == (hecha.acuse.codigo_verificacion, hecha.acuse.pdf_sha256)
    assert archivos_en(firmada.media) == firmada.archivos
    assert firmada.archivos[hecha.acuse.pdf.name] == hecha.acuse.pdf_sha256


@pytest.fixture
def fiel(firma_lista):
    """The contratista's own e.firma (FIEL of ESI920427886, issued by the demo CA)."""
    return firma_lista["fiel"]


@pytest.fixture
def pendiente(trabajador, contratista, firma_lista):
    return pendiente_crear(trabajador, contratista)


def pendiente_crear(trabajador, contratista):
    """The Normal of 2026-1 with one contract and one worker, sent to signing; the contratista has a correo."""
    from contratistas.models import Contratista
    from informativas.captura import services

    Contratista.objects.filter(pk=contratista.pk).update(correo="contacto@esi.example.mx")
    informativa = trabajador.contrato.informativa
    services.informativa_contratos_declarados_guardar(informativa=informativa, numero=1, usuario=contratista.usuario)
    return services.informativa_enviar_a_firma(informativa=informativa, usuario=contratista.usuario)


def firmar(informativa, efirma, *, usuario, password=None, rfc=None, **kwargs):
    """Signs as the Firmar page does (tests/firma_navegador.py): Validar, the signature made locally, Firmar."""
    from dataclasses import replace

    from tests.firma_navegador import firmar_informativa

    if password is not None:
        efirma = replace(efirma, password=password)
    return firmar_informativa(informativa, efirma, usuario=usuario, rfc=rfc, **kwargs)


@pytest.fixture
def lista_69b(tmp_path, settings, padron_sat):
    """The SAT's 69-B list loaded (a file in SAT's shape, cut 31 May 2026): padron_sat's contratante
    «Definitivo», SCO990101AA6 «Presunto». Only 69-B is expected, so the screening is verified."""
    from listas_sat import services as listas

    from ..listas_sat.archivos import archivo_69b, fila_69b

    settings.ICSOE_LISTAS_SAT_ESPERADAS = ["69b"]
    ruta = tmp_path / "Listado_completo_69-B.csv"
    ruta.write_bytes(archivo_69b([
        fila_69b(1, padron_sat.rfc, padron_sat.razon_social, "Definitivo"),
        fila_69b(2, "SCO990101AA6", "SERVICIOS COSTA", "Presunto"),
    ], corte="31 de mayo de 2026"))
    return listas.lista_importar(ruta=ruta).carga


PROXY = "10.0.0.1"


def desde(ip: str) -> dict[str, str]:
    """The request's META as it comes through the one trusted proxy from ``ip``."""
    return {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": ip}


@pytest.fixture
def detras_de_un_proxy(settings, monkeypatch):
    """Behind one trusted proxy, with the throttle's clock stopped (a slow machine must not let waits pass)."""
    from django.core.cache import cache

    from core import throttle

    settings.ICSOE_TRUSTED_PROXIES = 1
    monkeypatch.setattr(throttle, "reloj", lambda: 1_750_000_000.0)
    cache.clear()
    yield
    cache.clear()
