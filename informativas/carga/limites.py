"""What a carga masiva file may hold before it is parsed, so no upload can exhaust a process's memory.

The engine (``motor.py``) reads every file through ``core.lector_seguro`` with these limits, which checks a
workbook's container before openpyxl opens it and caps the length of every cell (CSV field or XLSX cell)
with ``ICSOE_CARGA_MAX_CELDA``. The limits are settings:

- ``ICSOE_CARGA_XLSX_MAX_DESCOMPRIMIDO``: all the workbook's parts together, uncompressed (100 MB). A
  100,000-worker workbook is about 18 MB uncompressed.
- ``ICSOE_CARGA_XLSX_MAX_PARTE``: any single part (64 MB).
- ``ICSOE_CARGA_XLSX_MAX_CADENAS``: the shared strings (16 MB), which openpyxl reads whole and keeps as a
  list of strings for the whole read; 100,000 workers need about 7 MB. The part is found as openpyxl finds
  it, by its content type in ``[Content_Types].xml``, whatever its name (``xl/cadenas.xml`` too).
- a part that inflates more than 100 times its compressed size (from 1 MB up) is a bomb: real sheets
  compress 4 to 10 times.

The 300 KB workbook of the security review (one 300 MB string in ``xl/sharedStrings.xml``) took a worker to
3.7 GB; it is now refused from the zip's directory in milliseconds (``bench/bench_bomba.py``).
"""

from __future__ import annotations

from django.conf import settings

from core.lector_seguro import LimitesXlsx, xlsx_revisar
from core.zip_seguro import LimitesZip, ZipInseguroError

CADENAS_COMPARTIDAS = "xl/sharedStrings.xml"

MENSAJE_CELDA = (
    "La línea {linea} tiene un valor de más de {maximo:,} caracteres. Revisa que el archivo tenga solo las "
    "columnas NSS, CURP y SBC."
)
MENSAJE_CSV_ILEGIBLE = (
    "La línea {linea} no se puede leer como CSV. Guarda la información como CSV (delimitado por comas) o como "
    "libro de Excel (.xlsx)."
)
MENSAJE_XLSX_EXCEDE = (
    "El libro de Excel no se procesa: {detalle} Guarda solo las columnas NSS, CURP y SBC en la primera hoja, o "
    "divide la información en varios archivos."
)


def limites_xlsx() -> LimitesXlsx:
    """What a carga's (and a Contratos en bloque's) workbook may hold."""
    return LimitesXlsx(
        zip=LimitesZip(
            max_total=settings.ICSOE_CARGA_XLSX_MAX_DESCOMPRIMIDO,
            max_entrada=settings.ICSOE_CARGA_XLSX_MAX_PARTE,
            por_entrada={CADENAS_COMPARTIDAS: settings.ICSOE_CARGA_XLSX_MAX_CADENAS},
        ),
        max_cadenas=settings.ICSOE_CARGA_XLSX_MAX_CADENAS,
        max_hoja=settings.ICSOE_CARGA_XLSX_MAX_PARTE,
        max_celda=settings.ICSOE_CARGA_MAX_CELDA,
    )


def revisar_xlsx(datos: bytes) -> None:
    """ZipInseguroError, with the carga's Spanish message, when the workbook must not be opened."""
    try:
        xlsx_revisar(datos, limites=limites_xlsx())
    except ZipInseguroError as error:
        if error.code == "ilegible":
            raise ZipInseguroError("El archivo no es un libro de Excel (.xlsx) válido.", code=error.code) from None
        raise ZipInseguroError(MENSAJE_XLSX_EXCEDE.format(detalle=error.mensaje), code=error.code) from None
