"""`manage.py reloj_prueba AAAA-MM-DD` sets the test clock for every process; `--quitar` clears it; no
argument shows it. Only with ICSOE_RELOJ_PRUEBA on (never in production)."""

from __future__ import annotations

import datetime

from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError

from plazos import reloj


class Command(BaseCommand):
    help = "Fija, muestra o quita la fecha del reloj de prueba (sólo con ICSOE_RELOJ_PRUEBA activo)."

    def add_arguments(self, parser):
        parser.add_argument("fecha", nargs="?", help="AAAA-MM-DD")
        parser.add_argument("--quitar", action="store_true", help="vuelve a la fecha real")

    def handle(self, *args, fecha=None, quitar=False, **options):
        if not reloj.reloj_prueba_activo():
            raise CommandError(reloj.MENSAJE_RELOJ_APAGADO)
        if quitar:
            reloj.reloj_prueba_quitar()
        elif fecha:
            try:
                dia = datetime.date.fromisoformat(fecha)
            except ValueError:
                raise CommandError(f"Fecha no válida: {fecha!r}; usa AAAA-MM-DD.") from None
            try:
                reloj.reloj_prueba_fijar(fecha=dia)
            except ImproperlyConfigured as error:
                raise CommandError(str(error)) from None
        self.stdout.write(f"Hoy es {reloj.hoy():%Y-%m-%d}" + (" (reloj de prueba)" if reloj.reloj_prueba_fecha() else ""))
