"""Contratos en bloque: 5,000 contratos from the XLSX template (each with its own contratante RFC), checked
row by row with the wizard's forms, the SAT registry and SEPOMEX looked up once for the workbook (phase one),
and stored all at once, folios as one block (phase two), on PostgreSQL. Target: under 10 s in total. Wall
time and the process's CPU time are printed per phase, with the statements each phase sent and the load
average (the machine may be shared).

BENCH_BLOQUE_CONTRATOS overrides the 5,000 (for a quick run on a busy machine)."""

from __future__ import annotations

import io
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "icsoe.settings_test")

CONTRATOS = int(os.environ.get("BENCH_BLOQUE_CONTRATOS", "5000"))
OBJETIVO_SEGUNDOS = 10.0
RFC_BENCH = "BEB010101AB9"


def _rfc(i: int) -> str:
    """A persona moral RFC with a valid check digit, unique per i."""
    from stdnum.mx import rfc

    base = f"{chr(66 + i // 676 % 24)}{chr(65 + i // 26 % 26)}{chr(65 + i % 26)}010101"
    for homoclave in ("A1", "B2", "C3", "D4", "E5", "F6", "G7", "H8", "J9", "K0"):
        for digito in "0123456789A":
            candidato = f"{base}{homoclave}{digito}"
            if rfc.is_valid(candidato, validate_check_digits=True):
                return candidato
    raise ValueError(i)


def main() -> None:
    import django

    django.setup()
    from django.conf import settings
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from openpyxl import Workbook

    from bench import comun
    from contratistas.models import Asentamiento, CodigoPostal, Estado, Municipio
    from informativas.bloque import services
    from informativas.models import Contrato

    if connection.vendor != "postgresql":
        print("contratos en bloque: este benchmark necesita PostgreSQL (make bench)")
        return
    settings.MEDIA_ROOT = tempfile.mkdtemp(prefix="bench-bloque-")
    comun.fases_en_este_proceso()  # measure the worker's services, not the queue
    informativa, _, usuario = comun.informativa_nueva(rfc=RFC_BENCH, razon_social="BENCHMARK BLOQUE SA DE CV")
    # One colonia of the SEPOMEX catalog: every fourth contratante gives a domicilio convencional in it.
    estado, _ = Estado.objects.get_or_create(clave="09", defaults={"nombre": "CIUDAD DE MÉXICO"})
    municipio, _ = Municipio.objects.get_or_create(
        estado=estado, clave="010", defaults={"nombre": "ÁLVARO OBREGÓN"}
    )
    cp, _ = CodigoPostal.objects.get_or_create(codigo="01000", defaults={"municipio": municipio})
    Asentamiento.objects.get_or_create(
        codigo_postal=cp, clave="0001", defaults={"nombre": "SAN ÁNGEL", "tipo": "Colonia"}
    )
    domicilio = {
        "domicilio_convencional_igual_fiscal": "No",
        "convencional-codigo_postal": "01000",
        "convencional-asentamiento": "San Ángel",
        "convencional-calle": "Avenida Revolución",
        "convencional-numero_exterior": "1500",
    }
    libro = Workbook(write_only=True)
    hoja = libro.create_sheet("Contratos")
    hoja.append([t for t, _ in services.COLUMNAS])
    for i in range(CONTRATOS):
        datos = {
            "rfc": _rfc(i),
            "razon_social": f"CLIENTE {i} SA DE CV",
            "confirmar_rfc": "No",
            "correo": f"c{i}@cliente.mx",
            "celular": "5511112222",
            "domicilio_social_igual_fiscal": "Sí",
            "domicilio_convencional_igual_fiscal": "Sí",
            "objeto": f"OC {i}",
            "registro_repse": "AR12345/2021",
            "servicio": "Limpieza industrial",
            "fecha_inicio": "01/02/2025",
            **(domicilio if i % 4 == 0 else {}),
        }
        hoja.append([datos.get(campo, "") for _, campo in services.COLUMNAS])
    salida = io.BytesIO()
    libro.save(salida)

    inicio, cpu = time.perf_counter(), time.process_time()
    with CaptureQueriesContext(connection) as sentencias_uno:
        carga = services.bloque_recibir(
            informativa=informativa,
            archivo=SimpleUploadedFile("contratos.xlsx", salida.getvalue()),
            usuario=usuario,
        )
        carga = comun.de_nuevo(carga)
    fase_uno, cpu_uno = time.perf_counter() - inicio, time.process_time() - cpu
    assert carga.aceptados == CONTRATOS, (carga.aceptados, carga.errores[:3], carga.mensaje)
    inicio, cpu = time.perf_counter(), time.process_time()
    with CaptureQueriesContext(connection) as sentencias_dos:
        carga = comun.de_nuevo(services.bloque_confirmar(carga=carga, usuario=usuario))
    fase_dos, cpu_dos = time.perf_counter() - inicio, time.process_time() - cpu
    assert carga.guardados == CONTRATOS
    assert Contrato.objects.filter(informativa=informativa).count() == CONTRATOS
    total = fase_uno + fase_dos
    print(
        f"contratos en bloque: {CONTRATOS:,} contratos ({(CONTRATOS + 3) // 4:,} con domicilio convencional) "
        f"en una plantilla XLSX de {len(salida.getvalue()) / 2**20:.1f} MB"
    )
    print(
        f"  fase uno (cada fila con los formularios de la captura, consultas de todo el libro a la vez): "
        f"{fase_uno:.2f} s, CPU {cpu_uno:.2f} s, {len(sentencias_uno.captured_queries)} sentencias SQL"
    )
    print(
        f"  fase dos (todos los contratos a la vez, folios en bloque, una transacción): "
        f"{fase_dos:.2f} s, CPU {cpu_dos:.2f} s, {len(sentencias_dos.captured_queries)} sentencias SQL"
    )
    print(
        f"  total: {total:.2f} s, CPU del proceso {cpu_uno + cpu_dos:.2f} s (objetivo < {OBJETIVO_SEGUNDOS:.0f} s: "
        f"{comun.cumple(total < OBJETIVO_SEGUNDOS)})"
    )
    print(f"  {comun.carga_de_la_maquina()}")


if __name__ == "__main__":
    main()
