"""Fixtures of the informativas tests: a contratista that has accepted the términos, a fixed "today", a small
SEPOMEX catalog and SAT registry, and informativas at each stage of capture."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

HOY = datetime.date(2026, 6, 1)  # 2026 cuatrimestre 1 has ended; its deadline (18 May 2026) has passed


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
    """A draft Normal of the first cuatrimestre of 2026 with its Contratista tab done."""
    from informativas import services

    informativa = services.informativa_crear(
        contratista=contratista, anio=2026, cuatrimestre=1, tipo="NORMAL", usuario=contratista.usuario
    )
    return services.informativa_contratista_guardar(
        informativa=informativa, igual_fiscal=True, domicilio=None, usuario=contratista.usuario
    )


@pytest.fixture
def contrato(informativa, padron_sat, contratista):
    """A contract of that informativa with contratante and contract data, and no worker yet."""
    from informativas import services

    contrato = services.contrato_crear(
        informativa=informativa,
        contratante=services.DatosContratante(
            rfc=padron_sat.rfc,
            razon_social="",
            correo="compras@cliente.mx",
            celular="5511112222",
            domicilio_social_igual_fiscal=True,
            domicilio_convencional_igual_fiscal=True,
        ),
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
    from informativas import services

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
