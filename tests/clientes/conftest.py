"""Two contratistas, each with a filing in force naming the same contratante: ESI920427886's names two
contratantes (CLI010101AB5, a persona moral, and GAPA800101ABA, a persona física), PEJJ800101AB6's names
CLI010101AB5 too. Only ESI authorises; the contratante's e.firma is issued by the demo CA."""

from __future__ import annotations

import datetime

import pytest

from tests.informativas.conftest import (  # noqa: F401  (fixtures)
    agregar_trabajador,
    contratista,
    contrato,
    datos_contratante,
    fiel,
    firma_lista,
    firmar,
    hoy_fijo,
    informativa,
    otro_contratista,
    padron_sat,
    pendiente,
    pki,
    trabajador,
)
from tests.informativas.listado.conftest import RFC_FISICA, presentada  # noqa: F401

RFC_CLIENTE = "CLI010101AB5"
NOMBRE_CLIENTE = "CLIENTE INDUSTRIAL SA DE CV"


@pytest.fixture
def presentada_del_otro(otro_contratista, firma_lista, padron_sat):
    """PEJJ800101AB6's Normal of 2026-1, naming CLI010101AB5 in its one contrato (folio of its own)."""
    return presentar_del_otro(otro_contratista, firma_lista, datos_contratante(RFC_CLIENTE))


def presentar_del_otro(otro_contratista, firma_lista, contratante):
    """A Normal of 2026-1 of PEJJ800101AB6 (signed with its demo FIEL) with one contrato for ``contratante``."""
    from informativas.captura import services

    usuario = otro_contratista.usuario
    informativa = services.informativa_crear(
        contratista=otro_contratista, anio=2026, cuatrimestre=1, tipo="NORMAL", usuario=usuario
    )
    informativa = services.informativa_contratista_guardar(
        informativa=informativa, igual_fiscal=True, domicilio=None, usuario=usuario
    )
    contrato = services.contrato_crear(informativa=informativa, contratante=contratante, usuario=usuario)
    contrato = services.contrato_actualizar(
        contrato=contrato,
        objeto="Pedido del otro contratista",
        registro_repse="AR12345/2021",
        servicio="Vigilancia ajena",
        fecha_inicio=datetime.date(2026, 2, 1),
        fecha_termino=None,
        usuario=usuario,
    )
    agregar_trabajador(contrato, usuario, 40)
    services.informativa_contratos_declarados_guardar(informativa=informativa, numero=1, usuario=usuario)
    services.informativa_enviar_a_firma(informativa=informativa, usuario=usuario)
    return firmar(informativa, firma_lista["otro"], usuario=usuario)


@pytest.fixture
def fiel_cliente(firma_lista):
    """The contratante's own FIEL (CLI010101AB5, persona moral), issued by the demo CA."""
    return _fiel(firma_lista, RFC_CLIENTE, NOMBRE_CLIENTE)


@pytest.fixture
def fiel_fisica(firma_lista):
    """The persona física contratante's FIEL (GAPA800101ABA)."""
    return _fiel(firma_lista, RFC_FISICA, "ANA GARCIA PEREZ")


def _fiel(pki, rfc: str, nombre: str):
    from firma.demo import DemoCA, emitir_efirma, guardar_efirma
    from tests.efirma_sat import PASSWORD_SAT, Efirma

    ca = DemoCA.load_or_create(pki["var"] / "demo-efirma")
    cer, key = emitir_efirma(ca=ca, rfc=rfc, nombre=nombre, password=PASSWORD_SAT, tipo="fiel")
    ruta_cer, ruta_key = guardar_efirma(directorio=pki["var"].parent / f"fiel-{rfc}", rfc=rfc, cer=cer, key=key)
    return Efirma(ruta_cer, ruta_key, PASSWORD_SAT, rfc)


def entrar_como_contratante(client, efirma, *, aceptar_terminos: bool = True):
    """The contratante's door as the page uses it: Validar, the reto signed locally, Ingresar. When the door
    asks for the términos y condiciones first (the account's first entry, a new version), they are accepted as
    the page's user does, unless ``aceptar_terminos`` is false: the answer is then the one that sends there
    (after accepting, it is the términos page's, which sends where the door would have)."""
    from tests.firma_navegador import firmar_en_pagina

    respuesta = firmar_en_pagina(
        client, url_validar="/contratante/entrar/validar/", url_enviar="/contratante/entrar/", efirma=efirma
    )
    if aceptar_terminos and respuesta.get("Location", "").startswith("/acceso/terminos/"):
        return client.post(respuesta["Location"], {"acepto": "on"})
    return respuesta


def autorizado_por_otro(contratista):
    """Another contratista (OTR010101AA1) authorises ``contratista``'s RFC as its contratante: one account, two
    capacities. Returns the other contratista."""
    from accounts.models import User
    from clientes import services
    from contratistas.models import Contratista

    otro = Contratista.objects.create(
        usuario=User.objects.create(username="OTR010101AA1", rol=User.Rol.CONTRATISTA, rfc="OTR010101AA1"),
        rfc="OTR010101AA1",
        razon_social="OTRA EMPRESA SA DE CV",
    )
    services.autorizacion_otorgar(contratista=otro, rfc=contratista.rfc, usuario=otro.usuario)
    return otro
