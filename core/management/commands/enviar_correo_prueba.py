"""Sends a test email through the outbox and Celery, to check a deployment's SMTP settings."""

from __future__ import annotations

from django.core.management.base import BaseCommand
from django.db import transaction

from core.services import correo_encolar


class Command(BaseCommand):
    help = "Envía un correo de prueba por la bandeja de salida."

    def add_arguments(self, parser) -> None:
        parser.add_argument("para")
        parser.add_argument("--mensaje", default="Si recibiste este correo, el envío funciona.")

    def handle(self, *args, para: str, mensaje: str, **options) -> None:
        with transaction.atomic():
            correo = correo_encolar(para=para, plantilla="prueba", contexto={"mensaje": mensaje})
        self.stdout.write(f"Correo {correo.code} encolado para {para}.")
