"""The load scenario (locust, headless, driven from Python) against a running portal on loopback.

    python bench/load/correr.py http://127.0.0.1:PORT SEMBRADO.json [--usuarios 50,100] [--segundos 20]
        [--repeticiones 3] [--proceso gunicorn=PID --proceso postgres=PID ...]

Three phases, all at the same number of concurrent users:
  1. salud     GET /salud/ in a closed loop (no think time): the ceiling of this machine for a Django view
               that touches the database. 1b, for reference: the same view with a contratista's session, the
               ceiling of any page of a logged-in user (session and user are read before the view runs).
  2. bandeja   contratistas opening the bandeja in a closed loop: its throughput against the ceiling.
               Phases 1, 1b and 2 are measured the same way: same user class, users, warm-up (not measured)
               and duration.
  3. jornada   the deadline-day mix with think time: capturistas logging in with CURP + password and
               selecting their contratista, contratistas (session seeded) opening the bandeja, saving wizard
               steps, uploading a 3,000-row carga masiva and storing it, and downloading acuses. Its start
               (every user logging in at once; Argon2id costs about 30 ms of CPU per login) is reported apart
               from the steady state that follows with every user in.
Prints requests per second, p50/p95/p99 latency and errors per kind of request, the targets, and where the
CPU went in each phase (locust shares the machine's cores with the portal): the portal's processes given with
--proceso (each with its children), locust itself, and everything else on the machine.
"""

from __future__ import annotations

# locust patches the standard library with gevent: it must come first.
from locust import FastHttpUser, HttpUser, between, constant, task  # isort: skip
from locust.env import Environment  # isort: skip
from locust.exception import StopUser  # isort: skip

import argparse
import collections
import itertools
import json
import os
import re
import statistics
import sys
import time
from pathlib import Path

import gevent

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tests.informativas.datos import csv_trabajadores  # noqa: E402

CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
CARGA = {
    campo: re.compile(rf'data-carga="{campo}">([^<]*)<')
    for campo in ("estatus", "aceptados", "guardados", "mensaje")
}
FILAS_CARGA = 3000
FILAS_CARGA_TEXTO = f"{FILAS_CARGA:,}"  # as the carga's page writes it (core.textos.miles)
ESPERA_CARGA = 90  # seconds a carga may take to be checked, and again to be stored
SEMBRADO: dict = {}
ARCHIVOS: list[bytes] = []
ARCHIVOS_POR_SERIE = 20
CONTADOR = itertools.count()
SESIONES = itertools.count()
CARGAS_POR_CONTRATO: collections.Counter = collections.Counter()
ENTRADOS = {"n": 0}  # users of phase 3 that finished logging in


def _csrf(html: str) -> str:
    encontrado = CSRF.search(html)
    return encontrado.group(1) if encontrado else ""


def _campo_carga(html: str, campo: str) -> str:
    encontrado = CARGA[campo].search(html or "")
    return encontrado.group(1).strip() if encontrado else ""


def _falla(r, nombre: str, texto: str | None = None) -> None:
    """Marks the response failed, saying why: the status, and for a 200 without the expected text, the page
    it ended on (a redirect to the login form answers 200 too)."""
    motivo = f"{nombre}: {r.status_code}"
    if texto and r.status_code == 200:
        motivo += f" sin «{texto}» (página final {getattr(r, 'url', '?')})"
    r.failure(motivo)


def _contratista_y_sesion() -> tuple[dict, str]:
    """Each simulated contratista gets its own seeded session, as each real user has its own."""
    n = next(SESIONES)
    contratistas = SEMBRADO["contratistas"]
    datos = contratistas[n % len(contratistas)]
    return datos, datos["sesiones"][(n // len(contratistas)) % len(datos["sesiones"])]


def _cookie(nombre: str, valor: str, host: str):
    from http.cookiejar import Cookie
    from urllib.parse import urlparse

    dominio = urlparse(host).hostname
    return Cookie(
        0, nombre, valor, None, False, dominio, False, False, "/", True, False, None, False, None, None, {}
    )


# ----------------------------------------------------------------------------------------------------------
# Phase 1 and 2: closed loops
# ----------------------------------------------------------------------------------------------------------
class Salud(FastHttpUser):
    wait_time = constant(0)

    @task
    def salud(self) -> None:
        with self.client.get("/salud/", name="salud (vista trivial)", catch_response=True) as r:
            if r.status_code != 200 or '"ok"' not in (r.text or ""):
                _falla(r, "salud", '"ok"')


class _ConSesion(FastHttpUser):
    abstract = True
    wait_time = constant(0)

    def on_start(self) -> None:
        _, sesion = _contratista_y_sesion()
        self.client.cookiejar.set_cookie(_cookie(SEMBRADO["cookie"], sesion, self.host))


class SaludConSesion(_ConSesion):
    """The trivial view for a logged-in contratista: what any page with a session costs before its own work."""

    @task
    def salud(self) -> None:
        with self.client.get("/salud/", name="salud con sesión (referencia)", catch_response=True) as r:
            if r.status_code != 200 or '"ok"' not in (r.text or ""):
                _falla(r, "salud con sesión", '"ok"')


class BandejaContratista(_ConSesion):
    @task
    def bandeja(self) -> None:
        with self.client.get("/informativas/", name="bandeja", catch_response=True) as r:
            if r.status_code != 200 or "Bandeja de trabajo" not in (r.text or ""):
                _falla(r, "bandeja", "Bandeja de trabajo")


# ----------------------------------------------------------------------------------------------------------
# Phase 3: the deadline-day mix
# ----------------------------------------------------------------------------------------------------------
class _Portal(HttpUser):
    abstract = True
    wait_time = between(0.5, 1.5)

    def on_start(self) -> None:
        try:
            self.entrar()
        finally:
            ENTRADOS["n"] += 1  # also when its login failed (it stops): the start is over for this user

    def entrar(self) -> None:
        raise NotImplementedError

    def _ok(self, r, nombre: str, *, codigos=(200,), texto: str | None = None) -> bool:
        if r.status_code not in codigos or (texto and texto not in r.text):
            _falla(r, nombre, texto)
            return False
        r.success()
        return True

    def _fallo(self, nombre: str, mensaje: str, inicio: float) -> None:
        """A failure that is no single response (a carga that never finished, or was refused)."""
        self.environment.events.request.fire(
            request_type="CARGA",
            name=nombre,
            response_time=(time.monotonic() - inicio) * 1000,
            response_length=0,
            exception=AssertionError(mensaje),
            context={},
        )

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
            if self._ok(r, "paso: guardar", codigos=(302,)) and "/captura/" not in r.headers.get(
                "Location", ""
            ):
                r.failure(f"paso: guardar: redirigió a {r.headers.get('Location')} y no al siguiente paso")

    @task(1)
    def carga_masiva(self) -> None:
        """Upload, wait for the check, confirm, wait for the storing: all 3,000 rows must be stored."""
        informativa, contrato = self.datos["contratos"][next(CONTADOR) % len(self.datos["contratos"])]
        # Never the same file twice in one contrato: its rows would be refused as duplicates.
        archivo = ARCHIVOS[CARGAS_POR_CONTRATO[contrato] % len(ARCHIVOS)]
        CARGAS_POR_CONTRATO[contrato] += 1
        inicio = time.monotonic()
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
            if not self._ok(r, "carga: subir", codigos=(302,)) or "/cargas/" not in r.headers.get(
                "Location", ""
            ):
                r.failure(f"carga: subir: {r.status_code} hacia {r.headers.get('Location')}")
                return
            pagina = r.headers["Location"]
        if not self._esperar(pagina, inicio):
            return
        if not (html := self._resultado(pagina, estatus="Validada", cuenta="aceptados")):
            return
        with self.client.post(
            pagina + "confirmar/",
            {"csrfmiddlewaretoken": _csrf(html)},
            name="carga: confirmar",
            allow_redirects=False,
            catch_response=True,
        ) as r:
            if not self._ok(r, "carga: confirmar", codigos=(302,)):
                return
            destino = r.headers.get("Location", "")
        if destino.rstrip("/") == pagina.rstrip("/") and not self._esperar(pagina, inicio):
            return  # stored by a task: wait for it too
        if not self._resultado(pagina, estatus="Guardada", cuenta="guardados"):
            return
        self.environment.events.request.fire(
            request_type="CARGA",
            name="carga: completa (subir → guardada)",
            response_time=(time.monotonic() - inicio) * 1000,
            response_length=0,
            exception=None,
            context={},
        )

    def _resultado(self, pagina: str, *, estatus: str, cuenta: str) -> str | None:
        """The carga's page when it shows that estatus with every row of the file in that count, else a
        failure saying what it shows."""
        with self.client.get(pagina, name="carga: resultado", catch_response=True) as r:
            if not self._ok(r, "carga: resultado"):
                return None
            visto, numero = _campo_carga(r.text, "estatus"), _campo_carga(r.text, cuenta)
            if visto != estatus or numero != FILAS_CARGA_TEXTO:
                r.failure(
                    f"carga: «{visto}» con {numero or 0} {cuenta} de {FILAS_CARGA} (se esperaba «{estatus}»): "
                    f"{_campo_carga(r.text, 'mensaje')}"
                )
                return None
            return r.text

    def _esperar(self, pagina: str, inicio: float) -> bool:
        """Polls the progress fragment (as htmx does, every second) until the carga leaves processing; a carga
        still processing after ESPERA_CARGA seconds is a failure."""
        fin = time.monotonic() + ESPERA_CARGA
        while time.monotonic() < fin:
            with self.client.get(pagina + "progreso/", name="carga: progreso", catch_response=True) as r:
                if not self._ok(r, "carga: progreso"):
                    return False
                if r.headers.get("HX-Refresh"):
                    return True
            gevent.sleep(1)
        self._fallo("carga: espera", f"la carga seguía en proceso tras {ESPERA_CARGA} s", inicio)
        return False

    @task(2)
    def acuse(self) -> None:
        url = self.datos["acuses"][next(CONTADOR) % len(self.datos["acuses"])]
        with self.client.get(url, name="acuse: descargar", catch_response=True) as r:
            if self._ok(r, "acuse: descargar") and not (
                r.headers.get("Content-Type") == "application/pdf" and r.content[:5] == b"%PDF-"
            ):
                r.failure(f"acuse: descargar: no es un PDF ({r.headers.get('Content-Type')})")


class Contratista(_Portal):
    weight = 1

    def entrar(self) -> None:
        self.datos, sesion = _contratista_y_sesion()
        self.client.cookies.set(SEMBRADO["cookie"], sesion)


class Capturista(_Portal):
    weight = 2

    def entrar(self) -> None:
        self.datos, _ = _contratista_y_sesion()
        with self.client.get("/acceso/", name="login: formulario", catch_response=True) as r:
            self._ok(r, "login: formulario")
            token = _csrf(r.text)
        with self.client.post(
            "/acceso/",
            {
                "csrfmiddlewaretoken": token,
                "login": self.datos["capturista"],
                "password": SEMBRADO["password"],
            },
            name="login: CURP y contraseña",
            allow_redirects=False,
            catch_response=True,
        ) as r:
            if not self._ok(r, "login", codigos=(302,)):
                raise StopUser()  # without a session every later request would fail for this reason alone
        url = f"/usuarios/seleccionar/{self.datos['code']}/"
        with self.client.get(url, name="seleccionar contratista", catch_response=True) as r:
            self._ok(r, "seleccionar contratista", texto=self.datos["rfc"])
            token = _csrf(r.text)
        with self.client.post(
            url,
            {"csrfmiddlewaretoken": token},
            name="seleccionar contratista: confirmar",
            allow_redirects=False,
            catch_response=True,
        ) as r:
            if not self._ok(r, "seleccionar: confirmar", codigos=(302,)):
                raise StopUser()


# ----------------------------------------------------------------------------------------------------------
# Where the CPU goes: /proc, for the portal's processes (with their children), locust and the machine
# ----------------------------------------------------------------------------------------------------------
TICK = os.sysconf("SC_CLK_TCK")


def _cpu_arbol(pid: int) -> float:
    """CPU seconds of a process and all its descendants (those still alive, plus those it has reaped)."""
    total, pendientes = 0, [pid]
    while pendientes:
        p = pendientes.pop()
        try:
            campos = Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += sum(int(x) for x in campos[11:15])  # utime, stime, cutime, cstime
        for hilo in Path(f"/proc/{p}/task").glob("*"):
            try:
                pendientes += [int(h) for h in (hilo / "children").read_text().split()]
            except OSError:
                pass
    return total / TICK


def _cpu_maquina() -> tuple[float, float]:
    """(busy, total) CPU seconds of the whole machine since boot."""
    valores = [int(x) for x in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    total = sum(valores[:8])
    return (total - valores[3] - valores[4]) / TICK, total / TICK


class Medicion:
    def __init__(self, procesos: dict[str, int]) -> None:
        self.procesos = procesos
        self.inicio = time.monotonic()
        self.carga_media = os.getloadavg()[0]
        self.servidor = {nombre: _cpu_arbol(pid) for nombre, pid in procesos.items()}
        self.locust = time.process_time()
        self.maquina = _cpu_maquina()

    def fin(self) -> dict:
        servidor = {nombre: _cpu_arbol(pid) - self.servidor[nombre] for nombre, pid in self.procesos.items()}
        ocupada, total = (a - b for a, b in zip(_cpu_maquina(), self.maquina, strict=True))
        locust = time.process_time() - self.locust
        return {
            "duracion": time.monotonic() - self.inicio,
            "servidor": servidor,
            "locust": locust,
            "ocupada": ocupada,
            "capacidad": total,
            "otros": max(0.0, ocupada - locust - sum(servidor.values())),
            "carga_media": (self.carga_media, os.getloadavg()[0]),
        }


# ----------------------------------------------------------------------------------------------------------
# Running the phases and printing the figures
# ----------------------------------------------------------------------------------------------------------
def _tabla(env: Environment, duracion: float) -> dict:
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
    return {"filas": filas, "errores": errores, "duracion": duracion}


def fase(
    host: str,
    clases: list,
    usuarios: int,
    segundos: float,
    procesos: dict[str, int],
    *,
    calentamiento: float = 0,
    esperar_entradas: bool = False,
) -> tuple[dict | None, dict]:
    """Starts every user at once, lets them warm up (or, with ``esperar_entradas``, log in) without measuring,
    then measures ``segundos``. Returns (the start, the measured part)."""
    env = Environment(user_classes=clases, host=host)
    runner = env.create_local_runner()
    ENTRADOS["n"] = 0
    inicio = time.monotonic()
    runner.start(usuarios, spawn_rate=usuarios)
    arranque = None
    if esperar_entradas:
        limite = inicio + 300
        while ENTRADOS["n"] < usuarios and time.monotonic() < limite:
            gevent.sleep(0.1)
        gevent.sleep(1)  # the first requests after the last login
        arranque = _tabla(env, time.monotonic() - inicio)
    else:
        gevent.sleep(calentamiento)
    env.stats.reset_all()
    medicion = Medicion(procesos)
    gevent.sleep(segundos)
    cpu = medicion.fin()
    resultado = _tabla(env, cpu["duracion"]) | {"cpu": cpu}
    runner.quit()
    return arranque, resultado


def imprimir(titulo: str, resultado: dict) -> None:
    print(f"\n--- {titulo} ({resultado['duracion']:.0f} s)")
    print(f"{'solicitud':<38}{'n':>7}{'rps':>9}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}{'errores':>9}")
    for nombre, f in resultado["filas"].items():
        if not f["n"] and not f["errores"]:
            continue  # a kind of request of the start only (logins), reset with the steady state
        print(
            f"{nombre:<38}{f['n']:>7}{f['rps']:>9.1f}{f['p50']:>9.0f}{f['p95']:>9.0f}{f['p99']:>9.0f}{f['errores']:>9}"
        )
    for error, veces in resultado["errores"].items():
        print(f"  error ({veces}x): {error[:200]}")
    if cpu := resultado.get("cpu"):
        n = sum(f["n"] for f in resultado["filas"].values()) or 1
        nucleos = cpu["capacidad"] / cpu["duracion"]
        servidor = " + ".join(f"{nombre} {1000 * s / n:.2f}" for nombre, s in cpu["servidor"].items())
        print(
            f"CPU ({nucleos:.0f} núcleos, {100 * cpu['ocupada'] / cpu['capacidad']:.0f}% ocupada; carga media "
            f"{cpu['carga_media'][0]:.1f} → {cpu['carga_media'][1]:.1f}): por solicitud, servidor {servidor} = "
            f"{1000 * sum(cpu['servidor'].values()) / n:.2f} ms; locust {1000 * cpu['locust'] / n:.2f} ms "
            f"({100 * cpu['locust'] / cpu['duracion']:.0f}% de un núcleo); otros procesos de la máquina "
            f"{100 * cpu['otros'] / cpu['capacidad']:.0f}% de la CPU"
        )


def _cpu_servidor_por_solicitud(resultado: dict) -> float:
    n = sum(f["n"] for f in resultado["filas"].values())
    return 1000 * sum(resultado["cpu"]["servidor"].values()) / n if n else 0.0


OBJETIVO_RAZON = 0.70  # bandeja / trivial view with a session, median of the repetitions
OBJETIVO_P95_MS = 150  # every kind of request of the deadline mix's steady state, at 50 users
# Not single requests: a whole carga (upload to stored) is timed as one flow, over many seconds by nature.
FLUJOS = {"carga: completa (subir → guardada)"}


def _razones(salud_sesion: dict, bandeja: dict) -> tuple[float, float]:
    """(rps ratio, server-CPU ratio) of the bandeja against the trivial view with a session."""
    techo = salud_sesion["filas"]["salud con sesión (referencia)"]["rps"]
    b = bandeja["filas"].get("bandeja", {"rps": 0})["rps"]
    cpu_sesion, cpu_bandeja = _cpu_servidor_por_solicitud(salud_sesion), _cpu_servidor_por_solicitud(bandeja)
    return (b / techo if techo else 0.0), (cpu_sesion / cpu_bandeja if cpu_bandeja else 0.0)


def escenario(args, usuarios: int, procesos: dict[str, int]) -> dict:
    """Every phase at ``usuarios`` concurrent users, phases 1b and 2 ``args.repeticiones`` times (alternated,
    so a busy moment of the machine falls on both), and the targets of that count."""
    cal = args.calentamiento
    print(f"\n=========== {usuarios} usuarios concurrentes")
    _, salud = fase(args.host, [Salud], usuarios, args.segundos, procesos, calentamiento=cal)
    imprimir("fase 1: vista trivial /salud/ (techo de la máquina), ciclo cerrado", salud)
    pares = []
    for n in range(1, args.repeticiones + 1):
        de = f" (repetición {n} de {args.repeticiones})" if args.repeticiones > 1 else ""
        _, salud_sesion = fase(
            args.host, [SaludConSesion], usuarios, args.segundos, procesos, calentamiento=cal
        )
        imprimir(
            f"fase 1b: la misma vista con sesión de contratista (referencia), ciclo cerrado{de}", salud_sesion
        )
        _, bandeja = fase(
            args.host, [BandejaContratista], usuarios, args.segundos, procesos, calentamiento=cal
        )
        imprimir(f"fase 2: bandeja, ciclo cerrado{de}", bandeja)
        pares.append((salud_sesion, bandeja))
    arranque, jornada = fase(
        args.host, [Contratista, Capturista], usuarios, args.segundos * 1.5, procesos, esperar_entradas=True
    )
    imprimir(f"fase 3a: jornada de cierre, arranque ({usuarios} usuarios entran a la vez)", arranque)
    imprimir("fase 3b: jornada de cierre, régimen (mezcla con tiempo de reflexión 0.5-1.5 s)", jornada)

    razones = [_razones(*par) for par in pares]
    rps, cpu = statistics.median(r[0] for r in razones), statistics.median(r[1] for r in razones)
    techo = salud["filas"]["salud (vista trivial)"]["rps"]
    medidas = [salud, *(r for par in pares for r in par), arranque, jornada]
    errores = sum(f["errores"] for r in medidas for f in r["filas"].values())
    print(f"\n--- objetivos con {usuarios} usuarios")
    for n, ((salud_sesion, bandeja), (r_rps, r_cpu)) in enumerate(zip(pares, razones, strict=True), 1):
        print(
            f"repetición {n}: bandeja {bandeja['filas'].get('bandeja', {'rps': 0})['rps']:.1f} rps / trivial con "
            f"sesión {salud_sesion['filas']['salud con sesión (referencia)']['rps']:.1f} rps = {r_rps:.0%}; CPU del "
            f"servidor por solicitud {_cpu_servidor_por_solicitud(salud_sesion):.2f} / "
            f"{_cpu_servidor_por_solicitud(bandeja):.2f} ms = {r_cpu:.0%}; carga media "
            f"{bandeja['cpu']['carga_media'][1]:.1f}, otros procesos "
            f"{100 * bandeja['cpu']['otros'] / bandeja['cpu']['capacidad']:.0f}% de la CPU"
        )
    print(
        f"bandeja / vista trivial con sesión, mediana de {len(razones)}: {rps:.0%} en rps "
        f"(objetivo >= {OBJETIVO_RAZON:.0%}: {'CUMPLE' if rps >= OBJETIVO_RAZON else 'NO CUMPLE'}), {cpu:.0%} en CPU "
        f"del servidor por solicitud ({'CUMPLE' if cpu >= OBJETIVO_RAZON else 'NO CUMPLE'}; locust no la afecta)"
    )
    print(
        f"referencia: vista trivial anónima {techo:.1f} rps, {_cpu_servidor_por_solicitud(salud):.2f} ms de CPU del "
        "servidor por solicitud"
    )
    lentas = {nombre: f["p95"] for nombre, f in jornada["filas"].items() if f["n"] and nombre not in FLUJOS}
    peores = sorted(lentas.items(), key=lambda x: -x[1])
    fuera = [f"{nombre} {p95:.0f} ms" for nombre, p95 in peores if p95 >= OBJETIVO_P95_MS]
    if usuarios <= 50:
        print(
            f"p95 de cada tipo de solicitud en la jornada (régimen): el mayor {peores[0][0]} {peores[0][1]:.0f} ms "
            f"(objetivo < {OBJETIVO_P95_MS} ms con 50 usuarios: "
            f"{'CUMPLE' if not fuera else 'NO CUMPLE: ' + ', '.join(fuera)})"
            if peores
            else "p95 en la jornada: sin solicitudes medidas (NO CUMPLE)"
        )
    else:
        print(
            "p95 de cada tipo de solicitud en la jornada (régimen; referencia, el objetivo es con 50 usuarios): "
            + ", ".join(f"{nombre} {p95:.0f} ms" for nombre, p95 in peores)
        )
    print(f"errores en todas las fases: {errores} (objetivo 0: {'CUMPLE' if errores == 0 else 'NO CUMPLE'})")
    return {
        "usuarios": usuarios,
        "rps": rps,
        "cpu": cpu,
        "errores": errores,
        "jornada": jornada,
        "fuera": fuera,
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("host")
    parser.add_argument("sembrado")
    parser.add_argument(
        "--usuarios", default="50", help="concurrent users; a list runs the scenario at each count: 50,100"
    )
    parser.add_argument("--segundos", type=float, default=20)
    parser.add_argument("--calentamiento", type=float, default=3)
    parser.add_argument(
        "--repeticiones",
        type=int,
        default=3,
        help="runs of phases 1b and 2; their ratio is judged on the median",
    )
    parser.add_argument(
        "--serie",
        type=int,
        default=0,
        help="another run on the same seeded contratos takes another series of worker files (0, 1, ...): the "
        "contratos keep the workers of the earlier runs, and the same file again would be refused as duplicates",
    )
    parser.add_argument(
        "--proceso",
        action="append",
        default=[],
        metavar="NOMBRE=PID",
        help="a process of the portal whose CPU (with its children) is counted",
    )
    args = parser.parse_args()
    cuentas = [int(u) for u in str(args.usuarios).split(",") if u.strip()]
    procesos = {nombre: int(pid) for nombre, pid in (p.split("=", 1) for p in args.proceso)}
    SEMBRADO.update(json.loads(Path(args.sembrado).read_text()))
    ARCHIVOS.extend(
        csv_trabajadores(FILAS_CARGA, inicio=(args.serie * ARCHIVOS_POR_SERIE + i) * FILAS_CARGA).encode()
        for i in range(ARCHIVOS_POR_SERIE)
    )
    print(
        f"carga de prueba: {', '.join(map(str, cuentas))} usuarios concurrentes, {args.segundos:.0f} s medidos por "
        f"fase (tras {args.calentamiento:.0f} s de calentamiento sin medir en las fases 1, 1b y 2); las fases 1b y "
        f"2 se repiten {args.repeticiones} veces y su razón se juzga por la mediana; {args.host}"
    )
    print(
        "contratistas: sesiones creadas por el sembrado (atajo de prueba; la e.firma se mide en bench_efirma.py); "
        "capturistas: formulario real de CURP y contraseña"
    )
    limite = os.environ.get("ICSOE_LOGIN_RATE_LIMIT")
    if limite:
        print(
            f"límite de inicios de sesión por dirección: {limite} SÓLO para esta prueba (todos los usuarios "
            "simulados llegan desde 127.0.0.1); en producción rige el valor por omisión, 30/m/ip"
        )
    acuses = sum(len(c["acuses"]) for c in SEMBRADO["contratistas"])
    print(f"descarga de acuses: {acuses} informativas presentadas con e.firma demo por el servicio real")
    inicio = time.monotonic()
    resumenes = [escenario(args, usuarios, procesos) for usuarios in cuentas]

    print(f"\n--- resumen ({(time.monotonic() - inicio) / 60:.1f} min)")
    nombres = sorted({n for r in resumenes for n, f in r["jornada"]["filas"].items() if f["n"]})
    print(
        f"{'jornada (régimen), p50 / p95 ms':<38}"
        + "".join(f"{str(r['usuarios']) + ' usuarios':>16}" for r in resumenes)
    )
    for nombre in nombres:
        celdas = []
        for r in resumenes:
            f = r["jornada"]["filas"].get(nombre)
            celdas.append(f"{f['p50']:.0f} / {f['p95']:.0f}" if f and f["n"] else "-")
        print(f"{nombre:<38}" + "".join(f"{c:>16}" for c in celdas))
    for r in resumenes:
        print(
            f"{r['usuarios']} usuarios: bandeja / trivial con sesión {r['rps']:.0%} en rps, {r['cpu']:.0%} en CPU "
            f"(mediana; objetivo >= {OBJETIVO_RAZON:.0%}), errores {r['errores']}"
        )


if __name__ == "__main__":
    main()
