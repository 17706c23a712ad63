"""Modificar presentación: complementarias (ICSOE-DOMAIN.md 3.2 and 3.3) and what signing one does. The presented
Normal is signed once for the module; an informativa not presented: test_complementarias_sin_presentar.py."""

from __future__ import annotations

import datetime
import re
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.core.exceptions import ValidationError

from informativas.captura import services
from informativas.models import Acuse, Contrato, FolioContador, Informativa, Trabajador
from informativas.presentacion import acuses
from informativas.presentacion import services as presentacion

from ..conftest import firmada_intacta, firmar

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _sin_bloqueos():
    cache.clear()


@pytest.fixture
def presentada(normal_firmada_del_modulo):
    """Signed once for the module (conftest's normal_firmada_del_modulo)."""
    return normal_firmada_del_modulo


@pytest.fixture
def contratista(presentada):
    return presentada.contratista


def _crear(origen, tipo, contratista, **kwargs):
    return presentacion.complementaria_crear(origen=origen, tipo=tipo, usuario=contratista.usuario, **kwargs)


def test_a_correccion_is_an_editable_full_copy_whose_contracts_keep_their_folios(presentada, contratista, sepomex):
    original = presentada.contratos.get()

    correccion = _crear(presentada, "CORRECCION", contratista)

    assert correccion.estatus == Informativa.Estatus.EN_CAPTURA and correccion.editable
    assert correccion.informativa_origen == presentada
    assert (correccion.anio, correccion.cuatrimestre, correccion.tipo) == (2026, 1, "CORRECCION")
    assert correccion.folio_definitivo == "" and correccion.contratos_declarados == 1
    copia = correccion.contratos.get()
    # A contract keeps its folio across complementarias (issue 14, defect 19): the same contract, corrected.
    assert copia.folio == original.folio and re.fullmatch(r"A26P\d{7}", copia.folio)
    assert copia.pk != original.pk
    for campo in ("contratante_rfc", "contratante_razon_social", "objeto", "servicio", "fecha_inicio"):
        assert getattr(copia, campo) == getattr(original, campo)
    assert list(copia.trabajadores.values_list("nss", "curp", "sbc")) == list(
        original.trabajadores.values_list("nss", "curp", "sbc")
    )
    # Editing the copy never touches what was presented.
    trabajador = copia.trabajadores.get()
    services.trabajador_actualizar(
        trabajador=trabajador, nss=trabajador.nss, curp=trabajador.curp, sbc=Decimal("600.00"), usuario=contratista.usuario
    )
    assert original.trabajadores.get().sbc == Decimal("452.37")
    assert acuses.acuse_verificar(folio=presentada.folio_definitivo).valida


def test_signing_a_correccion_replaces_the_original_with_its_own_folio_and_acuse(presentada, fiel, contratista):
    correccion = _crear(presentada, "CORRECCION", contratista)
    services.informativa_enviar_a_firma(informativa=correccion, usuario=contratista.usuario)

    correccion = firmar(correccion, fiel, usuario=contratista.usuario)

    presentada.refresh_from_db()
    assert presentada.estatus == Informativa.Estatus.SUSTITUIDA
    assert correccion.estatus == Informativa.Estatus.PRESENTADA
    assert re.fullmatch(r"C26\d{7}", correccion.folio_definitivo)
    assert correccion.acuse.pk != presentada.acuse.pk
    assert correccion.cadena_original.split("|")[8] == "CORRECCION"
    nueva = acuses.acuse_verificar(folio=correccion.folio_definitivo)
    assert nueva.valida, nueva.problemas
    anterior = acuses.acuse_verificar(folio=presentada.folio_definitivo)
    assert anterior.valida  # what was filed then is still provably what was filed
    assert anterior.sustituida_por == correccion
    with pytest.raises(ValidationError, match="Sólo se puede modificar una informativa presentada y vigente."):
        _crear(presentada, "CORRECCION", contratista)


def test_a_sin_efectos_carries_no_data_goes_to_signing_and_cancels_the_original(presentada, fiel, contratista):
    sin_efectos = _crear(presentada, "SIN_EFECTOS", contratista)

    assert sin_efectos.estatus == Informativa.Estatus.PENDIENTE_FIRMA
    assert not sin_efectos.contratos.exists()
    sin_efectos = firmar(sin_efectos, fiel, usuario=contratista.usuario)
    assert re.fullmatch(r"SE26\d{7}", sin_efectos.folio_definitivo)
    presentada.refresh_from_db()
    assert presentada.estatus == Informativa.Estatus.DEJADA_SIN_EFECTOS  # its own state, not "Sustituida"
    assert acuses.acuse_verificar(folio=sin_efectos.folio_definitivo).valida


def test_actualizacion_only_in_january_may_or_september(presentada, contratista, fiel, settings):
    with pytest.raises(ValidationError, match="sólo puede presentarse en enero, mayo o septiembre"):
        _crear(presentada, "ACTUALIZACION", contratista, hoy=datetime.date(2026, 6, 1))

    actualizacion = _crear(presentada, "ACTUALIZACION", contratista, hoy=datetime.date(2026, 9, 3))
    assert actualizacion.contratos.count() == 1
    services.informativa_enviar_a_firma(informativa=actualizacion, usuario=contratista.usuario)
    settings.ICSOE_HOY = "2026-09-30"  # the portal's clock on the day it is signed
    actualizacion = firmar(actualizacion, fiel, usuario=contratista.usuario)
    assert re.fullmatch(r"A26\d{7}", actualizacion.folio_definitivo)


def _actualizacion_pendiente(presentada, contratista, *, hoy: datetime.date) -> Informativa:
    actualizacion = _crear(presentada, "ACTUALIZACION", contratista, hoy=hoy)
    return services.informativa_enviar_a_firma(informativa=actualizacion, usuario=contratista.usuario, hoy=hoy)


def test_an_actualizacion_started_in_may_cannot_be_signed_in_june(presentada, contratista, fiel, settings):
    actualizacion = _actualizacion_pendiente(presentada, contratista, hoy=datetime.date(2026, 5, 29))

    settings.ICSOE_HOY = "2026-06-01"
    with pytest.raises(ValidationError, match="sólo puede presentarse en enero, mayo o septiembre"):
        firmar(actualizacion, fiel, usuario=contratista.usuario)

    actualizacion.refresh_from_db()
    presentada.refresh_from_db()
    assert actualizacion.estatus == Informativa.Estatus.PENDIENTE_FIRMA and actualizacion.folio_definitivo == ""
    assert presentada.estatus == Informativa.Estatus.PRESENTADA
    assert not Acuse.objects.filter(informativa=actualizacion).exists()
    assert not FolioContador.objects.filter(serie="A26").exists()  # refused before a folio was taken


def test_the_signing_date_of_an_actualizacion_can_be_given_to_the_service(presentada, contratista, fiel):
    actualizacion = _actualizacion_pendiente(presentada, contratista, hoy=datetime.date(2026, 9, 30))

    def firmar_el(dia: datetime.date) -> Informativa:
        return firmar(actualizacion, fiel, usuario=contratista.usuario, hoy=dia)  # firma_preparar(hoy=...)

    with pytest.raises(ValidationError, match="sólo puede presentarse en enero, mayo o septiembre"):
        firmar_el(datetime.date(2026, 10, 1))
    firmada = firmar_el(datetime.date(2027, 1, 4))

    assert firmada.estatus == Informativa.Estatus.PRESENTADA
    assert acuses.acuse_verificar(folio=firmada.folio_definitivo).valida


def test_an_actualizacion_is_created_and_signed_in_january(presentada, contratista, fiel, settings):
    settings.ICSOE_HOY = "2027-01-12"  # the portal's clock: creation and signing both read it

    actualizacion = _crear(presentada, "ACTUALIZACION", contratista)
    assert actualizacion.estatus == Informativa.Estatus.EN_CAPTURA and actualizacion.contratos.count() == 1
    services.informativa_enviar_a_firma(informativa=actualizacion, usuario=contratista.usuario)
    actualizacion = firmar(actualizacion, fiel, usuario=contratista.usuario)

    presentada.refresh_from_db()
    assert re.fullmatch(r"A26\d{7}", actualizacion.folio_definitivo)  # the period's year, not the filing's
    assert presentada.estatus == Informativa.Estatus.SUSTITUIDA
    assert acuses.acuse_verificar(folio=actualizacion.folio_definitivo).valida


def test_a_fifth_correccion_is_refused_by_the_service(presentada, contratista, fiel):
    vigente = presentada
    for _ in range(presentacion.COMPLEMENTARIAS_POR_PERIODO):
        correccion = _crear(vigente, "CORRECCION", contratista)
        services.informativa_enviar_a_firma(informativa=correccion, usuario=contratista.usuario)
        vigente = firmar(correccion, fiel, usuario=contratista.usuario)
    assert presentacion.complementarias_restantes(informativa=vigente) == 0

    with pytest.raises(ValidationError, match="Ya existen las 4 informativas complementarias permitidas"):
        _crear(vigente, "CORRECCION", contratista)

    assert Informativa.objects.filter(tipo="CORRECCION").count() == 4
    assert Informativa.objects.get(estatus=Informativa.Estatus.PRESENTADA) == vigente


def test_at_most_four_complementarias_per_period_not_counting_actualizacion(presentada, contratista):
    for _ in range(4):
        Informativa.objects.create(
            contratista=contratista,
            anio=2026,
            cuatrimestre=1,
            tipo="CORRECCION",
            informativa_origen=presentada,
            estatus=Informativa.Estatus.SUSTITUIDA,
        )
    assert presentacion.complementarias_restantes(informativa=presentada) == 0

    with pytest.raises(ValidationError, match="Ya existen las 4 informativas complementarias permitidas"):
        _crear(presentada, "CORRECCION", contratista)
    with pytest.raises(ValidationError, match="Ya existen las 4"):
        _crear(presentada, "SIN_EFECTOS", contratista)
    assert _crear(presentada, "ACTUALIZACION", contratista, hoy=datetime.date(2026, 5, 4)).tipo == "ACTUALIZACION"


def test_only_one_open_complementaria_per_presented_informativa(presentada, contratista):
    _crear(presentada, "CORRECCION", contratista)

    with pytest.raises(ValidationError, match="Ya existe una complementaria en captura"):
        _crear(presentada, "CORRECCION", contratista)


def test_a_correccion_whose_original_was_replaced_meanwhile_cannot_be_signed(presentada, fiel, contratista):
    primera = _crear(presentada, "CORRECCION", contratista)
    services.informativa_enviar_a_firma(informativa=primera, usuario=contratista.usuario)
    Informativa.objects.filter(pk=presentada.pk).update(estatus=Informativa.Estatus.SUSTITUIDA)

    with pytest.raises(ValidationError, match="ya no está vigente"):
        firmar(primera, fiel, usuario=contratista.usuario)
    primera.refresh_from_db()
    assert primera.estatus == Informativa.Estatus.PENDIENTE_FIRMA


def test_copying_a_large_informativa_copies_every_worker(presentada, contratista):
    from ..datos import curp, nss

    contrato = Contrato.objects.get(informativa=presentada)
    Trabajador.objects.bulk_create(
        [Trabajador(contrato=contrato, nss=nss(n), curp=curp(n), sbc=Decimal("300.00")) for n in range(2, 302)]
    )

    correccion = _crear(presentada, "CORRECCION", contratista)

    assert Trabajador.objects.filter(contrato__informativa=correccion).count() == 301


# ----------------------------------------------------------------------------------------------------------
# Last in the module: what the tests above signed or changed stayed in each of them
# ----------------------------------------------------------------------------------------------------------
def test_the_earlier_tests_left_nothing_behind(_normal_firmada_del_modulo, db):
    firmada_intacta(_normal_firmada_del_modulo)
