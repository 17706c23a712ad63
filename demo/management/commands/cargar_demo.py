"""Demo data for `make run`: IMSS staff, five contratistas (persona moral and física) with their emails, a
capturista who serves all of them with a mix of states in its board (demo/despacho.py), the SEPOMEX sample
catalog, the CURP registry sample (so "Validar" in Alta de usuarios answers for its CURPs),
the persona moral's domicilio fiscal in the SAT registry stand-in (the persona física has none there, so the
datos generales screen asks for it once), the demo e.firma files and the portal's demo sello.

Idempotent: running it again keeps what exists. Prints the URL and every credential it created.
Never used in production (it refuses when DEBUG is off).
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from accounts.models import User
from accounts.renapo import PersonaCurp, curp_consultar, renapo_importar_csv
from accounts.renapo import muestra as curp_muestra
from capturistas.models import Relacion
from contratistas.models import ContribuyenteSat
from contratistas.sepomex import muestra as sepomex_muestra
from contratistas.services import contratista_obtener_o_crear, sepomex_importar
from firma.services import DEMO_PASSWORD as EFIRMA_PASSWORD
from firma.services import demo_dir, efirma_demo_emitir, sello_portal_demo_emitir
from informativas.periodos import Periodo, hoy

from ...despacho import CONTRATISTAS as DESPACHO
from ...despacho import alta_fijar, correo_fijar, informativas_crear, repse_fijar

DEMO_PASSWORD = "Demo-ICSOE-2026"
STAFF_USERNAME = "imss"
CAPTURISTA_CURP = "GODE561231HDFRRN00"
# A person of the CURP registry sample who is nobody's capturista yet: what to try in Alta de usuarios.
CURP_PARA_ALTA = "LOHF900514MJCPRR06"
CONTRATISTAS = [(c.rfc, c.razon_social, c.curp) for c in DESPACHO]
# The demo e.firma are valid from three years back, so the demo's filings of past periods carry their dates.
VIGENCIA_DESDE = datetime.timedelta(days=3 * 366)


class Command(BaseCommand):
    help = "Carga los datos de demostración (sólo con DEBUG)."

    def handle(self, *args, **options) -> None:
        if not settings.DEBUG:
            raise CommandError("Los datos de demostración sólo se cargan con DEBUG activo.")
        catalogo = sepomex_importar(contenido=sepomex_muestra().read_bytes())
        with transaction.atomic():
            personas = self._registro_curp()
            self._padron_sat()
            staff = self._staff()
            contratistas = [contratista_obtener_o_crear(rfc=r, razon_social=n, curp=c) for r, n, c in CONTRATISTAS]
            capturista = self._capturista(contratistas)
        desde = datetime.datetime.now(datetime.UTC) - VIGENCIA_DESDE
        for rfc, nombre, curp in CONTRATISTAS:
            if not (demo_dir() / f"{rfc}.cer").exists():
                efirma_demo_emitir(
                    rfc=rfc, nombre=nombre, curp=curp, valido_desde=desde, valido_hasta=desde + 2 * VIGENCIA_DESDE
                )
        # The portal's own sello (counter-signature on the acuses), at ICSOE_SIGNING_CERT / _KEY.
        sello_portal_demo_emitir()
        # The informativas first, then the emails: the demo's acuses are not mailed (the dev mailbox stays for
        # the reminders).
        for contratista, demo in zip(contratistas, DESPACHO, strict=True):
            alta_fijar(contratista=contratista, demo=demo)  # before its filings, so the story it tells is true
            informativas_crear(contratista=contratista, demo=demo)
            correo_fijar(contratista=contratista, demo=demo)
            repse_fijar(contratista=contratista, demo=demo)
        para_alta = curp_consultar(CURP_PARA_ALTA)
        catalogos = [
            f"  Catálogo SEPOMEX de muestra: {catalogo.resumen()}",
            f"  Registro de CURP de muestra: {personas} personas; para probar Alta de usuarios: "
            f"{para_alta.curp} ({para_alta.nombre_completo})",
        ]
        self._imprimir(staff, contratistas, capturista, catalogos)

    def _registro_curp(self) -> int:
        """The CURP registry sample (as `importar_curp --muestra`): updates, never duplicates."""
        with curp_muestra().open("rb") as archivo:
            resultado = renapo_importar_csv(archivo=archivo)
        if resultado.errores:
            raise CommandError("; ".join(str(e) for e in resultado.errores))
        return resultado.creadas + resultado.actualizadas

    def _padron_sat(self) -> None:
        rfc, nombre, _ = CONTRATISTAS[0]
        ContribuyenteSat.objects.get_or_create(
            rfc=rfc,
            defaults={
                "razon_social": nombre,
                "codigo_postal": "06600",
                "estado": "Ciudad de México",
                "municipio": "Cuauhtémoc",
                "colonia": "Juárez",
                "calle": "PASEO DE LA REFORMA",
                "numero_exterior": "222",
            },
        )

    def _staff(self) -> User:
        staff, creado = User.objects.get_or_create(
            username=STAFF_USERNAME,
            defaults={"rol": User.Rol.STAFF, "is_staff": True, "is_superuser": True, "nombre_completo": "Personal IMSS"},
        )
        if creado:
            staff.set_password(DEMO_PASSWORD)
            staff.save()
        return staff

    def _capturista(self, contratistas) -> User:
        persona: PersonaCurp = curp_consultar(CAPTURISTA_CURP)
        usuario, creado = User.objects.get_or_create(
            username=persona.curp,
            defaults={
                "rol": User.Rol.CAPTURISTA,
                "curp": persona.curp,
                "nombre_completo": persona.nombre_completo,
                "email": "capturista.demo@example.com",
            },
        )
        if creado:
            usuario.set_password(DEMO_PASSWORD)
            usuario.save()
        for contratista in contratistas:
            Relacion.objects.get_or_create(
                contratista=contratista,
                capturista=usuario,
                defaults={
                    "estatus": Relacion.Estatus.ACTIVA,
                    "telefono": "5512345678",
                    "correo": usuario.email,
                    "usuario_alta": contratista.usuario,
                },
            )
        return usuario

    def _imprimir(self, staff: User, contratistas, capturista: User, catalogos: list[str]) -> None:
        w = self.stdout.write
        w("")
        w(self.style.SUCCESS("Datos de demostración listos."))
        w("  Portal:               http://127.0.0.1:8000/")
        w(f"  Administración IMSS:  http://127.0.0.1:8000/admin/  usuario {staff.username} / {DEMO_PASSWORD}")
        w(f"  Capturista (CURP):    http://127.0.0.1:8000/acceso/  {capturista.username} / {DEMO_PASSWORD}")
        w(f"    sirve a los {len(contratistas)} contratistas: http://127.0.0.1:8000/informativas/tablero/")
        w(f"  Contratistas (e.firma de demostración, contraseña {EFIRMA_PASSWORD}): http://127.0.0.1:8000/acceso/efirma/")
        for c in contratistas:
            w(f"    {c.rfc} {c.razon_social} ({c.get_tipo_persona_display()}), correo {c.correo}")
            w(f"      {demo_dir() / (c.rfc + '.cer')}")
            w(f"      {demo_dir() / (c.rfc + '.key')}")
        w("  Buzón de desarrollo:  http://127.0.0.1:8000/dev/correo/")
        w(f"  Recordatorios:        {recordatorio_probar()}")
        for linea in catalogos:
            w(linea)
        w("")


def recordatorio_probar() -> str:
    """The commands that make a reminder show up in the dev mailbox: the test clock ten days before the deadline
    of the period in course (every demo contratista is registered before it ends, none has filed it)."""
    fecha = hoy()
    limite = Periodo.de_fecha(fecha).fecha_limite
    dia = (limite - datetime.timedelta(days=10)).isoformat()
    return f'make manage ARGS="reloj_prueba {dia}" && make manage ARGS=recordatorios_enviar'
