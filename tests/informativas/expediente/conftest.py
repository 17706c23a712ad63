"""A Normal of 2026-1 presented with three contratantes: a persona moral with one contrato and one trabajador
(the catálogo's CLI010101AB5, 12-character RFC), a persona física (13-character RFC) with two contratos, and
another persona moral; each with trabajadores of its own."""

from __future__ import annotations

import datetime
import io
import re
from collections.abc import Iterator

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from tests.conftest import contratista_crear

from ..conftest import (
    FirmadaDelModulo,
    agregar_trabajador,
    contrato_crear,
    datos_contratante,
    firmada_del_modulo,
    firmada_para_la_prueba,
    firmar,
    informativa_crear,
    padron_sat_crear,
    trabajador_crear,
)

RFC_FISICA = "GAPA800101ABA"
RFC_MORAL_2 = "SCO990101AA6"


def _contrato(informativa, usuario, *, rfc, nombre, objeto, servicio, inicio, termino=None):
    from informativas.captura import services

    contrato = services.contrato_crear(
        informativa=informativa,
        usuario=usuario,
        contratante=datos_contratante(rfc=rfc, razon_social=nombre),
    )
    return services.contrato_actualizar(
        contrato=contrato,
        objeto=objeto,
        registro_repse="AR12345/2021",
        servicio=servicio,
        fecha_inicio=inicio,
        fecha_termino=termino,
        usuario=usuario,
    )


@pytest.fixture
def varios(trabajador, contrato, contratista, fiel):
    return varios_presentar(contrato, contratista, fiel)


@pytest.fixture(scope="module")
def _varios_del_modulo(django_db_setup, django_db_blocker, pki, tmp_path_factory) -> Iterator[FirmadaDelModulo]:
    """``varios`` signed once for a module of tests that only read it or change it inside their own savepoint
    (the browser journey, a transactional test, keeps ``varios``)."""
    with firmada_del_modulo(django_db_blocker, pki, tmp_path_factory, "expediente-del-modulo") as firmada:
        contratista = contratista_crear()
        contrato = contrato_crear(informativa_crear(contratista), padron_sat_crear(), contratista)
        trabajador_crear(contrato, contratista)
        informativa = varios_presentar(contrato, contratista, pki["fiel"])
        yield firmada(informativa)


@pytest.fixture
def varios_del_modulo(_varios_del_modulo, firma_lista, settings):
    return firmada_para_la_prueba(_varios_del_modulo, settings)


def varios_presentar(contrato, contratista, fiel):
    """The presented informativa: CLI010101AB5 (trabajador 1), the persona física (two contratos, trabajadores
    2, 3 and 4) and SCO990101AA6 (trabajadores 5 and 6)."""
    from informativas.captura import services

    usuario = contratista.usuario
    informativa = contrato.informativa
    fisica_1 = _contrato(
        informativa, usuario, rfc=RFC_FISICA, nombre="ANA GARCÍA PÉREZ", objeto="Pedido 77 mantenimiento",
        servicio="=Mantenimiento de elevadores", inicio=datetime.date(2026, 1, 15), termino=datetime.date(2026, 4, 30),
    )
    fisica_2 = _contrato(
        informativa, usuario, rfc=RFC_FISICA, nombre="ANA GARCÍA PÉREZ", objeto="Pedido 78 jardinería",
        servicio="Jardinería especializada", inicio=datetime.date(2026, 3, 1),
    )
    moral_2 = _contrato(
        informativa, usuario, rfc=RFC_MORAL_2, nombre="SERVICIOS COSTA DEL PACIFICO SA DE CV",
        objeto="Contrato marco 2026-ZX", servicio="Vigilancia", inicio=datetime.date(2026, 1, 2),
    )
    for contrato_, i in ((fisica_1, 2), (fisica_1, 3), (fisica_2, 4), (moral_2, 5), (moral_2, 6)):
        agregar_trabajador(contrato_, usuario, i)
    services.informativa_contratos_declarados_guardar(informativa=informativa, numero=4, usuario=usuario)
    services.informativa_enviar_a_firma(informativa=informativa, usuario=usuario)
    return firmar(informativa, fiel, usuario=usuario)


def identificadores(informativa, rfc: str) -> set[str]:
    """Everything that names contratante ``rfc`` in the informativa: its RFC, name, contrato folios, and its
    trabajadores' NSS and CURP."""
    from informativas.models import Trabajador

    contratos = informativa.contratos.filter(contratante_rfc=rfc)
    trabajadores = Trabajador.objects.filter(contrato__in=contratos)
    return (
        {rfc}
        | set(contratos.values_list("contratante_razon_social", flat=True))
        | set(contratos.values_list("folio", flat=True))
        | set(trabajadores.values_list("nss", flat=True))
        | set(trabajadores.values_list("curp", flat=True))
    )


def presentes(texto: str, datos: set[str]) -> list[str]:
    """The identifiers found in ``texto`` as whole words (an NSS inside a SHA-256 is not one)."""
    return sorted(d for d in datos if re.search(rf"(?<![0-9A-Za-z]){re.escape(d)}(?![0-9A-Za-z])", texto))


def texto_pdf(datos: bytes) -> str:
    return "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(datos)).pages)


def filas_xlsx(datos: bytes) -> dict[str, list[list]]:
    libro = load_workbook(io.BytesIO(datos), read_only=True)
    return {hoja.title: [list(f) for f in hoja.iter_rows(values_only=True)] for hoja in libro.worksheets}


def partes_xlsx(datos: bytes) -> str:
    """Every part of the package inflated (shared strings, properties), as text."""
    import zipfile

    with zipfile.ZipFile(io.BytesIO(datos)) as paquete:
        return "\n".join(paquete.read(n).decode("utf-8", "replace") for n in paquete.namelist())
