"""Business rules of capture: one informativa per period, the contract and worker rules, the seven IMSS
inconsistencies, the hand-over to signing and the audit trail."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from core.models import Bitacora
from informativas import reglas
from informativas.bitacora import bitacora_de
from informativas.captura import services
from informativas.models import Contrato, Informativa, Trabajador

from ..conftest import datos_contratante
from ..datos import curp, nss

pytestmark = pytest.mark.django_db


# ----------------------------------------------------------------------------------------------------------
# Nueva informativa
# ----------------------------------------------------------------------------------------------------------
def test_it_creates_a_draft_normal_marked_late_after_the_deadline(contratista):
    informativa = services.informativa_crear(
        contratista=contratista, anio=2026, cuatrimestre=1, tipo="NORMAL", usuario=contratista.usuario
    )

    assert informativa.estatus == Informativa.Estatus.EN_CAPTURA
    assert informativa.extemporanea  # today is 1 June 2026, the deadline was 18 May 2026
    assert informativa.creada_por == contratista.usuario


def test_an_informativa_within_the_window_is_not_late(contratista):
    informativa = services.informativa_crear(
        contratista=contratista,
        anio=2026,
        cuatrimestre=1,
        tipo="NORMAL",
        usuario=contratista.usuario,
        hoy=datetime.date(2026, 5, 18),
    )

    assert not informativa.extemporanea


def test_it_refuses_a_period_that_has_not_ended(contratista):
    with pytest.raises(ValidationError) as error:
        services.informativa_crear(
            contratista=contratista, anio=2026, cuatrimestre=2, tipo="NORMAL", usuario=contratista.usuario
        )

    assert error.value.messages == ["El periodo seleccionado aún no concluye."]
    assert not Informativa.objects.exists()


def test_it_refuses_a_second_normal_for_the_same_period(informativa, contratista):
    with pytest.raises(ValidationError) as error:
        services.informativa_crear(
            contratista=contratista, anio=2026, cuatrimestre=1, tipo="NORMAL", usuario=contratista.usuario
        )

    assert error.value.messages == [
        "Ya existe una informativa Normal del primer cuatrimestre de 2026. Sólo puede presentarse una por periodo."
    ]
    assert Informativa.objects.count() == 1


def test_it_refuses_a_sin_informacion_when_a_normal_exists_for_the_period(informativa, contratista):
    with pytest.raises(ValidationError, match="Ya existe una informativa Normal"):
        services.informativa_sin_informacion_declarar(
            contratista=contratista, anio=2026, cuatrimestre=1, usuario=contratista.usuario
        )


def test_the_database_itself_refuses_two_informativas_for_one_period(informativa, contratista):
    with pytest.raises(IntegrityError), transaction.atomic():
        Informativa.objects.create(contratista=contratista, anio=2026, cuatrimestre=1, tipo="SIN_INFORMACION")


def test_a_replaced_informativa_frees_its_period(informativa, contratista):
    Informativa.objects.filter(pk=informativa.pk).update(estatus=Informativa.Estatus.SUSTITUIDA)

    nueva = services.informativa_crear(
        contratista=contratista, anio=2026, cuatrimestre=1, tipo="NORMAL", usuario=contratista.usuario
    )

    assert nueva.pk != informativa.pk


def test_other_contratistas_have_their_own_periods(informativa, otro_contratista):
    otra = services.informativa_crear(
        contratista=otro_contratista,
        anio=2026,
        cuatrimestre=1,
        tipo="NORMAL",
        usuario=otro_contratista.usuario,
    )

    assert otra.contratista == otro_contratista


def test_a_sin_informacion_goes_straight_to_pending_signature(contratista, capturista):
    informativa = services.informativa_sin_informacion_declarar(
        contratista=contratista, anio=2025, cuatrimestre=3, usuario=capturista
    )

    assert informativa.estatus == Informativa.Estatus.PENDIENTE_FIRMA
    assert informativa.tipo == Informativa.Tipo.SIN_INFORMACION
    assert [e["accion"] for e in bitacora_de(informativa)] == [
        "Envió la informativa a firma",
        "Creó la informativa",
    ]


# ----------------------------------------------------------------------------------------------------------
# Contratista, contratante and contrato
# ----------------------------------------------------------------------------------------------------------
def test_the_contratista_tab_stores_a_domicilio_convencional_when_not_the_fiscal_one(
    informativa, contratista, sepomex
):
    informativa = services.informativa_contratista_guardar(
        informativa=informativa,
        igual_fiscal=False,
        usuario=contratista.usuario,
        domicilio={
            "asentamiento": sepomex["san_angel"],
            "calle": "AV. REVOLUCIÓN",
            "numero_exterior": "1500",
            "sin_numero": False,
        },
    )

    assert informativa.domicilio_convencional.asentamiento == sepomex["san_angel"]
    assert informativa.domicilio_convencional_igual_fiscal is False

    anterior = informativa.domicilio_convencional_id
    informativa = services.informativa_contratista_guardar(
        informativa=informativa, igual_fiscal=True, domicilio=None, usuario=contratista.usuario
    )
    assert informativa.domicilio_convencional is None
    from contratistas.models import Domicilio

    assert not Domicilio.objects.filter(pk=anterior).exists()


def test_a_contract_gets_its_folio_and_the_name_from_the_sat_registry(informativa, contratista, padron_sat):
    contrato = services.contrato_crear(
        informativa=informativa,
        contratante=datos_contratante(razon_social="OTRO NOMBRE"),
        usuario=contratista.usuario,
    )

    assert contrato.folio == "A26P0000001"
    assert contrato.contratante_razon_social == "CLIENTE INDUSTRIAL SA DE CV"
    assert contrato.contratante_en_padron


def test_an_rfc_outside_the_registry_keeps_the_typed_name(informativa, contratista):
    contrato = services.contrato_crear(
        informativa=informativa,
        contratante=datos_contratante(rfc="SCO990101AA6", razon_social="SERVICIOS COSTA"),
        usuario=contratista.usuario,
    )

    assert contrato.contratante_razon_social == "SERVICIOS COSTA"
    assert not contrato.contratante_en_padron


def test_the_contratante_cannot_be_the_contratista_itself(informativa, contratista):
    with pytest.raises(ValidationError) as error:
        services.contrato_crear(
            informativa=informativa,
            contratante=datos_contratante(rfc=contratista.rfc, razon_social="X"),
            usuario=contratista.usuario,
        )

    assert error.value.message_dict == {"rfc": [reglas.MENSAJE_MISMO_RFC]}
    assert not Contrato.objects.exists()


def test_a_persona_fisica_contratante_has_no_domicilio_social(informativa, contratista, sepomex):
    contrato = services.contrato_crear(
        informativa=informativa,
        usuario=contratista.usuario,
        contratante=datos_contratante(
            rfc="GAPA800101ABA",
            razon_social="ANA GARCÍA PÉREZ",
            domicilio_social_igual_fiscal=False,
            domicilio_convencional_igual_fiscal=False,
            domicilio_convencional={
                "asentamiento": sepomex["tlacopac"],
                "calle": "CAMINO REAL",
                "sin_numero": True,
            },
        ),
    )

    assert contrato.domicilio_social_igual_fiscal is None
    assert contrato.domicilio_social is None
    assert str(contrato.domicilio_convencional).startswith("CAMINO REAL S/N, TLACOPAC")
    assert contrato.contratante_completo


def test_the_start_date_must_fall_inside_the_period(contrato, contratista):
    with pytest.raises(ValidationError) as error:
        services.contrato_actualizar(
            contrato=contrato,
            objeto="x",
            registro_repse="R",
            servicio="limpieza",
            fecha_inicio=datetime.date(2026, 5, 2),
            fecha_termino=None,
            usuario=contratista.usuario,
        )

    assert error.value.message_dict == {
        "fecha_inicio": [
            "La fecha de inicio debe estar dentro del periodo que se informa: del 01/01/2026 al 30/04/2026."
        ]
    }
    contrato.refresh_from_db()
    assert contrato.fecha_inicio == datetime.date(2026, 2, 1)


def test_the_end_date_cannot_come_before_the_start(contrato, contratista):
    with pytest.raises(ValidationError) as error:
        services.contrato_actualizar(
            contrato=contrato,
            objeto="x",
            registro_repse="R",
            servicio="limpieza",
            fecha_inicio=datetime.date(2026, 3, 2),
            fecha_termino=datetime.date(2026, 3, 1),
            usuario=contratista.usuario,
        )

    assert error.value.message_dict == {
        "fecha_termino": ["La fecha de término no puede ser anterior a la fecha de inicio."]
    }


def test_a_contract_needs_the_description_of_the_service(contrato, contratista):
    with pytest.raises(ValidationError) as error:
        services.contrato_actualizar(
            contrato=contrato,
            objeto="x",
            registro_repse="R",
            servicio="   ",
            fecha_inicio=datetime.date(2026, 3, 2),
            fecha_termino=None,
            usuario=contratista.usuario,
        )

    # IMSS rule 2 (ICSOE-DOMAIN.md 5.2), refused at capture with its own message
    assert error.value.message_dict == {
        "servicio": ["Captura la descripción del servicio u obra especializado contratado."]
    }
    contrato.refresh_from_db()
    assert contrato.servicio == "Servicio especializado de limpieza industrial"


# ----------------------------------------------------------------------------------------------------------
# Trabajadores
# ----------------------------------------------------------------------------------------------------------
def test_a_worker_takes_the_names_of_the_curp_registry(contrato, capturista, renapo):
    trabajador = services.trabajador_agregar(
        contrato=contrato,
        nss=nss(1),
        curp=renapo.curp,
        sbc=Decimal("500.10"),
        usuario=capturista,
        nombre="OTRO",
        primer_apellido="NOMBRE",
    )

    assert (trabajador.nombre, trabajador.primer_apellido, trabajador.segundo_apellido) == (
        "MARÍA",
        "LÓPEZ",
        "HERNÁNDEZ",
    )
    assert trabajador.origen == Trabajador.Origen.INDIVIDUAL


def test_a_worker_outside_the_registry_keeps_the_typed_names(contrato, capturista):
    trabajador = services.trabajador_agregar(
        contrato=contrato,
        nss=nss(2),
        curp=curp(2),
        sbc=Decimal("500.10"),
        usuario=capturista,
        nombre="luis",
        primer_apellido="ruiz",
    )

    assert trabajador.nombre_completo == "LUIS RUIZ"


def test_a_worker_cannot_be_twice_in_the_same_contract(trabajador, contrato, contratista):
    with pytest.raises(ValidationError) as error:
        services.trabajador_agregar(
            contrato=contrato,
            nss=trabajador.nss,
            curp=trabajador.curp,
            sbc=Decimal("1.00"),
            usuario=contratista.usuario,
        )

    assert error.value.message_dict == {
        "nss": ["El NSS ya está registrado en este contrato."],
        "curp": ["La CURP ya está registrada en este contrato."],
    }
    assert contrato.trabajadores.count() == 1


def test_the_database_refuses_a_repeated_worker_too(trabajador):
    with pytest.raises(IntegrityError), transaction.atomic():
        Trabajador.objects.create(contrato=trabajador.contrato, nss=trabajador.nss, curp=curp(99), sbc=1)


def test_the_same_worker_may_serve_two_contracts(trabajador, informativa, contratista):
    otro = services.contrato_crear(
        informativa=informativa,
        contratante=datos_contratante(rfc="SCO990101AA6", razon_social="SERVICIOS COSTA"),
        usuario=contratista.usuario,
    )

    repetido = services.trabajador_agregar(
        contrato=otro,
        nss=trabajador.nss,
        curp=trabajador.curp,
        sbc=Decimal("10.00"),
        usuario=contratista.usuario,
    )

    assert repetido.contrato == otro


def test_editing_a_worker_checks_duplicates_against_the_others_only(trabajador, contrato, contratista):
    otro = services.trabajador_agregar(
        contrato=contrato, nss=nss(2), curp=curp(2), sbc=Decimal("10.00"), usuario=contratista.usuario
    )

    services.trabajador_actualizar(
        trabajador=trabajador,
        nss=trabajador.nss,
        curp=trabajador.curp,
        sbc=Decimal("600.00"),
        usuario=contratista.usuario,
    )
    with pytest.raises(ValidationError, match="El NSS ya está registrado"):
        services.trabajador_actualizar(
            trabajador=otro,
            nss=trabajador.nss,
            curp=curp(2),
            sbc=Decimal("1.00"),
            usuario=contratista.usuario,
        )

    trabajador.refresh_from_db()
    assert trabajador.sbc == Decimal("600.00")


# ----------------------------------------------------------------------------------------------------------
# The seven inconsistencies, "Enviar a firma" and back
# ----------------------------------------------------------------------------------------------------------
def test_a_complete_normal_is_sent_to_signature(trabajador, informativa, capturista):
    services.informativa_contratos_declarados_guardar(informativa=informativa, numero=1, usuario=capturista)

    informativa = services.informativa_enviar_a_firma(informativa=informativa, usuario=capturista)

    assert informativa.estatus == Informativa.Estatus.PENDIENTE_FIRMA
    assert informativa.enviada_a_firma_at is not None


def test_each_inconsistency_blocks_the_sending_with_its_own_message(informativa, contrato, contratista):
    # rule 1: saved behind the services' back, as old data could be
    Contrato.objects.filter(pk=contrato.pk).update(
        contratante_rfc=contratista.rfc, servicio="", fecha_inicio=datetime.date(2025, 12, 31)
    )
    services.informativa_contratos_declarados_guardar(
        informativa=informativa, numero=3, usuario=contratista.usuario
    )

    with pytest.raises(ValidationError) as error:
        services.informativa_enviar_a_firma(informativa=informativa, usuario=contratista.usuario)

    folio = contrato.folio
    assert error.value.messages == [
        f"{reglas.MENSAJE_MISMO_RFC} (Contrato {folio}.)",
        f"El contrato {folio} no tiene la descripción del servicio u obra especializado.",
        f"La fecha de inicio del contrato {folio} (31/12/2025) está fuera del periodo que se informa "
        "(Enero - Abril 2026).",
        f"El contrato {folio} no tiene trabajadores registrados.",
        "El número de contratos declarados (3) no coincide con los contratos capturados (1).",
    ]
    informativa.refresh_from_db()
    assert informativa.estatus == Informativa.Estatus.EN_CAPTURA


def informativa_con_datos_faltantes(contratista):
    """A Normal whose Contratista tab was never answered, with one contract whose contratante lacks the
    domicilio convencional answer and whose objeto and REPSE folio are empty. Returns its contract."""
    informativa = services.informativa_crear(
        contratista=contratista, anio=2026, cuatrimestre=1, tipo="NORMAL", usuario=contratista.usuario
    )
    contrato = services.contrato_crear(
        informativa=informativa,
        contratante=datos_contratante(
            razon_social="CLIENTE INDUSTRIAL SA DE CV", domicilio_convencional_igual_fiscal=None
        ),
        usuario=contratista.usuario,
    )
    return services.contrato_actualizar(
        contrato=contrato,
        objeto="",
        registro_repse="",
        servicio="Servicio especializado de limpieza industrial",
        fecha_inicio=datetime.date(2026, 2, 1),
        fecha_termino=None,
        usuario=contratista.usuario,
    )


def test_missing_contratista_contratante_and_contrato_data_each_block_the_sending(contratista):
    """Data the tabs ask for that the seven rules do not name, each with its own message."""
    contrato = informativa_con_datos_faltantes(contratista)
    informativa = contrato.informativa
    services.trabajador_agregar(
        contrato=contrato, nss=nss(1), curp=curp(1), sbc=Decimal("452.37"), usuario=contratista.usuario
    )
    services.informativa_contratos_declarados_guardar(
        informativa=informativa, numero=1, usuario=contratista.usuario
    )

    with pytest.raises(ValidationError) as error:
        services.informativa_enviar_a_firma(informativa=informativa, usuario=contratista.usuario)

    assert error.value.messages == [
        "Indica en la pestaña Contratista si el domicilio convencional es igual al fiscal.",
        f"Completa los datos del contratante del contrato {contrato.folio}.",
        f"Completa los datos del contrato {contrato.folio}: objeto y servicio u obra especializado.",
    ]
    informativa.refresh_from_db()
    assert informativa.estatus == Informativa.Estatus.EN_CAPTURA


def test_a_normal_without_contracts_cannot_be_sent(informativa, contratista):
    with pytest.raises(ValidationError) as error:
        services.informativa_enviar_a_firma(informativa=informativa, usuario=contratista.usuario)

    assert error.value.messages == [reglas.MENSAJE_SIN_CONTRATOS]


def test_a_contract_without_start_date_is_reported(informativa, contrato, trabajador, contratista):
    Contrato.objects.filter(pk=contrato.pk).update(fecha_inicio=None)
    informativa = services.informativa_contratos_declarados_guardar(
        informativa=informativa, numero=1, usuario=contratista.usuario
    )

    problemas = services.informativa_inconsistencias(informativa=informativa)

    assert [(p.regla, p.mensaje) for p in problemas] == [
        (3, f"El contrato {contrato.folio} no tiene fecha de inicio.")
    ]


def test_another_informativa_in_force_for_the_period_is_rule_six(informativa, contratista):
    # The database constraint makes two impossible; the rule still reads well for a draft being checked.
    candidata = Informativa(contratista=contratista, anio=2026, cuatrimestre=1, tipo="SIN_INFORMACION")

    problemas = services.informativa_inconsistencias(informativa=candidata)

    assert [(p.regla, p.mensaje) for p in problemas] == [
        (
            6,
            "Ya existe una informativa Normal del primer cuatrimestre de 2026. Sólo puede presentarse una por periodo.",
        )
    ]


def test_nothing_can_be_captured_while_pending_signature_until_returned(
    trabajador, informativa, contrato, capturista
):
    services.informativa_contratos_declarados_guardar(informativa=informativa, numero=1, usuario=capturista)
    services.informativa_enviar_a_firma(informativa=informativa, usuario=capturista)

    with pytest.raises(ValidationError) as error:
        services.trabajador_agregar(
            contrato=contrato, nss=nss(5), curp=curp(5), sbc=Decimal("1"), usuario=capturista
        )
    assert error.value.messages == [
        "La informativa está pendiente de firma. Para modificarla, regrésala a captura."
    ]

    services.informativa_regresar_a_captura(informativa=informativa, usuario=capturista)
    services.trabajador_agregar(
        contrato=contrato, nss=nss(5), curp=curp(5), sbc=Decimal("1"), usuario=capturista
    )
    assert contrato.trabajadores.count() == 2


def test_a_presented_informativa_is_read_only(trabajador, informativa, contrato, contratista):
    Informativa.objects.filter(pk=informativa.pk).update(estatus=Informativa.Estatus.PRESENTADA)

    for intento in (
        lambda: services.trabajador_eliminar(trabajador=trabajador, usuario=contratista.usuario),
        lambda: services.contrato_eliminar(contrato=contrato, usuario=contratista.usuario),
        lambda: services.informativa_eliminar(informativa=informativa, usuario=contratista.usuario),
        lambda: services.informativa_regresar_a_captura(informativa=informativa, usuario=contratista.usuario),
    ):
        with pytest.raises(ValidationError):
            intento()

    assert Trabajador.objects.filter(pk=trabajador.pk).exists()


def test_deleting_a_draft_removes_its_contracts_and_workers_but_keeps_the_audit(
    trabajador, informativa, contratista
):
    pk = informativa.pk

    services.informativa_eliminar(informativa=informativa, usuario=contratista.usuario)

    assert not Informativa.objects.exists()
    assert not Trabajador.objects.exists()
    assert Bitacora.objects.filter(objeto_id=str(pk), accion="informativas.informativa.eliminada").exists()


def test_the_audit_trail_says_who_did_what(trabajador, informativa, contrato, capturista, contratista):
    services.trabajador_eliminar(trabajador=trabajador, usuario=capturista)

    trail = bitacora_de(informativa)

    assert trail[0]["usuario"] == "ERNESTO GÓMEZ DÍAZ"
    assert trail[0]["accion"] == f"Eliminó un trabajador (contrato {contrato.folio}, NSS {trabajador.nss})"
    assert {e["usuario"] for e in trail[1:]} == {contratista.usuario.nombre_completo}
    assert "Agregó el contrato (contrato A26P0000001)" in [e["accion"] for e in trail]


def test_a_wizard_save_checks_and_writes_only_its_own_fields_while_it_holds_the_lock(
    informativa, contratista, django_assert_max_num_queries
):
    """The Contratista tab and the number of contratos declared change two columns and one: the model's checks
    of those fields still run (a negative number is refused), but not the foreign keys, unique fields and
    constraints of the rest (ten statements more under the informativa's lock, which every other save in it
    waits for), and the UPDATE writes only them."""
    from django.core.exceptions import ValidationError

    with django_assert_max_num_queries(6) as consultas:
        services.informativa_contratista_guardar(
            informativa=informativa, igual_fiscal=True, domicilio=None, usuario=contratista.usuario
        )
    update = next(q["sql"] for q in consultas.captured_queries if q["sql"].startswith("UPDATE"))
    assert '"num_trabajadores"' not in update and '"domicilio_convencional_igual_fiscal"' in update

    with pytest.raises(ValidationError) as error:
        services.informativa_contratos_declarados_guardar(
            informativa=informativa, numero=-1, usuario=contratista.usuario
        )
    assert "contratos_declarados" in error.value.message_dict
    informativa.refresh_from_db()
    assert informativa.contratos_declarados is None and informativa.domicilio_convencional_igual_fiscal is True
