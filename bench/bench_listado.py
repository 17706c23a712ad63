"""The listado público of a national month (issue 25): 263,000 contratos presented in one month.

Seeds contratistas (half personas morales, half físicas) with presented informativas of 10 contratos each, all
presented in one month no earlier run used, bulk inserted in batches. Then builds that month's listado through
the service the beat task and the command call (rows read in chunks, the workbook written streamed) and prints
its wall time, the process's peak memory before and after, the file's size, and checks the file opened back:
its row count and that no RFC of the month is in it. Targets: < 60 s and < 300 MB peak. Prints figures only.

Run it alone with ``BENCH_SOLO=bench/bench_listado.py scripts/bench.sh``.
"""

from __future__ import annotations

import datetime
import io
import os
import secrets
import sys
import time
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "icsoe.settings_test")

CONTRATOS = int(os.environ.get("BENCH_LISTADO_CONTRATOS", "263000"))
POR_INFORMATIVA = 10
PERIODOS = [(anio, c) for anio in range(2021, 2026) for c in (1, 2, 3)]  # 15 per contratista
OBJETIVO_S, OBJETIVO_MB = 60.0, 300.0
CORRIDA = secrets.token_hex(2).upper()  # per run: never trips over an earlier run's rows
LOTE = 5000


def _mes_libre() -> datetime.date:
    """A month between 1970 and 2019 with no filing presented in it (earlier runs keep theirs)."""
    from informativas.listado import services

    indice = int(CORRIDA, 16) % 600
    while True:
        mes = datetime.date(1970 + indice // 12, indice % 12 + 1, 1)
        if not services._presentadas_en(mes).exists():
            return mes
        indice = (indice + 1) % 600


def _sembrar(mes: datetime.date) -> set[str]:
    from accounts.models import User
    from contratistas.models import Contratista
    from informativas.models import Contrato, Informativa

    informativas_total = -(-CONTRATOS // POR_INFORMATIVA)
    contratistas_total = -(-informativas_total // len(PERIODOS))
    rfcs = [
        f"M{CORRIDA}{i:05d}AB" if i % 2 == 0 else f"F{CORRIDA}{i:06d}AB" for i in range(contratistas_total)
    ]
    usuarios = User.objects.bulk_create(
        (User(username=rfc, rol=User.Rol.CONTRATISTA, rfc=rfc, password="!") for rfc in rfcs), batch_size=LOTE
    )
    contratistas = Contratista.objects.bulk_create(
        (
            Contratista(usuario=u, rfc=u.rfc, razon_social=f"CONTRATISTA {i:05d} DE SERVICIOS SA DE CV",
                        tipo_persona="moral" if len(u.rfc) == 12 else "fisica")
            for i, u in enumerate(usuarios)
        ),
        batch_size=LOTE,
    )
    presentada_el = datetime.datetime.combine(mes, datetime.time(9), tzinfo=ZoneInfo("America/Mexico_City"))
    contratantes = {f"CLI{CORRIDA}{i:04d}A" if i % 3 else f"CL{CORRIDA}{i:05d}A" for i in range(500)}
    lista_contratantes = sorted(contratantes)
    creados = 0
    for inicio in range(0, informativas_total, LOTE // POR_INFORMATIVA):
        lote = []
        for n in range(inicio, min(inicio + LOTE // POR_INFORMATIVA, informativas_total)):
            contratista = contratistas[n // len(PERIODOS)]
            anio, cuatrimestre = PERIODOS[n % len(PERIODOS)]
            lote.append(Informativa(
                contratista=contratista, anio=anio, cuatrimestre=cuatrimestre, tipo="NORMAL", estatus="PRESENTADA",
                folio_definitivo=f"B{CORRIDA}{n:08d}", fecha_presentacion=presentada_el + datetime.timedelta(seconds=n),
                num_contratos=POR_INFORMATIVA,
            ))
        Informativa.objects.bulk_create(lote)
        contratos = []
        for informativa in lote:
            for k in range(min(POR_INFORMATIVA, CONTRATOS - creados)):
                creados += 1
                contratos.append(Contrato(
                    informativa=informativa, folio=f"C{k:03d}",
                    contratante_rfc=lista_contratantes[creados % len(lista_contratantes)],
                    contratante_razon_social=f"CLIENTE {creados % 500:03d} SA DE CV",
                    contratante_correo="compras@cliente.example.mx", contratante_celular="5511112222",
                    objeto="OC 4500012345", servicio="Servicio especializado de limpieza industrial",
                    fecha_inicio=datetime.date(2021, 2, 1), num_trabajadores=k + 1,
                ))
        Contrato.objects.bulk_create(contratos)
    return set(rfcs) | contratantes


def main() -> None:
    import django

    django.setup()
    from openpyxl import load_workbook

    from bench.comun import carga_de_la_maquina, cumple, pico_mb
    from informativas.listado import services

    mes = _mes_libre()
    inicio = time.perf_counter()
    rfcs = _sembrar(mes)
    sembrado = time.perf_counter() - inicio
    pico_antes = pico_mb()

    inicio, inicio_cpu = time.perf_counter(), time.process_time()
    listado = services.listado_construir(mes=mes)
    segundos, cpu = time.perf_counter() - inicio, time.process_time() - inicio_cpu
    pico = pico_mb()

    hoja = load_workbook(io.BytesIO(listado.contenido), read_only=True).worksheets[0]
    filas, con_rfc = 0, 0
    for fila in hoja.iter_rows(min_row=2, values_only=True):
        filas += 1
        con_rfc += any(valor in rfcs for valor in fila if isinstance(valor, str))
    print(f"Listado público de {mes:%Y-%m}: {listado.filas:,} contratos ({CONTRATOS:,} sembrados en {sembrado:.0f} s)")
    print(f"  construido en {segundos:.1f} s de reloj, {cpu:.1f} s de CPU del proceso; archivo de {len(listado.contenido) / 1024 / 1024:.1f} MB")
    print(f"  memoria: pico del proceso {pico:.0f} MB (antes de construirlo: {pico_antes:.0f} MB)")
    print(f"  abierto de nuevo: {filas:,} filas, {con_rfc} con un RFC")
    print(f"  {carga_de_la_maquina()}")
    print(f"  objetivo < {OBJETIVO_S:.0f} s: {cumple(segundos < OBJETIVO_S)}; < {OBJETIVO_MB:.0f} MB: {cumple(pico < OBJETIVO_MB)}")
    if filas != CONTRATOS or con_rfc:
        raise SystemExit("el listado no tiene las filas esperadas o contiene un RFC")


if __name__ == "__main__":
    main()
