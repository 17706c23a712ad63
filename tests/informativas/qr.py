"""Reading the QR codes printed on a PDF as a camera would: poppler's pdftoppm rasterises the pages and zbar's
zbarimg decodes them (both Debian packages that `make install-test` installs)."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path


def leer_qr(pdf: bytes, *, resolucion: int = 150) -> list[str]:
    """The text of every QR code on the PDF's pages, in page order."""
    assert shutil.which("pdftoppm") and shutil.which("zbarimg"), "faltan poppler-utils o zbar-tools (make install-test)"
    with tempfile.TemporaryDirectory(prefix="qr-") as carpeta:
        ruta = Path(carpeta) / "documento.pdf"
        ruta.write_bytes(pdf)
        subprocess.run(["pdftoppm", "-r", str(resolucion), "-png", str(ruta), f"{carpeta}/pagina"], check=True)
        paginas = sorted(str(p) for p in Path(carpeta).glob("pagina*.png"))
        leido = subprocess.run(["zbarimg", "--quiet", "--raw", *paginas], capture_output=True, text=True)
    return leido.stdout.split()
