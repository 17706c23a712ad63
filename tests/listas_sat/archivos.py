"""Files in each shape SAT publishes its lists (the repository carries no copy of SAT's files): built here
for the tests and the bench."""

from __future__ import annotations

import csv
import io

ENCABEZADO_69B = [
    "No", "RFC", "Nombre del Contribuyente", "Situación del contribuyente",
    "Número y fecha de oficio global de presunción SAT", "Publicación página SAT presuntos",
    "Número y fecha de oficio global de presunción DOF", "Publicación DOF presuntos",
    "Número y fecha de oficio global de contribuyentes que desvirtuaron SAT", "Publicación página SAT desvirtuados",
    "Número y fecha de oficio global de contribuyentes que desvirtuaron DOF", "Publicación DOF desvirtuados",
    "Número y fecha de oficio global de definitivos SAT", "Publicación página SAT definitivos",
    "Número y fecha de oficio global de definitivos DOF", "Publicación DOF definitivos",
    "Número y fecha de oficio global de sentencia favorable SAT", "Publicación página SAT sentencia favorable",
    "Número y fecha de oficio global de sentencia favorable DOF", "Publicación DOF sentencia favorable",
]
ENCABEZADO_69B_BIS = [
    "No", "RFC", "Nombre del Contribuyente", "Situación del contribuyente",
    "Número y fecha de oficio global de presunción SAT", "Publicación página SAT presuntos",
    "Número y fecha de oficio global de presunción DOF", "Publicación DOF presuntos",
    "Número y fecha de oficio global de definitivos SAT", "Publicación página SAT definitivos",
    "Número y fecha de oficio global de definitivos DOF", "Publicación DOF definitivos",
]
BASE_69 = ["RFC", "RAZON SOCIAL", "TIPO PERSONA", "SUPUESTO", "FECHA DE PRIMERA PUBLICACION", "ENTIDAD FEDERATIVA"]
ENCABEZADOS_69 = {
    "firmes": BASE_69,
    "no_localizados": BASE_69,
    "exigibles": BASE_69,
    "cancelados": BASE_69 + ["FECHA DE CANCELACION", "MONTO"],
    "sentencias": ["RFC", "RAZÓN SOCIAL", "TIPO PERSONA", "SUPUESTO", "FECHA DE PRIMERA PUBLICACION", "ENTIDAD FEDERATIVA"],
    "csd": ["RFC", "NOMBRE O RAZON SOCIAL", "SUPUESTO DE CANCELACION CSD", "FECHA DE PRIMERA PUBLICACION", "ENTIDAD FEDERATIVA"],
    "entes": BASE_69 + ["EJERCICIO", "PERIODO"],
}
SUPUESTOS_69 = {
    "firmes": "FIRMES", "no_localizados": "NO LOCALIZADOS", "exigibles": "EXIGIBLES", "cancelados": "CANCELADOS",
    "sentencias": "SENTENCIAS", "csd": "CSD SIN EFECTOS", "entes": "ENTES PUBLICOS OMISOS",
}


def _csv(filas: list[list[str]]) -> str:
    salida = io.StringIO()
    csv.writer(salida, lineterminator="\r\n").writerows(filas)
    return salida.getvalue()


def fila_69b(n: int, rfc: str, nombre: str, situacion: str = "Definitivo", oficio: str = "") -> list[str]:
    """A 69-B row: presunción always, then the columns of its situation."""
    fila = [""] * len(ENCABEZADO_69B)
    fila[0:4] = [str(n), rfc, nombre, situacion]
    fila[4] = "500-05-2025-10001 de fecha 10 de enero de 2025"
    fila[5] = "15/01/2025"
    fila[7] = "20/01/2025"
    columnas = {"Desvirtuado": 8, "Definitivo": 12, "Sentencia Favorable": 16}
    if situacion in columnas:
        i = columnas[situacion]
        fila[i] = oficio or "500-05-2026-20002 de fecha 15/03/2026"
        fila[i + 1] = "20/03/2026"
    return fila


def archivo_69b(
    filas: list[list[str]], *, corte: str = "31 de mayo de 2026", bis: bool = False, relleno: bool = True,
    codificacion: str = "windows-1252",
) -> bytes:
    encabezado = ENCABEZADO_69B_BIS if bis else ENCABEZADO_69B
    articulo = "Artículo 69-B Bis del CFF" if bis else "Artículo 69-B del CFF"
    comas = "," * (len(encabezado) - 1)
    texto = (
        f'"Información actualizada al {corte}; la información corresponde a los oficios de presuntos, definitivos y desvirtuados publicados"{comas}\r\n'
        f"Listado completo de contribuyentes ({articulo}){comas}\r\n"
    )
    texto += _csv([encabezado])
    for i, fila in enumerate(filas):
        texto += _csv([fila[: len(encabezado)]])
        if relleno and i % 3 == 1:
            texto += comas + "\r\n"  # SAT's filler lines of bare commas
    texto += comas + "\r\n" + comas + "\r\n"
    return texto.encode(codificacion)


def fila_69(tipo: str, rfc: str, nombre: str, *, persona: str = "M", fecha: str = "15/02/2026") -> list[str]:
    if tipo == "csd":
        return [rfc, nombre, SUPUESTOS_69[tipo], fecha, "CIUDAD DE MEXICO"]
    fila = [rfc, nombre, persona, SUPUESTOS_69[tipo], fecha, "JALISCO"]
    if tipo == "cancelados":
        fila += ["01/12/2025", "12,345.67"]
    if tipo == "entes":
        fila += ["2025", "ANUAL"]
    return fila


def archivo_69(tipo: str, filas: list[list[str]], *, codificacion: str = "windows-1252") -> bytes:
    return _csv([ENCABEZADOS_69[tipo], *filas]).encode(codificacion)
