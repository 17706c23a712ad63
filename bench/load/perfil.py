"""Per-request cost inside Django, without network, gunicorn or locust: CPU time of this process (the minimum
over several rounds, so other processes on the machine barely move it) and SQL queries, for the trivial view
(anonymous, and with a contratista's session) and for the bandeja, on the seeded bench database and settings.

    python bench/load/perfil.py SEMBRADO.json

It explains the load figures: the trivial view skips the session and the user, which every page of a
logged-in user pays before doing anything of its own.
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "icsoe.settings")

RONDAS, POR_RONDA = 7, 200


def main() -> None:
    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    sembrado = json.loads(Path(sys.argv[1]).read_text())
    anonimo = Client(HTTP_HOST="127.0.0.1")  # an address in ALLOWED_HOSTS, as gunicorn is reached
    con_sesion = Client(HTTP_HOST="127.0.0.1")
    con_sesion.cookies[sembrado["cookie"]] = sembrado["contratistas"][0]["sesiones"][0]
    casos = [
        ("vista trivial /salud/, anónimo", anonimo, "/salud/"),
        ("vista trivial /salud/, con sesión de contratista", con_sesion, "/salud/"),
        ("bandeja /informativas/", con_sesion, "/informativas/"),
    ]
    print(
        "costo por solicitud dentro de Django (CPU de este proceso, sin red; mínimo de "
        f"{RONDAS} rondas de {POR_RONDA})"
    )
    cpu = {}
    for nombre, cliente, url in casos:
        respuesta = cliente.get(url)  # warm: templates compiled, términos remembered in the session
        assert respuesta.status_code == 200, (url, respuesta.status_code)
        with CaptureQueriesContext(connection) as consultas:
            cliente.get(url)
        n_consultas = len(consultas.captured_queries)  # now: later requests reset the log it slices
        mejor = float("inf")
        for _ in range(RONDAS):
            inicio = time.process_time()
            for _ in range(POR_RONDA):
                cliente.get(url)
            mejor = min(mejor, (time.process_time() - inicio) / POR_RONDA * 1000)
        cpu[url, cliente is anonimo] = mejor
        print(
            f"  {nombre:<50} {mejor:6.2f} ms, {n_consultas} consultas SQL, {len(respuesta.content):,} bytes"
        )
    trivial, sesion, bandeja = cpu["/salud/", True], cpu["/salud/", False], cpu["/informativas/", False]
    print(
        f"  sesión y usuario (lo que paga toda página con sesión): {sesion - trivial:.2f} ms; lo propio de la "
        f"bandeja (filas y plantilla): {bandeja - sesion:.2f} ms; razón trivial/bandeja {trivial / bandeja:.0%}"
    )


if __name__ == "__main__":
    main()
