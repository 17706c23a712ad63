"""Spreadsheet cells the portal writes (the capturistas export, the carga's rejected rows): one rule for all."""

from __future__ import annotations

from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

# A spreadsheet treats a cell starting with one of these as a formula (CSV/formula injection).
INICIOS_PELIGROSOS = ("=", "+", "-", "@", "\t", "\r")


def celda_segura(valor: object) -> object:
    """Text a spreadsheet would run as a formula gets an apostrophe in front, whatever follows (``-5`` too: a
    number written as text is still text); control characters, which a worksheet cannot hold (openpyxl
    refuses the whole workbook), are dropped. Anything but text is returned as it is."""
    if not isinstance(valor, str):
        return valor
    valor = ILLEGAL_CHARACTERS_RE.sub("", valor)
    return f"'{valor}" if valor.startswith(INICIOS_PELIGROSOS) else valor
