"""The two-phase upload shared by the carga masiva (``carga/``), Importar nómina (``nomina/``) and Contratos en
bloque (``bloque/``): upload (the file stored, nothing read) -> phase one in the worker (read and check) -> a
summary page with the problems and a rejects XLSX -> confirm -> phase two in the worker (store), or cancel.
No phase runs in a web request, whatever the file's size: the worker reads it under its memory ceiling, and
the upload's page shows the progress meanwhile (``templates/informativas/fragment_progreso.html``).

Each area keeps its own URLs, templates, messages and services; this module owns the steps that are the same in
all three: receiving the upload form, turning a rule's refusal into the page's messages, the confirm, cancel
and rejects-workbook views (built by ``Subidas`` from the area's lookup and services), and queueing and running
a phase in the worker."""

from __future__ import annotations

import datetime
import logging
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import Any, TypeVar

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Model
from django.db.models.fields.files import FieldFile
from django.forms import Form
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from capturistas.access import SolicitudContratista, requiere_contratista

from .models import SubidaDosFases
from .vistas_comunes import errores_al_formulario

logger = logging.getLogger(__name__)

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# A phase stopped by the worker child's address-space ceiling (ICSOE_WORKER_MEMORIA_MAX, icsoe/celery.py).
MENSAJE_MEMORIA = (
    "El archivo requiere más memoria de la permitida para procesarse. Divide la información en varios archivos."
)

T = TypeVar("T")
M = TypeVar("M", bound=Model)


# ----------------------------------------------------------------------------------------------------------
# Views
# ----------------------------------------------------------------------------------------------------------
def recibir(form: Form, recibir: Callable[[dict[str, Any]], T]) -> T | None:
    """Upload: a valid form goes to the area's ``*_recibir`` service (which stores the file and queues phase
    one). A refusal lands on the form, so the page shows it next to the file field; None then."""
    if not form.is_valid():
        return None
    try:
        return recibir(form.cleaned_data)
    except ValidationError as error:
        errores_al_formulario(form, error)
        return None


def avisar(request: HttpRequest, error: ValidationError) -> None:
    """Each message of a rule's refusal, as an error on the next page."""
    for mensaje in error.messages:
        messages.error(request, mensaje)


def ejecutar(request: HttpRequest, accion: Callable[[], T]) -> T | None:
    """Confirm or cancel: runs the service (which returns the upload, never None); a refusal becomes the next
    page's error messages and None, so the view sends the user back to the upload's page."""
    try:
        return accion()
    except ValidationError as error:
        avisar(request, error)
        return None


def listas_sat_marcados(request: HttpRequest) -> dict[str, Any]:
    """The confirm form's checkboxes of the contratantes «Definitivo» in 69-B (``informativas/cribado.py``)."""
    return {"listas_sat_confirmados": request.POST.getlist("confirmar_lista_sat")}


def rechazados_xlsx(archivo: FieldFile, nombre: str) -> FileResponse:
    """The workbook of what phase one left out, as a download; 404 when there is none."""
    if not archivo:
        raise Http404
    return FileResponse(archivo.open("rb"), as_attachment=True, filename=nombre, content_type=XLSX)


@dataclass(frozen=True)
class Subidas:
    """One area's uploads, for the views they all have: confirm, cancel and the rejects workbook.

    ``buscar(request, code, codigo)`` finds one upload of the informativa ``code`` for the current contratista
    (404 for any other), ``pagina`` names the URL of its summary page, ``clave`` the URL's keyword for the
    upload's code, and ``argumento`` the keyword the area's services take it by."""

    buscar: Callable[[SolicitudContratista, Any, Any], Any]
    pagina: str
    clave: str
    argumento: str

    def a_su_pagina(self, code: Any, subida: Any) -> HttpResponse:
        return redirect(self.pagina, code=code, **{self.clave: subida.code})

    def accion(
        self,
        servicio: Callable[..., Any],
        hecho: Callable[[SolicitudContratista, Any, Any], HttpResponse],
        datos: Callable[[SolicitudContratista], dict[str, Any]] | None = None,
    ) -> Callable[..., HttpResponse]:
        """A POST view that runs ``servicio`` (confirm or cancel) on the upload: refused, the user is back on
        the upload's page with the rule's messages; done, ``hecho(request, code, subida)`` answers.
        ``datos(request)``: more keywords for the service, taken from the form (the SAT lists' confirmations)."""

        @requiere_contratista
        @require_POST
        def vista(request: SolicitudContratista, code: Any, **codigos: Any) -> HttpResponse:
            subida = self.buscar(request, code, codigos[self.clave])
            extra = datos(request) if datos else {}
            resultado = ejecutar(
                request, lambda: servicio(**{self.argumento: subida}, usuario=request.user, **extra)
            )
            if resultado is None:
                return self.a_su_pagina(code, subida)
            return hecho(request, code, resultado)

        return vista

    def progreso(
        self, plantilla: str, contexto: Callable[[SolicitudContratista, Any], dict[str, Any]]
    ) -> Callable[..., HttpResponse]:
        """The GET view htmx polls every second while a phase runs in the worker: the upload's progress
        fragment (``plantilla``, with ``contexto(request, subida)``); once the phase has ended, HX-Refresh, so
        the page reloads with the result."""

        @requiere_contratista
        @require_GET
        def vista(request: SolicitudContratista, code: Any, **codigos: Any) -> HttpResponse:
            subida = self.buscar(request, code, codigos[self.clave])
            respuesta = render(request, plantilla, contexto(request, subida))
            if not subida.en_proceso:
                respuesta["HX-Refresh"] = "true"
            return respuesta

        return vista

    def rechazados(self, nombre: Callable[[Any], str]) -> Callable[..., FileResponse]:
        """A GET view handing out the upload's rejects workbook as ``nombre(subida)``."""

        @requiere_contratista
        @require_GET
        def vista(request: SolicitudContratista, code: Any, **codigos: Any) -> FileResponse:
            subida = self.buscar(request, code, codigos[self.clave])
            return rechazados_xlsx(subida.archivo_rechazados, nombre(subida))

        return vista


# ----------------------------------------------------------------------------------------------------------
# Services and worker
# ----------------------------------------------------------------------------------------------------------
def por_cancelar(subida: M, *, mensaje: str) -> M:
    """Cancel's guard, inside the service's transaction (after it has locked the informativa): the upload's row,
    locked and read again, refused with ``mensaje`` unless phase one left it Validada and nothing is stored."""
    modelo = type(subida)
    subida = modelo._default_manager.select_for_update().get(pk=subida.pk)
    if subida.estatus != modelo.Estatus.VALIDADA:  # type: ignore[attr-defined]  # each upload model has both
        raise ValidationError(mensaje, code="no_cancelable")
    return subida


def nombre_corto(tarea: Any) -> str:
    """A task's function name (``carga_validar``), for the logs: its registered name without the module."""
    return str(tarea.name).rsplit(".", 1)[-1]


def encolar(tarea: Any, objeto: Model, *, sin_broker: Callable[[], None]) -> None:
    """Queues a phase of ``objeto`` (its pk in: every task takes ids) and keeps the task id on it. With the
    broker down nothing is lost and the upload stays as it is; ``sin_broker`` logs what happens next."""
    try:
        resultado = tarea.delay(objeto.pk)
    except Exception:  # the broker is down
        sin_broker()
        return
    type(objeto)._default_manager.filter(pk=objeto.pk).update(tarea_id=resultado.id or "")


REANUDAR_TRAS = datetime.timedelta(minutes=2)


def reanudar(modelo: type[M], *, validar: Any, aplicar: Any, antiguedad: datetime.timedelta = REANUDAR_TRAS) -> list[int]:
    """Periodic sweep (Celery beat) of an upload model: queues again, once, every upload left Recibida (phase one
    never queued: the broker was down when the upload committed) or Guardando by a lost worker (phase two holds
    its row lock for its whole transaction, so one that can be locked, ``skip_locked``, has no live task), not
    touched for ``antiguedad``. Validando is left alone: a long phase one may write no progress while it reads.
    Both phases are safe to run twice. Returns the uploads queued."""
    estatus = modelo.Estatus  # type: ignore[attr-defined]  # every upload model has it
    with transaction.atomic():
        subidas: list[Any] = list(
            modelo._default_manager.select_for_update(skip_locked=True)
            .filter(estatus__in=(estatus.RECIBIDA, estatus.APLICANDO), updated_at__lte=timezone.now() - antiguedad)
            .order_by("pk")[:100]
        )
        # Queued now: the next sweeps leave them to the worker for another ``antiguedad``.
        modelo._default_manager.filter(pk__in=[s.pk for s in subidas]).update(updated_at=timezone.now())
        for subida in subidas:
            tarea = aplicar if subida.estatus == estatus.APLICANDO else validar
            logger.warning("Se reanuda %s %s (%s)", modelo._meta.verbose_name, subida.pk, subida.estatus)
            sin_broker = partial(logger.warning, "No se pudo encolar %s de %s", nombre_corto(tarea), subida.pk)
            transaction.on_commit(partial(encolar, tarea, subida, sin_broker=sin_broker))
    return [s.pk for s in subidas]


def fase_fallida(modelo: type[SubidaDosFases], *, pk: int, fase: str, mensaje: str) -> None:
    """A phase's task failed: the upload says so (``mensaje``) instead of its page waiting forever. Only a phase
    still running is touched: a failed second delivery leaves a finished one as it is. Phase one ends Rechazada,
    phase two goes back to Validada (nothing was stored: its transaction rolled back)."""
    estatus = modelo.Estatus
    if fase == "validar":
        subidas = modelo._default_manager.filter(pk=pk, estatus__in=(estatus.RECIBIDA, estatus.VALIDANDO))
        subidas.update(estatus=estatus.RECHAZADA, mensaje=mensaje, progreso=100)
    else:
        subidas = modelo._default_manager.filter(pk=pk, estatus=estatus.APLICANDO)
        subidas.update(estatus=estatus.VALIDADA, mensaje=mensaje, progreso=100)


def ejecutar_fase(
    correr: Callable[[], Any], fallo: Callable[..., Any], *, mensaje_memoria: str | None = None
) -> str:
    """A task's body: ``correr`` runs one phase of an upload and its new estatus is returned. A failure marks
    the upload through ``fallo`` (with the rule's own message when it is one) instead of leaving its page
    polling forever, and is raised again for Celery; phase two's transaction has rolled back, so nothing is
    half-stored. With ``mensaje_memoria``, running out of memory is told to the user in those words."""
    try:
        return correr().estatus
    except ValidationError as error:
        fallo(mensaje=" ".join(error.messages))
        raise
    except MemoryError:
        if mensaje_memoria is None:
            fallo()
        else:
            fallo(mensaje=mensaje_memoria)
        raise
    except Exception:
        fallo()
        raise
