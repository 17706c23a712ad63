"""The board of a capturista who files for 200 contratistas, 6 periods each (issue 16): server time of the page.

Seeds one capturista with 200 active relaciones and, for every contratista and period of the board, an
informativa in one of the board's states (none, en captura, pendiente de firma, presentada, presentada
extemporánea, presentada with a complementaria in progress), bulk inserted. Then requests the page through
Django's test client (every middleware, the session, the query and the template) a number of times and prints
the median wall time and the median CPU time of the process per request, with the machine's load average: on a
shared machine the wall time is the CPU time times the contention. Also prints the queries of one request.
Target: under 150 ms. Prints figures only; timing is never asserted.

Run it alone with ``BENCH_SOLO=bench/bench_tablero.py scripts/bench.sh``.
"""

from __future__ import annotations

import os
import secrets
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "icsoe.settings_test")

CONTRATISTAS = int(os.environ.get("BENCH_TABLERO_CONTRATISTAS", "200"))
VECES = 30
OBJETIVO_MS = 150.0
CORRIDA = secrets.token_hex(2).upper()  # per run: never trips over an earlier run's rows


def _sembrar():
    from django.utils import timezone

    from accounts.models import User
    from capturistas.models import Relacion
    from contratistas.models import Contratista
    from informativas.models import Informativa
    from informativas.periodos import hoy
    from informativas.tablero.services import periodos_del_tablero

    capturista = User.objects.create_user(
        username=f"BENCH{CORRIDA}DESPACHO", rol=User.Rol.CAPTURISTA, curp=f"BENCH{CORRIDA}DESPACHO",
        nombre_completo="CAPTURISTA DEL DESPACHO", email="despacho@example.com", password="!",
    )
    usuarios = User.objects.bulk_create(
        User(username=f"B{CORRIDA}{i:06d}AB", rol=User.Rol.CONTRATISTA, rfc=f"B{CORRIDA}{i:06d}AB", password="!")
        for i in range(CONTRATISTAS)
    )
    contratistas = Contratista.objects.bulk_create(
        Contratista(usuario=u, rfc=u.rfc, razon_social=f"CONTRATISTA {i:03d} DEL DESPACHO SA DE CV", tipo_persona="moral")
        for i, u in enumerate(usuarios)
    )
    Relacion.objects.bulk_create(
        Relacion(contratista=c, capturista=capturista, estatus=Relacion.Estatus.ACTIVA, telefono="5512345678",
                 correo="despacho@example.com")
        for c in contratistas
    )
    ahora = timezone.now()
    filas, complementarias, folio = [], [], 0
    for i, contratista in enumerate(contratistas):
        for j, periodo in enumerate(periodos_del_tablero(hoy=hoy())):
            caso = (i + j) % 6
            if caso == 0:
                continue  # sin iniciar
            base = {"contratista": contratista, "anio": periodo.anio, "cuatrimestre": periodo.cuatrimestre, "tipo": "NORMAL"}
            if caso == 1:
                filas.append(Informativa(**base))
            elif caso == 2:
                filas.append(Informativa(**base, estatus="PENDIENTE_FIRMA"))
            else:
                folio += 1
                presentada = Informativa(
                    **base, estatus="PRESENTADA", extemporanea=caso == 4, folio_definitivo=f"N{CORRIDA}{folio:07d}",
                    fecha_presentacion=ahora,
                )
                filas.append(presentada)
                if caso == 5:
                    complementarias.append(presentada)
    Informativa.objects.bulk_create(filas, batch_size=1000)
    Informativa.objects.bulk_create(
        (
            Informativa(contratista_id=p.contratista_id, anio=p.anio, cuatrimestre=p.cuatrimestre, tipo="CORRECCION",
                        informativa_origen=p)
            for p in complementarias
        ),
        batch_size=1000,
    )
    return capturista, len(filas) + len(complementarias)


def main() -> None:
    import django

    django.setup()
    from django.db import connection
    from django.test import Client

    capturista, informativas = _sembrar()
    cliente = Client()
    cliente.force_login(capturista)
    url = "/informativas/tablero/"
    primera = cliente.get(url)  # warm-up (templates, the session's first write)
    assert primera.status_code == 200, primera.status_code
    consultas: list[str] = []

    def contar(ejecutar, sql, params, many, context):
        consultas.append(sql)
        return ejecutar(sql, params, many, context)

    with connection.execute_wrapper(contar):
        respuesta = cliente.get(url)
    filas = respuesta.content.decode().count('<th scope="row"')
    pared, cpu = [], []
    for _ in range(VECES):
        inicio, inicio_cpu = time.perf_counter(), time.process_time()
        cliente.get(url)
        pared.append((time.perf_counter() - inicio) * 1000)
        cpu.append((time.process_time() - inicio_cpu) * 1000)
    filtrado = []
    for _ in range(VECES):
        inicio = time.perf_counter()
        cliente.get(url, {"estado": "borrador", "vence_en": "30"})
        filtrado.append((time.perf_counter() - inicio) * 1000)

    mediana, mediana_cpu = statistics.median(pared), statistics.median(cpu)
    carga = os.getloadavg()
    print(f"Tablero de {filas} contratistas x 6 periodos ({informativas:,} informativas, {len(respuesta.content) / 1024:.0f} KiB de HTML)")
    print(f"  consultas SQL por petición: {len(consultas)} (sesión, usuario, la tabla, días inhábiles)")
    print(f"  mediana: {mediana:.1f} ms de reloj, {mediana_cpu:.1f} ms de CPU del proceso; peor: {max(pared):.1f} ms ({VECES} veces)")
    print(f"  con filtros (estado y vence en): mediana {statistics.median(filtrado):.1f} ms de reloj")
    print(f"  carga de la máquina (1, 5, 15 min): {carga[0]:.1f} {carga[1]:.1f} {carga[2]:.1f} (máquina compartida)")
    cumple = "CUMPLE" if mediana < OBJETIVO_MS else ("CUMPLE en CPU" if mediana_cpu < OBJETIVO_MS else "NO CUMPLE")
    print(f"  objetivo < {OBJETIVO_MS:.0f} ms de servidor: {cumple}")


if __name__ == "__main__":
    main()
