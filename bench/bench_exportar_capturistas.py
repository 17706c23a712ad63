"""Exportar excel of 10,000 capturista relations: time and memory of capturistas_exportar_xlsx.

Creates a contratista with 10,000 capturistas (bulk inserts), writes the XLSX to a temporary file as the view
does, and reports the median time of a few runs and the Python memory peak (tracemalloc) for 2,000 and for
10,000 rows: with openpyxl's write-only mode and a server-side cursor the peak must stay flat, not grow
with the rows. Prints figures only; timing is never asserted. The data it creates is removed at the end.
"""

from __future__ import annotations

import os
import secrets
import statistics
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "icsoe.settings_test")

FILAS = 10_000
# Peak memory is bounded by one batch of the cursor (LOTE_EXPORTACION rows): compare two sizes above it.
POCAS = 2_000
VECES = 3
OBJETIVO_S = 3.0
# "Flat": five times the rows may cost at most this factor in peak memory (a list of rows would cost ~5x).
OBJETIVO_CRECIMIENTO = 1.5
# Per run, so a run never trips over the rows of an earlier one that could not be removed.
CORRIDA = secrets.token_hex(2).upper()
RFC_BENCH = f"X{CORRIDA}0101AB1"
PREFIJO = f"BENCH{CORRIDA}"


def _sembrar(total: int):
    from accounts.models import User
    from capturistas.models import Relacion
    from contratistas.services import contratista_obtener_o_crear

    contratista = contratista_obtener_o_crear(rfc=RFC_BENCH, razon_social="CONTRATISTA DE MEDICION SA DE CV")
    usuarios = [
        User(
            username=f"{PREFIJO}{i:09d}",
            rol=User.Rol.CAPTURISTA,
            curp=f"{PREFIJO}{i:09d}",
            nombre_completo=f"PERSONA {i} APELLIDO UNO APELLIDO DOS",
            email=f"persona{i}@example.com",
            password="!",
        )
        for i in range(total)
    ]
    User.objects.bulk_create(usuarios, batch_size=2000)
    capturistas = User.objects.filter(username__startswith=PREFIJO).only("pk")
    Relacion.objects.bulk_create(
        (
            Relacion(
                contratista=contratista,
                capturista=u,
                estatus=Relacion.Estatus.ACTIVA,
                nombres="PERSONA",
                primer_apellido="APELLIDO UNO",
                segundo_apellido="APELLIDO DOS",
                telefono="5512345678",
                correo="persona@example.com",
            )
            for u in capturistas.iterator()
        ),
        batch_size=2000,
    )
    return contratista


def _limpiar() -> None:
    from django.db import DatabaseError

    from accounts.models import User
    from contratistas.models import Contratista

    try:
        contratista = Contratista.objects.filter(rfc=RFC_BENCH).first()
        if contratista:
            contratista.relaciones.all().delete()
            usuario = contratista.usuario
            contratista.delete()
            usuario.delete()
        User.objects.filter(username__startswith=PREFIJO).delete()
    except DatabaseError as error:  # e.g. a model whose migration is not in this database yet
        print(f"  (no se pudieron borrar los datos de medición {PREFIJO}: {str(error).splitlines()[0]})")


def _exportar(contratista) -> tuple[float, int, int]:
    from capturistas.services import capturistas_exportar_xlsx

    with tempfile.TemporaryFile() as archivo:
        inicio = time.perf_counter()
        filas = capturistas_exportar_xlsx(contratista=contratista, archivo=archivo)
        segundos = time.perf_counter() - inicio
        return segundos, filas, archivo.tell()


def _pico(contratista) -> int:
    tracemalloc.start()
    _exportar(contratista)
    _, pico = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return pico


def main() -> None:
    import django

    django.setup()
    from capturistas.models import Relacion

    try:
        contratista = _sembrar(FILAS)
        _exportar(contratista)  # warm-up
        tiempos, tamano = [], 0
        for _ in range(VECES):
            segundos, filas, tamano = _exportar(contratista)
            tiempos.append(segundos)
        pico_todas = _pico(contratista)
        # The same export with only POCAS rows left.
        relaciones = Relacion.objects.filter(contratista=contratista)
        sobrantes = list(relaciones.values_list("pk", flat=True)[POCAS:])
        Relacion.objects.filter(pk__in=sobrantes).delete()
        pico_pocas = _pico(contratista)
    finally:
        _limpiar()

    mediana = statistics.median(tiempos)
    crecimiento = pico_todas / pico_pocas
    print(f"Exportar excel de {filas:,} capturistas ({tamano / 1024:.0f} KiB, {VECES} veces)")
    print(f"  mediana: {mediana:.2f} s, peor: {max(tiempos):.2f} s")
    print(f"  objetivo < {OBJETIVO_S:.0f} s: {'CUMPLE' if max(tiempos) < OBJETIVO_S else 'NO CUMPLE'}")
    print(f"  pico de memoria (tracemalloc): {pico_pocas / 1024:.0f} KiB con {POCAS:,} filas, "
          f"{pico_todas / 1024:.0f} KiB con {filas:,} filas (x{crecimiento:.2f})")
    veces = filas // POCAS
    cumple = "CUMPLE" if crecimiento <= OBJETIVO_CRECIMIENTO else "NO CUMPLE"
    print(f"  objetivo memoria plana (x{OBJETIVO_CRECIMIENTO} como máximo, {veces} veces más filas): {cumple}")


if __name__ == "__main__":
    main()
