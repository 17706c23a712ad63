"""Carga masiva of 100,000 valid workers on PostgreSQL through the portal's own services (phase one: every row
checked; phase two: all stored in one transaction), printed beside a raw PostgreSQL COPY of the same rows into a
scratch table in the same run. Targets: under 20 s in total and under 300 MB of peak memory (the process's
maximum resident set, Django included)."""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "icsoe.settings_test")

FILAS = 100_000
OBJETIVO_SEGUNDOS = 20.0
OBJETIVO_MB = 300.0
RFC_BENCH = "BEN010101AB9"


def _copy_directo(contenido: bytes) -> float:
    """The floor: PostgreSQL's own COPY of the same CSV into an unindexed scratch table."""
    from django.db import connection, transaction

    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "CREATE TEMPORARY TABLE bench_copia_trabajadores (nss char(11), curp char(18), sbc numeric(12, 2)) "
            "ON COMMIT DROP"
        )
        inicio = time.perf_counter()
        with cursor.cursor.copy(
            "COPY bench_copia_trabajadores (nss, curp, sbc) FROM STDIN WITH (FORMAT csv, HEADER true)"
        ) as copia:
            copia.write(contenido)
        cursor.execute("SELECT count(*) FROM bench_copia_trabajadores")
        assert cursor.fetchone()[0] == FILAS
        return time.perf_counter() - inicio


def main() -> None:
    import django

    django.setup()
    from django.conf import settings
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.db import connection

    from bench import comun
    from informativas.carga import services as carga_services
    from tests.informativas.datos import csv_trabajadores

    if connection.vendor != "postgresql":
        print("carga masiva: este benchmark necesita PostgreSQL (make bench)")
        return
    settings.ICSOE_CARGA_UMBRAL_ASINCRONO = 10**12  # measure the services themselves, not the queue

    _, [contrato], usuario = comun.informativa_nueva(
        rfc=RFC_BENCH,
        razon_social="BENCHMARK SA DE CV",
        contratantes=[("CLI010101AB5", "CLIENTE DE PRUEBA SA DE CV")],
    )
    contenido = csv_trabajadores(FILAS).encode()
    memoria_base = comun.pico_mb()

    inicio = time.perf_counter()
    carga = carga_services.carga_recibir(
        contrato=contrato, archivo=SimpleUploadedFile("trabajadores.csv", contenido), usuario=usuario
    )
    fase_uno = time.perf_counter() - inicio
    assert (carga.aceptados, carga.rechazados) == (FILAS, 0), (
        carga.aceptados,
        carga.rechazados,
        carga.mensaje,
    )

    inicio = time.perf_counter()
    carga = carga_services.carga_confirmar(carga=carga, usuario=usuario)
    fase_dos = time.perf_counter() - inicio
    assert carga.guardados == FILAS and contrato.trabajadores.count() == FILAS
    total = fase_uno + fase_dos
    pico = comun.pico_mb()

    copia = _copy_directo(contenido)

    print(
        f"carga masiva de {FILAS:,} trabajadores ({len(contenido) / 1024 / 1024:.1f} MB de CSV) en PostgreSQL:"
    )
    print(f"  fase uno (guardar archivo y revisar cada registro): {fase_uno:.2f} s")
    print(f"  fase dos (revisar de nuevo bajo bloqueo y guardar todo en una transacción): {fase_dos:.2f} s")
    print(
        f"  COPY directo de PostgreSQL de las mismas filas a una tabla temporal sin índices: {copia:.2f} s "
        f"(el portal tarda {total / copia:.0f} veces eso)"
    )
    print(
        f"  total: {total:.2f} s (objetivo < {OBJETIVO_SEGUNDOS:.0f} s: {comun.cumple(total < OBJETIVO_SEGUNDOS)})"
    )
    print(
        f"  memoria pico del proceso: {pico:.0f} MB, {pico - memoria_base:.0f} MB sobre la base con Django "
        f"cargado (objetivo < {OBJETIVO_MB:.0f} MB: {comun.cumple(pico < OBJETIVO_MB)})"
    )


if __name__ == "__main__":
    main()
