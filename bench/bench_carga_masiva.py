"""Carga masiva through the portal's own services at 1,000, 10,000 and 100,000 valid workers (phase one: every
row checked; phase two: all stored in one transaction), each size in a process of its own so that one size's
memory never shows in another's. Per size: wall time and CPU time (the process's and its PostgreSQL backend's),
time per row, and the process's peak memory (maximum resident set, Django included).

Targets: time per row flat across the range (what each further row costs, from one size to the next: the
largest at most twice the smallest; the carga's fixed cost printed apart), peak memory
at 100,000 rows at most 1.5 times the peak at 1,000, and 100,000 rows under 20 s and 300 MB. The 100,000 rows
also go through a raw PostgreSQL COPY into a scratch table (the floor), measured after the peak.
"""

from __future__ import annotations

import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "icsoe.settings_test")

TAMANOS = (1_000, 10_000, 100_000)
OBJETIVO_SEGUNDOS = 20.0  # 100,000 rows
OBJETIVO_MB = 300.0
OBJETIVO_POR_FILA = 2.0  # largest per-row time / smallest
OBJETIVO_MEMORIA = 1.5  # peak at the largest size / peak at the smallest
# Runs per size (the median is printed): the 100,000 rows once, the expensive one.
VECES = {1_000: 5, 10_000: 3, 100_000: 1}
MARCA = "RESULTADO-CARGA "
CALENTAR = 50


def _rfc(filas: int, vez: int) -> str:
    """One contratista per size and run, so each carga starts from an empty informativa."""
    return f"B{'ABCDEFGH'[TAMANOS.index(filas)]}{'ABCDEFGH'[vez]}010101AB9"


def _cpu_proceso() -> float:
    uso = resource.getrusage(resource.RUSAGE_SELF)
    return uso.ru_utime + uso.ru_stime


def _cpu_backend(pid: int) -> float:
    """CPU seconds of this connection's PostgreSQL backend (same machine: /proc)."""
    try:
        campos = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(campos[11]) + int(campos[12])) / os.sysconf("SC_CLK_TCK")


def _preparar(rfc: str):
    """A contratista, a draft Normal of 2025-1 and two contracts (one to warm up), fresh on every run."""
    from bench import comun

    _, contratos, usuario = comun.informativa_nueva(
        rfc=rfc,
        razon_social="BENCHMARK SA DE CV",
        contratantes=[("CLI010101AB5", "CLIENTE DE PRUEBA SA DE CV")] * 2,
    )
    return contratos, usuario


def _copy_directo(ruta: str, filas: int) -> float:
    """The floor: PostgreSQL's own COPY of the same CSV into an unindexed scratch table."""
    from django.db import connection, transaction

    contenido = Path(ruta).read_bytes()
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
        assert cursor.fetchone()[0] == filas
        return time.perf_counter() - inicio


def hijo(filas: int, ruta: str) -> None:
    """One size, in its own process: prints one line of JSON with its figures. The smaller sizes are run a few
    times, each into a fresh contratista's contract: the median wall time, the CPU time summed over the runs."""
    import django

    django.setup()
    from django.core.files.uploadedfile import SimpleUploadedFile, UploadedFile
    from django.db import connection

    from bench import comun
    from informativas.carga import services as carga_services
    from tests.informativas.datos import csv_trabajadores

    comun.fases_en_este_proceso()  # measure the worker's services themselves, not the queue
    veces = VECES[filas]
    preparados = [_preparar(_rfc(filas, vez)) for vez in range(veces)]
    # A warm process, as a worker serving cargas is: the first carga's imports and caches are not its rows' cost.
    (calentar, _), usuario = preparados[0]
    carga = carga_services.carga_recibir(
        contrato=calentar,
        archivo=SimpleUploadedFile("calentar.csv", csv_trabajadores(CALENTAR).encode()),
        usuario=usuario,
    )
    carga_services.carga_confirmar(carga=comun.de_nuevo(carga), usuario=usuario)
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        backend = cursor.fetchone()[0]
    memoria_base = comun.pico_mb()

    fases_uno, fases_dos, pico_fase_uno = [], [], 0.0
    cpu_inicio, cpu_pg_inicio = _cpu_proceso(), _cpu_backend(backend)
    for (_, contrato), usuario in preparados:
        # As a view receives a large upload: a file on disk (Django's TemporaryUploadedFile), not bytes in memory.
        with open(ruta, "rb") as f:
            archivo = UploadedFile(
                file=f, name="trabajadores.csv", content_type="text/csv", size=os.path.getsize(ruta)
            )
            inicio = time.perf_counter()
            carga = comun.de_nuevo(carga_services.carga_recibir(contrato=contrato, archivo=archivo, usuario=usuario))
            fases_uno.append(time.perf_counter() - inicio)
        pico_fase_uno = max(pico_fase_uno, comun.pico_mb())
        assert (carga.aceptados, carga.rechazados) == (filas, 0), (
            carga.aceptados,
            carga.rechazados,
            carga.mensaje,
        )
        inicio = time.perf_counter()
        carga = comun.de_nuevo(carga_services.carga_confirmar(carga=carga, usuario=usuario))
        fases_dos.append(time.perf_counter() - inicio)
        assert carga.guardados == filas and contrato.trabajadores.count() == filas
    cpu, cpu_pg = _cpu_proceso() - cpu_inicio, _cpu_backend(backend) - cpu_pg_inicio
    pico = comun.pico_mb()
    copia = _copy_directo(ruta, filas) if filas == max(TAMANOS) else None
    print(
        MARCA
        + json.dumps(
            {
                "filas": filas,
                "veces": veces,
                "fase_uno": statistics.median(fases_uno),
                "fase_dos": statistics.median(fases_dos),
                "cpu": cpu / veces,
                "cpu_pg": cpu_pg / veces,
                "pico_mb": pico,
                "base_mb": memoria_base,
                "pico_fase_uno_mb": pico_fase_uno,
                "copia": copia,
                "csv_mb": os.path.getsize(ruta) / 1024 / 1024,
            }
        )
    )


def _medir(filas: int) -> dict | None:
    from tests.informativas.datos import csv_trabajadores

    with tempfile.NamedTemporaryFile(suffix=".csv") as csv:
        csv.write(csv_trabajadores(filas).encode())
        csv.flush()
        proceso = subprocess.run(
            [sys.executable, __file__, "--hijo", str(filas), csv.name], capture_output=True, text=True
        )
    for linea in proceso.stdout.splitlines():
        if linea.startswith(MARCA):
            return json.loads(linea[len(MARCA) :])
    print(f"  {filas:,} filas: falló la medición (código {proceso.returncode})")
    print("  " + (proceso.stderr or proceso.stdout).strip()[-2000:].replace("\n", "\n  "))
    return None


def _marginales(puntos: list[tuple[int, float]]) -> list[float]:
    """The cost of each further row between consecutive sizes: (t_b − t_a) / (n_b − n_a)."""
    return [(tb - ta) / (nb - na) for (na, ta), (nb, tb) in zip(puntos, puntos[1:], strict=False)]


def main() -> None:
    import django

    django.setup()
    from django.db import connection

    from bench import comun

    if connection.vendor != "postgresql":
        print("carga masiva: este benchmark necesita PostgreSQL (make bench)")
        return
    connection.close()
    print("carga masiva de trabajadores válidos en PostgreSQL (fase uno + fase dos, un proceso por tamaño):")
    print("  (mediana de 5 corridas con 1,000 filas y de 3 con 10,000; una con 100,000; CPU por corrida)")
    print(
        "  filas     | fase uno | fase dos | total    | CPU proceso + PostgreSQL | por fila (reloj / CPU) | pico de memoria"
    )
    resultados = []
    for filas in TAMANOS:
        r = _medir(filas)
        if r is None:
            continue
        resultados.append(r)
        total = r["fase_uno"] + r["fase_dos"]
        cpu = r["cpu"] + r["cpu_pg"]
        print(
            f"  {filas:>9,} | {r['fase_uno']:6.2f} s | {r['fase_dos']:6.2f} s | {total:6.2f} s "
            f"| {r['cpu']:6.2f} s + {r['cpu_pg']:5.2f} s = {cpu:6.2f} s "
            f"| {total / filas * 1e6:6.0f} µs / {cpu / filas * 1e6:4.0f} µs "
            f"| {r['pico_mb']:4.0f} MB ({r['pico_mb'] - r['base_mb']:+.0f} MB sobre la base; "
            f"{r['pico_fase_uno_mb'] - r['base_mb']:+.0f} MB tras la fase uno)"
        )
    if len(resultados) != len(TAMANOS):
        print("  NO CUMPLE: faltan tamaños")
        return
    chico, grande = resultados[0], resultados[-1]
    # Flat per row is judged on what each further row costs (between one size and the next), not on the total
    # over the rows: a carga's fixed cost (its record, the transaction, the audit, the file) is about 50 ms, half
    # of the 1,000-row carga's time, and would read as a per-row cost twice that of the larger sizes.
    reloj = [(r["filas"], r["fase_uno"] + r["fase_dos"]) for r in resultados]
    cpu = [(r["filas"], r["cpu"] + r["cpu_pg"]) for r in resultados]
    por_fila, por_fila_cpu = _marginales(reloj), _marginales(cpu)
    x_reloj, x_cpu = max(por_fila) / min(por_fila), max(por_fila_cpu) / min(por_fila_cpu)
    fijo = cpu[0][1] - cpu[0][0] * por_fila_cpu[0]
    print(
        "  costo de cada fila más, de un tamaño al siguiente (CPU): "
        + ", ".join(
            f"{a:,}→{b:,}: {x * 1e6:.0f} µs"
            for (a, _), (b, _), x in zip(cpu, cpu[1:], por_fila_cpu, strict=False)
        )
        + f"; costo fijo de una carga: {fijo * 1000:.0f} ms de CPU"
    )
    x_memoria = grande["pico_mb"] / chico["pico_mb"]
    print(
        f"  tiempo por fila plano (cada fila más), CPU: x{x_cpu:.2f} entre el mayor y el menor "
        f"(objetivo ≤ x{OBJETIVO_POR_FILA:g}: {comun.cumple(x_cpu <= OBJETIVO_POR_FILA)}); "
        f"reloj: x{x_reloj:.2f} ({comun.cumple(x_reloj <= OBJETIVO_POR_FILA)}; máquina compartida, "
        f"carga {os.getloadavg()[0]:.1f})"
    )
    print(
        f"  memoria pico con {grande['filas']:,} filas: x{x_memoria:.2f} la de {chico['filas']:,} "
        f"(objetivo ≤ x{OBJETIVO_MEMORIA:g}: {comun.cumple(x_memoria <= OBJETIVO_MEMORIA)})"
    )
    total = grande["fase_uno"] + grande["fase_dos"]
    print(
        f"  {grande['filas']:,} filas ({grande['csv_mb']:.1f} MB de CSV): total {total:.2f} s de reloj, "
        f"{grande['cpu'] + grande['cpu_pg']:.2f} s de CPU del proceso y PostgreSQL "
        f"(objetivo < {OBJETIVO_SEGUNDOS:.0f} s: {comun.cumple(total < OBJETIVO_SEGUNDOS)}), memoria pico "
        f"{grande['pico_mb']:.0f} MB (objetivo < {OBJETIVO_MB:.0f} MB: {comun.cumple(grande['pico_mb'] < OBJETIVO_MB)})"
    )
    if grande["copia"]:
        print(
            f"  COPY directo de PostgreSQL de las mismas filas a una tabla temporal sin índices: "
            f"{grande['copia']:.2f} s (el portal tarda {total / grande['copia']:.0f} veces eso)"
        )


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "--hijo":
        hijo(int(sys.argv[2]), sys.argv[3])
    else:
        main()
