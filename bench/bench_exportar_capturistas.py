"""Exportar excel of a contratista's capturistas at 1,000 and 10,000 relations: time per row and memory.

Each size gets its own contratista (bulk inserts). Per size: capturistas_exportar_xlsx writing the XLSX to a
temporary file as the view does (median wall and CPU time of a few runs), the view itself through Django's test
client (``/usuarios/exportar/``, its streamed FileResponse read to the end), and the Python memory peak
(tracemalloc) of the view, which runs the service. With openpyxl's write-only mode and a server-side cursor read LOTE_EXPORTACION rows at a
time, the peak must stay flat, not grow with the rows. Targets: time per row flat (the largest per-row time at
most twice the smallest), peak memory at 10,000 at most 1.5 times the peak at 1,000, and 10,000 rows in under
3 s. Prints figures only; timing is never asserted. The data it creates is removed at the end.
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

TAMANOS = (1_000, 10_000)
VECES = 3
OBJETIVO_S = 3.0  # the largest size
OBJETIVO_POR_FILA = 2.0
# "Flat": ten times the rows may cost at most this factor in peak memory (a list of rows would cost ~10x).
OBJETIVO_CRECIMIENTO = 1.5
# Per run, so a run never trips over the rows of an earlier one that could not be removed.
CORRIDA = secrets.token_hex(2).upper()
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _rfc(total: int) -> str:
    return f"X{CORRIDA}{TAMANOS.index(total)}101AB1"


def _prefijo(total: int) -> str:
    return f"BENCH{CORRIDA}{TAMANOS.index(total)}"


def _cumple(ok: bool) -> str:
    return "CUMPLE" if ok else "NO CUMPLE"


def _sembrar(total: int):
    from accounts.models import User
    from accounts.services import terminos_aceptar, terminos_vigentes
    from capturistas.models import Relacion
    from contratistas.services import contratista_obtener_o_crear

    contratista = contratista_obtener_o_crear(rfc=_rfc(total), razon_social="CONTRATISTA DE MEDICION SA DE CV")
    if terminos := terminos_vigentes():
        terminos_aceptar(usuario=contratista.usuario, terminos=terminos, ip=None)
    prefijo = _prefijo(total)
    usuarios = [
        User(
            username=f"{prefijo}{i:08d}",
            rol=User.Rol.CAPTURISTA,
            curp=f"{prefijo}{i:08d}",
            nombre_completo=f"PERSONA {i} APELLIDO UNO APELLIDO DOS",
            email=f"persona{i}@example.com",
            password="!",
        )
        for i in range(total)
    ]
    User.objects.bulk_create(usuarios, batch_size=2000)
    capturistas = User.objects.filter(username__startswith=prefijo).only("pk")
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
    """Removes what _sembrar created. The capturistas go in one DELETE each size: they were bulk-inserted and
    nothing else refers to them once their relations are gone (the database's foreign keys would refuse it
    otherwise); Django's cascade would look up every related table for each of the 11,000 users."""
    from django.db import DatabaseError, connection, transaction

    from accounts.models import User
    from contratistas.models import Contratista

    try:
        for total in TAMANOS:
            with transaction.atomic():
                contratista = Contratista.objects.filter(rfc=_rfc(total)).first()
                if contratista:
                    contratista.relaciones.all().delete()
                    usuario = contratista.usuario
                    contratista.delete()
                    usuario.delete()
                with connection.cursor() as cursor:
                    cursor.execute(
                        f"DELETE FROM {connection.ops.quote_name(User._meta.db_table)} WHERE username LIKE %s",
                        [_prefijo(total) + "%"],
                    )
    except DatabaseError as error:  # e.g. a model whose migration is not in this database yet
        print(f"  (no se pudieron borrar los datos de medición {CORRIDA}: {str(error).splitlines()[0]})")


def _servicio(contratista) -> tuple[float, float, int, int]:
    """(wall s, CPU s, rows, bytes) of capturistas_exportar_xlsx into a temporary file."""
    from capturistas.services import capturistas_exportar_xlsx

    with tempfile.TemporaryFile() as archivo:
        inicio, cpu = time.perf_counter(), time.process_time()
        filas = capturistas_exportar_xlsx(contratista=contratista, archivo=archivo)
        return time.perf_counter() - inicio, time.process_time() - cpu, filas, archivo.tell()


def _vista(cliente) -> tuple[float, float, int]:
    """(wall s, CPU s, bytes) of GET /usuarios/exportar/, its streamed body read to the end."""
    inicio, cpu = time.perf_counter(), time.process_time()
    respuesta = cliente.get("/usuarios/exportar/")
    assert respuesta.status_code == 200 and respuesta["Content-Type"] == XLSX, respuesta.status_code
    assert respuesta.streaming
    tamano = sum(len(bloque) for bloque in respuesta.streaming_content)
    respuesta.close()
    return time.perf_counter() - inicio, time.process_time() - cpu, tamano


def _pico(funcion, *args) -> int:
    tracemalloc.start()
    funcion(*args)
    _, pico = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return pico


def _medir(contratista, *, calentar: bool) -> dict:
    from django.test import Client

    cliente = Client()
    cliente.force_login(contratista.usuario)
    if calentar:
        _servicio(contratista)
        _vista(cliente)
    servicio = [_servicio(contratista) for _ in range(VECES)]
    vista = [_vista(cliente)]
    return {
        "filas": servicio[0][2],
        "kib": servicio[0][3] / 1024,
        "reloj": statistics.median(s[0] for s in servicio),
        "peor": max(s[0] for s in servicio),
        "peor_cpu": max(s[1] for s in servicio),
        "cpu": statistics.median(s[1] for s in servicio),
        "vista_reloj": vista[0][0],
        "vista_cpu": vista[0][1],
        "pico_vista": _pico(_vista, cliente),  # the service and the streamed response both
    }


def main() -> None:
    import django

    django.setup()

    try:
        resultados = [_medir(_sembrar(total), calentar=total == TAMANOS[0]) for total in TAMANOS]
    finally:
        _limpiar()

    print(f"Exportar excel de capturistas (el servicio a un archivo temporal, mediana de {VECES} veces; la vista por el "
          "cliente de pruebas, una vez, su respuesta leída hasta el final):")
    print("  filas  | XLSX     | servicio (reloj / CPU) | por fila (reloj / CPU) | vista (reloj / CPU) "
          "| por fila en la vista | pico de memoria de la vista")
    for r in resultados:
        print(
            f"  {r['filas']:>6,} | {r['kib']:5.0f} KiB | {r['reloj']:6.2f} s / {r['cpu']:5.2f} s "
            f"| {r['reloj'] / r['filas'] * 1e6:5.0f} µs / {r['cpu'] / r['filas'] * 1e6:4.0f} µs "
            f"| {r['vista_reloj']:5.2f} s / {r['vista_cpu']:5.2f} s "
            f"| {r['vista_reloj'] / r['filas'] * 1e6:5.0f} µs / {r['vista_cpu'] / r['filas'] * 1e6:4.0f} µs "
            f"| {r['pico_vista'] / 1024:5.0f} KiB"
        )
    chico, grande = resultados[0], resultados[-1]

    def _x(clave: str) -> float:
        por_fila = [r[clave] / r["filas"] for r in resultados]
        return max(por_fila) / min(por_fila)

    x_cpu, x_reloj, x_vista = _x("cpu"), _x("reloj"), _x("vista_cpu")
    print(
        f"  tiempo por fila plano, CPU: x{x_cpu:.2f} entre el mayor y el menor (objetivo ≤ x{OBJETIVO_POR_FILA:g}: "
        f"{_cumple(x_cpu <= OBJETIVO_POR_FILA)}); reloj: x{x_reloj:.2f} ({_cumple(x_reloj <= OBJETIVO_POR_FILA)}; "
        f"máquina compartida, carga {os.getloadavg()[0]:.1f}); la vista, CPU: x{x_vista:.2f} "
        f"({_cumple(x_vista <= OBJETIVO_POR_FILA)})"
    )
    crecimiento = grande["pico_vista"] / chico["pico_vista"]
    print(
        f"  memoria pico de la vista (servicio y respuesta) con {grande['filas']:,} filas: x{crecimiento:.2f} la de "
        f"{chico['filas']:,} (objetivo ≤ x{OBJETIVO_CRECIMIENTO}: {_cumple(crecimiento <= OBJETIVO_CRECIMIENTO)})"
    )
    print(
        f"  {grande['filas']:,} filas: peor {grande['peor']:.2f} s de reloj, {grande['peor_cpu']:.2f} s de CPU "
        f"(objetivo < {OBJETIVO_S:.0f} s: {_cumple(grande['peor'] < OBJETIVO_S)})"
    )


if __name__ == "__main__":
    main()
