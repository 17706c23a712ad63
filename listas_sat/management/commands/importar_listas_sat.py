from __future__ import annotations

import datetime
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from core.textos import miles
from listas_sat import lector, services
from listas_sat.descarga import DescargaFallida, descargar, es_url


class Command(BaseCommand):
    help = "Carga archivos de las listas del SAT (69, 69-B, 69-B Bis) desde rutas o URLs; reconoce cada uno por su encabezado."

    def add_arguments(self, parser):
        parser.add_argument("archivos", nargs="+", metavar="ARCHIVO_O_URL")
        parser.add_argument(
            "--publicado", type=datetime.date.fromisoformat, default=None,
            help="Fecha de publicación del archivo (AAAA-MM-DD): la fecha de corte de art. 69, cuyos archivos no la traen.",
        )

    def handle(self, *args, archivos, publicado, **options):
        fallidos = 0
        for origen in archivos:
            self.stdout.write(f"{origen}:")
            try:
                self._uno(origen, publicado)
            except (services.CargaRechazada, DescargaFallida) as e:
                fallidos += 1
                self.stdout.write(f"  rechazado: {e.mensaje}")
        if fallidos:
            raise CommandError(f"{fallidos} de {len(archivos)} archivos no se cargaron.")

    def _uno(self, origen: str, publicado: datetime.date | None) -> None:
        if es_url(origen):
            descarga = descargar(origen)
            assert descarga.ruta is not None
            try:
                resultado = services.lista_importar(
                    ruta=descarga.ruta, origen=origen, publicado=publicado or descarga.publicado,
                    etag=descarga.etag, last_modified=descarga.last_modified, sha256=descarga.sha256,
                )
            finally:
                descarga.ruta.unlink(missing_ok=True)
        else:
            ruta = Path(origen)
            if not ruta.is_file():
                raise services.CargaRechazada(f"No existe el archivo {origen}.")
            resultado = services.lista_importar(ruta=ruta, publicado=publicado)
        self._informe(resultado)

    def _informe(self, resultado: services.ResultadoCarga) -> None:
        c = resultado.carga
        self.stdout.write(f"  lista: {lector.nombre_lista(c.lista)}")
        corte = f"{c.fecha_corte:%d/%m/%Y}" if c.fecha_corte else "sin fecha"
        self.stdout.write(f"  fecha de corte: {corte} ({c.get_fecha_corte_origen_display().lower()})")
        if resultado.sin_cambios:
            self.stdout.write("  sin cambios: es el mismo archivo de la carga vigente")
            return
        self.stdout.write(f"  filas leídas: {miles(c.filas_leidas)}")
        self.stdout.write(f"  contribuyentes guardados: {miles(c.contribuyentes)}")
        self.stdout.write(f"  suprimidos: {miles(c.suprimidos)}")
        self.stdout.write(f"  líneas rechazadas: {miles(c.rechazadas)}")
        for linea, motivo in c.rechazos:
            self.stdout.write(f"    línea {linea}: {motivo}")
        if c.rechazadas > len(c.rechazos):
            self.stdout.write(f"    … y {miles(c.rechazadas - len(c.rechazos))} más")
