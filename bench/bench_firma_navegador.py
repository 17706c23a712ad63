"""The browser's side of the e.firma (docs/firma-en-navegador.md): how long Chromium takes to decrypt SAT's
test keys and sign with them, running the page's own code (static/js/efirma.js on node-forge: PBKDF2 + the
cipher of the .key, the key checked against its certificate, an RSA PKCS#1 v1.5 SHA-256 signature of a
cadena original). Target: median under 500 ms per key. Prints figures only; timing is never asserted.

Debian's /usr/bin/chromium through Playwright, headless, on a blank page with the two scripts injected (no
server: this is the work the contratista's machine does before "Validar" and "Firmar").
"""

from __future__ import annotations

import base64
import statistics
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

PRUEBAS = REPO / "tests" / "data" / "efirma-sat"  # SAT's public test files, origin in its README
LLAVES = {  # name: (certificate, key), every password 12345678a
    "FIEL EKU9003173C9 (sat-ws-descarga-masiva)": (
        "sat-ws-descarga-masiva/fake-fiel/EKU9003173C9.cer",
        "sat-ws-descarga-masiva/fake-fiel/EKU9003173C9.key",
    ),
    "CSD EKU9003173C9 (sat-ws-descarga-masiva)": (
        "sat-ws-descarga-masiva/fake-csd/EKU9003173C9.cer",
        "sat-ws-descarga-masiva/fake-csd/EKU9003173C9.key",
    ),
    "FIEL AAA010101AAA (phpcfdi-credentials)": (
        "phpcfdi-credentials/FIEL_AAA010101AAA/certificate.cer",
        "phpcfdi-credentials/FIEL_AAA010101AAA/private_key.key",
    ),
}
PASSWORD = "12345678a"
CADENA = (
    "||1|N260000001|EKU9003173C9|ESCUELA KEMPER URGATE SA DE CV|2026|1|NORMAL|12|340|"
    + "0" * 64
    + "|2026-05-15T12:00:00-06:00|30001000000500003415||"
)
CALENTAMIENTO, VECES = 2, 15
OBJETIVO_MS = 500.0

MEDIR = """([cer, key, password, texto]) => {
    const e = window.icsoeEfirma;
    const inicio = performance.now();
    const llave = e.descifrarLlave(forge.util.decode64(key), password);
    const publica = e.llavePublica(forge.util.decode64(cer));
    if (!llave.n.equals(publica.n)) throw new Error("la llave no corresponde");
    const firma = e.firmar(llave, texto);
    return [performance.now() - inicio, firma];
}"""


def _percentil(valores: list[float], fraccion: float) -> float:
    ordenados = sorted(valores)
    return ordenados[min(len(ordenados) - 1, round(fraccion * (len(ordenados) - 1)))]


def main() -> None:
    from playwright.sync_api import sync_playwright

    from tests.conftest import CHROMIUM_ARGS

    with sync_playwright() as p:
        navegador = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS, headless=True)
        page = navegador.new_page()
        page.goto("about:blank")
        page.add_script_tag(path=str(REPO / "static" / "vendor" / "node-forge" / "forge.min.js"))
        page.add_script_tag(path=str(REPO / "static" / "js" / "efirma.js"))
        print(f"Descifrar la llave y firmar en Chromium (static/js/efirma.js, {VECES} veces por llave)")
        for nombre, (ruta_cer, ruta_key) in LLAVES.items():
            cer = base64.b64encode((PRUEBAS / ruta_cer).read_bytes()).decode()
            key = base64.b64encode((PRUEBAS / ruta_key).read_bytes()).decode()
            tiempos = []
            for vuelta in range(CALENTAMIENTO + VECES):
                ms, firma = page.evaluate(MEDIR, [cer, key, PASSWORD, CADENA])
                if vuelta >= CALENTAMIENTO:
                    tiempos.append(ms)
            assert len(base64.b64decode(firma)) >= 128  # a real RSA signature came back
            mediana = statistics.median(tiempos)
            print(f"  {nombre}")
            print(f"    mediana: {mediana:.1f} ms   p95: {_percentil(tiempos, 0.95):.1f} ms")
            print(f"    objetivo mediana < {OBJETIVO_MS:.0f} ms: {'CUMPLE' if mediana < OBJETIVO_MS else 'NO CUMPLE'}")
        navegador.close()


if __name__ == "__main__":
    main()
