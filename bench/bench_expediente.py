"""The expediente of one contratante (issue 25) with 3,000 trabajadores: the sealed constancia (WeasyPrint, QR,
PAdES), the workbook and the manifest, built and stored through the portal's own service, on a presented
informativa that also names other contratantes. Target: < 2 s and < 150 MB peak. Prints figures only.

Each build runs in a process of its own, as a web worker would, and prints what its peak is made of: Django
and the portal's URLs, each library the build loads, a first small expediente (fonts, templates, the sello),
and the build itself. Then the same for 1,000 and 9,000 trabajadores: how the build grows."""

from __future__ import annotations

import datetime
import os
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "icsoe.settings_test")

TRABAJADORES = 3000
CONTRATOS_DEL_CONTRATANTE = 3
# How the build grows: RFC -> (contratos, trabajadores), beside RFC_CONTRATANTE's; and one small contratante per
# process, on which each process loads WeasyPrint, its fonts and pyHanko before the build it measures.
CRECIMIENTO = {"MIL010101AB1": (1, 1000), "NUE010101AB1": (3, 9000)}
PEQUENOS = ("OTR010101AB1", "TER010101AB1", "CUA010101AB1")
OBJETIVO_S, OBJETIVO_MB = 2.0, 150.0
RFC_BENCH = "BAC010101AB1"
RFC_CONTRATANTE = "GRA010101AB1"
PASSWORD = "12345678a"


def _informativa(usuario, contratista):
    """A Normal pending signature: the contratante's contratos with TRABAJADORES trabajadores, those of
    CRECIMIENTO, and the PEQUENOS with a contrato of 50 each (built in bulk)."""
    from django.core.exceptions import ValidationError

    from informativas.captura import services
    from informativas.folios import folio_contrato
    from informativas.models import Contrato, Trabajador
    from tests.informativas.datos import curp, nss

    hoy = datetime.date(2026, 6, 1)
    informativa = None
    for anio, cuatrimestre in ((a, c) for a in range(2025, 2020, -1) for c in (1, 2, 3)):
        try:
            informativa = services.informativa_crear(
                contratista=contratista, anio=anio, cuatrimestre=cuatrimestre, tipo="NORMAL", usuario=usuario, hoy=hoy
            )
            break
        except ValidationError:
            continue
    if informativa is None:
        raise SystemExit("expediente: no hay periodo libre; usa una base de datos nueva (make bench)")
    services.informativa_contratista_guardar(informativa=informativa, igual_fiscal=True, domicilio=None, usuario=usuario)
    tamanos = {RFC_CONTRATANTE: (CONTRATOS_DEL_CONTRATANTE, TRABAJADORES), **CRECIMIENTO, **{r: (1, 50) for r in PEQUENOS}}
    rfcs = [rfc for rfc, (n_contratos, _) in tamanos.items() for _ in range(n_contratos)]
    contratos = Contrato.objects.bulk_create(
        [
            Contrato(
                informativa=informativa,
                folio=folio_contrato(anio=informativa.anio, cuatrimestre=informativa.cuatrimestre),
                contratante_rfc=rfc,
                contratante_razon_social=f"CONTRATANTE {rfc} SA DE CV",
                contratante_correo="compras@cliente.example.mx",
                contratante_celular="5511112222",
                domicilio_social_igual_fiscal=True,
                domicilio_convencional_igual_fiscal=True,
                objeto=f"Orden de compra {4500000000 + i}",
                registro_repse="AR12345/2021",
                servicio="Servicio especializado de limpieza industrial",
                fecha_inicio=informativa.periodo.inicio,
            )
            for i, rfc in enumerate(rfcs)
        ]
    )
    filas, n = [], 0
    for contrato in contratos:
        n_contratos, n_trabajadores = tamanos[contrato.contratante_rfc]
        for _ in range(n_trabajadores // n_contratos):
            n += 1
            filas.append(Trabajador(contrato=contrato, nss=nss(n), curp=curp(n), sbc=Decimal("452.37") + n % 900))
    Trabajador.objects.bulk_create(filas, batch_size=2000)
    for contrato in contratos:
        Contrato.objects.filter(pk=contrato.pk).update(num_trabajadores=contrato.trabajadores.count())
    services.informativa_contratos_declarados_guardar(informativa=informativa, numero=len(contratos), usuario=usuario)
    return services.informativa_enviar_a_firma(informativa=informativa, usuario=usuario, hoy=hoy)


def _ajustes(directorio: Path) -> None:
    """The settings ``bench_acuse._configurar`` left in the parent (its sello and media), in this process."""
    from django.conf import settings

    settings.ICSOE_VAR_DIR = directorio / "var"
    settings.MEDIA_ROOT = directorio / "media"
    settings.ICSOE_TRUST_TEST_CAS = True
    settings.ICSOE_SIGNING_CERT = str(directorio / "sello" / "portal.cer")
    settings.ICSOE_SIGNING_KEY = str(directorio / "sello" / "portal.key")


def pico_mb() -> float:
    """This process's peak resident set (VmHWM), in MB. Not getrusage's ru_maxrss, which survives the exec
    from the parent: this process would report the parent's peak, which built and signed the informativa."""
    for linea in Path("/proc/self/status").read_text().splitlines():
        if linea.startswith("VmHWM:"):
            return int(linea.split()[1]) / 1024
    return 0.0


# What a process holds before it builds, step by step: (label, what loads it). Each library is imported as the
# build imports it; a web worker has the URLs and the template libraries from its first request.
PASOS = (
    ("las URL y las bibliotecas de plantillas del portal", "_urls_y_plantillas"),
    ("openpyxl (con lxml y Pillow)", "openpyxl"),
    ("WeasyPrint (con fontTools, cffi y Pango)", "weasyprint"),
    ("pyHanko (con asn1crypto, su validador y aiohttp)", "pyhanko.sign.signers"),
)


def _urls_y_plantillas() -> None:
    from django.template import engines
    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018 (loading it is the point)
    engines["django"].engine.template_libraries  # noqa: B018


def construir(directorio: Path, informativa_pk: int, rfc: str, pequeno: str) -> None:
    """In a process of its own, as a web worker would: the peak memory is the expediente's, not the setup's.
    Prints one JSON line with its figures for the parent."""
    import importlib
    import json

    from informativas.expediente import services
    from informativas.models import Informativa

    _ajustes(directorio)
    composicion = [("Django y los módulos del portal", pico_mb())]
    for etiqueta, modulo in PASOS:
        if modulo.startswith("_"):
            globals()[modulo]()
        else:
            importlib.import_module(modulo)
        composicion.append((etiqueta, pico_mb()))
    informativa = Informativa.objects.get(pk=informativa_pk)
    # The fonts, the templates and the sello, once, on a small contratante (not what is timed).
    services.expediente_de(informativa=informativa, rfc=pequeno)
    composicion.append(("un primer expediente pequeño (fuentes, plantillas, el sello)", pico_mb()))
    inicio, cpu = time.perf_counter(), time.process_time()
    expediente = services.expediente_de(informativa=informativa, rfc=rfc, usuario=informativa.contratista.usuario)
    segundos, cpu = time.perf_counter() - inicio, time.process_time() - cpu
    composicion.append(("construir este expediente", pico_mb()))
    tamanos = {f: len(services.expediente_archivo(expediente=expediente, formato=f).contenido) for f in services.FORMATOS}
    inicio = time.perf_counter()
    services.expediente_de(informativa=informativa, rfc=rfc)  # stored: read back, never rebuilt
    de_nuevo = time.perf_counter() - inicio
    print("RESULTADO " + json.dumps({
        "trabajadores": expediente.num_trabajadores, "contratos": expediente.num_contratos,
        "pdf_kib": tamanos["pdf"] / 1024, "xlsx_kib": tamanos["xlsx"] / 1024,
        "segundos": segundos, "cpu": cpu, "de_nuevo": de_nuevo, "composicion": composicion,
    }))


def _en_su_proceso(tmp: str, informativa_pk: int, rfc: str, pequeno: str) -> dict:
    import json
    import subprocess

    salida = subprocess.run(
        [sys.executable, __file__, "construir", tmp, str(informativa_pk), rfc, pequeno],
        check=True, stdout=subprocess.PIPE, text=True,
    ).stdout
    return json.loads(next(linea for linea in salida.splitlines() if linea.startswith("RESULTADO "))[10:])


def _imprimir(r: dict) -> None:
    from bench.comun import cumple

    pico = r["composicion"][-1][1]
    suelo = r["composicion"][-2][1]
    print(
        f"Expediente de un contratante con {r['trabajadores']} trabajadores en {r['contratos']} contratos "
        f"(constancia {r['pdf_kib']:.0f} KiB, Excel {r['xlsx_kib']:.0f} KiB)"
    )
    print(f"  construirlo (constancia + QR + PAdES, Excel, manifiesto, guardarlo): {r['segundos']:.3f} s de reloj, "
          f"{r['cpu']:.3f} s de CPU")
    print(f"  pico del proceso: {pico:.0f} MB, y de qué se compone:")
    anterior = 0.0
    for etiqueta, valor in r["composicion"]:
        print(f"    {etiqueta + ' ':.<70} {'+' if anterior else ' '}{valor - anterior:5.1f} MB")
        if etiqueta.startswith("un primer"):
            print(f"    {'= el suelo de un proceso que hace y sella un PDF ':.<70} {valor:6.1f} MB")
        anterior = valor
    print(f"  pedirlo de nuevo (el guardado): {r['de_nuevo'] * 1000:.1f} ms")
    print(f"  objetivo < {OBJETIVO_S:.0f} s: {cumple(r['segundos'] < OBJETIVO_S)} (CPU: {cumple(r['cpu'] < OBJETIVO_S)}); "
          f"< {OBJETIVO_MB:.0f} MB: {cumple(pico < OBJETIVO_MB)} (el suelo {suelo:.0f} MB, construirlo "
          f"{pico - suelo:.0f} MB)")


def _imprimir_crecimiento(resultados: list[dict]) -> None:
    print("Cómo crece (cada expediente en su proceso, tras un primer expediente pequeño):")
    for r in resultados:
        pico, suelo = r["composicion"][-1][1], r["composicion"][-2][1]
        print(f"  {r['trabajadores']:>6,} trabajadores: {r['segundos']:.2f} s de reloj ({r['cpu']:.2f} s de CPU), "
              f"construirlo +{pico - suelo:.0f} MB, pico del proceso {pico:.0f} MB")
    primero, ultimo = resultados[0], resultados[-1]
    miles = (ultimo["trabajadores"] - primero["trabajadores"]) / 1000
    crece_mb = (ultimo["composicion"][-1][1] - ultimo["composicion"][-2][1]) - (
        primero["composicion"][-1][1] - primero["composicion"][-2][1])
    print(f"  por cada 1,000 trabajadores más: {(ultimo['cpu'] - primero['cpu']) / miles:.2f} s de CPU y "
          f"{crece_mb / miles:.1f} MB")


def main() -> None:
    import logging

    import django

    django.setup()
    logging.getLogger("weasyprint").setLevel(logging.WARNING)
    if sys.argv[1:2] == ["construir"]:
        construir(Path(sys.argv[2]), int(sys.argv[3]), sys.argv[4], sys.argv[5])
        return
    from bench.bench_acuse import _configurar
    from bench.comun import carga_de_la_maquina
    from contratistas.services import contratista_obtener_o_crear
    from tests.efirma_sat import Efirma
    from tests.firma_navegador import firmar_informativa

    with tempfile.TemporaryDirectory(prefix="bench-expediente-") as tmp:
        ruta_cer, ruta_key = _configurar(Path(tmp))
        contratista = contratista_obtener_o_crear(rfc=RFC_BENCH, razon_social="BENCHMARK ACUSES SA DE CV")
        usuario = contratista.usuario
        informativa = _informativa(usuario, contratista)
        informativa = firmar_informativa(informativa, Efirma(ruta_cer, ruta_key, PASSWORD, RFC_BENCH), usuario=usuario)
        principal = _en_su_proceso(tmp, informativa.pk, RFC_CONTRATANTE, PEQUENOS[0])
        _imprimir(principal)
        otros = [
            _en_su_proceso(tmp, informativa.pk, rfc, pequeno)
            for rfc, pequeno in zip(CRECIMIENTO, PEQUENOS[1:], strict=True)
        ]
        _imprimir_crecimiento(sorted([principal, *otros], key=lambda r: r["trabajadores"]))
        print(f"  {carga_de_la_maquina()}")


if __name__ == "__main__":
    main()
