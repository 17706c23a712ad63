"""The server's side of an e.firma login with SAT's test FIEL EKU9003173C9: the certificate checks of the
library alone (firma.sat.validar_certificado), and the login's real path on the server: "Validar" (the
cached trust store, the revocation query on the database, every check, a reto stored) plus "Ingresar" (the
checks again, the reto consumed, the signature verified), plus what building the trust store costs when it
is not cached (after staff change a CA). Target: median of the login path under 50 ms. Prints figures only;
timing is never asserted.

The key is decrypted and the reto signed in the browser (bench_firma_navegador.py measures that); here the
page's signature is made once per login, outside the timed part, by tests/firma_navegador.py.
"""

from __future__ import annotations

import base64
import os
import statistics
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "icsoe.settings_test")

EFIRMA_PRUEBAS = REPO / "tests" / "data" / "efirma-sat"
FIEL = EFIRMA_PRUEBAS / "sat-ws-descarga-masiva" / "fake-fiel"
CA_PRUEBAS = EFIRMA_PRUEBAS / "python-satcfdi" / "ca-pruebas"
AHORA = datetime(2025, 1, 1, tzinfo=UTC)  # inside the FIEL's validity, so the bench never expires
CALENTAMIENTO, VECES = 5, 50
OBJETIVO_MS = 50.0


def _percentil(valores: list[float], fraccion: float) -> float:
    ordenados = sorted(valores)
    return ordenados[min(len(ordenados) - 1, round(fraccion * (len(ordenados) - 1)))]


def _medir(funcion: Callable[[], object], veces: int = VECES) -> list[float]:
    for _ in range(CALENTAMIENTO):
        funcion()
    tiempos = []
    for _ in range(veces):
        inicio = time.perf_counter()
        funcion()
        tiempos.append((time.perf_counter() - inicio) * 1000)
    return tiempos


def _imprimir(titulo: str, tiempos: list[float], *, objetivo: bool = False) -> None:
    mediana = statistics.median(tiempos)
    print(titulo)
    print(f"  mediana: {mediana:.2f} ms")
    print(f"  p95:     {_percentil(tiempos, 0.95):.2f} ms")
    if objetivo:
        print(
            f"  objetivo mediana < {OBJETIVO_MS:.0f} ms: {'CUMPLE' if mediana < OBJETIVO_MS else 'NO CUMPLE'}"
        )


def main() -> None:
    """Validates the EKU9003173C9 pair VECES times after a warm-up, through the library and the login path."""
    import django

    django.setup()
    from django.conf import settings

    from firma import sat, services

    cer = (FIEL / "EKU9003173C9.cer").read_bytes()
    key = (FIEL / "EKU9003173C9.key").read_bytes()
    datos = {"cer": cer, "rfc": "EKU9003173C9", "ahora": AHORA}

    trust_store = sat.TrustStore.from_dirs(CA_PRUEBAS)
    libreria = _medir(lambda: sat.validar_certificado(**datos, trust_store=trust_store))
    _imprimir(
        f"firma.sat.validar_certificado (EKU9003173C9, {VECES} veces, {len(trust_store)} CA de prueba)", libreria
    )

    settings.ICSOE_TRUST_TEST_CAS = True  # the EKU9003173C9 pair is issued by SAT's test CA
    try:
        services.trust_store()
    except Exception as error:  # no database configured or migrated: run it through `make bench`
        print(f"firma.services: sin base de datos ({error.__class__.__name__}); usa `make bench`")
        return
    from firma import retos
    from tests.firma_navegador import firmar_texto, llave_descifrar

    llave = llave_descifrar(cer=cer, key=key, password="12345678a")
    tiempos = []
    for vuelta in range(CALENTAMIENTO + VECES):
        sesion: dict = {}
        inicio = time.perf_counter()
        reto = services.efirma_reto_acceso(sesion=sesion, cer=cer, rfc="EKU9003173C9")
        validar_ms = (time.perf_counter() - inicio) * 1000
        firma = base64.b64decode(firmar_texto(llave, reto.mensaje))  # the page's part, not timed
        inicio = time.perf_counter()
        services.efirma_firma_verificar(
            sesion=sesion, cer=cer, rfc="EKU9003173C9", reto_id=str(reto.id), firma=firma, proposito=retos.ACCESO
        )
        if vuelta >= CALENTAMIENTO:
            tiempos.append(validar_ms + (time.perf_counter() - inicio) * 1000)
    _imprimir(
        f"Ingreso en el servidor: Validar (revisiones del certificado, reto guardado) + Ingresar (revisiones, "
        f"reto consumido, firma verificada) ({VECES} veces, {len(services.trust_store())} CA en el almacén "
        "en caché, consulta de revocación en la base de datos)",
        tiempos,
        objetivo=True,
    )

    def construir() -> None:
        services.trust_store_olvidar()
        services.trust_store()

    _imprimir(
        "Armar el almacén de confianza sin caché "
        "(lo que antes pagaba cada ingreso; ahora sólo tras un cambio de CA)",
        _medir(construir, 20),
    )


if __name__ == "__main__":
    main()
