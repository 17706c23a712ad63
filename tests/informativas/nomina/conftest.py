"""Builders of the nómina import tests: payroll ZIPs made by the project's own CFDI generator."""

from __future__ import annotations

import datetime
import io
import zipfile

import pytest

EMISOR = "ESI920427886"  # the contratista of tests/conftest.py
CLIENTE = "CLI010101AB5"  # the contratante of the ``contrato`` fixture
CLIENTE_2 = "CLT020202CD7"


def zip_de(archivos: dict[str, bytes]) -> bytes:
    salida = io.BytesIO()
    with zipfile.ZipFile(salida, "w", zipfile.ZIP_DEFLATED) as zf:
        for nombre, datos in archivos.items():
            zf.writestr(nombre, datos)
    return salida.getvalue()


def nomina_zip(
    n: int = 12, *, clientes=(CLIENTE, CLIENTE_2), fechas=None, version: str = "4.0", **kw
) -> bytes:
    """``n`` workers paid twice a month through 2026-1, placed with ``clientes`` (every 10th is staff, every
    7th splits 60/40), with invoices and another emitter's payroll mixed in."""
    from informativas.nomina import generador

    trabajadores = generador.plantilla(n, clientes=list(clientes))
    fechas = fechas or generador.fechas_quincenales(2026, 1)
    return generador.zip_en_memoria(
        generador.archivos_nomina(
            emisor_rfc=EMISOR, trabajadores=trabajadores, fechas_pago=fechas, version=version, **kw
        )
    )


def un_cfdi(
    i: int = 0, *, fecha=datetime.date(2026, 2, 15), emisor=EMISOR, clientes=(CLIENTE,), **kw
) -> bytes:
    from informativas.nomina import generador

    trabajador = generador.plantilla(i + 1, clientes=list(clientes), staff_cada=0, split_cada=0)[i]
    return generador.cfdi_nomina(emisor_rfc=emisor, trabajador=trabajador, fecha_pago=fecha, **kw)


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def contrato_2(informativa, contratista, contrato):
    """A second contrato, with another contratante."""
    from informativas.captura import services

    from ..conftest import datos_contratante

    otro = services.contrato_crear(
        informativa=informativa,
        contratante=datos_contratante(CLIENTE_2, razon_social="CLIENTE DOS SA DE CV"),
        usuario=contratista.usuario,
    )
    return services.contrato_actualizar(
        contrato=otro,
        objeto="OC 77 mantenimiento",
        registro_repse="AR99999/2022",
        servicio="Mantenimiento especializado",
        fecha_inicio=datetime.date(2026, 3, 1),
        fecha_termino=None,
        usuario=contratista.usuario,
    )
