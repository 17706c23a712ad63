"""After restoring the database or the object storage: lists every row whose file the storage does not have.

    python manage.py almacen_verificar

Prints one line per missing file (model, field, row, object name) and a summary; exits with an error when
any is missing, so a restore script can stop there (docs/operations.md, "Object storage and its backups").
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from core.almacen import archivos_revisar


class Command(BaseCommand):
    help = "Revisa que cada archivo que nombra la base de datos exista en el almacenamiento."

    def handle(self, *args, **options) -> None:
        revisados = faltan = 0
        for archivo, existe in archivos_revisar():
            revisados += 1
            if not existe:
                faltan += 1
                self.stdout.write(
                    f"FALTA {archivo.modelo}.{archivo.campo} (registro {archivo.pk}): {archivo.nombre}"
                )
        self.stdout.write(f"{revisados} archivos revisados; faltan {faltan}.")
        if faltan:
            raise CommandError(
                f"Faltan {faltan} archivos en el almacenamiento: recupéralos del respaldo antes de abrir el portal."
            )
