"""The stored "Contratos relacionados" and "Total de trabajadores" of each informativa: every service that
adds or removes contratos or trabajadores keeps them equal to the real counts, and listing the bandeja reads
them instead of counting workers."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from informativas import reglas
from informativas.captura import services
from informativas.carga import services as carga_services
from informativas.models import Contrato, Informativa, Trabajador
from informativas.presentacion import services as presentacion

from .conftest import agregar_trabajador, datos_contratante, firmar
from .datos import csv_trabajadores, curp, nss
from .fases import en_el_worker

pytestmark = pytest.mark.django_db


def _totales(informativa: Informativa) -> tuple[int, int]:
    """The stored contratos and trabajadores of the informativa, once checked against real counts (its own
    and each contrato's)."""
    informativa.refresh_from_db()
    guardados = (informativa.num_contratos, informativa.num_trabajadores)
    contados = (
        Contrato.objects.filter(informativa=informativa).count(),
        Trabajador.objects.filter(contrato__informativa=informativa).count(),
    )
    assert guardados == contados
    for contrato in Contrato.objects.filter(informativa=informativa):
        assert contrato.num_trabajadores == contrato.trabajadores.count(), contrato.folio
    return guardados


def _contrato(informativa, usuario, cliente_rfc):
    return services.contrato_crear(
        informativa=informativa,
        contratante=datos_contratante(cliente_rfc),
        usuario=usuario,
    )


def test_the_totals_follow_every_service_that_adds_or_removes(informativa, contrato, capturista, cliente_rfc):
    assert _totales(informativa) == (1, 0)

    uno = agregar_trabajador(contrato, capturista, 1)
    agregar_trabajador(contrato, capturista, 2)
    assert _totales(informativa) == (1, 2)

    carga = carga_services.carga_crear(
        contrato=contrato,
        archivo=SimpleUploadedFile("t.csv", csv_trabajadores(5, inicio=100).encode()),
        usuario=capturista,
    )
    carga = carga_services.carga_validar(carga_id=carga.pk)
    assert _totales(informativa) == (1, 2)  # checked, nothing stored yet
    carga = en_el_worker(carga_services.carga_confirmar(carga=carga, usuario=capturista))
    assert carga.guardados == 5
    assert _totales(informativa) == (1, 7)

    carga_services.carga_trabajadores_eliminar(carga=carga, usuario=capturista)
    assert _totales(informativa) == (1, 2)

    services.trabajador_eliminar(trabajador=uno, usuario=capturista)
    assert _totales(informativa) == (1, 1)

    otro = _contrato(informativa, capturista, cliente_rfc)
    agregar_trabajador(otro, capturista, 3)
    agregar_trabajador(otro, capturista, 4)
    assert _totales(informativa) == (2, 3)

    services.contrato_eliminar(contrato=otro, usuario=capturista)
    assert _totales(informativa) == (1, 1)


def test_the_totals_of_one_informativa_do_not_move_another(
    informativa, contrato, contratista, capturista, cliente_rfc
):
    segunda = services.informativa_crear(
        contratista=contratista, anio=2025, cuatrimestre=3, tipo="NORMAL", usuario=contratista.usuario
    )
    agregar_trabajador(_contrato(segunda, capturista, cliente_rfc), capturista, 1)

    agregar_trabajador(contrato, capturista, 2)

    assert _totales(informativa) == (1, 1)
    assert _totales(segunda) == (1, 1)


def test_sending_to_signature_counts_again_whatever_changed_the_workers(trabajador, informativa, contratista):
    """Staff may add a worker in the admin, which calls no service: the totals are exact again once the
    informativa leaves capture, so every later list (firma, consulta, acuses) shows the real numbers."""
    Trabajador.objects.create(contrato=trabajador.contrato, nss=nss(50), curp=curp(50), sbc=Decimal("300.00"))
    informativa.refresh_from_db()
    assert (informativa.num_contratos, informativa.num_trabajadores) == (1, 1)
    services.informativa_contratos_declarados_guardar(
        informativa=informativa, numero=1, usuario=contratista.usuario
    )

    pendiente = services.informativa_enviar_a_firma(informativa=informativa, usuario=contratista.usuario)

    assert (pendiente.num_contratos, pendiente.num_trabajadores) == (1, 2)
    assert _totales(informativa) == (1, 2)


def test_rule_4_is_judged_on_a_fresh_count_when_sending_to_signature(trabajador, informativa, contratista):
    """A contract whose last worker was removed behind the services' back (its stored count still says 1)
    cannot go to signing: the count is taken again before the seven rules."""
    contrato = trabajador.contrato
    Trabajador.objects.filter(pk=trabajador.pk).delete()
    contrato.refresh_from_db()
    assert contrato.num_trabajadores == 1  # stale on purpose
    services.informativa_contratos_declarados_guardar(
        informativa=informativa, numero=1, usuario=contratista.usuario
    )

    with pytest.raises(ValidationError) as error:
        services.informativa_enviar_a_firma(informativa=informativa, usuario=contratista.usuario)

    assert reglas.MENSAJE_SIN_TRABAJADORES.format(folio=contrato.folio) in error.value.messages
    informativa.refresh_from_db()
    assert informativa.estatus == Informativa.Estatus.EN_CAPTURA


def test_a_complementaria_starts_with_the_totals_of_what_it_copied(pendiente, fiel, contratista):
    presentada = firmar(pendiente, fiel, usuario=contratista.usuario)
    contrato = presentada.contratos.get()
    Trabajador.objects.bulk_create(
        [Trabajador(contrato=contrato, nss=nss(n), curp=curp(n), sbc=Decimal("300.00")) for n in range(2, 12)]
    )

    correccion = presentacion.complementaria_crear(
        origen=presentada, tipo="CORRECCION", usuario=contratista.usuario
    )

    assert _totales(correccion) == (1, 11)


def test_the_bandeja_shows_the_totals_without_counting_workers(
    cliente_contratista, informativa, contrato, capturista
):
    for i in range(3):
        agregar_trabajador(contrato, capturista, i)

    with CaptureQueriesContext(connection) as consultas:
        html = cliente_contratista.get("/informativas/").content.decode()

    fila = re.search(rf'<tr data-informativa="{informativa.code}">(.*?)</tr>', html, re.DOTALL).group(1)
    assert '<td data-columna="contratos">1</td>' in fila
    assert '<td data-columna="trabajadores">3</td>' in fila
    tablas = " ".join(q["sql"] for q in consultas.captured_queries)
    assert "informativas_trabajador" not in tablas and "informativas_contrato" not in tablas
