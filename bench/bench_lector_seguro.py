"""The second security review's bombs against the one reader of untrusted files (``core.lector_seguro``), in
the reading process, and the carga masiva's 100,000-row XLSX read in streaming:

1. Contratos en bloque: 40 rows whose three Sí/No cells point at one 1 MB shared string (the review: +829 MB
   in the web process). Refused by the cell cap; beside it, the same workbook read as before, every cell kept
   (what the rows and their error rows held).
2. The renamed shared strings: 60 MB of strings in ``xl/cadenas.xml`` (named by ``[Content_Types].xml``), a
   13 MB upload. Refused from the ZIP's directories; beside it, openpyxl opening it unchecked.
3. Overlapping entries: a 190 KB payroll ZIP whose 150 central-directory entries point at one 10 MB stream.
   Refused from the directories; beside it, each entry inflated as an interpreter without the CVE-2024-0450
   check does (1.5 GB, read a block at a time so only the time shows).
4. The carga masiva's XLSX of 100,000 workers, read in streaming and checked (``motor.leer`` + ``revisar``);
   beside it, the same workbook loaded whole (openpyxl without read-only mode).
5. The web request: each of the three bombs posted to its upload page (Django's test client, a logged-in
   contratista, the real broker and no worker), in a fresh process: the request only stores the file and
   queues phase one, so it reads none of it whatever it holds.

Each line: wall time, the growth of the process's peak resident set (kernel) and the peak of Python's
allocations (tracemalloc). Figures are indicative (the machine may be shared); nothing is asserted.
BENCH_LECTOR_SIN_COMPARAR=1 skips the "as before" readings (the slow half).
"""

from __future__ import annotations

import io
import os
import sys
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "icsoe.settings_test")

MB = 1024 * 1024
COMPARAR = not os.environ.get("BENCH_LECTOR_SIN_COMPARAR")


def _medir(titulo: str, funcion: Callable[[], str], *, rastrear: bool = True) -> None:
    from bench.comun import pico_mb

    rss_antes = pico_mb()
    if rastrear:
        tracemalloc.start()
    inicio = time.perf_counter()
    resultado = funcion()
    segundos = time.perf_counter() - inicio
    pico = tracemalloc.get_traced_memory()[1] / MB if rastrear else float("nan")
    if rastrear:
        tracemalloc.stop()
    print(f"  {titulo}")
    print(f"    {resultado[:150]}")
    print(
        f"    tiempo {segundos * 1000:,.0f} ms · crecimiento del pico residente {pico_mb() - rss_antes:,.1f} MB"
        + (f" · pico de asignaciones (tracemalloc) {pico:,.1f} MB" if rastrear else "")
    )


def _bloque(comparar: bool) -> None:
    from informativas.bloque import services as bloque
    from tests.security.bombas import poco_comprimible, xlsx_con_cadenas

    gigante = poco_comprimible(MB).decode()
    base = {campo: "" for _, campo in bloque.COLUMNAS}
    base.update(confirmar_rfc=gigante, domicilio_social_igual_fiscal=gigante)
    base.update(domicilio_convencional_igual_fiscal=gigante, rfc="CLI010101AB5")
    fila = [base[campo] for _, campo in bloque.COLUMNAS]
    datos = xlsx_con_cadenas([[t for t, _ in bloque.COLUMNAS]] + [fila] * 40)
    print(f"1. Contratos en bloque: {len(datos) / 1024:,.0f} KB, 40 filas × 3 celdas → una cadena de 1 MB")

    def leer() -> str:
        try:
            filas = list(bloque.leer(datos))
        except bloque.BloqueError as error:
            return "rechazado: " + error.mensaje
        return f"LEÍDO (no debía): {len(filas)} filas"

    if not comparar:
        _medir("lector_seguro (bloque.leer)", leer)
    else:
        from openpyxl import load_workbook

        def como_antes() -> str:
            import json

            libro = load_workbook(io.BytesIO(datos), read_only=True, data_only=True)
            # What phase one kept before: every cell as text, each Sí/No error with its whole value, and the
            # errors saved as the carga's JSON (the result page showed them all).
            filas = [[str(v).strip() if v is not None else "" for v in r] for r in libro.worksheets[0].iter_rows(values_only=True)]
            errores = [[n, "Sí/No", c, "Escribe Sí o No."] for n, f in enumerate(filas[1:], 2) for c in f if len(c) > 1000]
            libro.close()
            guardado = json.dumps(errores)
            return f"como antes: {len(filas) - 1} filas, {len(errores)} errores, {len(guardado) / MB:,.0f} MB de JSON guardado"

        _medir("sin tope de celda (como antes)", como_antes)


def _renombrada(comparar: bool) -> None:
    from informativas.carga import motor
    from tests.security.bombas import xlsx_cadenas_renombradas

    datos = xlsx_cadenas_renombradas([["NSS", "CURP", "SBC"]])
    print(f"2. Cadenas compartidas en xl/cadenas.xml: {len(datos) / MB:,.1f} MB que declaran 60 MB")

    def leer() -> str:
        try:
            _, filas = motor.leer(datos, "renombrada.xlsx")
            list(filas)
        except motor.CargaEstructuraError as error:
            return "rechazado: " + error.mensaje
        return "LEÍDO (no debía)"

    if not comparar:
        _medir("lector_seguro (motor.leer)", leer)
    else:
        from openpyxl import load_workbook

        def como_antes() -> str:
            libro = load_workbook(io.BytesIO(datos), read_only=True, data_only=True)
            filas = list(libro.worksheets[0].iter_rows(values_only=True))
            libro.close()
            return f"como antes (openpyxl sin la revisión por tipo de contenido): {len(filas)} filas leídas"

        _medir("sin revisar [Content_Types].xml (como antes)", como_antes)


def _solapada(comparar: bool) -> None:
    import zipfile

    from informativas.nomina import cfdi
    from informativas.nomina import services as nomina
    from tests.security.bombas import zip_nomina_solapado

    datos = zip_nomina_solapado(150)
    print(f"3. Entradas superpuestas: ZIP de {len(datos) / 1024:,.0f} KB, 150 entradas sobre un flujo de 10 MB")

    def leer() -> str:
        try:
            list(cfdi.cfdis_del_zip(io.BytesIO(datos), limites=nomina.limites()))
        except cfdi.NominaEstructuraError as error:
            return "rechazado: " + error.mensaje
        return "LEÍDO (no debía)"

    if not comparar:
        _medir("lector_seguro (cfdi.cfdis_del_zip)", leer)
    elif "_end_offset" not in zipfile.ZipInfo.__slots__:

        def como_antes() -> str:
            total = 0
            with zipfile.ZipFile(io.BytesIO(datos)) as zf:
                for info in zf.infolist():
                    with zf.open(info) as entrada:
                        while bloque := entrada.read(MB):
                            total += len(bloque)
            return f"como antes (este intérprete no trae la corrección de CVE-2024-0450): {total / MB:,.0f} MB inflados"

        _medir("sin revisar superposiciones (como antes)", como_antes, rastrear=False)


def _libro_100000() -> bytes:
    from openpyxl import Workbook

    from tests.informativas.datos import curp, nss

    libro = Workbook(write_only=True)
    hoja = libro.create_sheet()
    hoja.append(["NSS", "CURP", "SBC"])
    for i in range(100_000):
        hoja.append([nss(i), curp(i), 450.5])
    salida = io.BytesIO()
    libro.save(salida)
    return salida.getvalue()


def _carga_en_proceso(modo: str) -> None:
    """One reading of the 100,000-row workbook, from a file on disk, in this fresh process: its peak resident
    set grows from the interpreter's and Django's, nothing else held before."""
    from informativas.carga import motor

    ruta = Path(sys.argv[3])

    def leer() -> str:
        with ruta.open("rb") as archivo:
            _, filas = motor.leer(archivo, "trabajadores.xlsx")
            if modo == "lectura":
                return f"{sum(1 for _ in filas):,} filas leídas"
            resultado = motor.revisar(filas, nss_existentes=set(), curp_existentes=set())
        return f"{resultado.total:,} filas revisadas, {resultado.num_aceptadas:,} aceptadas"

    def completo() -> str:
        from openpyxl import load_workbook

        libro = load_workbook(ruta, data_only=True)
        return f"{sum(1 for _ in libro.worksheets[0].iter_rows(values_only=True)):,} filas leídas"

    titulos = {
        "lectura": "en streaming, solo la lectura (motor.leer)",
        "revision": "en streaming, leída y revisada (motor.leer + revisar: NSS, CURP, SBC, repetidos)",
        "completo": "el libro completo en memoria (load_workbook sin read_only), solo la lectura",
    }
    # VmHWM, not getrusage: Linux keeps ru_maxrss across exec, so a child would start at its parent's peak.
    antes = _vmhwm_mb()
    inicio = time.perf_counter()
    resultado = (completo if modo == "completo" else leer)()
    segundos = time.perf_counter() - inicio
    print(f"  {titulos[modo]}")
    print(f"    {resultado}")
    print(
        f"    tiempo {segundos * 1000:,.0f} ms · pico residente del proceso {_vmhwm_mb():,.0f} MB "
        f"(crece {_vmhwm_mb() - antes:,.1f} MB al leer)"
    )


def _vmhwm_mb() -> float:
    for linea in Path("/proc/self/status").read_text().splitlines():
        if linea.startswith("VmHWM:"):
            return int(linea.split()[1]) / 1024
    return float("nan")


def _carga_100000(comparar: bool) -> None:
    import subprocess
    import tempfile

    datos = _libro_100000()
    print(f"4. Carga masiva XLSX de 100,000 trabajadores ({len(datos) / MB:,.1f} MB), cada lectura en su proceso")
    with tempfile.NamedTemporaryFile(suffix=".xlsx") as archivo:
        archivo.write(datos)
        archivo.flush()
        for modo in ("completo",) if comparar else ("lectura", "revision"):
            subprocess.run([sys.executable, __file__, "--carga", modo, archivo.name], check=True)


def _web_en_proceso() -> None:
    """Each bomb through its upload view, as the web process receives it (Django's WSGI handler, the body read
    from a file as a server hands it over): the request's time and the peak of its Python allocations, and the
    upload's state afterwards (stored, not read). The process's peak resident set is printed too, but this
    process built the bombs, so its peak was already above what a request adds."""
    # A first round on another contratista pays the first uploads' imports (the broker's client among them).
    for rfc, medir in (("BLT010101AB1", False), ("BLS010101AB1", True)):
        _web_ronda(rfc, medir)


def _web_ronda(rfc: str, medir: bool) -> None:
    import tempfile

    from django.core.handlers.wsgi import WSGIHandler
    from django.test import Client
    from django.test.client import BOUNDARY
    from django.urls import reverse

    from accounts.services import terminos_aceptar, terminos_pendientes
    from bench.comun import informativa_nueva
    from informativas.bloque import services as bloque
    from informativas.bloque.models import CargaContratos
    from informativas.models import CargaMasiva
    from informativas.nomina.models import ImportacionNomina
    from tests.security.bombas import (
        poco_comprimible,
        xlsx_cadenas_renombradas,
        xlsx_con_cadenas,
        zip_nomina_solapado,
    )

    informativa, (contrato,), usuario = informativa_nueva(
        rfc=rfc, razon_social="BENCH LECTOR SA DE CV", contratantes=[("CLI010101AB5", "CLIENTE SA DE CV")]
    )
    if vigentes := terminos_pendientes(usuario=usuario):
        terminos_aceptar(usuario=usuario, terminos=vigentes, ip=None)
    cliente = Client()
    cliente.force_login(usuario)
    gigante = poco_comprimible(MB).decode()
    fila = {campo: "" for _, campo in bloque.COLUMNAS}
    fila.update(confirmar_rfc=gigante, domicilio_social_igual_fiscal=gigante, rfc="CLI010101AB5")
    fila.update(domicilio_convencional_igual_fiscal=gigante)
    libro_bloque = xlsx_con_cadenas([[t for t, _ in bloque.COLUMNAS]] + [[fila[c] for _, c in bloque.COLUMNAS]] * 40)
    codigos = {"code": informativa.code}
    casos = (
        ("Contratos en bloque, celdas de 1 MB", "informativas:bloque_subir", codigos, "archivo",
         ("bloque.xlsx", libro_bloque), CargaContratos),
        ("carga masiva, xl/cadenas.xml de 60 MB", "informativas:carga_subir",
         {**codigos, "contrato_code": contrato.code}, "archivo",
         ("renombrada.xlsx", xlsx_cadenas_renombradas([["NSS", "CURP", "SBC"]])), CargaMasiva),
        ("Importar nómina, 150 entradas superpuestas", "informativas:nomina_subir", codigos, "archivos",
         ("nomina.zip", zip_nomina_solapado(150)), ImportacionNomina),
    )
    handler = WSGIHandler()
    for titulo, nombre, kwargs, campo, (archivo, datos), modelo in casos:
        url = reverse(nombre, kwargs=kwargs)
        cliente.get(reverse("informativas:bloque_subir", kwargs=codigos))  # the CSRF cookie
        galletas = "; ".join(f"{clave}={galleta.value}" for clave, galleta in cliente.cookies.items())
        with tempfile.TemporaryFile() as cuerpo:
            # The body read from a file, as a server hands it over (the test client would hold a copy in this
            # process), written in pieces so that no copy raises the process's peak before the request.
            cuerpo.write(
                f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{campo}"; filename="{archivo}"\r\n'
                "Content-Type: application/octet-stream\r\n\r\n".encode()
            )
            cuerpo.write(datos)
            cuerpo.write(f"\r\n--{BOUNDARY}--\r\n".encode())
            longitud = cuerpo.tell()
            cuerpo.seek(0)
            entorno = {
                "REQUEST_METHOD": "POST", "PATH_INFO": url, "SCRIPT_NAME": "", "QUERY_STRING": "",
                "SERVER_NAME": "testserver", "SERVER_PORT": "80", "HTTP_HOST": "testserver",
                "REMOTE_ADDR": "127.0.0.1", "wsgi.url_scheme": "http", "wsgi.input": cuerpo,
                "wsgi.errors": sys.stderr, "wsgi.version": (1, 0), "CONTENT_LENGTH": str(longitud),
                "CONTENT_TYPE": f"multipart/form-data; boundary={BOUNDARY}", "HTTP_COOKIE": galletas,
                "HTTP_X_CSRFTOKEN": cliente.cookies["csrftoken"].value,
            }
            estados: list[str] = []
            antes = _vmhwm_mb()
            tracemalloc.start()
            inicio = time.perf_counter()
            respuesta = handler(entorno, lambda estado, cabeceras, exc_info=None, e=estados: e.append(estado))
            respuesta.close()
            segundos = time.perf_counter() - inicio
            asignado = tracemalloc.get_traced_memory()[1] / MB
            tracemalloc.stop()
        dueno = {"contrato": contrato} if modelo is CargaMasiva else {"informativa": informativa}
        ultima = modelo.objects.filter(**dueno).order_by("-created_at").first()
        estado = ultima.get_estatus_display() if ultima else "sin registro"
        if not medir:
            continue
        print(
            f"  {titulo} ({len(datos) / 1024:,.0f} KB): respuesta {estados[0][:3]}, la subida queda "
            f"«{estado}»; tiempo {segundos * 1000:,.0f} ms · pico de asignaciones de la solicitud (tracemalloc) "
            f"{asignado:,.1f} MB · el pico residente del proceso crece {_vmhwm_mb() - antes:,.1f} MB (ya incluía "
            "armar las bombas aquí mismo)"
        )


def main() -> None:
    import django

    django.setup()
    from bench.comun import carga_de_la_maquina

    print(carga_de_la_maquina())
    # The reader's figures first: the process's peak resident set only grows, so the readings "as before"
    # (which hold hundreds of MB) come after, each beside the same file.
    for comparar in (False, True) if COMPARAR else (False,):
        print("— como antes, para comparar —" if comparar else "— core.lector_seguro —")
        _bloque(comparar)
        _renombrada(comparar)
        _solapada(comparar)
        _carga_100000(comparar)
    import subprocess

    print("5. La solicitud web que recibe cada bomba (Django con el broker real y sin worker), en su proceso")
    subprocess.run([sys.executable, __file__, "--web"], check=True)


if __name__ == "__main__":
    if sys.argv[1:2] == ["--web"]:
        import django

        django.setup()
        _web_en_proceso()
    elif sys.argv[1:2] == ["--carga"]:
        import django

        django.setup()
        _carga_en_proceso(sys.argv[2])
    else:
        main()
