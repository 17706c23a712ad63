"""The page behind a contratante's link (/expediente/<token>/, issue 25) under 50 users: p95 < 100 ms.

Seeds, through the real services, a presented Normal (signed with a demo e.firma, the portal's demo sello on
its acuse) with three contratantes, the one measured with 5 contratos and 300 trabajadores (the page shows its
contratos and the first 50 trabajadores), and a link to it. Starts gunicorn with production settings (DEBUG
off, as `scripts/bench.sh` starts it for the load scenario) on a free loopback port, and runs 50 users, each
a thread with its own keep-alive connection, opening the link and reading it, then thinking 0.5–1.5 s (the
load scenario's deadline mix waits the same), for ``BENCH_ENLACE_SEGUNDOS`` (20) measured seconds after 5 s
of warm-up. Every request is recorded as an access (an INSERT): that is part of what is measured.

Prints p50 / p95 / p99 and requests per second; the target is p95 < 100 ms. On the shared 2-core machine the
client threads take CPU from gunicorn too: judge the figure with the load average printed beside it.
"""

from __future__ import annotations

import http.client
import os
import random
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.request
from decimal import Decimal
from pathlib import Path

RAIZ = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(RAIZ))

# The settings gunicorn runs with in scripts/bench.sh's load scenario (production, DEBUG off).
ENTORNO = {
    "DJANGO_SETTINGS_MODULE": "icsoe.settings",
    "DEBUG": "false",
    "SECRET_KEY": "clave-solo-para-el-benchmark-0123456789-abcdefghijklmnopqrstuvwxyz",
    "ALLOWED_HOSTS": "127.0.0.1,localhost",
    "SECURE_SSL_REDIRECT": "false",
    "SESSION_COOKIE_SECURE": "false",
    "CSRF_COOKIE_SECURE": "false",
    "SECURE_HSTS_SECONDS": "0",
    "STATIC_MANIFEST": "false",
    "ICSOE_TRUST_TEST_CAS": "true",
    "CONN_MAX_AGE": "60",
    "LOG_LEVEL": "WARNING",
}
for _clave, _valor in ENTORNO.items():
    os.environ.setdefault(_clave, _valor)

USUARIOS = int(os.environ.get("BENCH_ENLACE_USUARIOS", "50"))
SEGUNDOS = float(os.environ.get("BENCH_ENLACE_SEGUNDOS", "20"))
CALENTAMIENTO = 5.0
TRABAJADORES = 300
CONTRATOS = 5
OBJETIVO_P95_MS = 100.0


def _cumple(ok: bool) -> str:
    return "CUMPLE" if ok else "NO CUMPLE"


def _percentil(valores: list[float], fraccion: float) -> float:
    ordenados = sorted(valores)
    return ordenados[min(len(ordenados) - 1, int(len(ordenados) * fraccion))]


def _rfc_contratista() -> str:
    """A fresh contratista each run (the bench database keeps earlier runs)."""
    from stdnum.mx import rfc

    base = f"ENL{random.randint(0, 999_999):06d}AB"
    return base + rfc.calc_check_digit(base)


def _sembrar() -> str:
    """A presented informativa with three contratantes and a link to the largest one's expediente: its token."""
    import datetime

    from accounts.services import terminos_aceptar, terminos_vigentes
    from contratistas.services import contratista_obtener_o_crear
    from firma.services import DEMO_PASSWORD, efirma_demo_emitir, sello_portal_demo_emitir
    from informativas.captura import services
    from informativas.enlaces import services as enlaces
    from informativas.periodos import Periodo
    from tests.efirma_sat import Efirma
    from tests.firma_navegador import firmar_informativa
    from tests.informativas.datos import curp, nss

    sello_portal_demo_emitir()
    contratista = contratista_obtener_o_crear(rfc=_rfc_contratista(), razon_social="EMPRESA DEL BENCHMARK SA DE CV")
    usuario = contratista.usuario
    if terminos := terminos_vigentes():
        terminos_aceptar(usuario=usuario, terminos=terminos, ip=None)
    contratista.correo = "bench@example.com"
    contratista.save(update_fields=["correo"])
    periodo = Periodo.de_fecha(datetime.date.today()).anterior
    informativa = services.informativa_crear(
        contratista=contratista, anio=periodo.anio, cuatrimestre=periodo.cuatrimestre, tipo="NORMAL", usuario=usuario
    )
    informativa = services.informativa_contratista_guardar(
        informativa=informativa, igual_fiscal=True, domicilio=None, usuario=usuario
    )
    clientes = [("CLI010101AB5", CONTRATOS), ("CLT020202CD7", 1), ("GAPA800101ABA", 1)]
    siguiente = 0
    for rfc, contratos in clientes:
        for c in range(contratos):
            contrato = services.contrato_crear(
                informativa=informativa,
                usuario=usuario,
                contratante=services.DatosContratante(
                    rfc=rfc, razon_social=f"CLIENTE {rfc}", correo="compras@cliente.mx", celular="5511112222",
                    domicilio_social_igual_fiscal=True, domicilio_convencional_igual_fiscal=True,
                ),
            )
            services.contrato_actualizar(
                contrato=contrato, objeto=f"Pedido {c}", registro_repse="AR12345/2021", servicio="Limpieza",
                fecha_inicio=periodo.inicio, fecha_termino=None, usuario=usuario,
            )
            cuantos = TRABAJADORES // CONTRATOS if rfc == "CLI010101AB5" else 2
            for _ in range(cuantos):
                services.trabajador_agregar(
                    contrato=contrato, nss=nss(700_000 + siguiente), curp=curp(700_000 + siguiente),
                    sbc=Decimal("452.37"), usuario=usuario,
                )
                siguiente += 1
    services.informativa_contratos_declarados_guardar(
        informativa=informativa, numero=informativa.contratos.count(), usuario=usuario
    )
    informativa = services.informativa_enviar_a_firma(informativa=informativa, usuario=usuario)
    cer, key = efirma_demo_emitir(rfc=contratista.rfc, nombre=contratista.razon_social)
    informativa = firmar_informativa(informativa, Efirma(cer, key, DEMO_PASSWORD, contratista.rfc), usuario=usuario)
    return enlaces.enlace_crear(informativa=informativa, rfc="CLI010101AB5", usuario=usuario).token


def _puerto_libre() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _gunicorn(puerto: int) -> subprocess.Popen:
    trabajadores = (os.cpu_count() or 1) * 2 + 1
    proceso = subprocess.Popen(
        [str(RAIZ / ".venv" / "bin" / "gunicorn"), "icsoe.wsgi:application", "--bind", f"127.0.0.1:{puerto}",
         "--workers", str(trabajadores), "--log-level", "warning"],
        cwd=RAIZ, env=os.environ.copy(),
    )
    for _ in range(150):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{puerto}/salud/", timeout=1)
            return proceso
        except OSError:
            time.sleep(0.2)
    proceso.terminate()
    raise SystemExit("gunicorn no respondió")


def _usuario(puerto: int, ruta: str, esperado: bytes, fin: float, inicio_medido: float, tiempos: list, errores: list) -> None:
    conexion = http.client.HTTPConnection("127.0.0.1", puerto, timeout=30)
    azar = random.Random()
    time.sleep(azar.uniform(0, 1.0))  # users arrive spread over the first second
    while time.monotonic() < fin:
        inicio = time.monotonic()
        try:
            conexion.request("GET", ruta)
            respuesta = conexion.getresponse()
            cuerpo = respuesta.read()
            ok = respuesta.status == 200 and esperado in cuerpo
        except (OSError, http.client.HTTPException):
            conexion.close()
            conexion = http.client.HTTPConnection("127.0.0.1", puerto, timeout=30)
            ok = False
        transcurrido = time.monotonic() - inicio
        if inicio >= inicio_medido:
            (tiempos if ok else errores).append(transcurrido * 1000)
        time.sleep(azar.uniform(0.5, 1.5))
    conexion.close()


def main() -> None:
    import django

    django.setup()
    from django.urls import reverse

    inicio_siembra = time.perf_counter()
    token = _sembrar()
    ruta = reverse("enlace:expediente", args=[token])
    print(f"  sembrado en {time.perf_counter() - inicio_siembra:.1f} s: {TRABAJADORES} trabajadores en {CONTRATOS} contratos")
    _perfil(ruta)
    puerto = _puerto_libre()
    gunicorn = _gunicorn(puerto)
    try:
        # The same load on /salud/ (one SELECT 1) first: this machine's ceiling at that moment, for reference.
        referencia, _ = _carga(puerto, "/salud/", b"")
        tiempos, errores = _carga(puerto, ruta, b"Expediente de")
    finally:
        gunicorn.terminate()
        gunicorn.wait(timeout=30)
    carga = os.getloadavg()[0]
    if referencia:
        print(f"  referencia /salud/, {USUARIOS} usuarios: mediana {statistics.median(referencia):.1f} ms, "
              f"p95 {_percentil(referencia, 0.95):.1f} ms")
    if not tiempos:
        print(f"  página de la liga: ninguna respuesta correcta ({len(errores)} errores) (NO CUMPLE)")
        return
    p95 = _percentil(tiempos, 0.95)
    print(
        f"  página de la liga (/expediente/<token>/), {USUARIOS} usuarios, {SEGUNDOS:.0f} s: {len(tiempos)} solicitudes, "
        f"{len(tiempos) / SEGUNDOS:.1f} por segundo, {len(errores)} errores; mediana {statistics.median(tiempos):.1f} ms, "
        f"p99 {_percentil(tiempos, 0.99):.1f} ms (carga de la máquina {carga:.1f})"
    )
    print(f"  p95 {p95:.1f} ms (objetivo < {OBJETIVO_P95_MS:.0f} ms con {USUARIOS} usuarios: {_cumple(p95 < OBJETIVO_P95_MS)})")


def _perfil(ruta: str) -> None:
    """CPU of one request inside Django (test client, no network), median of 30 after 10 to warm up;
    BENCH_ENLACE_PERFIL=1 prints where it goes."""
    from django.test import Client

    cliente = Client(HTTP_HOST="127.0.0.1")
    for _ in range(10):
        cliente.get(ruta)
    cpu = []
    for _ in range(30):
        inicio = time.process_time()
        assert cliente.get(ruta).status_code == 200
        cpu.append((time.process_time() - inicio) * 1000)
    print(f"  una solicitud dentro de Django (sin red): CPU mediana {statistics.median(cpu):.2f} ms")
    if os.environ.get("BENCH_ENLACE_PERFIL"):
        import cProfile
        import pstats

        perfil = cProfile.Profile()
        perfil.enable()
        for _ in range(20):
            cliente.get(ruta)
        perfil.disable()
        pstats.Stats(perfil).sort_stats(os.environ["BENCH_ENLACE_PERFIL"] if os.environ["BENCH_ENLACE_PERFIL"] != "1" else "tottime").print_stats(45)


def _carga(puerto: int, ruta: str, esperado: bytes) -> tuple[list[float], list[float]]:
    """``USUARIOS`` users on ``ruta`` for the warm-up and the measured seconds: (times, errors) in ms."""
    tiempos: list[float] = []
    errores: list[float] = []
    ahora = time.monotonic()
    inicio_medido, fin = ahora + CALENTAMIENTO, ahora + CALENTAMIENTO + SEGUNDOS
    hilos = [
        threading.Thread(target=_usuario, args=(puerto, ruta, esperado, fin, inicio_medido, tiempos, errores), daemon=True)
        for _ in range(USUARIOS)
    ]
    for hilo in hilos:
        hilo.start()
    for hilo in hilos:
        hilo.join()
    return tiempos, errores

if __name__ == "__main__":
    main()
