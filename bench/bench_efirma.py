"""e.firma validation: how long firma.sat.validar_efirma takes for SAT's test FIEL EKU9003173C9.

The cost is decrypting the .key (PBKDF2 with 2048 iterations + 3DES), reading the certificate, walking the
chain (RSA signature checks) and the proof of possession (one RSA-2048 signature and its verification).
Prints figures only; timing is never asserted.
"""

from __future__ import annotations

import statistics
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from firma import sat  # noqa: E402  (needs the repository on sys.path)

SHARED = REPO.parent / "shared"
if not SHARED.exists():
    SHARED = Path("/work/shared")
EFIRMA_PRUEBAS = SHARED / "efirma-sat-pruebas"
FIEL = EFIRMA_PRUEBAS / "sat-ws-descarga-masiva" / "fake-fiel"
CA_PRUEBAS = EFIRMA_PRUEBAS / "python-satcfdi" / "ca-pruebas"
AHORA = datetime(2025, 1, 1, tzinfo=UTC)  # inside the FIEL's validity, so the bench never expires
CALENTAMIENTO, VECES = 5, 50
OBJETIVO_MS = 50.0


def _percentil(valores: list[float], fraccion: float) -> float:
    ordenados = sorted(valores)
    return ordenados[min(len(ordenados) - 1, round(fraccion * (len(ordenados) - 1)))]


def _una_validacion(cer: bytes, key: bytes, trust_store: sat.TrustStore) -> float:
    inicio = time.perf_counter()
    sat.validar_efirma(
        cer=cer, key=key, password="12345678a", rfc="EKU9003173C9", trust_store=trust_store, ahora=AHORA
    )
    return (time.perf_counter() - inicio) * 1000


def main() -> None:
    """Validates the EKU9003173C9 pair VECES times after a warm-up and prints median and p95."""
    cer = (FIEL / "EKU9003173C9.cer").read_bytes()
    key = (FIEL / "EKU9003173C9.key").read_bytes()
    trust_store = sat.TrustStore.from_dirs(CA_PRUEBAS)
    for _ in range(CALENTAMIENTO):
        _una_validacion(cer, key, trust_store)
    tiempos = [_una_validacion(cer, key, trust_store) for _ in range(VECES)]
    mediana, p95 = statistics.median(tiempos), _percentil(tiempos, 0.95)
    print(f"Validación de e.firma (EKU9003173C9, {VECES} veces, {len(trust_store)} CA de prueba)")
    print(f"  mediana: {mediana:.2f} ms")
    print(f"  p95:     {p95:.2f} ms")
    print(f"  objetivo < {OBJETIVO_MS:.0f} ms: {'CUMPLE' if p95 < OBJETIVO_MS else 'NO CUMPLE'}")


if __name__ == "__main__":
    main()
