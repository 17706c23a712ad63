"""The payroll ZIP is checked by core.zip_seguro (the one owner of the bomb checks) on the open file: a
refusal reads only the ZIP's directories, however big the ZIP, and keeps the payroll import's own wording."""

from __future__ import annotations

import os

import pytest

from informativas.nomina import cfdi
from informativas.nomina.cfdi import NominaEstructuraError
from tests.archivos import ArchivoQueCuenta

from .conftest import un_cfdi, zip_de

LIMITES = cfdi.Limites(entrada=1024 * 1024, total=4 * 1024 * 1024, razon=100, entradas=1000)


@pytest.mark.parametrize(
    ("entradas", "mensaje"),
    [
        ({"grande.xml": os.urandom(LIMITES.entrada + 10)}, "el máximo por archivo es 1 MB"),
        ({f"p{i}.xml": os.urandom(900 * 1024) for i in range(5)}, "máximo permitido"),
    ],
    ids=["entrada", "total"],
)
def test_a_refused_zip_is_refused_from_its_directories_alone(entradas, mensaje):
    datos = zip_de({"a.xml": un_cfdi(0), **entradas})
    archivo = ArchivoQueCuenta(datos)
    with pytest.raises(NominaEstructuraError) as error:
        list(cfdi.cfdis_del_zip(archivo, limites=LIMITES))
    assert mensaje in error.value.mensaje
    assert len(datos) > 1024 * 1024 and archivo.leidos < 70 * 1024


def test_the_rule_is_core_zip_seguro_s():
    """No copy of the checks is left in the payroll reader: its limits become core's."""
    assert not hasattr(cfdi, "zip_inspeccionar")
    limites = cfdi._limites_zip(LIMITES)
    assert (limites.max_entrada, limites.max_total, limites.max_razon, limites.max_entradas) == (
        LIMITES.entrada,
        LIMITES.total,
        LIMITES.razon,
        LIMITES.entradas,
    )
