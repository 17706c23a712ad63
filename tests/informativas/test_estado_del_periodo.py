"""One state of a period, whatever screen asks it (issue 22): random chains of Normal / Sin información /
Corrección / Sin efectos / Actualización, built and signed with the real services, then the board, its cell,
the bandeja, the period page, the reminders and the public verification must all say the same thing: which
filing is in force (if any), whether it was late, and whether the period is still to present."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

import hypothesis
import pytest
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, example, given
from hypothesis import strategies as st

from contratistas.models import Contratista
from informativas.captura import services
from informativas.captura.pendientes import plazos_de
from informativas.models import Informativa
from informativas.periodos import Periodo
from informativas.presentacion import services as presentacion
from informativas.presentacion.verificacion import acuse_consultar
from informativas.tablero.services import celda_de, tablero_de
from recordatorios.models import Recordatorio
from recordatorios.services import recordatorios_enviar

from .conftest import agregar_trabajador, datos_contratante, firmar

pytestmark = pytest.mark.django_db

D = datetime.date
PERIODO = Periodo(2026, 3)  # September–December 2026: deadline Monday 18 January 2027
HOY = D(2027, 1, 20)  # two days late: the "venció" reminder is due, the period is overdue in the bandeja
A_TIEMPO, TARDE = D(2027, 1, 12), D(2027, 1, 20)  # both in January, when an Actualización may be filed

NORMAL, SIN_INFORMACION, CORRECCION, SIN_EFECTOS, ACTUALIZACION = (
    "NORMAL",
    "SIN_INFORMACION",
    "CORRECCION",
    "SIN_EFECTOS",
    "ACTUALIZACION",
)
ACCIONES = (NORMAL, SIN_INFORMACION, CORRECCION, SIN_EFECTOS, ACTUALIZACION)


@dataclass
class Cadena:
    """What the chain should be, step by step, by the rules of vigencia.py (the test's own model)."""

    vigente: Informativa | None = None
    tarde: bool = False  # the Normal or Sin información that opened the chain in force was late
    presentadas: list[Informativa] = field(default_factory=list)
    en_curso: Informativa | None = None  # the last step, started and not signed


def _normal(contratista: Contratista, hoy: datetime.date) -> Informativa:
    """A Normal with one contrato and one trabajador, sent to signing (as the wizard leaves it)."""
    u = contratista.usuario
    informativa = services.informativa_crear(
        contratista=contratista, anio=PERIODO.anio, cuatrimestre=PERIODO.cuatrimestre, tipo=NORMAL, usuario=u,
        hoy=hoy, confirmar_sin_complementarias=True,
    )
    informativa = services.informativa_contratista_guardar(informativa=informativa, igual_fiscal=True, domicilio=None, usuario=u)
    contrato = services.contrato_crear(informativa=informativa, contratante=datos_contratante(), usuario=u)
    contrato = services.contrato_actualizar(
        contrato=contrato, objeto="OC 4500012345 limpieza", registro_repse="AR12345/2021",
        servicio="Servicio especializado de limpieza industrial", fecha_inicio=D(2026, 10, 1), fecha_termino=None,
        usuario=u,
    )
    agregar_trabajador(contrato, u, 1)
    services.informativa_contratos_declarados_guardar(informativa=informativa, numero=1, usuario=u)
    return services.informativa_enviar_a_firma(informativa=informativa, usuario=u, hoy=hoy)


def _empezar(accion: str, cadena: Cadena, contratista: Contratista, hoy: datetime.date) -> Informativa | None:
    """Starts the step through the services, up to Pendiente de firma; None when the rules do not allow it now
    (a complementaria with no filing in force, a new filing over one in force, the limit of four)."""
    u = contratista.usuario
    if accion in (NORMAL, SIN_INFORMACION):
        if cadena.vigente is not None:
            return None
        if accion == NORMAL:
            return _normal(contratista, hoy)
        return services.informativa_sin_informacion_declarar(
            contratista=contratista, anio=PERIODO.anio, cuatrimestre=PERIODO.cuatrimestre, usuario=u, hoy=hoy,
            confirmar_sin_complementarias=True,
        )
    origen = cadena.vigente
    if origen is None or (accion != SIN_EFECTOS and not origen.con_contratos):
        return None
    try:
        nueva = presentacion.complementaria_crear(origen=origen, tipo=accion, usuario=u, hoy=hoy)
    except ValidationError as error:
        assert error.code == "limite", error
        return None
    if nueva.estatus == Informativa.Estatus.EN_CAPTURA:
        nueva = services.informativa_enviar_a_firma(informativa=nueva, usuario=u, hoy=hoy)
    return nueva


def _construir(pasos: list[tuple[str, bool]], firmar_ultimo: bool, contratista, fiel) -> Cadena:
    cadena = Cadena()
    for numero, (accion, tarde) in enumerate(pasos):
        hoy = TARDE if tarde else A_TIEMPO
        informativa = _empezar(accion, cadena, contratista, hoy)
        if informativa is None:
            continue
        if numero == len(pasos) - 1 and not firmar_ultimo:
            cadena.en_curso = informativa
            break
        informativa = firmar(informativa, fiel, usuario=contratista.usuario, hoy=hoy)
        cadena.presentadas.append(informativa)
        if accion in (NORMAL, SIN_INFORMACION):
            cadena.tarde = tarde
        cadena.vigente = None if accion == SIN_EFECTOS else informativa
    return cadena


def _esperado(cadena: Cadena) -> tuple[str, Informativa | None]:
    """The board's state of the period and the informativa its cell (and the period page) opens."""
    if cadena.vigente is not None:
        if cadena.en_curso is not None:
            return "complementaria_en_curso", cadena.en_curso
        return ("presentada_extemporanea" if cadena.tarde else "presentada"), cadena.vigente
    if cadena.en_curso is not None:
        pendiente = cadena.en_curso.estatus == Informativa.Estatus.PENDIENTE_FIRMA
        return ("en_firma" if pendiente else "borrador"), cadena.en_curso
    if cadena.presentadas:  # every filing left without effect: none in force, to present again
        return "sin_efectos", None
    return "sin_iniciar", None


def _pasos():
    """A Normal or Sin información, then up to three more steps, each signed on time or late; once late, every
    later step is late too (time goes on). A step the rules do not allow then is skipped."""
    primero = st.sampled_from((NORMAL, SIN_INFORMACION))
    acciones = st.tuples(primero, st.lists(st.sampled_from(ACCIONES), max_size=3)).map(lambda t: [t[0], *t[1]])
    return acciones.flatmap(
        lambda acciones: st.integers(0, len(acciones)).map(
            lambda desde: [(a, i >= desde) for i, a in enumerate(acciones)]
        )
    )


@pytest.fixture
def escena(contratista, capturista, fiel, padron_sat, settings):
    """The contratista (registered in 2025, with an email) served by a capturista; today is 20 Jan 2027."""
    settings.ICSOE_HOY = HOY.isoformat()
    alta = timezone.make_aware(datetime.datetime(2025, 3, 3, 10))
    Contratista.objects.filter(pk=contratista.pk).update(created_at=alta, correo="avisos@esi.example.mx")
    contratista.refresh_from_db()
    return contratista, capturista, fiel


def _todas_las_pantallas(client, contratista, capturista, cadena: Cadena) -> None:
    estado, abre = _esperado(cadena)
    por_presentar = cadena.vigente is None

    # the board and the cell it opens
    (fila,) = tablero_de(capturista=capturista, hoy=HOY).filas
    celda = fila.celdas[0]
    assert celda.periodo == PERIODO
    assert (str(celda.estado), celda.informativa) == (estado, abre.code if abre else None)
    assert celda.por_presentar == por_presentar
    _, reabierta = celda_de(capturista=capturista, contratista_code=contratista.code, periodo=PERIODO)
    assert (str(reabierta.estado), reabierta.informativa) == (estado, abre.code if abre else None)

    # the bandeja: overdue and still to present exactly when nothing is in force
    plazos = plazos_de(contratista=contratista, hoy=HOY)
    assert (PERIODO in [p.periodo for p in plazos.no_presentados]) == por_presentar
    assert plazos.por_vencer == []

    # the period page: the informativa the cell opens, or the choice to capture or present Sin información
    client.force_login(contratista.usuario)
    respuesta = client.get(reverse("informativas:periodo", args=[contratista.code, PERIODO.anio, PERIODO.cuatrimestre]))
    if abre is not None:
        assert respuesta.status_code == 302
        assert respuesta["Location"] == reverse("informativas:detalle", args=[abre.code])
    else:
        assert respuesta.status_code == 200
        html = respuesta.content.decode()
        assert "Presentar Sin información" in html
        if cadena.presentadas:  # says why a period with filings has none in force
            assert cadena.presentadas[-1].folio_definitivo in html
            assert "no tiene una informativa vigente" in html

    # the reminders: the one due today goes out exactly when nothing is in force
    recordatorios_enviar(hoy=HOY)
    assert Recordatorio.objects.filter(contratista=contratista).exists() == por_presentar

    # the public verification of every acuse of the chain names the same filing in force
    for informativa in cadena.presentadas:
        consulta = acuse_consultar(
            folio=informativa.folio_definitivo, codigo=informativa.acuse.codigo_verificacion, pdf=None, ip="10.0.0.1"
        )
        vigente = consulta.verificacion.vigente_del_periodo
        assert (vigente.pk if vigente else None) == (cadena.vigente.pk if cadena.vigente else None)


@hypothesis.settings(
    max_examples=6,  # each signature builds and seals an acuse PDF: about 1.5 s each
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(pasos=_pasos(), firmar_ultimo=st.booleans())
# The chain: a Normal, a Corrección, then a Sin efectos; the board said «Presentada extemporánea».
@example(pasos=[(NORMAL, True), (CORRECCION, True), (SIN_EFECTOS, True)], firmar_ultimo=True)
def test_every_screen_agrees_on_the_state_of_a_period_whatever_the_chain(escena, client, pasos, firmar_ultimo):
    contratista, capturista, fiel = escena
    cache.clear()
    with transaction.atomic():  # each example starts from the same empty period
        cadena = _construir(pasos, firmar_ultimo, contratista, fiel)
        _todas_las_pantallas(client, contratista, capturista, cadena)
        transaction.set_rollback(True)
