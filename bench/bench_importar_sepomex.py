"""importar_sepomex of a full-size catalog: a synthetic 150,000-row SEPOMEX TXT (Latin-1, the notice line
before the header, accents and Ñ in the names; 32 estados, 2,560 municipios, 30,000 códigos postales, five
asentamientos each) imported through the portal's own service on PostgreSQL, then imported again (the
idempotent path: every row an update). Target: each import under 60 s. Prints figures only."""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "icsoe.settings_test")

FILAS = 150_000
ESTADOS, MUNICIPIOS_POR_ESTADO, ASENTAMIENTOS_POR_CP = 32, 80, 5
OBJETIVO_SEGUNDOS = 60.0
ENCABEZADO = (
    "d_codigo|d_asenta|d_tipo_asenta|D_mnpio|d_estado|d_ciudad|d_CP|c_estado|c_oficina|c_CP|c_tipo_asenta|"
    "c_mnpio|id_asenta_cpcons|d_zona|c_cve_ciudad"
)


def _archivo(ruta: Path) -> None:
    cps = FILAS // ASENTAMIENTOS_POR_CP
    municipios = ESTADOS * MUNICIPIOS_POR_ESTADO
    with ruta.open("w", encoding="latin-1", newline="") as f:
        f.write("Catálogo sintético para el benchmark del portal ICSOE (no es el catálogo de Correos de México)\r\n")
        f.write(ENCABEZADO + "\r\n")
        for i in range(cps):
            cp = f"{10000 + i:05d}"
            municipio = i % municipios
            estado, clave_mnpio = municipio // MUNICIPIOS_POR_ESTADO + 1, municipio % MUNICIPIOS_POR_ESTADO + 1
            for a in range(1, ASENTAMIENTOS_POR_CP + 1):
                f.write(
                    f"{cp}|Colonia Peñón {i}-{a}|Colonia|Municipio Ñandú {estado}-{clave_mnpio}|Estado Querétaro {estado}|"
                    f"Ciudad {estado}|{cp[:2]}001|{estado:02d}|{cp[:2]}001||09|{clave_mnpio:03d}|{a:04d}|Urbano|01\r\n"
                )


def _cumple(segundos: float) -> str:
    return "CUMPLE" if segundos < OBJETIVO_SEGUNDOS else "NO CUMPLE"


def main() -> None:
    import django

    django.setup()
    from django.db import connection

    from contratistas.services import sepomex_importar

    with tempfile.TemporaryDirectory() as carpeta:
        ruta = Path(carpeta) / "CPdescarga.txt"
        inicio = time.perf_counter()
        _archivo(ruta)
        generacion = time.perf_counter() - inicio
        contenido = ruta.read_bytes()

    tiempos = []
    for _ in range(2):
        inicio = time.perf_counter()
        resultado = sepomex_importar(contenido=contenido)
        tiempos.append(time.perf_counter() - inicio)
    print(f"importar_sepomex: {FILAS:,} filas sintéticas ({len(contenido) / 1e6:.1f} MB, generadas en {generacion:.1f} s)")
    print(f"  base de datos: {connection.vendor}")
    print(f"  resultado: {resultado.resumen()}")
    print(f"  primera importación: {tiempos[0]:.1f} s (objetivo < {OBJETIVO_SEGUNDOS:.0f} s: {_cumple(tiempos[0])})")
    print(f"  reimportación (todo actualización): {tiempos[1]:.1f} s (objetivo < {OBJETIVO_SEGUNDOS:.0f} s: {_cumple(tiempos[1])})")


if __name__ == "__main__":
    main()
