"""e.firma validation of SAT's test FIEL EKU9003173C9: the library alone (firma.sat.validar_efirma) and the
login's real path (firma.services.efirma_validar: the cached trust store, the revocation query on the
database, the checks and the proof of possession), plus what building the trust store costs when it is not
cached (after staff change a CA). Target: median of the login path under 50 ms. Prints figures only; timing
is never asserted.

The cost of one validation is decrypting the .key (PBKDF2 with 2048 iterations + 3DES), reading the
certificate, walking the chain (RSA signature checks) and the proof of possession (one RSA-2048 signature and
its verification).
"""

from __future__ import annotations

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
    datos = {"cer": cer, "key": key, "password": "12345678a", "rfc": "EKU9003173C9", "ahora": AHORA}

    trust_store = sat.TrustStore.from_dirs(CA_PRUEBAS)
    libreria = _medir(lambda: sat.validar_efirma(**datos, trust_store=trust_store))
    _imprimir(
        f"firma.sat.validar_efirma (EKU9003173C9, {VECES} veces, {len(trust_store)} CA de prueba)", libreria
    )

    settings.ICSOE_TRUST_TEST_CAS = True  # the EKU9003173C9 pair is issued by SAT's test CA
    try:
        services.trust_store()
    except Exception as error:  # no database configured or migrated: run it through `make bench`
        print(
            f"firma.services.efirma_validar: sin base de datos ({error.__class__.__name__}); usa `make bench`"
        )
        return
    ingreso = _medir(lambda: services.efirma_validar(**datos))
    _imprimir(
        f"firma.services.efirma_validar, el camino del ingreso ({VECES} veces, "
        f"{len(services.trust_store())} CA en el almacén en caché, "
        "consulta de revocación en la base de datos)",
        ingreso,
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
