"""CURP registry (RENAPO stand-in): format and check digit of a CURP, and who it belongs to.

The portal asks one question of RENAPO: "whose CURP is this?". ``registro_curp()`` answers it through the
``RegistroCurp`` interface; the local implementation reads ``PersonaRenapo`` (filled by staff in the admin or
with ``manage.py importar_curp``). A real RENAPO web-service client can replace it by naming its class in the
``ICSOE_REGISTRO_CURP`` setting, without touching the callers.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Protocol

from django.conf import settings
from django.db import connection, transaction
from django.utils.module_loading import import_string

from core.errores import ErrorConMensaje
from core.identificadores import curp_error

from .models import PersonaRenapo

MENSAJE_NO_ENCONTRADA = "La CURP no se encuentra en el registro de población (RENAPO)."
COLUMNAS_CSV = ("curp", "nombres", "primer_apellido", "segundo_apellido")


class CurpError(ErrorConMensaje, ValueError):
    """A CURP that cannot be used; ``mensaje`` is the Spanish text for the user."""


@dataclass(frozen=True)
class PersonaCurp:
    curp: str
    nombres: str
    primer_apellido: str
    segundo_apellido: str

    @property
    def nombre_completo(self) -> str:
        return " ".join(p for p in (self.nombres, self.primer_apellido, self.segundo_apellido) if p)


class RegistroCurp(Protocol):
    """Extension point: anything that can say whose a (well-formed) CURP is. One that can also answer for many
    CURPs in one request has ``buscar_varias(curps) -> dict[str, PersonaCurp]`` (the carga masiva asks for
    thousands at once); ``personas_por_curp`` uses it when it is there."""

    def buscar(self, curp: str) -> PersonaCurp | None: ...


class RegistroLocal:
    """The registry kept in the portal's own database (``PersonaRenapo``)."""

    def buscar(self, curp: str) -> PersonaCurp | None:
        persona = PersonaRenapo.objects.filter(curp=curp).first()
        if persona is None:
            return None
        return PersonaCurp(
            curp=persona.curp,
            nombres=persona.nombres,
            primer_apellido=persona.primer_apellido,
            segundo_apellido=persona.segundo_apellido,
        )

    def buscar_varias(self, curps: list[str]) -> dict[str, PersonaCurp]:
        """The persons of those CURPs that the registry knows, in one query."""
        if connection.vendor != "postgresql":
            filas = PersonaRenapo.objects.filter(curp__in=curps).values_list(*_COLUMNAS_PERSONA)
            return {fila[0]: PersonaCurp(*fila) for fila in filas}
        # One array parameter instead of `IN (%s, …)` with 5,000 placeholders: the driver spent longer
        # composing that query than PostgreSQL spent answering it (bench_carga_masiva).
        opts = PersonaRenapo._meta
        columnas = ", ".join(connection.ops.quote_name(opts.get_field(c).column) for c in _COLUMNAS_PERSONA)
        curp = connection.ops.quote_name(opts.get_field("curp").column)
        tabla = connection.ops.quote_name(opts.db_table)
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT {columnas} FROM {tabla} WHERE {curp} = ANY(%s)", [curps])
            return {fila[0]: PersonaCurp(*fila) for fila in cursor.fetchall()}


_COLUMNAS_PERSONA = ("curp", "nombres", "primer_apellido", "segundo_apellido")


def personas_por_curp(curps: list[str]) -> dict[str, PersonaCurp]:
    """Whose each of many (well-formed) CURPs is: one request when the registry answers in batches, else one
    question a CURP. CURPs the registry does not know are left out."""
    registro = registro_curp()
    if buscar_varias := getattr(registro, "buscar_varias", None):
        return buscar_varias(curps)
    return {curp: persona for curp in curps if (persona := registro.buscar(curp)) is not None}


def registro_curp() -> RegistroCurp:
    ruta = getattr(settings, "ICSOE_REGISTRO_CURP", "accounts.renapo.RegistroLocal")
    return import_string(ruta)()


def curp_validar(curp: str) -> str:
    """Returns the CURP normalised (upper case, no spaces) or raises CurpError with the reason.

    Structure, birth date, state and the check digit: ``core.identificadores.curp_error`` (python-stdnum).
    """
    numero = "".join((curp or "").split()).upper()
    if mensaje := curp_error(numero):
        raise CurpError(mensaje)
    return numero


def curp_consultar(curp: str) -> PersonaCurp:
    """Validates a CURP and returns the person it belongs to, or raises CurpError."""
    numero = curp_validar(curp)
    persona = registro_curp().buscar(numero)
    if persona is None:
        raise CurpError(MENSAJE_NO_ENCONTRADA)
    return persona


# ----------------------------------------------------------------------------------------------------------
# CSV import (staff): every row is checked first; nothing is written unless every row is valid
# ----------------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class ErrorFila:
    fila: int
    columna: str
    valor: str
    mensaje: str

    def __str__(self) -> str:
        return f"Fila {self.fila}, columna {self.columna} ({self.valor!r}): {self.mensaje}"


@dataclass(frozen=True)
class ResultadoImportacion:
    creadas: int
    actualizadas: int
    errores: list[ErrorFila]


def _leer_filas(archivo: IO[str]) -> tuple[list[tuple[int, dict[str, str]]], list[ErrorFila]]:
    lector = csv.DictReader(archivo)
    encabezado = [c.strip().lower() for c in (lector.fieldnames or [])]
    faltantes = [c for c in COLUMNAS_CSV if c not in encabezado and c != "segundo_apellido"]
    if faltantes:
        return [], [ErrorFila(1, ", ".join(faltantes), "", "Faltan columnas en el encabezado.")]
    lector.fieldnames = encabezado
    filas = [
        (numero, {clave: (valor or "").strip() for clave, valor in fila.items() if clave})
        for numero, fila in enumerate(lector, 2)
    ]
    return filas, []


def _errores_fila(numero: int, fila: dict[str, str], vistas: dict[str, int]) -> list[ErrorFila]:
    errores = []
    try:
        curp = curp_validar(fila.get("curp", ""))
    except CurpError as error:
        errores.append(ErrorFila(numero, "curp", fila.get("curp", ""), error.mensaje))
    else:
        if curp in vistas:
            mensaje = f"CURP repetida (también en la fila {vistas[curp]})."
            errores.append(ErrorFila(numero, "curp", curp, mensaje))
        vistas.setdefault(curp, numero)
    for columna in ("nombres", "primer_apellido"):
        if not fila.get(columna):
            errores.append(ErrorFila(numero, columna, "", "El dato es obligatorio."))
    for columna in ("nombres", "primer_apellido", "segundo_apellido"):
        if len(fila.get(columna, "")) > 120:
            errores.append(ErrorFila(numero, columna, fila[columna][:20], "Máximo 120 caracteres."))
    return errores


def muestra() -> Path:
    """The demo sample of the registry shipped with the portal (``make run`` and ``importar_curp --muestra``)."""
    return Path(__file__).resolve().parent / "data" / "curp_muestra.csv"


def renapo_importar_csv(*, archivo: IO[str] | IO[bytes]) -> ResultadoImportacion:
    """Imports persons (curp, nombres, primer_apellido, segundo_apellido) into the local CURP registry.

    Every row is validated (CURP format and check digit, names present, no repeated CURP). If any row fails,
    nothing is written and every error is returned; otherwise existing CURPs are updated and new ones created.
    """
    if isinstance(archivo.read(0), bytes):
        archivo = io.TextIOWrapper(archivo, encoding="utf-8-sig", newline="")  # type: ignore[arg-type]
    filas, errores = _leer_filas(archivo)  # type: ignore[arg-type]
    vistas: dict[str, int] = {}
    for numero, fila in filas:
        errores.extend(_errores_fila(numero, fila, vistas))
    if errores:
        return ResultadoImportacion(0, 0, errores)
    personas = {
        curp_validar(f["curp"]): (
            f["nombres"].upper(),
            f["primer_apellido"].upper(),
            f.get("segundo_apellido", "").upper(),
        )
        for _, f in filas
    }
    with transaction.atomic():
        existentes = {p.curp: p for p in PersonaRenapo.objects.select_for_update().filter(curp__in=personas)}
        nuevas, cambiadas = [], []
        for curp, (nombres, primer, segundo) in personas.items():
            persona = existentes.get(curp) or PersonaRenapo(curp=curp)
            persona.nombres, persona.primer_apellido, persona.segundo_apellido = nombres, primer, segundo
            (cambiadas if persona.pk else nuevas).append(persona)
        PersonaRenapo.objects.bulk_create(nuevas, batch_size=1000)
        PersonaRenapo.objects.bulk_update(
            cambiadas, ["nombres", "primer_apellido", "segundo_apellido"], batch_size=1000
        )
    return ResultadoImportacion(len(nuevas), len(cambiadas), [])
