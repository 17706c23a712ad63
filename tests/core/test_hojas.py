"""core.hojas.celda_segura, the one formula-injection rule of every spreadsheet the portal writes."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from openpyxl import Workbook, load_workbook

from core.hojas import celda_segura


@pytest.mark.parametrize(
    ("valor", "escrito"),
    [
        ('=HYPERLINK("http://malo.example","clic")', '\'=HYPERLINK("http://malo.example","clic")'),
        ("+52 55 1234", "'+52 55 1234"),
        ("-5.00", "'-5.00"),  # numeric text too: the stricter rule
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tTAB", "'\tTAB"),
        ("\rCR", "'\rCR"),
        ("=1\x00+\x07", "'=1+"),  # control characters a worksheet cannot hold are dropped
        ("GODE561231HDFRRN00", "GODE561231HDFRRN00"),
        ("", ""),
        (Decimal("-5.00"), Decimal("-5.00")),  # a number is no formula
        (None, None),
    ],
)
def test_a_cell_a_spreadsheet_would_run_as_a_formula_is_written_as_text(valor, escrito):
    libro = Workbook()
    libro.active.append([celda_segura(valor)])
    salida = io.BytesIO()
    libro.save(salida)

    leida = load_workbook(io.BytesIO(salida.getvalue())).active["A1"].value

    assert celda_segura(valor) == escrito
    # The apostrophe survives the file. A line end may come back as \r or \n depending on whether openpyxl
    # reads with lxml (which normalises \r as XML says) or with its own parser, so both are compared as \n.
    if isinstance(escrito, Decimal):
        assert leida == float(escrito)
    else:
        assert (leida or "").replace("\r", "\n") == (escrito or "").replace("\r", "\n")
