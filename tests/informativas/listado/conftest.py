"""A filing presented at the end of May 2026 (Mexico City) with a persona moral and a persona física contratante
and three trabajadores, and a helper to present a Corrección of it on another day."""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

import pytest

from ..conftest import agregar_trabajador, datos_contratante, firmar

ZONA = ZoneInfo("America/Mexico_City")
# 23:30 on 31 May in Mexico City is already 1 June in UTC: the month is the local one.
PRESENTADA_EL = datetime.datetime(2026, 5, 31, 23, 30, tzinfo=ZONA)
RFC_FISICA = "GAPA800101ABA"


def presentar_el(informativa, momento: datetime.datetime):
    """The filing as presented at ``momento`` (the signature stamps the real time)."""
    from informativas.models import Informativa

    Informativa.objects.filter(pk=informativa.pk).update(fecha_presentacion=momento)
    informativa.refresh_from_db()
    return informativa


@pytest.fixture
def presentada(trabajador, contrato, contratista, fiel):
    return presentada_crear(contrato, contratista, fiel)


def presentada_crear(contrato, contratista, fiel):
    """The contrato fixture's informativa (its trabajador added) with a persona física contratante too, signed
    and presented at PRESENTADA_EL."""
    from informativas.captura import services

    fisica = services.contrato_crear(
        informativa=contrato.informativa,
        usuario=contratista.usuario,
        contratante=datos_contratante(
            rfc=RFC_FISICA,
            razon_social="ANA GARCÍA PÉREZ",
            domicilio_social_igual_fiscal=False,
            domicilio_convencional_igual_fiscal=True,
        ),
    )
    fisica = services.contrato_actualizar(
        contrato=fisica,
        objeto="Pedido 77 mantenimiento",
        registro_repse="AR12345/2021",
        servicio="=Mantenimiento de elevadores",  # a formula, escaped in the workbook
        fecha_inicio=datetime.date(2026, 1, 15),
        fecha_termino=datetime.date(2026, 4, 30),
        usuario=contratista.usuario,
    )
    agregar_trabajador(fisica, contratista.usuario, 2)
    agregar_trabajador(fisica, contratista.usuario, 3)
    informativa = contrato.informativa
    services.informativa_contratos_declarados_guardar(informativa=informativa, numero=2, usuario=contratista.usuario)
    services.informativa_enviar_a_firma(informativa=informativa, usuario=contratista.usuario)
    return presentar_el(firmar(informativa, fiel, usuario=contratista.usuario), PRESENTADA_EL)
