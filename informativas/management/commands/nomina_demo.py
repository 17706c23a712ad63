"""Writes a ZIP of realistic payroll CFDIs (test data for Importar nómina): see informativas/nomina/generador.py."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from informativas.nomina import generador


class Command(BaseCommand):
    help = "Genera un ZIP de CFDI de nómina de prueba (CFDI 4.0 o 3.3 con Complemento de Nómina 1.2)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("destino", help="ruta del ZIP a escribir")
        parser.add_argument("--rfc", required=True, help="RFC del emisor (el contratista)")
        parser.add_argument(
            "--clientes", nargs="+", required=True, help="RFC de los contratantes (RfcLabora)"
        )
        parser.add_argument("--anio", type=int, required=True)
        parser.add_argument("--cuatrimestre", type=int, choices=[1, 2, 3], required=True)
        parser.add_argument("--trabajadores", type=int, default=50)
        parser.add_argument("--cfdi", choices=["4.0", "3.3"], default="4.0", help="versión del CFDI")

    def handle(self, *args, **opciones) -> None:
        lote = generador.zip_nomina(
            opciones["destino"],
            generador.archivos_nomina(
                emisor_rfc=opciones["rfc"].upper(),
                trabajadores=generador.plantilla(
                    opciones["trabajadores"], clientes=[c.upper() for c in opciones["clientes"]]
                ),
                fechas_pago=generador.fechas_quincenales(opciones["anio"], opciones["cuatrimestre"]),
                version=opciones["cfdi"],
            ),
        )
        self.stdout.write(
            f"{opciones['destino']}: {lote.cfdis_nomina} CFDI de nómina y {lote.otros} de otro tipo u otro emisor "
            f"({lote.archivos} archivos). Los sellos no son reales: el portal no verifica el sello del CFDI."
        )
