"""`python manage.py importar_sepomex <archivo>`: loads the SEPOMEX catalog (official TXT or XML)."""

from __future__ import annotations

import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from contratistas.sepomex import SepomexError, muestra
from contratistas.services import sepomex_importar


class Command(BaseCommand):
    help = (
        "Importa el Catálogo Nacional de Códigos Postales de Correos de México (SEPOMEX) desde su TXT "
        "(delimitado por |, Latin-1) o su XML. Volver a importarlo actualiza los nombres sin duplicar nada."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("archivo", nargs="?", help="CPdescarga.txt o .xml; sin archivo, la muestra incluida")

    def handle(self, *args, archivo: str | None = None, **options) -> None:
        ruta = Path(archivo) if archivo else muestra()
        if not ruta.is_file():
            raise CommandError(f"No existe el archivo {ruta}.")
        inicio = time.perf_counter()
        try:
            resultado = sepomex_importar(contenido=ruta.read_bytes())
        except SepomexError as error:
            raise CommandError(str(error)) from None
        segundos = time.perf_counter() - inicio
        self.stdout.write(self.style.SUCCESS(f"Catálogo SEPOMEX importado en {segundos:.1f} s: {resultado.resumen()}"))
