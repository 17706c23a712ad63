"""Reading a file of SAT's lists as SAT publishes it, streamed: recognised by its head (preamble and header),
never by its name; windows-1252 (or UTF-8, with or without BOM) decoded without losing a byte; CRLF; quoted
fields with commas and line breaks; filler lines of bare commas skipped; redacted rows kept as suprimidos.

``leer(ruta)`` answers a ``Lectura``: the list recognised, its cut date when the file states it, and
``filas()``, a generator of ``Fila`` (or ``Rechazo`` for a line that cannot be stored) read as they come."""

from __future__ import annotations

import codecs
import csv
import datetime
import io
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from core.errores import ErrorConMensaje


class ArchivoNoReconocido(ErrorConMensaje):
    """The file is not one of SAT's lists, or lacks a column it needs."""


# windows-1252 leaves 0x81, 0x8D, 0x8F, 0x90 and 0x9D undefined (SAT's CSDsinefectos.csv holds 0x8D): each is
# kept as the code point of the same number (what latin-1 does), so no row is lost or cut there.
def _conservar_byte(error: UnicodeError) -> tuple[str, int]:
    if not isinstance(error, UnicodeDecodeError):
        raise error
    return "".join(chr(b) for b in error.object[error.start : error.end]), error.end


codecs.register_error("listas_sat_conservar", _conservar_byte)


# A file whose head is UTF-8 (or plain ASCII) may still turn out windows-1252 further on: each byte that is not
# UTF-8 is read as windows-1252 (an undefined one kept as above) instead of stopping the load there.
def _como_1252(error: UnicodeError) -> tuple[str, int]:
    if not isinstance(error, UnicodeDecodeError):
        raise error
    trozo = error.object[error.start : error.end]
    return trozo.decode("windows-1252", errors="listas_sat_conservar"), error.end


codecs.register_error("listas_sat_utf8_o_1252", _como_1252)

MESES = {
    "enero": 1, "febrero": 2, "marzo": 3, "abril": 4, "mayo": 5, "junio": 6, "julio": 7, "agosto": 8,
    "septiembre": 9, "setiembre": 9, "octubre": 10, "noviembre": 11, "diciembre": 12,
}
_FECHA_NUMERICA = re.compile(r"(\d{1,2})[/\-.](\d{1,2})[/\-.](\d{4}|\d{2})(?!\d)")
_FECHA_ISO = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
_FECHA_TEXTO = re.compile(r"(\d{1,2})\s+de\s+([a-záéíóú]+)\s+(?:de|del)\s+(\d{4})", re.IGNORECASE)
_RFC = re.compile(r"^[A-ZÑ&]{3,4}\d{6}[A-Z0-9]{3}$")
_SUPRIMIDO = re.compile(r"^X{12,13}$")

LISTAS = {
    "69b": "Art. 69-B CFF: listado completo",
    "69b_presuntos": "Art. 69-B CFF: presuntos",
    "69b_definitivos": "Art. 69-B CFF: definitivos",
    "69b_desvirtuados": "Art. 69-B CFF: desvirtuados",
    "69b_sentencias": "Art. 69-B CFF: sentencias favorables",
    "69b_bis": "Art. 69-B Bis CFF",
    "69_firmes": "Art. 69 CFF: créditos firmes",
    "69_no_localizados": "Art. 69 CFF: no localizados",
    "69_exigibles": "Art. 69 CFF: créditos exigibles",
    "69_cancelados": "Art. 69 CFF: créditos cancelados",
    "69_condonados": "Art. 69 CFF: créditos condonados",
    "69_sentencias": "Art. 69 CFF: sentencias condenatorias",
    "69_csd_sin_efectos": "Art. 69 CFF: CSD sin efectos",
    "69_entes_publicos": "Art. 69 CFF: entes públicos omisos",
}
_SUPUESTOS_69 = {
    "FIRME": "69_firmes", "NO LOCALIZADO": "69_no_localizados", "EXIGIBLE": "69_exigibles",
    "CANCELADO": "69_cancelados", "CONDONADO": "69_condonados", "SENTENCIA": "69_sentencias",
}


def nombre_lista(lista: str) -> str:
    return LISTAS.get(lista, lista)


def normalizar(texto: str) -> str:
    """Upper case, no accents, single spaces: how a header or a situation is compared."""
    sin_acentos = "".join(c for c in unicodedata.normalize("NFD", texto) if unicodedata.category(c) != "Mn")
    return " ".join(sin_acentos.upper().split())


def fecha_en(texto: str) -> datetime.date | None:
    """The first date written in the text: 15/03/2026, 15-03-26, 2026-03-15 or «15 de marzo de 2026»."""
    candidatos: list[tuple[int, datetime.date]] = []
    for m in _FECHA_ISO.finditer(texto):
        candidatos.append((m.start(), _fecha(int(m[1]), int(m[2]), int(m[3]))))
    for m in _FECHA_NUMERICA.finditer(texto):
        anio = int(m[3]) + (2000 if len(m[3]) == 2 else 0)
        candidatos.append((m.start(), _fecha(anio, int(m[2]), int(m[1]))))
    for m in _FECHA_TEXTO.finditer(texto):
        mes = MESES.get(normalizar(m[2]).lower(), 0)
        candidatos.append((m.start(), _fecha(int(m[3]), mes, int(m[1]))))
    validas = sorted((pos, f) for pos, f in candidatos if f)
    return validas[0][1] if validas else None


def fecha_de_oficio(oficio: str) -> datetime.date | None:
    """The date of an oficio, written three ways («… de fecha 15 de marzo de 2026», «… de fecha 15/03/2026»,
    «… 15/03/2026»): read after «fecha», «del» or else the first space, since the oficio's number
    itself holds groups like 06-02-2020 that are not its date."""
    m = re.search(r"(?:fecha|\bdel?)\s+(?=\d)", oficio, re.IGNORECASE) or re.search(r"\s+(?=\d)", oficio)
    return fecha_en(oficio[m.end():]) if m else None


def _fecha(anio: int, mes: int, dia: int) -> datetime.date:
    try:
        return datetime.date(anio, mes, dia)
    except ValueError:
        return None  # type: ignore[return-value]


@dataclass(frozen=True)
class Fila:
    linea: int
    rfc: str
    nombre: str
    situacion: str
    tipo_persona: str
    fecha_publicacion: datetime.date | None
    publicaciones: list[list[str]]
    oficio: str
    fecha_oficio: datetime.date | None
    suprimido: bool


@dataclass(frozen=True)
class Rechazo:
    linea: int
    motivo: str


@dataclass
class Columnas:
    """Where each field is in the header (indexes), as the header names them."""

    encabezado: list[str]
    rfc: int
    nombre: int
    situacion: int
    tipo_persona: int | None
    primera_publicacion: int | None
    publicaciones: list[int] = field(default_factory=list)
    oficios: list[int] = field(default_factory=list)


@dataclass
class Lectura:
    lista: str
    columnas: Columnas
    codificacion: str
    fecha_corte: datetime.date | None
    _filas: Iterator[Fila | Rechazo]

    def filas(self) -> Iterator[Fila | Rechazo]:
        return self._filas


def detectar_codificacion(cabeza: bytes) -> str:
    if cabeza.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    try:
        cabeza.decode("utf-8")
    except UnicodeDecodeError as e:
        # A multi-byte character cut at the end of the sample is still UTF-8.
        if e.start < len(cabeza) - 3:
            return "windows-1252"
    return "utf-8"


def abrir_texto(binario: IO[bytes], codificacion: str) -> io.TextIOWrapper:
    errores = "listas_sat_utf8_o_1252" if codificacion.startswith("utf-8") else "listas_sat_conservar"
    return io.TextIOWrapper(binario, encoding=codificacion, errors=errores, newline="")


def leer(binario: IO[bytes]) -> Lectura:
    """Recognises the file by its head and answers its rows as a generator (the file must stay open)."""
    cabeza = binario.read(64 * 1024)
    binario.seek(0)
    codificacion = detectar_codificacion(cabeza)
    texto = abrir_texto(binario, codificacion)
    lector = csv.reader(texto)
    preambulo: list[str] = []
    encabezado: list[str] | None = None
    for fila in lector:
        if any(normalizar(c) == "RFC" for c in fila):
            encabezado = [c.strip() for c in fila]
            break
        if any(c.strip() for c in fila):
            preambulo.append(" ".join(c.strip() for c in fila if c.strip()))
        if len(preambulo) > 5 or lector.line_num > 20:
            break
    if encabezado is None:
        raise ArchivoNoReconocido("El archivo no es una lista del SAT: no encontré el encabezado con la columna RFC.")
    columnas = _columnas(encabezado)
    filas = _filas(lector, columnas)
    if columnas_69b(encabezado):
        lista = _lista_69b(preambulo, encabezado)
        corte = _corte_en_preambulo(preambulo)
        return Lectura(lista, columnas, codificacion, corte, filas)
    primera = next(filas, None)
    lista = _lista_69(encabezado, primera)
    return Lectura(lista, columnas, codificacion, None, _encadenar(primera, filas))


def _encadenar(primera: Fila | Rechazo | None, resto: Iterator[Fila | Rechazo]) -> Iterator[Fila | Rechazo]:
    if primera is not None:
        yield primera
    yield from resto


def columnas_69b(encabezado: list[str]) -> bool:
    return any(normalizar(c).startswith("SITUACION") for c in encabezado)


def _indice(normalizados: list[str], *nombres: str) -> int | None:
    for nombre in nombres:
        if nombre in normalizados:
            return normalizados.index(nombre)
    return None


def _columnas(encabezado: list[str]) -> Columnas:
    n = [normalizar(c) for c in encabezado]
    rfc = _indice(n, "RFC")
    nombre = _indice(
        n, "NOMBRE DEL CONTRIBUYENTE", "RAZON SOCIAL", "NOMBRE O RAZON SOCIAL", "NOMBRE, DENOMINACION O RAZON SOCIAL",
        "NOMBRE",
    )
    situacion = _indice(n, "SITUACION DEL CONTRIBUYENTE", "SITUACION", "SUPUESTO", "SUPUESTO DE CANCELACION CSD")
    faltan = [
        etiqueta
        for etiqueta, i in (("RFC", rfc), ("nombre o razón social", nombre), ("situación o supuesto", situacion))
        if i is None
    ]
    if faltan or rfc is None or nombre is None or situacion is None:
        raise ArchivoNoReconocido(f"Al archivo le faltan columnas que necesito: {', '.join(faltan)}.")
    return Columnas(
        encabezado=encabezado,
        rfc=rfc,
        nombre=nombre,
        situacion=situacion,
        tipo_persona=_indice(n, "TIPO PERSONA", "TIPO DE PERSONA"),
        primera_publicacion=_indice(n, "FECHA DE PRIMERA PUBLICACION"),
        publicaciones=[i for i, c in enumerate(n) if "PUBLICACION" in c or "FECHA DE CANCELACION" in c],
        oficios=[i for i, c in enumerate(n) if "OFICIO" in c],
    )


def _lista_69b(preambulo: list[str], encabezado: list[str]) -> str:
    # The title line («Listado completo de contribuyentes (Artículo 69-B del CFF)») names the list; the line of
    # the cut date may speak of presuntos or definitivos in its notes.
    titulos = [normalizar(linea) for linea in preambulo if normalizar(linea).startswith("LISTADO")]
    texto = " ".join(titulos) or normalizar(" ".join(preambulo))
    if "69-B BIS" in texto:
        return "69b_bis"
    # Presuntos.csv (23 columns, «No.») may also call itself «Listado completo de contribuyentes presuntos».
    if normalizar(encabezado[0]) == "NO.":
        return "69b_presuntos"
    if "LISTADO COMPLETO" in texto and not any(p in texto for p in ("PRESUNTO", "DEFINITIVO", "DESVIRTUADO", "SENTENCIA")):
        return "69b"
    for palabra, lista in (
        ("PRESUNTO", "69b_presuntos"), ("DEFINITIVO", "69b_definitivos"), ("DESVIRTUADO", "69b_desvirtuados"),
        ("SENTENCIA", "69b_sentencias"),
    ):
        if palabra in texto:
            return lista
    return "69b"


def _lista_69(encabezado: list[str], primera: Fila | Rechazo | None) -> str:
    n = [normalizar(c) for c in encabezado]
    if "SUPUESTO DE CANCELACION CSD" in n:
        return "69_csd_sin_efectos"
    if "EJERCICIO" in n and "PERIODO" in n:
        return "69_entes_publicos"
    if "FECHA DE CANCELACION" in n:
        return "69_cancelados"
    if isinstance(primera, Fila):
        supuesto = normalizar(primera.situacion)
        for palabra, lista in _SUPUESTOS_69.items():
            if palabra in supuesto:
                return lista
        return "69_" + re.sub(r"[^a-z0-9]+", "_", supuesto.lower()).strip("_")[:30]
    raise ArchivoNoReconocido("El archivo de art. 69 no tiene filas: no sé qué lista es.")


def _corte_en_preambulo(preambulo: list[str]) -> datetime.date | None:
    for linea in preambulo:
        m = re.search(r"actualizada al (.+)", linea, re.IGNORECASE)
        if m:
            return fecha_en(m[1])
    return None


def _filas(lector: Iterator[list[str]], columnas: Columnas) -> Iterator[Fila | Rechazo]:
    ancho = len(columnas.encabezado)
    linea_fin = getattr(lector, "line_num", 0)
    for celdas in lector:
        linea = linea_fin + 1
        linea_fin = getattr(lector, "line_num", linea)
        if not any(c.strip() for c in celdas):
            continue  # a filler line of bare commas
        if len(celdas) < ancho and any(c.strip() for c in celdas[:ancho]):
            if len(celdas) <= max(columnas.rfc, columnas.nombre, columnas.situacion):
                yield Rechazo(linea, f"La línea tiene {len(celdas)} columnas; el encabezado, {ancho}.")
                continue
            celdas = celdas + [""] * (ancho - len(celdas))
        elif len(celdas) > ancho and any(c.strip() for c in celdas[ancho:]):
            yield Rechazo(linea, f"La línea tiene {len(celdas)} columnas; el encabezado, {ancho}.")
            continue
        yield _fila(linea, celdas, columnas)


def _fila(linea: int, celdas: list[str], columnas: Columnas) -> Fila | Rechazo:
    rfc = celdas[columnas.rfc].strip().upper()
    nombre = " ".join(celdas[columnas.nombre].split())
    situacion = " ".join(celdas[columnas.situacion].split())
    suprimido = bool(_SUPRIMIDO.match(rfc)) or normalizar(nombre).startswith("INFORMACION SUPRIMIDA")
    if not suprimido:
        if not rfc:
            return Rechazo(linea, "La línea no tiene RFC.")
        if not _RFC.match(rfc):
            return Rechazo(linea, f"El RFC «{rfc[:20]}» no tiene el formato de un RFC.")
        if not situacion:
            return Rechazo(linea, "La línea no tiene situación ni supuesto.")
    publicaciones = [[columnas.encabezado[i], celdas[i].strip()] for i in columnas.publicaciones if celdas[i].strip()]
    oficio = _oficio(celdas, columnas, situacion)
    return Fila(
        linea=linea,
        rfc=rfc if not suprimido else "",
        nombre=nombre,
        situacion=situacion[:120],
        tipo_persona=celdas[columnas.tipo_persona].strip() if columnas.tipo_persona is not None else "",
        fecha_publicacion=_fecha_publicacion(celdas, columnas, situacion),
        publicaciones=publicaciones,
        oficio=oficio,
        fecha_oficio=fecha_de_oficio(oficio) if oficio else None,
        suprimido=suprimido,
    )


# The columns of 69-B that belong to each situation, by a word of their header.
_PALABRA_SITUACION = {"PRESUNTO": "PRESUN", "DESVIRTUADO": "DESVIRTU", "DEFINITIVO": "DEFINITIV", "SENTENCIA": "SENTENCIA"}


def _palabra(situacion: str) -> str | None:
    s = normalizar(situacion)
    return next((p for clave, p in _PALABRA_SITUACION.items() if clave in s), None)


def _de_la_situacion(indices: list[int], celdas: list[str], columnas: Columnas, situacion: str) -> list[int]:
    llenos = [i for i in indices if celdas[i].strip()]
    palabra = _palabra(situacion)
    propios = [i for i in llenos if palabra and palabra in normalizar(columnas.encabezado[i])]
    return propios or llenos


def _oficio(celdas: list[str], columnas: Columnas, situacion: str) -> str:
    indices = _de_la_situacion(columnas.oficios, celdas, columnas, situacion)
    return " ".join(celdas[indices[-1]].split()) if indices else ""


def _fecha_publicacion(celdas: list[str], columnas: Columnas, situacion: str) -> datetime.date | None:
    if columnas.primera_publicacion is not None:
        return fecha_en(celdas[columnas.primera_publicacion])
    for i in _de_la_situacion(columnas.publicaciones, celdas, columnas, situacion):
        if fecha := fecha_en(celdas[i]):
            return fecha
    return None


def abrir(ruta: Path) -> IO[bytes]:
    return open(ruta, "rb")
