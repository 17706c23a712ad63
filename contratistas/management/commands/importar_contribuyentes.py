"""`python manage.py importar_contribuyentes <archivo.csv>`: loads the SAT registry stand-in."""

from __future__ import annotations

from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from contratistas.services import COLUMNAS_CONTRIBUYENTES, contribuyentes_importar_csv


class Command(BaseCommand):
    help = (
        "Carga o actualiza contribuyentes del registro SAT (sustituto local) desde un CSV UTF-8 con encabezado: "
        + ",".join(COLUMNAS_CONTRIBUYENTES)
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("archivo")

    def handle(self, *args, archivo: str, **options) -> None:
        ruta = Path(archivo)
        if not ruta.is_file():
            raise CommandError(f"No existe el archivo {ruta}.")
        try:
            total = contribuyentes_importar_csv(texto=ruta.read_text(encoding="utf-8"))
        except ValidationError as error:
            raise CommandError("\n".join(error.messages)) from None
        self.stdout.write(self.style.SUCCESS(f"{total} contribuyentes cargados."))
