"""The expediente of one contratante (issue 25) with 3,000 trabajadores: the sealed constancia (WeasyPrint, QR,
PAdES), the workbook and the manifest, built and stored through the portal's own service, on a presented
informativa that also names two other contratantes. Target: < 2 s and < 150 MB peak. Prints figures only."""

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
OBJETIVO_S, OBJETIVO_MB = 2.0, 150.0
RFC_BENCH = "BAC010101AB1"
RFC_CONTRATANTE = "GRA010101AB1"
PASSWORD = "12345678a"


def _informativa(usuario, contratista):
    """A Normal pending signature: the contratante's contratos with TRABAJADORES trabajadores, and two other
    contratantes with a contrato of 50 each (built in bulk)."""
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
    rfcs = [RFC_CONTRATANTE] * CONTRATOS_DEL_CONTRATANTE + ["OTR010101AB1", "TER010101AB1"]
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
    por_contrato = TRABAJADORES // CONTRATOS_DEL_CONTRATANTE
    filas, n = [], 0
    for contrato in contratos:
        for _ in range(por_contrato if contrato.contratante_rfc == RFC_CONTRATANTE else 50):
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


def construir(directorio: Path, informativa_pk: int) -> None:
    """In a process of its own, as a web worker would: the peak memory is the expediente's, not the setup's."""
    from bench.comun import carga_de_la_maquina, cumple, pico_mb
    from informativas.expediente import services
    from informativas.models import Informativa

    _ajustes(directorio)
    pico_django = pico_mb()
    informativa = Informativa.objects.get(pk=informativa_pk)
    # WeasyPrint's and pyHanko's imports and fonts, once, on another contratante (not what is timed).
    services.expediente_de(informativa=informativa, rfc="OTR010101AB1")
    pico_antes = pico_mb()
    inicio, cpu = time.perf_counter(), time.process_time()
    expediente = services.expediente_de(informativa=informativa, rfc=RFC_CONTRATANTE, usuario=informativa.contratista.usuario)
    segundos, cpu = time.perf_counter() - inicio, time.process_time() - cpu
    pico = pico_mb()
    tamanos = {f: len(services.expediente_archivo(expediente=expediente, formato=f).contenido) for f in services.FORMATOS}
    inicio = time.perf_counter()
    services.expediente_de(informativa=informativa, rfc=RFC_CONTRATANTE)  # stored: read back, never rebuilt
    de_nuevo = time.perf_counter() - inicio
    print(
        f"Expediente de un contratante con {expediente.num_trabajadores} trabajadores en "
        f"{expediente.num_contratos} contratos (constancia {tamanos['pdf'] / 1024:.0f} KiB, "
        f"Excel {tamanos['xlsx'] / 1024:.0f} KiB)"
    )
    print(f"  construirlo (constancia + QR + PAdES, Excel, manifiesto, guardarlo): {segundos:.3f} s de reloj, "
          f"{cpu:.3f} s de CPU")
    print(f"  memoria: pico del proceso {pico:.0f} MB; {pico_django:.0f} MB con Django cargado, {pico_antes:.0f} MB tras "
          f"un primer expediente pequeño (WeasyPrint, sus fuentes y pyHanko cargados): construirlo sumó "
          f"{pico - pico_antes:.0f} MB")
    print(f"  pedirlo de nuevo (el guardado): {de_nuevo * 1000:.1f} ms")
    print(f"  objetivo < {OBJETIVO_S:.0f} s: {cumple(segundos < OBJETIVO_S)} (CPU: {cumple(cpu < OBJETIVO_S)}); "
          f"< {OBJETIVO_MB:.0f} MB: {cumple(pico < OBJETIVO_MB)}")
    print(f"  {carga_de_la_maquina()}")


def main() -> None:
    import logging
    import subprocess

    import django

    django.setup()
    logging.getLogger("weasyprint").setLevel(logging.WARNING)
    if sys.argv[1:2] == ["construir"]:
        construir(Path(sys.argv[2]), int(sys.argv[3]))
        return
    from bench.bench_acuse import _configurar
    from contratistas.services import contratista_obtener_o_crear
    from tests.efirma_sat import Efirma
    from tests.firma_navegador import firmar_informativa

    with tempfile.TemporaryDirectory(prefix="bench-expediente-") as tmp:
        ruta_cer, ruta_key = _configurar(Path(tmp))
        contratista = contratista_obtener_o_crear(rfc=RFC_BENCH, razon_social="BENCHMARK ACUSES SA DE CV")
        usuario = contratista.usuario
        informativa = _informativa(usuario, contratista)
        informativa = firmar_informativa(informativa, Efirma(ruta_cer, ruta_key, PASSWORD, RFC_BENCH), usuario=usuario)
        subprocess.run([sys.executable, __file__, "construir", tmp, str(informativa.pk)], check=True)


if __name__ == "__main__":
    main()
