"""A presented Normal of 2026-1 with three contratantes (two personas morales and a persona física), each with
its own contratos and trabajadores, and a contratista behind one trusted proxy with the throttle's clock stopped."""

from __future__ import annotations

import datetime

import pytest

from ..conftest import agregar_trabajador, datos_contratante, desde, firmar  # noqa: F401  (desde: for the tests)

RFC_MORAL = "CLI010101AB5"  # the contrato fixture's contratante (CLIENTE INDUSTRIAL SA DE CV)
RFC_OTRA_MORAL = "CLT020202CD7"
RFC_FISICA = "GAPA800101ABA"
CORREO_OTRA_MORAL = "pagos@otra-moral.example.mx"


@pytest.fixture(autouse=True)
def _detras_de_un_proxy(detras_de_un_proxy):
    yield


def _contrato(informativa, usuario, *, rfc, razon_social, objeto, trabajadores, **extra):
    from informativas.captura import services

    contrato = services.contrato_crear(
        informativa=informativa, usuario=usuario, contratante=datos_contratante(rfc=rfc, razon_social=razon_social, **extra)
    )
    contrato = services.contrato_actualizar(
        contrato=contrato,
        objeto=objeto,
        registro_repse="AR12345/2021",
        servicio="Mantenimiento especializado",
        fecha_inicio=datetime.date(2026, 1, 15),
        fecha_termino=datetime.date(2026, 4, 30),
        usuario=usuario,
    )
    for i in trabajadores:
        agregar_trabajador(contrato, usuario, i)
    return contrato


def presentar_con_tres_contratantes(contrato, contratista, fiel):
    """The contrato fixture's informativa with two more contratantes, signed."""
    from contratistas.models import Contratista
    from informativas.captura import services

    Contratista.objects.filter(pk=contratista.pk).update(correo="contacto@esi.example.mx")
    usuario = contratista.usuario
    agregar_trabajador(contrato, usuario, 1)
    informativa = contrato.informativa
    _contrato(informativa, usuario, rfc=RFC_OTRA_MORAL, razon_social="COMERCIAL TORRES SA DE CV",
              objeto="Pedido 12 vigilancia", trabajadores=(2, 3), correo=CORREO_OTRA_MORAL)
    _contrato(informativa, usuario, rfc=RFC_FISICA, razon_social="ANA GARCÍA PÉREZ",
              objeto="Pedido 77 jardinería", trabajadores=(4,), domicilio_social_igual_fiscal=False)
    services.informativa_contratos_declarados_guardar(informativa=informativa, numero=3, usuario=usuario)
    services.informativa_enviar_a_firma(informativa=informativa, usuario=usuario)
    return firmar(informativa, fiel, usuario=usuario)


@pytest.fixture
def presentada(contrato, contratista, fiel):
    return presentar_con_tres_contratantes(contrato, contratista, fiel)
