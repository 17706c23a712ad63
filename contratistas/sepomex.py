"""Reading the SEPOMEX (Correos de México) postal-code catalog and loading it into our four tables.

The official download comes as a pipe-delimited Latin-1 TXT (a legal notice on line 1, the header on line 2)
or as XML (one ``<table>`` element per row, children named like the TXT columns). Every row is checked before
anything is written; then estados, municipios, códigos postales and asentamientos are upserted in bulk in one
transaction, so a re-import updates names and never duplicates, and a bad file writes nothing.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from django.db import connection, transaction

from core.errores import ErrorConMensaje

from .models import Asentamiento, CodigoPostal, Estado, Municipio

COLUMNAS = (
    "d_codigo",
    "d_asenta",
    "d_tipo_asenta",
    "D_mnpio",
    "d_estado",
    "d_ciudad",
    "d_CP",
    "c_estado",
    "c_oficina",
    "c_CP",
    "c_tipo_asenta",
    "c_mnpio",
    "id_asenta_cpcons",
    "d_zona",
    "c_cve_ciudad",
)
OBLIGATORIAS = ("d_codigo", "d_asenta", "D_mnpio", "d_estado", "c_estado", "c_mnpio", "id_asenta_cpcons")
MAX_ERRORES = 20
LOTE = 5000
_CP = re.compile(r"\d{5}")
_DIGITOS = re.compile(r"\d{1,4}")


class SepomexError(ErrorConMensaje):
    """The file cannot be imported; ``errores`` lists the problems found (nothing was written)."""

    def __init__(self, mensaje: str, errores: Iterable[str] = ()) -> None:
        super().__init__(mensaje)
        self.errores = list(errores)

    def __str__(self) -> str:
        return self.mensaje + "".join(f"\n  {e}" for e in self.errores)


@dataclass(slots=True)
class Fila:
    codigo_postal: str
    asentamiento: str
    tipo: str
    municipio: str
    estado: str
    ciudad: str
    clave_estado: str
    clave_municipio: str
    clave_asentamiento: str
    zona: str


@dataclass
class ResultadoImportacion:
    filas: int = 0
    estados: int = 0
    municipios: int = 0
    codigos_postales: int = 0
    asentamientos: int = 0
    nuevos: dict[str, int] = field(default_factory=dict)

    def resumen(self) -> str:
        return (
            f"{self.filas} filas: {self.estados} estados, {self.municipios} municipios, "
            f"{self.codigos_postales} códigos postales, {self.asentamientos} asentamientos "
            f"({self.nuevos.get('asentamientos', 0)} asentamientos nuevos)"
        )


# ----------------------------------------------------------------------------------------------------------
# Reading
# ----------------------------------------------------------------------------------------------------------
def _es_xml(contenido: bytes) -> bool:
    return contenido.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<")


def _registros_txt(contenido: bytes) -> Iterator[tuple[int, dict[str, str]]]:
    # The official file is Latin-1; a UTF-8 copy (re-saved by someone) is accepted too.
    try:
        texto = contenido.decode("utf-8")
    except UnicodeDecodeError:
        texto = contenido.decode("latin-1")
    lineas = texto.splitlines()
    inicio = next((i for i, linea in enumerate(lineas[:5]) if linea.lstrip("\ufeff").startswith("d_codigo|")), None)
    if inicio is None:
        raise SepomexError(
            "El archivo no tiene el encabezado del catálogo de SEPOMEX (d_codigo|d_asenta|...) en sus primeras líneas."
        )
    encabezado = lineas[inicio].lstrip("\ufeff").strip().split("|")
    faltantes = [c for c in OBLIGATORIAS if c not in encabezado]
    if faltantes:
        raise SepomexError(f"Al encabezado le faltan columnas: {', '.join(faltantes)}.")
    for numero, linea in enumerate(lineas[inicio + 1 :], start=inicio + 2):
        if not linea.strip():
            continue
        valores = linea.split("|")
        if len(valores) != len(encabezado):
            yield numero, {"__columnas__": str(len(valores)), "__esperadas__": str(len(encabezado))}
            continue
        registro = dict(zip(encabezado, valores, strict=True))
        if linea != linea.strip() or " |" in linea or "| " in linea:
            registro = {k: v.strip() for k, v in registro.items()}
        yield numero, registro


def _sin_espacio(etiqueta: str) -> str:
    return etiqueta.rsplit("}", 1)[-1]


def _registros_xml(contenido: bytes) -> Iterator[tuple[int, dict[str, str]]]:
    try:
        raiz = ET.fromstring(contenido)  # noqa: S314  (a file the operator chose, not user input)
    except ET.ParseError as error:
        raise SepomexError(f"El XML no es válido: {error}.") from None
    numero = 0
    for elemento in raiz.iter():
        hijos = {_sin_espacio(h.tag): (h.text or "").strip() for h in elemento}
        if "d_codigo" not in hijos:
            continue
        numero += 1
        yield numero, hijos
    if numero == 0:
        raise SepomexError("El XML no contiene registros del catálogo de SEPOMEX (elementos con d_codigo).")


def _fila(r: dict[str, str]) -> Fila:
    return Fila(
        codigo_postal=r["d_codigo"],
        asentamiento=r["d_asenta"],
        tipo=r.get("d_tipo_asenta", ""),
        municipio=r["D_mnpio"],
        estado=r["d_estado"],
        ciudad=r.get("d_ciudad", ""),
        clave_estado=r["c_estado"].zfill(2),
        clave_municipio=r["c_mnpio"].zfill(3),
        clave_asentamiento=r["id_asenta_cpcons"].zfill(4),
        zona=r.get("d_zona", ""),
    )


def leer(contenido: bytes) -> list[Fila]:
    """Every row of a SEPOMEX TXT or XML file, checked; raises SepomexError listing what is wrong."""
    es_xml = _es_xml(contenido)
    registros = _registros_xml(contenido) if es_xml else _registros_txt(contenido)
    unidad = "registro" if es_xml else "línea"
    filas: list[Fila] = []
    errores: list[str] = []
    for numero, r in registros:
        # The cheap test first: 150,000 rows must read in a few seconds; the message only when it fails.
        if "__columnas__" not in r and _parece_valida(r):
            filas.append(_fila(r))
            continue
        problema = _problema(r)
        if problema is None:
            filas.append(_fila(r))
        elif len(errores) < MAX_ERRORES:
            errores.append(f"{unidad} {numero}: {problema}")
        else:
            errores[-1] = "… y más errores."
    if errores:
        raise SepomexError("El archivo del catálogo de SEPOMEX tiene errores; no se importó nada.", errores)
    if not filas:
        raise SepomexError("El archivo no contiene registros del catálogo de SEPOMEX.")
    return filas


def _parece_valida(r: dict[str, str]) -> bool:
    cp, estado, mnpio, asenta = r["d_codigo"], r["c_estado"], r["c_mnpio"], r["id_asenta_cpcons"]
    return (
        len(cp) == 5
        and cp.isdigit()
        and 0 < len(estado) <= 2
        and estado.isdigit()
        and 0 < len(mnpio) <= 3
        and mnpio.isdigit()
        and 0 < len(asenta) <= 4
        and asenta.isdigit()
        and 0 < len(r["d_asenta"]) <= 200
        and 0 < len(r["D_mnpio"]) <= 150
        and 0 < len(r["d_estado"]) <= 100
        and len(r.get("d_ciudad", "")) <= 150
        and len(r.get("d_tipo_asenta", "")) <= 60
    )


def _problema(r: dict[str, str]) -> str | None:
    if "__columnas__" in r:
        return f"tiene {r['__columnas__']} columnas y se esperaban {r['__esperadas__']}."
    faltan = [c for c in OBLIGATORIAS if not r.get(c)]
    if faltan:
        return f"faltan datos en {', '.join(faltan)}."
    if not _CP.fullmatch(r["d_codigo"]):
        return f"el código postal {r['d_codigo']!r} no tiene 5 dígitos."
    for columna, maximo in (("c_estado", 2), ("c_mnpio", 3), ("id_asenta_cpcons", 4)):
        valor = r[columna]
        if not _DIGITOS.fullmatch(valor) or len(valor) > maximo:
            return f"{columna} {valor!r} no es una clave numérica de hasta {maximo} dígitos."
    largos = (("d_asenta", 200), ("D_mnpio", 150), ("d_estado", 100), ("d_ciudad", 150), ("d_tipo_asenta", 60))
    for columna, maximo in largos:
        if len(r.get(columna, "")) > maximo:
            return f"{columna} excede {maximo} caracteres."
    return None


# ----------------------------------------------------------------------------------------------------------
# Writing
# ----------------------------------------------------------------------------------------------------------
def _upsert(modelo, objetos: list, *, unicos: list[str], actualizar: list[str]) -> None:
    modelo.objects.bulk_create(
        objetos, batch_size=LOTE, update_conflicts=True, unique_fields=unicos, update_fields=actualizar
    )


def _conteos() -> dict[str, int]:
    return {
        "estados": Estado.objects.count(),
        "municipios": Municipio.objects.count(),
        "codigos_postales": CodigoPostal.objects.count(),
        "asentamientos": Asentamiento.objects.count(),
    }


@transaction.atomic
def guardar(filas: list[Fila]) -> ResultadoImportacion:
    """Upserts the rows (last one wins when the file repeats a key). One transaction: all or nothing."""
    antes = _conteos()
    if connection.vendor == "postgresql":
        _guardar_postgresql(filas)
    else:
        _guardar_orm(filas)
    despues = _conteos()
    resultado = ResultadoImportacion(
        filas=len(filas),
        estados=len({f.clave_estado for f in filas}),
        municipios=len({(f.clave_estado, f.clave_municipio) for f in filas}),
        codigos_postales=len({f.codigo_postal for f in filas}),
        asentamientos=len({(f.codigo_postal, f.clave_asentamiento) for f in filas}),
    )
    resultado.nuevos = {k: despues[k] - antes[k] for k in despues}
    return resultado


def _guardar_postgresql(filas: list[Fila]) -> None:
    """PostgreSQL: COPY the rows into a temporary table, then one INSERT ... ON CONFLICT per level. Rows whose
    values did not change are not rewritten (a re-import of the same file touches nothing)."""
    e, m, p, a = (x._meta.db_table for x in (Estado, Municipio, CodigoPostal, Asentamiento))
    with connection.cursor() as cursor:
        # ON COMMIT DROP is not enough when an outer transaction (a test, a caller) spans two imports.
        cursor.execute("DROP TABLE IF EXISTS sepomex_carga")
        cursor.execute(
            "CREATE TEMPORARY TABLE sepomex_carga (orden integer, cp text, asenta text, tipo text, mnpio text, "
            "estado text, ciudad text, c_estado text, c_mnpio text, id_asenta text, zona text) ON COMMIT DROP"
        )
        with cursor.cursor.copy("COPY sepomex_carga FROM STDIN") as copia:
            for orden, f in enumerate(filas):
                copia.write_row(
                    (orden, f.codigo_postal, f.asentamiento, f.tipo, f.municipio, f.estado, f.ciudad,
                     f.clave_estado, f.clave_municipio, f.clave_asentamiento, f.zona)
                )
        cursor.execute("ANALYZE sepomex_carga")
        cursor.execute(
            f"INSERT INTO {e} (clave, nombre) "
            "SELECT DISTINCT ON (c_estado) c_estado, estado FROM sepomex_carga ORDER BY c_estado, orden DESC "
            f"ON CONFLICT (clave) DO UPDATE SET nombre = EXCLUDED.nombre WHERE {e}.nombre IS DISTINCT FROM EXCLUDED.nombre"
        )
        cursor.execute(
            f"INSERT INTO {m} (estado_id, clave, nombre) "
            f"SELECT DISTINCT ON (x.id, c.c_mnpio) x.id, c.c_mnpio, c.mnpio FROM sepomex_carga c "
            f"JOIN {e} x ON x.clave = c.c_estado ORDER BY x.id, c.c_mnpio, c.orden DESC "
            f"ON CONFLICT (estado_id, clave) DO UPDATE SET nombre = EXCLUDED.nombre "
            f"WHERE {m}.nombre IS DISTINCT FROM EXCLUDED.nombre"
        )
        cursor.execute(
            f"INSERT INTO {p} (codigo, municipio_id, ciudad) "
            f"SELECT DISTINCT ON (c.cp) c.cp, y.id, c.ciudad FROM sepomex_carga c "
            f"JOIN {e} x ON x.clave = c.c_estado JOIN {m} y ON y.estado_id = x.id AND y.clave = c.c_mnpio "
            f"ORDER BY c.cp, c.orden DESC "
            f"ON CONFLICT (codigo) DO UPDATE SET municipio_id = EXCLUDED.municipio_id, ciudad = EXCLUDED.ciudad "
            f"WHERE ({p}.municipio_id, {p}.ciudad) IS DISTINCT FROM (EXCLUDED.municipio_id, EXCLUDED.ciudad)"
        )
        cursor.execute(
            f"INSERT INTO {a} (codigo_postal_id, clave, nombre, tipo, zona) "
            f"SELECT DISTINCT ON (z.id, c.id_asenta) z.id, c.id_asenta, c.asenta, c.tipo, c.zona FROM sepomex_carga c "
            f"JOIN {p} z ON z.codigo = c.cp ORDER BY z.id, c.id_asenta, c.orden DESC "
            f"ON CONFLICT (codigo_postal_id, clave) DO UPDATE SET nombre = EXCLUDED.nombre, tipo = EXCLUDED.tipo, "
            f"zona = EXCLUDED.zona WHERE ({a}.nombre, {a}.tipo, {a}.zona) IS DISTINCT FROM "
            f"(EXCLUDED.nombre, EXCLUDED.tipo, EXCLUDED.zona)"
        )
        cursor.execute("DROP TABLE sepomex_carga")


def _guardar_orm(filas: list[Fila]) -> None:
    """Other databases (SQLite under `make run`): bulk upserts through the ORM."""
    estados = {f.clave_estado: f.estado for f in filas}
    _upsert(
        Estado,
        [Estado(clave=c, nombre=n) for c, n in estados.items()],
        unicos=["clave"],
        actualizar=["nombre"],
    )
    id_estado = dict(Estado.objects.filter(clave__in=estados).values_list("clave", "id"))

    municipios = {(id_estado[f.clave_estado], f.clave_municipio): f.municipio for f in filas}
    _upsert(
        Municipio,
        [Municipio(estado_id=e, clave=c, nombre=n) for (e, c), n in municipios.items()],
        unicos=["estado", "clave"],
        actualizar=["nombre"],
    )
    id_municipio = {
        (e, c): i for e, c, i in Municipio.objects.filter(estado_id__in=id_estado.values()).values_list("estado_id", "clave", "id")
    }

    codigos = {f.codigo_postal: (id_municipio[(id_estado[f.clave_estado], f.clave_municipio)], f.ciudad) for f in filas}
    _upsert(
        CodigoPostal,
        [CodigoPostal(codigo=c, municipio_id=m, ciudad=ciudad) for c, (m, ciudad) in codigos.items()],
        unicos=["codigo"],
        actualizar=["municipio", "ciudad"],
    )
    id_codigo: dict[str, int] = {}
    lista = list(codigos)
    for i in range(0, len(lista), LOTE):
        id_codigo.update(CodigoPostal.objects.filter(codigo__in=lista[i : i + LOTE]).values_list("codigo", "id"))

    asentamientos = {(id_codigo[f.codigo_postal], f.clave_asentamiento): f for f in filas}
    _upsert(
        Asentamiento,
        [
            Asentamiento(codigo_postal_id=cp, clave=clave, nombre=f.asentamiento, tipo=f.tipo, zona=f.zona)
            for (cp, clave), f in asentamientos.items()
        ],
        unicos=["codigo_postal", "clave"],
        actualizar=["nombre", "tipo", "zona"],
    )


def muestra() -> Path:
    """The small sample shipped with the portal (the full catalog may not be redistributed)."""
    return Path(__file__).resolve().parent / "data" / "sepomex_muestra.txt"
