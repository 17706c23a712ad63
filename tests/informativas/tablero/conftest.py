"""The cast of the board: a capturista of an accounting firm that serves three contratistas (A, B, C), one
relation given de baja (D), and a contratista served only by another capturista (E); an e.firma for each
contratista, so their informativas are presented as the Firmar page presents them."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

import pytest

from tests.conftest import PASSWORD, contratista_con_terminos

D = datetime.date
HOY_TABLERO = D(2027, 1, 10)  # the Sep–Dec 2026 informativa is due on 18 Jan 2027: 8 days left
ALTA_DESPACHO = datetime.datetime(2023, 2, 1, 12, tzinfo=datetime.UTC)

CONTRATISTAS_EXTRA = {
    "c": ("CTR010203AB4", "CONSTRUCTORA TRES RÍOS SA DE CV"),
    "d": ("DIS040506CD7", "DISTRIBUIDORA DEL BAJÍO SA DE CV"),
    "e": ("EXT070809EF1", "EXTERNA DE LIMPIEZA SA DE CV"),
}


@dataclass
class Despacho:
    capturista: object
    otro_capturista: object
    a: object
    b: object
    c: object
    d: object
    e: object


def _capturista(curp: str, nombre: str):
    from accounts.models import User

    return User.objects.create_user(
        username=curp, password=PASSWORD, rol=User.Rol.CAPTURISTA, curp=curp, nombre_completo=nombre,
        email=f"{curp.lower()}@despacho.example.mx",
    )


def relacionar(contratista, capturista, estatus="activa"):
    from capturistas.models import Relacion

    return Relacion.objects.create(
        contratista=contratista, capturista=capturista, estatus=estatus, telefono="5512345678",
        correo=capturista.email, usuario_alta=contratista.usuario,
    )


@pytest.fixture
def despacho(contratista, otro_contratista) -> Despacho:
    return despacho_crear(contratista, otro_contratista)


def despacho_crear(contratista, otro_contratista) -> Despacho:
    extra = {k: contratista_con_terminos(rfc=rfc, razon_social=nombre) for k, (rfc, nombre) in CONTRATISTAS_EXTRA.items()}
    from tests.informativas.datos import curp

    capturista = _capturista(curp(901), "LAURA MARTÍNEZ GARCÍA")
    otro = _capturista(curp(902), "JUAN RODRÍGUEZ PÉREZ")
    for c in (contratista, otro_contratista, extra["c"]):
        relacionar(c, capturista)
    relacionar(extra["d"], capturista, estatus="baja")
    relacionar(extra["e"], otro)
    # The firm's contratistas registered in the portal long before the board's two years: every period is owed.
    from contratistas.models import Contratista

    Contratista.objects.filter(pk__in=[c.pk for c in (contratista, otro_contratista, *extra.values())]).update(
        created_at=ALTA_DESPACHO
    )
    return Despacho(capturista, otro, contratista, otro_contratista, extra["c"], extra["d"], extra["e"])


@pytest.fixture(scope="session")
def _fieles_de_la_sesion(pki, tmp_path_factory) -> dict:
    from firma.demo import DemoCA, emitir_efirma, guardar_efirma
    from tests.efirma_sat import PASSWORD_SAT, Efirma

    ca = DemoCA.load_or_create(pki["var"] / "demo-efirma")
    resultado = {"ESI920427886": pki["fiel"], "PEJJ800101AB6": pki["otro"]}
    base = tmp_path_factory.mktemp("fieles-tablero")
    for rfc, nombre in CONTRATISTAS_EXTRA.values():
        cer, key = emitir_efirma(ca=ca, rfc=rfc, nombre=nombre, password=PASSWORD_SAT, tipo="fiel")
        ruta_cer, ruta_key = guardar_efirma(directorio=base / rfc, rfc=rfc, cer=cer, key=key)
        resultado[rfc] = Efirma(ruta_cer, ruta_key, PASSWORD_SAT, rfc)
    return resultado


@pytest.fixture
def fieles(firma_lista, _fieles_de_la_sesion) -> dict:
    """A FIEL of the demo CA (trusted in tests) for each contratista of the cast, by RFC; the signing settings."""
    return _fieles_de_la_sesion


def sin_informacion(contratista, anio: int, cuatrimestre: int, *, hoy: datetime.date):
    """A Sin información of the period, pending signature (created on ``hoy``)."""
    from informativas.captura import services

    return services.informativa_sin_informacion_declarar(
        contratista=contratista, anio=anio, cuatrimestre=cuatrimestre, usuario=contratista.usuario, hoy=hoy
    )


def presentar_sin_informacion(contratista, anio: int, cuatrimestre: int, fieles, *, hoy: datetime.date):
    """A Sin información of the period, signed and presented with the contratista's FIEL on ``hoy``."""
    from tests.firma_navegador import firmar_informativa

    informativa = sin_informacion(contratista, anio, cuatrimestre, hoy=hoy)
    return firmar_informativa(informativa, fieles[contratista.rfc], usuario=contratista.usuario, hoy=hoy)


def borrador(contratista, anio: int, cuatrimestre: int, *, hoy: datetime.date, tipo: str = "NORMAL"):
    from informativas.captura import services

    return services.informativa_crear(
        contratista=contratista, anio=anio, cuatrimestre=cuatrimestre, tipo=tipo, usuario=contratista.usuario, hoy=hoy
    )
