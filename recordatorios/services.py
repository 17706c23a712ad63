"""Reminders of the informativa's deadline: 10, 3 and 1 day(s) before it, and the day after it passed.

Celery beat runs ``recordatorios_enviar`` every ICSOE_RECORDATORIOS_CADA seconds (hourly by default) with
"today" from ``plazos.reloj`` (the test clock crosses processes). Each run looks at the period whose deadline is
near and, for every contratista that has reminders on and owes that period with no filing in force
(``informativas.vigencia``: the same state the board, the bandeja and the period page show; a filing replaced by
a complementaria is in force through it, one left without effect by a Sin efectos is not), sends the reminder of
the window today falls in. A reminder is sent at
most once per contratista, period and kind: its ``Recordatorio`` row is inserted (unique constraint) in the
same transaction that writes its emails to the outbox, so a retried task, a restarted beat or a second beat
running by mistake finds the row taken and sends nothing. Runs missed while beat was down are made up within
the window (a reminder "10 días antes" sent on day 9 says 9), never stacked: one email per window.
"""

from __future__ import annotations

import datetime
import logging
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
from django.urls import reverse

from capturistas.models import Relacion
from contratistas.models import Contratista
from core.services import bitacora_registrar, correo_encolar
from informativas import vigencia
from informativas.models import Informativa
from informativas.periodos import Periodo, PlazoDePeriodo, fecha_larga
from plazos.services import fechas_limite

from .models import Recordatorio

logger = logging.getLogger(__name__)

# The days left (deadline − today) in which each reminder goes out: its own day, and the following days up to
# the next reminder when a run was missed. A "venció" reminder missed for more than a week is not sent late.
VENTANAS: tuple[tuple[str, int, int], ...] = (
    (Recordatorio.Tipo.DIEZ_DIAS, 4, 10),
    (Recordatorio.Tipo.TRES_DIAS, 2, 3),
    (Recordatorio.Tipo.UN_DIA, 0, 1),
    (Recordatorio.Tipo.VENCIDO, -7, -1),
)
ANTICIPACION_MAXIMA = max(hasta for _, _, hasta in VENTANAS)
ATRASO_MAXIMO = -min(desde for _, desde, _ in VENTANAS)
PLANTILLA = "recordatorio_vencimiento"


def recordatorio_tipo(*, dias: int) -> str | None:
    """The reminder whose window ``dias`` (deadline − today, in calendar days) falls in; None outside all."""
    for tipo, desde, hasta in VENTANAS:
        if desde <= dias <= hasta:
            return tipo
    return None


@dataclass(frozen=True)
class Vencimiento:
    """A period whose deadline is near ``hoy``, and the reminder due for it today."""

    periodo: Periodo
    plazo: PlazoDePeriodo
    tipo: str


def vencimientos_de(*, hoy: datetime.date) -> list[Vencimiento]:
    """The ended periods whose deadline falls in a reminder window around ``hoy`` (at most one in practice:
    deadlines are four months apart), with the reminder due. One query (the staff's días inhábiles)."""
    anterior = Periodo.de_fecha(hoy).anterior
    candidatos = [anterior, anterior.anterior]
    limites = fechas_limite(periodos=[(p.anio, p.cuatrimestre) for p in candidatos])
    vencimientos = []
    for periodo in candidatos:
        limite = limites[(periodo.anio, periodo.cuatrimestre)]
        plazo = PlazoDePeriodo.de(periodo, fecha_limite=limite, hoy=hoy)
        if (tipo := recordatorio_tipo(dias=plazo.dias)) is not None:
            vencimientos.append(Vencimiento(periodo, plazo, tipo))
    return vencimientos


def _pendientes(vencimiento: Vencimiento) -> list[int]:
    """Ids of the contratistas the reminder may be due to: reminders on, owing the period by their alta (as the
    board and the bandeja count them), no filing of it in force, this reminder not yet claimed."""
    p = vencimiento.periodo
    vigente = Informativa.objects.filter(
        vigencia.en_vigor(), contratista=OuterRef("pk"), anio=p.anio, cuatrimestre=p.cuatrimestre
    )
    enviado = Recordatorio.objects.filter(
        contratista=OuterRef("pk"), anio=p.anio, cuatrimestre=p.cuatrimestre, tipo=vencimiento.tipo
    )
    return list(
        Contratista.objects.filter(vigencia.registrados_a_tiempo(p), recordatorios_activos=True)
        .filter(~Exists(vigente), ~Exists(enviado))
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def destinatarios_de(*, contratista: Contratista) -> list[str]:
    """The contratista's email and, when it chose so, its active capturistas' (each address once)."""
    correos = [contratista.correo] if contratista.correo else []
    if contratista.recordatorios_capturistas:
        correos += Relacion.objects.filter(
            contratista=contratista, estatus=Relacion.Estatus.ACTIVA
        ).values_list("correo", flat=True)
    vistos: set[str] = set()
    unicos = []
    for correo in correos:
        if correo and correo.lower() not in vistos:
            vistos.add(correo.lower())
            unicos.append(correo)
    return unicos


def url_del_periodo(*, contratista: Contratista, periodo: Periodo) -> str:
    ruta = reverse("informativas:periodo", args=[contratista.code, periodo.anio, periodo.cuatrimestre])
    return f"{settings.ICSOE_BASE_URL.rstrip('/')}{ruta}"


def _asunto(vencimiento: Vencimiento) -> str:
    dias = vencimiento.plazo.dias
    if dias < 0:
        return f"venció el plazo de la informativa de {vencimiento.periodo}"
    if dias == 0:
        return f"hoy vence el plazo de la informativa de {vencimiento.periodo}"
    if dias == 1:
        return f"mañana vence el plazo de la informativa de {vencimiento.periodo}"
    return f"faltan {dias} días para presentar la informativa de {vencimiento.periodo}"


def recordatorio_enviar(*, contratista_id: int, vencimiento: Vencimiento, hoy: datetime.date) -> Recordatorio | None:
    """Claims and queues one contratista's reminder, in one transaction; None when it is not due any more
    (presented meanwhile, reminders turned off, nobody to write to) or another run claimed it first."""
    p = vencimiento.periodo
    with transaction.atomic():
        contratista = Contratista.objects.filter(pk=contratista_id, recordatorios_activos=True).first()
        if contratista is None:
            return None
        primero = vigencia.primer_periodo_exigible(alta=vigencia.alta_de(contratista), hoy=hoy)
        estado = vigencia.estado_de(contratista_id=contratista_id, periodo=p, primero=primero)
        para = destinatarios_de(contratista=contratista)
        if not estado.por_presentar or not para:
            return None
        try:
            # A savepoint: a concurrent run's committed claim (or one it is about to commit: the insert waits
            # for it) makes this insert fail, and this run goes on with the next contratista.
            with transaction.atomic():
                recordatorio = Recordatorio.objects.create(
                    contratista=contratista,
                    anio=p.anio,
                    cuatrimestre=p.cuatrimestre,
                    tipo=vencimiento.tipo,
                    fecha_limite=vencimiento.plazo.fecha_limite,
                    hoy=hoy,
                    destinatarios=para,
                )
        except IntegrityError:
            return None
        contexto = {
            "razon_social": contratista.razon_social,
            "rfc": contratista.rfc,
            "periodo": str(p),
            "cuatrimestre": p.cuatrimestre_texto,
            "fecha_limite": fecha_larga(vencimiento.plazo.fecha_limite),
            "dias": vencimiento.plazo.dias,
            "leyenda": vencimiento.plazo.leyenda,
            "asunto": _asunto(vencimiento),
            "url_periodo": url_del_periodo(contratista=contratista, periodo=p),
            "url_ajustes": f"{settings.ICSOE_BASE_URL.rstrip('/')}{reverse('contratistas:datos')}#recordatorios",
        }
        for correo in para:
            correo_encolar(
                para=correo,
                plantilla=PLANTILLA,
                contexto={**contexto, "al_contratista": correo == contratista.correo},
            )
        bitacora_registrar(
            accion="recordatorios.recordatorio.enviado",
            objeto=contratista,
            datos={"anio": p.anio, "cuatrimestre": p.cuatrimestre, "tipo": vencimiento.tipo, "para": para},
        )
    return recordatorio


@dataclass(frozen=True)
class Resultado:
    hoy: datetime.date
    enviados: int


def recordatorios_enviar(*, hoy: datetime.date) -> Resultado:
    """Sends every reminder due on ``hoy`` that was not sent yet. Safe to run any number of times, also at once
    (see the module's docstring): each contratista has its own short transaction."""
    enviados = 0
    for vencimiento in vencimientos_de(hoy=hoy):
        for contratista_id in _pendientes(vencimiento):
            if recordatorio_enviar(contratista_id=contratista_id, vencimiento=vencimiento, hoy=hoy):
                enviados += 1
    if enviados:
        logger.info("Recordatorios de vencimiento enviados el %s: %s", hoy.isoformat(), enviados)
    return Resultado(hoy=hoy, enviados=enviados)
