"""Files for tests of readers: one that counts the bytes read from it (to show a check reads only part)."""

from __future__ import annotations

import io


class ArchivoQueCuenta(io.BytesIO):
    """An in-memory binary file that counts the bytes read from it in ``leidos``."""

    leidos = 0

    def read(self, n: int | None = -1) -> bytes:
        datos = super().read(n)
        self.leidos += len(datos)
        return datos
