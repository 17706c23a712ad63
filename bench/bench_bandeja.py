"""The bandeja ("Informativas en captura") of a contratista with 10, 100 and 1,000 informativas in captura: the
server's time per request (Django's test client inside this process: middleware, session, view, template; no
network), median of several requests, with its CPU time, and the time per informativa shown. Each size runs in a
process of its own, so that its peak memory (maximum resident set) is its own; the Python memory one request
allocates (tracemalloc) is printed too.

The times are taken apart, in one process that asks every size in turn, round after round: the time per
informativa is a difference of a few milliseconds between sizes, and between processes the same page's median
moves by as much (memory layout, the machine's load at that moment), which made the ratio below swing between
x1.5 and x4.5 from run to run with the code unchanged. Alternating in one process, each size meets the same
conditions.

The time per informativa is the median, over the rounds, of each round's difference with the empty bandeja
asked just before it (a paired difference: in one round both requests meet the same load of the shared
machine), not the difference of the two medians, which is printed too: the 10-row page is only ~0.4 ms of CPU
above the empty one, and each median moves by ~0.2 ms with the load, so that figure is the noisiest.

Every request starts from the same heap: a full collection, not timed, before it, and the young generations'
collection, timed, after it. A page's rows outlive its request until the cyclic collector runs (the template's
Context and its ContextDicts refer to each other, and the request to its lazy user; 89 objects of the empty
bandeja, 239 of a 50-row page: its 50 Informativa, their ModelState and UUID), and the collector ran in
whichever request came next: the empty bandeja, asked right after the 1,000-size page, paid ~0.2 ms for that
page's garbage, and the 10-row figure, measured against it, read as a third to a half of the others' (0.013 to
0.029 ms against ~0.040 ms, x1.7 to x3 with the code unchanged). Asked in another order (1,000, 100, 10, 0)
the 10-row figure came out the largest instead. The full collection walks the whole process (~0.1 s), which
also leaves every request the same cold CPU caches: made cheap (gc.freeze() after the warm-up), it left the
previous page's memory in the caches and the 10-row figure fell back to a third of the others.

The session is the one a contratista has in production: logged in through the e.firma backend, whose
``get_user`` brings its contratista in the same query (contratistas.backends.EfirmaBackend). ``force_login``
without a backend took the first one (allauth's), which made every request of the bench pay a query for the
contratista that no contratista's request pays (nor the load scenario's seeded sessions).

Targets: time per informativa shown flat across the range (the largest per-item cost at most twice the
smallest) and peak memory at 1,000 informativas at most 1.5 times the peak at 10.

Then a page of 50 rows read two ways, alternating, on PostgreSQL and on SQLite (make run's database, in a
temporary file): the ORM compiling ``selectors.bandeja()`` on every call, and ``BandejaCompilada`` (its SQL
compiled once, rows built by ``QuerySet.raw`` through the backend's converters). Both must give the same
rows, field by field; the figures say whether the shortcut still pays.
"""

from __future__ import annotations

import gc
import json
import os
import resource
import statistics
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "icsoe.settings_test")

TAMANOS = (10, 100, 1_000)
CALENTAR, VECES = 5, 60
# Rounds of the alternated timing: the 10-row page is ~0.2-0.4 ms above the empty one, and with 60 rounds the
# clock's paired median still moved by ~0.1 ms with the shared machine's load (x1.1 to x2.2 in three runs).
# Each round costs ~0.4 s, most of it the four full collections (module docstring).
RONDAS = 100
OBJETIVO_POR_ITEM = 2.0
OBJETIVO_MEMORIA = 1.5
MARCA = "RESULTADO-BANDEJA "


# The empty bandeja: what any logged-in page costs (session, user, layout) before its first row.
VACIA = 0


def _rfc(informativas: int) -> str:
    return f"BB{'ZABC'[(VACIA, *TAMANOS).index(informativas)]}010101AB9"


def _cumple(ok: bool) -> str:
    return "CUMPLE" if ok else "NO CUMPLE"


def _pico_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def _sembrar(informativas: int) -> None:
    """A contratista with this many informativas in captura: one Normal per period of 2022–2025, the rest
    complementarias (Corrección, Actualización) of those periods, some of them waiting for the e.firma. Built in
    bulk: the bandeja only reads them."""
    from accounts.services import terminos_aceptar, terminos_vigentes
    from contratistas.services import contratista_obtener_o_crear
    from informativas.models import Informativa

    contratista = contratista_obtener_o_crear(
        rfc=_rfc(informativas), razon_social="BENCHMARK BANDEJA SA DE CV"
    )
    if terminos := terminos_vigentes():
        terminos_aceptar(usuario=contratista.usuario, terminos=terminos, ip=None)
    Informativa.objects.filter(contratista=contratista).delete()
    periodos = [(anio, c) for anio in range(2022, 2026) for c in (1, 2, 3)]
    filas = []
    for i in range(informativas):
        anio, cuatrimestre = periodos[i % len(periodos)]
        primera = i < len(periodos)
        filas.append(
            Informativa(
                contratista=contratista,
                anio=anio,
                cuatrimestre=cuatrimestre,
                tipo=Informativa.Tipo.NORMAL
                if primera
                else (Informativa.Tipo.CORRECCION, Informativa.Tipo.ACTUALIZACION)[i % 2],
                estatus=Informativa.Estatus.PENDIENTE_FIRMA if i % 5 == 4 else Informativa.Estatus.EN_CAPTURA,
                num_contratos=i % 7,
                num_trabajadores=(i % 7) * 120,
                creada_por=contratista.usuario,
            )
        )
    Informativa.objects.bulk_create(filas, batch_size=500)


def _cliente(informativas: int):
    from django.test import Client

    from contratistas.models import Contratista

    contratista = Contratista.objects.select_related("usuario").get(rfc=_rfc(informativas))
    cliente = Client()
    cliente.force_login(contratista.usuario, backend="contratistas.backends.EfirmaBackend")
    return cliente


def _pedir(cliente) -> str:
    respuesta = cliente.get("/informativas/")
    assert respuesta.status_code == 200, respuesta.status_code
    return respuesta.content.decode()


def hijo(informativas: int) -> None:
    """One size, in its own process: prints one line of JSON with its memory figures and what the page shows."""
    import django

    django.setup()
    cliente = _cliente(informativas)
    html = ""
    for _ in range(CALENTAR):
        html = _pedir(cliente)
    memoria_base = _pico_mb()
    for _ in range(VECES):
        _pedir(cliente)
    pico = _pico_mb()
    tracemalloc.start()
    _pedir(cliente)
    _, pico_solicitud = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(
        MARCA
        + json.dumps(
            {
                "informativas": informativas,
                "mostradas": html.count("<tr data-informativa="),
                "paginada": 'aria-label="Paginación"' in html,
                "pico_mb": pico,
                "base_mb": memoria_base,
                "pico_solicitud_kib": pico_solicitud / 1024,
                "html_kib": len(html.encode()) / 1024,
            }
        )
    )


def tiempos_alternados() -> None:
    """Every size in one process, one request of each in turn, RONDAS rounds: the median time (clock and CPU) of
    each, as one line of JSON."""
    import django

    django.setup()
    tamanos = (VACIA, *TAMANOS)
    clientes = {n: _cliente(n) for n in tamanos}
    for cliente in clientes.values():
        for _ in range(CALENTAR):
            _pedir(cliente)
    tiempos: dict[int, list[float]] = {n: [] for n in tamanos}
    cpus: dict[int, list[float]] = {n: [] for n in tamanos}
    for _ in range(RONDAS):
        for n in tamanos:
            gc.collect()  # not timed: no request pays for the garbage of the one before it (module docstring)
            inicio, cpu_inicio = time.perf_counter(), time.process_time()
            _pedir(clientes[n])
            gc.collect(1)  # timed: its own garbage, as the collector frees it between requests in production
            tiempos[n].append(time.perf_counter() - inicio)
            cpus[n].append(time.process_time() - cpu_inicio)
    print(
        MARCA
        + json.dumps(
            {
                str(n): {
                    "mediana": statistics.median(tiempos[n]),
                    "cpu": statistics.median(cpus[n]),
                    # Paired with the empty bandeja of the same round (see the module's docstring).
                    "sobre_vacia": statistics.median(
                        a - b for a, b in zip(tiempos[n], tiempos[VACIA], strict=True)
                    ),
                    "sobre_vacia_cpu": statistics.median(
                        a - b for a, b in zip(cpus[n], cpus[VACIA], strict=True)
                    ),
                }
                for n in tamanos
            }
        )
    )


def _hijo(*argumentos: str) -> dict | None:
    proceso = subprocess.run([sys.executable, __file__, *argumentos], capture_output=True, text=True)
    for linea in proceso.stdout.splitlines():
        if linea.startswith(MARCA):
            return json.loads(linea[len(MARCA) :])
    print(f"  {' '.join(argumentos)}: falló la medición (código {proceso.returncode})")
    print("  " + (proceso.stderr or proceso.stdout).strip()[-2000:].replace("\n", "\n  "))
    return None


def main() -> None:
    import django

    django.setup()
    from django.db import connection

    for informativas in (VACIA, *TAMANOS):
        _sembrar(informativas)
    connection.close()
    print(
        f"bandeja de un contratista (cliente de pruebas, sin red; mediana de {RONDAS} solicitudes de cada tamaño, "
        "alternadas en un proceso, en reloj y en CPU; la memoria, en un proceso por tamaño):"
    )
    print(
        "  informativas | mostradas | por solicitud (reloj / CPU) | por informativa mostrada (reloj / CPU) | pico del proceso | memoria de una solicitud"
    )
    memorias = {n: _hijo("--hijo", str(n)) for n in (VACIA, *TAMANOS)}
    tiempos = _hijo("--tiempos")
    if tiempos is None or any(m is None for m in memorias.values()):
        print("  NO CUMPLE: faltan mediciones")
        return
    vacia = {**memorias[VACIA], **tiempos[str(VACIA)]}
    print(
        f"  {'0 (vacía)':>12} | {0:>9} | {vacia['mediana'] * 1000:7.2f} ms / {vacia['cpu'] * 1000:6.2f} ms "
        f"| {'(costo fijo de la página)':>38} | {vacia['pico_mb']:5.0f} MB | {vacia['pico_solicitud_kib']:7.0f} KiB"
    )
    resultados = []
    for informativas in TAMANOS:
        r = {**memorias[informativas], **tiempos[str(informativas)]}
        resultados.append(r)
        # Per informativa shown: the request's time beyond the empty bandeja's of the same round, over the rows
        # it rendered; and, for reference, the difference of the two medians (the figure before the pairing).
        r["por_item"] = r["sobre_vacia"] / r["mostradas"]
        r["por_item_cpu"] = r["sobre_vacia_cpu"] / r["mostradas"]
        r["por_item_medianas_cpu"] = (r["cpu"] - vacia["cpu"]) / r["mostradas"]
        print(
            f"  {informativas:>12,} | {r['mostradas']:>9,} | {r['mediana'] * 1000:7.2f} ms / {r['cpu'] * 1000:6.2f} ms "
            f"| {r['por_item'] * 1000:8.3f} ms / {r['por_item_cpu'] * 1000:6.3f} ms{'':>14} "
            f"| {r['pico_mb']:5.0f} MB | {r['pico_solicitud_kib']:7.0f} KiB (HTML {r['html_kib']:.0f} KiB)"
        )
    if resultados[-1]["paginada"]:
        print(
            f"  la bandeja se pagina: muestra {resultados[-1]['mostradas']} informativas por página; se mide la "
            "primera página, lo que se genera por solicitud"
        )
    _lecturas_en_ambas_bases()

    def _x(valores: list[float]) -> str:
        """max/min, or why there is none: a difference of medians at or below zero means the machine's load
        changed more between two sizes than the rows cost."""
        if min(valores) <= 0:
            return "no medible (la carga de la máquina cambió más que el costo de las filas)"
        x = max(valores) / min(valores)
        return f"x{x:.2f} ({_cumple(x <= OBJETIVO_POR_ITEM)})"

    x_reloj, x_cpu = _x([r["por_item"] for r in resultados]), _x([r["por_item_cpu"] for r in resultados])
    x_medianas = _x([r["por_item_medianas_cpu"] for r in resultados])
    chico, grande = resultados[0], resultados[-1]
    x_memoria = grande["pico_mb"] / chico["pico_mb"]
    mediano = resultados[-2]
    x_solicitud = grande["pico_solicitud_kib"] / mediano["pico_solicitud_kib"]
    print(
        f"  tiempo por informativa mostrada (sobre la bandeja vacía), entre el mayor y el menor "
        f"(objetivo ≤ x{OBJETIVO_POR_ITEM:g}): CPU {x_cpu}; reloj {x_reloj} (máquina compartida, carga "
        f"{os.getloadavg()[0]:.1f})"
    )
    print(
        "  el mismo, como diferencia de medianas (sin parear; la cifra antes de parear): CPU "
        + " / ".join(f"{r['por_item_medianas_cpu'] * 1000:.3f}" for r in resultados)
        + f" ms, {x_medianas}"
    )
    print(
        f"  memoria pico del proceso con {grande['informativas']:,}: x{x_memoria:.2f} la de {chico['informativas']:,} "
        f"(objetivo ≤ x{OBJETIVO_MEMORIA:g}: {_cumple(x_memoria <= OBJETIVO_MEMORIA)})"
    )
    print(
        f"  memoria de una solicitud (tracemalloc): sigue a las filas mostradas, no a las informativas del "
        f"contratista: x{x_solicitud:.2f} entre {grande['informativas']:,} y {mediano['informativas']:,} informativas "
        f"({grande['mostradas']} y {mediano['mostradas']} filas)"
    )


LECTURAS = 300
MARCA_LECTURAS = "RESULTADO-LECTURAS "


def lecturas() -> None:
    """In its own process, on the DATABASE_URL it is given: the first page of the 1,000-informativa bandeja
    read through the ORM and through BandejaCompilada, alternating, LECTURAS times each (CPU per read)."""
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from contratistas.models import Contratista
    from informativas.selectors import CAMPOS_BANDEJA, BandejaCompilada, bandeja

    if connection.vendor == "sqlite":
        call_command("migrate", verbosity=0)
        _sembrar(TAMANOS[-1])
    contratista = Contratista.objects.get(rfc=_rfc(TAMANOS[-1]))

    def filas(informativas) -> list[tuple]:
        return [tuple(getattr(i, c) for c in CAMPOS_BANDEJA) for i in informativas]

    iguales = filas(BandejaCompilada(contratista)[0:50]) == filas(bandeja(contratista)[0:50])
    orm, compilada = [], []
    for _ in range(LECTURAS):
        inicio = time.process_time()
        list(bandeja(contratista)[0:50])
        orm.append(time.process_time() - inicio)
        inicio = time.process_time()
        BandejaCompilada(contratista)[0:50]
        compilada.append(time.process_time() - inicio)
    print(
        MARCA_LECTURAS
        + json.dumps(
            {
                "base": connection.vendor,
                "iguales": iguales,
                "orm": statistics.median(orm),
                "compilada": statistics.median(compilada),
            }
        )
    )


def _lecturas_en_ambas_bases() -> None:
    import tempfile

    print(f"  una página de 50 filas, {LECTURAS} lecturas alternadas (mediana de CPU por lectura):")
    with tempfile.TemporaryDirectory() as carpeta:
        for base, url in (
            ("PostgreSQL", os.environ.get("DATABASE_URL", "")),
            ("SQLite (make run)", f"sqlite:///{carpeta}/bandeja.sqlite3"),
        ):
            proceso = subprocess.run(
                [sys.executable, __file__, "--lecturas"],
                capture_output=True,
                text=True,
                env={**os.environ, "DATABASE_URL": url},
            )
            r = next(
                (
                    json.loads(x[len(MARCA_LECTURAS) :])
                    for x in proceso.stdout.splitlines()
                    if x.startswith(MARCA_LECTURAS)
                ),
                None,
            )
            if r is None:
                print(f"    {base}: falló la medición: {(proceso.stderr or proceso.stdout).strip()[-1500:]}")
                continue
            print(
                f"    {base}: ORM {r['orm'] * 1e6:6.0f} µs, SQL compilada (raw) {r['compilada'] * 1e6:6.0f} µs "
                f"(x{r['orm'] / r['compilada']:.2f}); mismas filas campo por campo: "
                f"{_cumple(r['iguales'])}"
            )


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--hijo":
        hijo(int(sys.argv[2]))
    elif sys.argv[1:] == ["--tiempos"]:
        tiempos_alternados()
    elif sys.argv[1:] == ["--lecturas"]:
        lecturas()
    else:
        main()
