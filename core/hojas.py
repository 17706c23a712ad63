"""Spreadsheets the portal writes (the capturistas export, the rejected rows of the carga and of Contratos en
bloque, the bloque's template): one rule for their cells, and one writer. Writing only: an untrusted
workbook is read by ``core.lector_seguro``."""

from __future__ import annotations

import io
import re
from collections.abc import Iterable
from typing import NamedTuple

# openpyxl (with the lxml and Pillow it loads, ~12 MB) is imported where a workbook is written: the views that
# import this module are in every web worker, and few requests write a workbook.
# The characters openpyxl refuses in a cell (its ILLEGAL_CHARACTERS_RE): control characters but tab, LF, CR.
ILLEGAL_CHARACTERS_RE = re.compile(r"[\000-\010]|[\013-\014]|[\016-\037]")

# A spreadsheet treats a cell starting with one of these as a formula (CSV/formula injection).
INICIOS_PELIGROSOS = ("=", "+", "-", "@", "\t", "\r")


def celda_segura(valor: object) -> object:
    """Text a spreadsheet would run as a formula gets an apostrophe in front, whatever follows (``-5`` too: a
    number written as text is still text); control characters, which a worksheet cannot hold (openpyxl
    refuses the whole workbook), are dropped. Anything but text is returned as it is."""
    if not isinstance(valor, str):
        return valor
    texto: str = ILLEGAL_CHARACTERS_RE.sub("", valor)
    return f"'{texto}" if texto.startswith(INICIOS_PELIGROSOS) else texto


class Hoja(NamedTuple):
    """One sheet of a workbook: its title, its header row and its rows (streamed)."""

    titulo: str
    encabezado: list[str]
    filas: Iterable[Iterable[object]]


def libro_xlsx(
    titulo: str, encabezado: list[str], filas: Iterable[Iterable[object]], *, encabezado_en_negritas: bool = False
) -> bytes:
    """A one-sheet workbook (``titulo``): the header row, then ``filas``, streamed (openpyxl's write-only
    mode). The caller passes each text cell through ``celda_segura`` where it comes from a user."""
    return libro_xlsx_hojas([Hoja(titulo, encabezado, filas)], encabezado_en_negritas=encabezado_en_negritas)


def libro_xlsx_hojas(hojas: Iterable[Hoja], *, encabezado_en_negritas: bool = False) -> bytes:
    """A workbook of several sheets, each as ``libro_xlsx`` writes its one."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    libro = Workbook(write_only=True)
    for titulo, encabezado, filas in hojas:
        hoja = libro.create_sheet(titulo)
        if encabezado_en_negritas:
            celdas = []
            for texto in encabezado:
                celda = WriteOnlyCell(hoja, value=texto)
                celda.font = Font(bold=True)
                celdas.append(celda)
            hoja.append(celdas)
        else:
            hoja.append(encabezado)
        for fila in filas:
            hoja.append(list(fila))
    salida = io.BytesIO()
    libro.save(salida)
    return salida.getvalue()
