"""The demo's accounting firm: the demo capturista serves several contratistas, each with an email (the
reminders' recipient) and a mix of states across the board's periods, made through the real services: a
Normal in capture (borrador), a Sin información pending signature (en firma), Sin información signed with the
contratista's demo e.firma on time or after the deadline (presentada, presentada extemporánea), and nothing.

Each contratista registered in the portal (its alta, ``created_at``) in the board's period its story starts
in, before every period it filed: the board, the bandeja and the reminders count a contratista's periods from
its alta (``informativas.vigencia.primer_periodo_exigible``), so the periods before it read «Antes del
registro» and the ones it owes and never filed are overdue on the board and in its bandeja alike. Distribuidora
del Bajío registered before the board's two years and never filed: six periods overdue.

Each contratista's informativas are created once, when it has none: a second run, or one after the user filed
or discarded some, leaves them as they are. Periods are counted back from "today" of that first run; the alta
is only ever moved back.
"""

from __future__ import annotations

import datetime
import logging
from dataclasses import dataclass
from pathlib import Path
from zoneinfo import ZoneInfo

from django.utils import timezone

from contratistas.models import Contratista
from contratistas.repse import VIGENCIA_ANIOS
from firma import sat
from firma.services import DEMO_PASSWORD, demo_dir
from informativas.captura import services as captura
from informativas.models import Informativa
from informativas.periodos import Periodo, hoy
from informativas.presentacion import services as presentacion
from informativas.tablero.services import periodos_del_tablero

ZONA = ZoneInfo("America/Mexico_City")

# What each demo contratista has in the board's periods, newest first (index 0 is the last ended
# cuatrimestre). "a_tiempo": presented 3 days before its deadline; "tarde": 12 days after it.
A_TIEMPO, TARDE, BORRADOR, EN_FIRMA = "a_tiempo", "tarde", "borrador", "en_firma"
ALTA_DIA = 10  # the alta on the 10th of the first month of its period, at noon in Mexico City


@dataclass(frozen=True)
class ContratistaDemo:
    rfc: str
    razon_social: str
    curp: str | None
    correo: str
    estados: dict[int, str]
    alta: int  # the board's period (same index) it registered in; beyond 5: before the board's two years
    recordatorios_capturistas: bool = False
    # Days from the first run's "today" to its REPSE registration's expiry (negative: lapsed); None: no date
    repse_vence_en: int | None = None


CONTRATISTAS = [
    ContratistaDemo(
        "ESI920427886", "EMPRESA DE SERVICIOS INTEGRALES SA DE CV", None, "avisos@servicios-integrales.example.com",
        {0: A_TIEMPO, 1: A_TIEMPO, 2: TARDE}, alta=2, recordatorios_capturistas=True, repse_vence_en=700,
    ),
    ContratistaDemo(
        "PEJJ800101AB6", "JUAN PÉREZ JIMÉNEZ", "PEJJ800101HDFRMN09", "juan.perez@example.com",
        {0: BORRADOR, 1: TARDE, 3: A_TIEMPO}, alta=4, repse_vence_en=60,
    ),
    ContratistaDemo(
        "CTR010203AB4", "CONSTRUCTORA TRES RÍOS SA DE CV", None, "contacto@tresrios.example.com",
        {0: EN_FIRMA, 1: A_TIEMPO}, alta=1, repse_vence_en=-20,
    ),
    ContratistaDemo(
        "CSO850101AB1", "CONSTRUCCIONES DEL SOL SA DE CV", None, "contacto@construccionesdelsol.example.com",
        {0: TARDE, 2: BORRADOR}, alta=3, repse_vence_en=300,
    ),
    ContratistaDemo(
        "DIS040506CD7", "DISTRIBUIDORA DEL BAJÍO SA DE CV", None, "facturas@bajio.example.com", {}, alta=8,
    ),
]


def correo_fijar(*, contratista: Contratista, demo: ContratistaDemo) -> None:
    """The demo email and reminder choice, only while the contratista has no email of its own."""
    if not contratista.correo:
        Contratista.objects.filter(pk=contratista.pk).update(
            correo=demo.correo, recordatorios_capturistas=demo.recordatorios_capturistas
        )
        contratista.refresh_from_db()


def repse_fijar(*, contratista: Contratista, demo: ContratistaDemo) -> None:
    """The REPSE registration date, so the board's column shows expiries far off, in the renewal window and lapsed
    (Distribuidora del Bajío gives none: «sin fecha»); only while the contratista has no date of its own."""
    if demo.repse_vence_en is None or contratista.repse_fecha_registro:
        return
    vence = hoy() + datetime.timedelta(days=demo.repse_vence_en)
    fecha = vence.replace(year=vence.year - VIGENCIA_ANIOS, day=min(vence.day, 28) if vence.month == 2 else vence.day)
    Contratista.objects.filter(pk=contratista.pk).update(repse_fecha_registro=fecha)
    contratista.refresh_from_db()


def alta_fijar(*, contratista: Contratista, demo: ContratistaDemo) -> None:
    """Dates the contratista's alta in the period its story starts in (``demo.alta``), unless it is already
    earlier: a second run, on a later day, never moves it forward."""
    periodo = periodos_del_tablero(hoy=hoy())[0]
    for _ in range(demo.alta):
        periodo = periodo.anterior
    fecha = datetime.date(periodo.anio, periodo.inicio.month, ALTA_DIA)
    alta = datetime.datetime.combine(fecha, datetime.time(12), tzinfo=ZONA)
    Contratista.objects.filter(pk=contratista.pk, created_at__gt=alta).update(created_at=alta)
    contratista.refresh_from_db()


def informativas_crear(*, contratista: Contratista, demo: ContratistaDemo) -> int:
    """The demo's informativas of ``contratista`` (see the module), unless it has any. Returns how many."""
    if not demo.estados or Informativa.objects.filter(contratista=contratista).exists():
        return 0
    periodos = periodos_del_tablero(hoy=hoy())
    for ruido in ("weasyprint", "informativas.presentacion"):  # the acuses step by step; "no email yet"
        logging.getLogger(ruido).setLevel(logging.WARNING)
    for indice, estado in sorted(demo.estados.items()):
        periodo = periodos[indice]
        if estado == BORRADOR:
            captura.informativa_crear(
                contratista=contratista, anio=periodo.anio, cuatrimestre=periodo.cuatrimestre,
                tipo=Informativa.Tipo.NORMAL, usuario=contratista.usuario, hoy=hoy(),
            )
            continue
        legal = periodo.fecha_limite + datetime.timedelta(days=-3 if estado != TARDE else 12)
        informativa = captura.informativa_sin_informacion_declarar(
            contratista=contratista, anio=periodo.anio, cuatrimestre=periodo.cuatrimestre,
            usuario=contratista.usuario, hoy=legal if estado != EN_FIRMA else hoy(),
        )
        if estado != EN_FIRMA:
            _firmar(informativa, periodo=periodo, legal=legal)
    return len(demo.estados)


def _firmar(informativa: Informativa, *, periodo: Periodo, legal: datetime.date) -> None:
    """Signs as the Firmar page does, with the contratista's demo e.firma, presented on ``legal`` (at 11:00 in
    Mexico City, or when the certificate starts, if later: a var/ from an earlier demo)."""
    contratista = informativa.contratista
    carpeta = Path(demo_dir())
    cer = (carpeta / f"{contratista.rfc}.cer").read_bytes()
    llave = sat.cargar_llave((carpeta / f"{contratista.rfc}.key").read_bytes(), DEMO_PASSWORD)
    certificado = sat.cargar_certificado(cer)
    momento = datetime.datetime.combine(legal, datetime.time(11), tzinfo=ZONA)
    momento = min(max(momento, certificado.valido_desde + datetime.timedelta(hours=1)), timezone.now())
    sesion: dict = {}
    reto = presentacion.firma_preparar(
        informativa=informativa, certificado=cer, rfc=contratista.rfc, usuario=contratista.usuario,
        sesion=sesion, ahora=momento, hoy=legal,
    )
    presentacion.informativa_firmar(
        informativa=informativa, certificado=cer, rfc=contratista.rfc, reto=str(reto.id),
        firma=sat.firmar(llave, reto.mensaje.encode("utf-8")), usuario=contratista.usuario, sesion=sesion,
    )
