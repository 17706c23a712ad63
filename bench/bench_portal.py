"""Baseline: how fast this machine renders the landing page through Django's test client on PostgreSQL."""

from __future__ import annotations

import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "icsoe.settings_test")


def main() -> None:
    import django

    django.setup()
    from django.test import Client

    client = Client()
    for _ in range(20):
        client.get("/")
    tiempos = []
    for _ in range(300):
        inicio = time.perf_counter()
        respuesta = client.get("/")
        tiempos.append((time.perf_counter() - inicio) * 1000)
        assert respuesta.status_code == 200
    tiempos.sort()
    print(f"página de inicio (cliente de pruebas, sin red): mediana {statistics.median(tiempos):.2f} ms, "
          f"p95 {tiempos[int(len(tiempos) * 0.95)]:.2f} ms, {len(tiempos)} solicitudes")


if __name__ == "__main__":
    main()
