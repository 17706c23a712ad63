"""Loads persons into the local CURP registry (RENAPO stand-in) from a CSV file.

    python manage.py importar_curp archivo.csv
    python manage.py importar_curp --muestra        # the demo sample shipped in accounts/data/

Columns: curp, nombres, primer_apellido, segundo_apellido (UTF-8, header row). All or nothing: if any row
is wrong, every error is listed and nothing is written.
"""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from accounts.renapo import muestra as curp_muestra
from accounts.renapo import renapo_importar_csv


class Command(BaseCommand):
    help = "Importa personas al registro local de CURP (sustituto de RENAPO) desde un archivo CSV."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "archivo", nargs="?", help="Archivo CSV con curp, nombres, primer_apellido, segundo_apellido"
        )
        parser.add_argument("--muestra", action="store_true", help="Importa la muestra de demostración")

    def handle(self, *args, archivo: str | None = None, muestra: bool = False, **options) -> None:
        if bool(archivo) == muestra:
            raise CommandError("Indica un archivo CSV o --muestra.")
        ruta = curp_muestra() if muestra else Path(archivo)
        if not ruta.is_file():
            raise CommandError(f"No existe el archivo {ruta}.")
        with ruta.open("rb") as f:
            resultado = renapo_importar_csv(archivo=f)
        if resultado.errores:
            for error in resultado.errores:
                self.stderr.write(str(error))
            raise CommandError(f"No se importó nada: {len(resultado.errores)} error(es) en {ruta.name}.")
        resumen = (
            f"Registro de CURP: {resultado.creadas} persona(s) nueva(s), "
            f"{resultado.actualizadas} actualizada(s)."
        )
        self.stdout.write(self.style.SUCCESS(resumen))
