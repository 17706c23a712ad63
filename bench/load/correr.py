"""The load scenario (locust, headless, driven from Python) against a running portal on loopback.

    python bench/load/correr.py http://127.0.0.1:PORT SEMBRADO.json [--usuarios 50] [--segundos 20]

Three phases, each bounded in time, all at the same number of concurrent users:
  1. salud     GET /salud/ in a closed loop (no think time): the ceiling of this machine for a Django view
               that touches the database.
  2. bandeja   contratistas opening the bandeja in a closed loop: its throughput against the ceiling.
  3. jornada   the deadline-day mix with think time: capturistas logging in with CURP + password and
               selecting their contratista, contratistas (session seeded) opening the bandeja, saving wizard
               steps, uploading a 3,000-row carga masiva and storing it, and downloading acuses when that URL
               exists. Latency per kind of request.
Prints requests per second, p50/p95/p99 latency and errors per kind of request, and the targets.
"""

from __future__ import annotations

# locust patches the standard library with gevent: it must come first.
from locust import FastHttpUser, HttpUser, between, constant, task  # isort: skip
from locust.env import Environment  # isort: skip

import argparse
import itertools
import json
import re
import sys
import time
from pathlib import Path

import gevent

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tests.informativas.datos import csv_trabajadores  # noqa: E402

CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
FILAS_CARGA = 3000
SEMBRADO: dict = {}
ARCHIVOS: list[bytes] = []
CONTADOR = itertools.count()
CONTRATISTAS = itertools.count()


def _csrf(html: str) -> str:
    encontrado = CSRF.search(html)
    return encontrado.group(1) if encontrado else ""


# ----------------------------------------------------------------------------------------------------------
# Phase 1 and 2: closed loops
# ----------------------------------------------------------------------------------------------------------
class Salud(FastHttpUser):
    wait_time = constant(0)

    @task
    def salud(self) -> None:
        self.client.get("/salud/", name="salud (vista trivial)")


class BandejaContratista(FastHttpUser):
    wait_time = constant(0)

    def on_start(self) -> None:
        datos = SEMBRADO["contratistas"][next(CONTRATISTAS) % len(SEMBRADO["contratistas"])]
        self.client.cookiejar.set_cookie(_cookie(SEMBRADO["cookie"], datos["sesion"], self.host))

    @task
    def bandeja(self) -> None:
        with self.client.get("/informativas/", name="bandeja", catch_response=True) as r:
            if r.status_code != 200 or "Bandeja de trabajo" not in (r.text or ""):
                r.failure(f"bandeja: {r.status_code}")


def _cookie(nombre: str, valor: str, host: str):
    from http.cookiejar import Cookie
    from urllib.parse import urlparse

    dominio = urlparse(host).hostname
    return Cookie(0, nombre, valor, None, False, dominio, False, False, "/", True, False, None, False, None, None, {})


# ----------------------------------------------------------------------------------------------------------
# Phase 3: the deadline-day mix
# ----------------------------------------------------------------------------------------------------------
class _Portal(HttpUser):
    abstract = True
    wait_time = between(0.5, 1.5)

    def on_start(self) -> None:
        self.datos = SEMBRADO["contratistas"][next(CONTRATISTAS) % len(SEMBRADO["contratistas"])]
        self.entrar()

    def entrar(self) -> None:
        raise NotImplementedError

    def _ok(self, r, nombre: str, *, codigos=(200,), texto: str | None = None) -> bool:
        if r.status_code not in codigos or (texto and texto not in r.text):
            r.failure(f"{nombre}: {r.status_code}")
            return False
        r.success()
        return True

    @task(10)
    def bandeja(self) -> None:
        with self.client.get("/informativas/", name="bandeja", catch_response=True) as r:
            self._ok(r, "bandeja", texto="Bandeja de trabajo")

    @task(4)
    def paso_guardar(self) -> None:
        code = self.datos["informativas"][next(CONTADOR) % len(self.datos["informativas"])]
        url = f"/informativas/{code}/captura/contratista/"
        with self.client.get(url, name="paso: abrir", catch_response=True) as r:
            if not self._ok(r, "paso: abrir"):
                return
            token = _csrf(r.text)
        with self.client.post(
            url,
            {"csrfmiddlewaretoken": token, "domicilio_convencional_igual_fiscal": "si"},
            name="paso: guardar",
            allow_redirects=False,
            catch_response=True,
        ) as r:
            self._ok(r, "paso: guardar", codigos=(302,))

    @task(1)
    def carga_masiva(self) -> None:
        n = next(CONTADOR)
        contratos = self.datos["contratos"]
        informativa, contrato = contratos[n % len(contratos)]
        archivo = ARCHIVOS[(n // len(contratos)) % len(ARCHIVOS)]
        paso = f"/informativas/{informativa}/contratos/{contrato}/captura/trabajadores/"
        with self.client.get(paso, name="carga: paso trabajadores", catch_response=True) as r:
            if not self._ok(r, "carga: paso trabajadores"):
                return
            token = _csrf(r.text)
        with self.client.post(
            f"/informativas/{informativa}/contratos/{contrato}/carga/",
            data={"csrfmiddlewaretoken": token},
            files={"archivo": ("trabajadores.csv", archivo, "text/csv")},
            name="carga: subir 3,000 filas",
            allow_redirects=False,
            catch_response=True,
        ) as r:
            if not self._ok(r, "carga: subir", codigos=(302,)):
                return
            pagina = r.headers["Location"]
        if not self._esperar(pagina, "Confirmar"):
            return
        with self.client.get(pagina, name="carga: resultado", catch_response=True) as r:
            if not self._ok(r, "carga: resultado"):
                return
            token = _csrf(r.text)
        with self.client.post(
            pagina + "confirmar/", {"csrfmiddlewaretoken": token}, name="carga: confirmar",
            allow_redirects=False, catch_response=True,
        ) as r:
            self._ok(r, "carga: confirmar", codigos=(302,))

    def _esperar(self, pagina: str, texto: str, limite: float = 30) -> bool:
        """Polls the progress fragment (as htmx does, every second) until the carga leaves processing."""
        fin = time.monotonic() + limite
        while time.monotonic() < fin:
            with self.client.get(pagina + "progreso/", name="carga: progreso", catch_response=True) as r:
                if not self._ok(r, "carga: progreso"):
                    return False
                if r.headers.get("HX-Refresh"):
                    return True
            gevent.sleep(1)
        return False

    @task(2)
    def acuse(self) -> None:
        if not self.datos.get("acuses"):
            return  # no acuse URL on this branch (issue 7) or no presented informativa: reported as skipped
        url = self.datos["acuses"][next(CONTADOR) % len(self.datos["acuses"])]
        with self.client.get(url, name="acuse: descargar", catch_response=True) as r:
            self._ok(r, "acuse: descargar")


class Contratista(_Portal):
    weight = 1

    def entrar(self) -> None:
        self.client.cookies.set(SEMBRADO["cookie"], self.datos["sesion"])


class Capturista(_Portal):
    weight = 2

    def entrar(self) -> None:
        with self.client.get("/acceso/", name="login: formulario", catch_response=True) as r:
            self._ok(r, "login: formulario")
            token = _csrf(r.text)
        with self.client.post(
            "/acceso/",
            {"csrfmiddlewaretoken": token, "login": self.datos["capturista"], "password": SEMBRADO["password"]},
            name="login: CURP y contraseña",
            allow_redirects=False,
            catch_response=True,
        ) as r:
            self._ok(r, "login", codigos=(302,))
        url = f"/usuarios/seleccionar/{self.datos['code']}/"
        with self.client.get(url, name="seleccionar contratista", catch_response=True) as r:
            self._ok(r, "seleccionar contratista")
            token = _csrf(r.text)
        with self.client.post(
            url, {"csrfmiddlewaretoken": token}, name="seleccionar contratista: confirmar",
            allow_redirects=False, catch_response=True,
        ) as r:
            self._ok(r, "seleccionar: confirmar", codigos=(302,))


# ----------------------------------------------------------------------------------------------------------
# Running the phases and printing the figures
# ----------------------------------------------------------------------------------------------------------
def fase(host: str, clases: list, usuarios: int, segundos: float) -> tuple[dict, float]:
    env = Environment(user_classes=clases, host=host)
    runner = env.create_local_runner()
    runner.start(usuarios, spawn_rate=usuarios)
    inicio = time.monotonic()
    gevent.sleep(segundos)
    runner.quit()
    duracion = time.monotonic() - inicio
    filas = {}
    for (nombre, metodo), entrada in sorted(env.stats.entries.items()):
        filas[nombre] = {
            "metodo": metodo,
            "n": entrada.num_requests,
            "errores": entrada.num_failures,
            "rps": entrada.num_requests / duracion,
            "p50": entrada.get_response_time_percentile(0.50),
            "p95": entrada.get_response_time_percentile(0.95),
            "p99": entrada.get_response_time_percentile(0.99),
        }
    errores = {f"{e.name}: {e.error}": e.occurrences for e in env.stats.errors.values()}
    return {"filas": filas, "errores": errores}, duracion


def imprimir(titulo: str, resultado: dict, duracion: float) -> None:
    print(f"\n--- {titulo} ({duracion:.0f} s)")
    print(f"{'solicitud':<38}{'n':>7}{'rps':>9}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}{'errores':>9}")
    for nombre, f in resultado["filas"].items():
        print(f"{nombre:<38}{f['n']:>7}{f['rps']:>9.1f}{f['p50']:>9.0f}{f['p95']:>9.0f}{f['p99']:>9.0f}{f['errores']:>9}")
    for error, veces in resultado["errores"].items():
        print(f"  error ({veces}x): {error[:160]}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("host")
    parser.add_argument("sembrado")
    parser.add_argument("--usuarios", type=int, default=50)
    parser.add_argument("--segundos", type=float, default=20)
    args = parser.parse_args()
    SEMBRADO.update(json.loads(Path(args.sembrado).read_text()))
    ARCHIVOS.extend(
        csv_trabajadores(FILAS_CARGA, inicio=i * FILAS_CARGA).encode() for i in range(20)
    )
    print(f"carga de prueba: {args.usuarios} usuarios concurrentes, {args.segundos:.0f} s por fase, {args.host}")
    print("contratistas: sesión creada en la base por el sembrado (atajo de prueba; la e.firma se mide en "
          "bench_efirma.py); capturistas: formulario real de CURP y contraseña")
    acuses = sum(len(c.get("acuses", [])) for c in SEMBRADO["contratistas"])
    if SEMBRADO.get("acuse_url") and acuses:
        print(f"descarga de acuses: ACTIVA ({SEMBRADO['acuse_url']}, {acuses} acuses)")
    else:
        print("descarga de acuses: OMITIDA (la URL de descarga de acuses no existe en esta rama o no hay acuses; "
              "se activa al integrar el issue 7)")

    salud, d1 = fase(args.host, [Salud], args.usuarios, args.segundos)
    imprimir("fase 1: vista trivial /salud/ (techo de la máquina), ciclo cerrado", salud, d1)
    bandeja, d2 = fase(args.host, [BandejaContratista], args.usuarios, args.segundos)
    imprimir("fase 2: bandeja, ciclo cerrado", bandeja, d2)
    jornada, d3 = fase(args.host, [Contratista, Capturista], args.usuarios, args.segundos * 1.5)
    imprimir("fase 3: jornada de cierre (mezcla con tiempo de reflexión 0.5-1.5 s)", jornada, d3)

    techo = salud["filas"]["salud (vista trivial)"]["rps"]
    b = bandeja["filas"].get("bandeja", {"rps": 0, "p95": 0, "errores": -1})
    jb = jornada["filas"].get("bandeja")
    razon = b["rps"] / techo if techo else 0
    errores = sum(f["errores"] for r in (salud, bandeja, jornada) for f in r["filas"].values())
    print("\n--- objetivos")
    print(f"bandeja {b['rps']:.1f} rps / vista trivial {techo:.1f} rps = {razon:.0%} "
          f"(objetivo >= 40%: {'CUMPLE' if razon >= 0.4 else 'NO CUMPLE'})")
    if jb and jb["n"]:
        print(f"bandeja p95 en la jornada con {args.usuarios} usuarios: {jb['p95']:.0f} ms "
              f"(objetivo < 150 ms: {'CUMPLE' if jb['p95'] < 150 else 'NO CUMPLE'})")
    else:
        print("bandeja p95 en la jornada: sin solicitudes medidas (NO CUMPLE)")
    print(f"bandeja p95 en ciclo cerrado con {args.usuarios} usuarios: {b['p95']:.0f} ms (referencia)")
    print(f"errores en las tres fases: {errores} (objetivo 0: {'CUMPLE' if errores == 0 else 'NO CUMPLE'})")


if __name__ == "__main__":
    main()
