"""`manage.py recordatorios_enviar`: what Celery beat runs, once, now (each reminder still goes out once)."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from plazos import reloj
from recordatorios import services


class Command(BaseCommand):
    help = "Envía los recordatorios de vencimiento que tocan hoy y no se han enviado."

    def handle(self, *args, **options):
        resultado = services.recordatorios_enviar(hoy=reloj.hoy())
        self.stdout.write(f"{resultado.hoy:%Y-%m-%d}: {resultado.enviados} recordatorio(s) enviado(s)")
