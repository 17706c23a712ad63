from __future__ import annotations

from django.core.management.base import BaseCommand

from listas_sat import services


def _fecha(fecha) -> str:
    return f"{fecha:%d/%m/%Y}" if fecha else "sin fecha"


class Command(BaseCommand):
    help = "Consulta RFCs en las listas del SAT cargadas (69, 69-B, 69-B Bis)."

    def add_arguments(self, parser):
        parser.add_argument("rfcs", nargs="+", metavar="RFC")

    def handle(self, *args, rfcs, **options):
        for consulta in services.listas_consultar(rfcs=rfcs).values():
            self.stdout.write(f"{consulta.rfc}: {consulta.estado}")
            for h in consulta.hallazgos:
                corte = _fecha(h.fecha_corte)
                origen = "publicación del archivo" if h.fecha_corte_origen == "publicacion" else "actualización"
                self.stdout.write(
                    f"  {h.nombre_lista}: {h.situacion} · publicación {_fecha(h.fecha_publicacion)}"
                    f" · corte {corte} ({origen})"
                )
                for columna, texto in h.publicaciones:
                    self.stdout.write(f"    {columna}: {texto}")
                if h.oficio:
                    self.stdout.write(f"    oficio: {h.oficio} (fecha {_fecha(h.fecha_oficio)})")
            for nv in consulta.no_verificadas:
                self.stdout.write(f"  no verificado: {nv.nombre_lista}: {nv.motivo}")
