"""The security review's decompression bomb: a 300 KB .xlsx whose xl/sharedStrings.xml holds one 300 MB string
(before the zip checks it took a worker from 117 MB to 3.7 GB and 28 s of CPU). Prints how long the carga
engine takes to refuse it and how much the process's peak memory grows (resident set, from the kernel, and
Python's own allocations, from tracemalloc). Targets: under 1 s and under 50 MB. Also the same bomb lying
about its size in the zip directory (only reading can tell: zipfile stops at the declared size and the CRC
fails). Prints figures only; nothing is asserted.
"""

from __future__ import annotations

import os
import resource
import sys
import time
import tracemalloc
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "icsoe.settings_test")

OBJETIVO_S, OBJETIVO_MB = 1.0, 50.0
MB = 1024 * 1024


def _rss_pico_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: kilobytes


def _medir(titulo: str, funcion) -> None:
    rss_antes = _rss_pico_mb()
    tracemalloc.start()
    inicio = time.perf_counter()
    resultado = funcion()
    segundos = time.perf_counter() - inicio
    _, pico = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    crecimiento = _rss_pico_mb() - rss_antes
    cumple = segundos < OBJETIVO_S and crecimiento < OBJETIVO_MB and pico / MB < OBJETIVO_MB
    print(titulo)
    print(f"  respuesta: {resultado[:110]}")
    print(f"  tiempo: {segundos * 1000:.1f} ms (objetivo < {OBJETIVO_S:.0f} s)")
    print(f"  crecimiento del pico de memoria residente: {crecimiento:.1f} MB (objetivo < {OBJETIVO_MB:.0f} MB)")
    print(f"  pico de asignaciones de Python (tracemalloc): {pico / MB:.1f} MB")
    print(f"  {'CUMPLE' if cumple else 'NO CUMPLE'}")


def main() -> None:
    import django

    django.setup()
    from informativas.carga import motor
    from tests.security.bombas import bomba_300mb, con_tamano_declarado

    bomba = bomba_300mb()
    mentirosa = con_tamano_declarado(bomba, "xl/sharedStrings.xml", 16 * MB)
    print(f"bomba: {len(bomba) / 1024:.0f} KB que declaran 300 MB en xl/sharedStrings.xml")

    def leer(datos: bytes):
        def funcion() -> str:
            try:
                _, filas = motor.leer(datos, "bomba.xlsx")
                motor.revisar(filas, nss_existentes=set(), curp_existentes=set())
            except motor.CargaEstructuraError as error:
                return "rechazada: " + error.mensaje
            return "LEÍDA (no debía)"

        return funcion

    _medir("Bomba de 300 KB (una cadena de 300 MB): rechazo desde el directorio del zip", leer(bomba))
    _medir("La misma bomba declarando 16 MB (el máximo de cadenas): rechazo al leer", leer(mentirosa))


if __name__ == "__main__":
    main()
