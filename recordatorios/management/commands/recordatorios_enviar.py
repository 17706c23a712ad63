"""`manage.py recordatorios_enviar`: what Celery beat runs, once, now (each reminder still goes out once)."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from plazos import reloj
from recordatorios import repse, services


class Command(BaseCommand):
    help = (
        "Envía los recordatorios de vencimiento de la informativa y del registro REPSE que tocan hoy y no se han "
        "enviado."
    )

    def handle(self, *args, **options):
        hoy = reloj.hoy()
        resultado = services.recordatorios_enviar(hoy=hoy)
        del_repse = repse.recordatorios_repse_enviar(hoy=hoy)
        self.stdout.write(
            f"{resultado.hoy:%Y-%m-%d}: {resultado.enviados} recordatorio(s) enviado(s); "
            f"{del_repse} recordatorio(s) del registro REPSE enviado(s)"
        )
