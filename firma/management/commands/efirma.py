"""e.firma administration.

    python manage.py efirma confiar <ca.cer> [--pruebas]     trust a CA
    python manage.py efirma demo --rfc RFC --nombre "NOMBRE"  demo FIEL under var/demo-efirma/ (DEBUG or test CAs only)
    python manage.py efirma revocar <número de certificado>   add to the local revocation list
"""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from firma import sat, services


class Command(BaseCommand):
    help = "Administra la e.firma: autoridades certificadoras, revocaciones y e.firma de demostración."

    def add_arguments(self, parser) -> None:
        sub = parser.add_subparsers(dest="accion", required=True)
        confiar = sub.add_parser("confiar", help="Agrega una autoridad certificadora de confianza.")
        confiar.add_argument("archivo", type=Path)
        confiar.add_argument("--pruebas", action="store_true", help="Es una CA de pruebas.")
        demo = sub.add_parser("demo", help="Genera una e.firma de demostración.")
        demo.add_argument("--rfc", required=True)
        demo.add_argument("--nombre", required=True)
        demo.add_argument("--curp", default=None)
        demo.add_argument("--password", default=services.DEMO_PASSWORD)
        revocar = sub.add_parser("revocar", help="Agrega un certificado a la lista local de revocados.")
        revocar.add_argument("numero_certificado")
        revocar.add_argument("--motivo", default="")

    def handle(self, *args, accion: str, **options) -> None:
        getattr(self, f"_{accion}")(**options)

    def _confiar(self, *, archivo: Path, pruebas: bool, **_) -> None:
        try:
            ca = services.ca_confiar(der=archivo.read_bytes(), de_pruebas=pruebas)
        except (OSError, sat.EfirmaError) as error:
            raise CommandError(getattr(error, "message", str(error))) from error
        self.stdout.write(self.style.SUCCESS(f"Autoridad certificadora de confianza: {ca.nombre}"))

    def _demo(self, *, rfc: str, nombre: str, curp: str | None, password: str, **_) -> None:
        if not (settings.DEBUG or settings.ICSOE_TRUST_TEST_CAS):
            raise CommandError("Las e.firma de demostración sólo se generan en desarrollo o pruebas.")
        cer, key = services.efirma_demo_emitir(rfc=rfc, nombre=nombre, curp=curp, password=password)
        self.stdout.write(self.style.SUCCESS(f"e.firma de demostración de {rfc.upper()} ({nombre})"))
        self.stdout.write(f"  Certificado:    {cer}")
        self.stdout.write(f"  Llave privada:  {key}")
        self.stdout.write(f"  Contraseña:     {password}")

    def _revocar(self, *, numero_certificado: str, motivo: str, **_) -> None:
        services.certificado_revocar(numero_certificado=numero_certificado, motivo=motivo)
        self.stdout.write(self.style.SUCCESS(f"Certificado {numero_certificado} revocado."))
