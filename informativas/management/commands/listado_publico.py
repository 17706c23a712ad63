"""The listado público of a month on demand, through the same service the beat task calls."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from core.textos import miles
from informativas.listado import services
from plazos import reloj


class Command(BaseCommand):
    help = (
        "Genera el listado público (Lineamientos 6.1) de las informativas presentadas en el mes AAAA-MM. "
        "Sin --salida lo publica (una sola vez: si el mes ya está publicado, no lo reescribe y lo informa). "
        "Con --salida escribe el Excel en ese archivo y NO lo publica."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("mes", help="mes de presentación, AAAA-MM")
        parser.add_argument(
            "--salida", help="escribe el Excel en este archivo en lugar de publicarlo (no se publica nada)"
        )

    def handle(self, *args, **opciones) -> None:
        try:
            mes = services.mes_de_texto(opciones["mes"])
        except ValueError as error:
            raise CommandError(str(error)) from None
        if opciones["salida"]:
            listado = services.listado_construir(mes=mes)
            Path(opciones["salida"]).write_bytes(listado.contenido)
            self.stdout.write(
                f"Listado {mes:%Y-%m} escrito en {opciones['salida']} (no publicado): {miles(listado.filas)} "
                f"registros, SHA-256 {listado.sha256}"
            )
            return
        try:
            publicado, nuevo = services.listado_publicar(mes=mes, hoy=reloj.hoy())
        except ValueError as error:
            raise CommandError(str(error)) from None
        estado = "publicado" if nuevo else "ya estaba publicado; no se reescribió"
        self.stdout.write(
            f"Listado {mes:%Y-%m} {estado}: {miles(publicado.filas)} registros, SHA-256 {publicado.sha256}"
        )
