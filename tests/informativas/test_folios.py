"""Folios: one counter row per series, unique, and the contract pattern A + yy + P/S/T + sequence."""

from __future__ import annotations

import re

import pytest

from informativas.folios import folio_contrato, folio_informativa, folio_siguiente
from informativas.models import FolioContador

pytestmark = pytest.mark.django_db


def test_contract_folios_follow_the_imss_pattern_and_count_per_series():
    primero = folio_contrato(anio=2026, cuatrimestre=1)
    segundo = folio_contrato(anio=2026, cuatrimestre=1)
    otro_periodo = folio_contrato(anio=2026, cuatrimestre=3)

    assert re.fullmatch(r"A26P\d{7}", primero)
    assert (primero, segundo) == ("A26P0000001", "A26P0000002")
    assert otro_periodo == "A26T0000001"
    assert FolioContador.objects.get(serie="A26P").ultimo == 2


def test_informativa_folios_use_the_type_prefix_for_the_signing_issue():
    assert folio_informativa(tipo="NORMAL", anio=2026) == "N260000001"
    assert folio_informativa(tipo="SIN_INFORMACION", anio=2022) == "SI220000001"
    assert folio_siguiente(prefijo="C", anio=2026) == "C260000001"


def test_a_thousand_folios_are_all_different():
    folios = {folio_contrato(anio=2025, cuatrimestre=2) for _ in range(1000)}

    assert len(folios) == 1000
