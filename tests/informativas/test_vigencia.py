"""Complementarias: one filing in force per period, a Sin efectos is final, a contract keeps its folio, and every
acuse says what it replaced (issue 14, defects 16-21; issue 13: the cadena names the folio it modifies). The
presented Normal is signed once for the module; the migration's transactional test: test_vigencia_migracion.py."""

from __future__ import annotations

import re

import pytest
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from firma.services import sello_portal
from informativas import selectors, vigencia
from informativas.captura import services
from informativas.models import Contrato, Informativa
from informativas.presentacion import acuses
from informativas.presentacion import services as presentacion
from tests import firma_navegador

from .conftest import firmada_intacta, firmar

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


def _complementaria(origen, tipo, contratista, fiel) -> Informativa:
    """Starts, sends and signs a complementaria of ``origen``."""
    nueva = presentacion.complementaria_crear(origen=origen, tipo=tipo, usuario=contratista.usuario)
    if nueva.estatus == Informativa.Estatus.EN_CAPTURA:
        services.informativa_enviar_a_firma(informativa=nueva, usuario=contratista.usuario)
    return firmar(nueva, fiel, usuario=contratista.usuario)


def _sin_informacion(contratista, fiel, **kwargs) -> Informativa:
    """A new Sin información of the same period (2026-1), signed: a new filing of a period with none in force."""
    nueva = services.informativa_sin_informacion_declarar(
        contratista=contratista, anio=2026, cuatrimestre=1, usuario=contratista.usuario, **kwargs
    )
    return firmar(nueva, fiel, usuario=contratista.usuario)


# ---------------------------------------------------------------------------------------------- defect 16
def test_a_sin_efectos_is_final_it_is_never_the_base_of_a_complementaria(presentada, contratista, fiel):
    sin_efectos = _complementaria(presentada, "SIN_EFECTOS", contratista, fiel)

    for tipo in ("CORRECCION", "SIN_EFECTOS"):
        with pytest.raises(ValidationError, match="Sin efectos es definitiva") as error:
            presentacion.complementaria_crear(origen=sin_efectos, tipo=tipo, usuario=contratista.usuario)
        assert error.value.code == "sin_efectos_definitiva"
    assert not Informativa.objects.filter(informativa_origen=sin_efectos).exists()
    assert not sin_efectos.vigente
    assert list(selectors.presentadas(contratista)) == []


def test_a_sin_efectos_of_a_correccion_cancels_it_and_brings_back_nothing(presentada, contratista, fiel):
    correccion = _complementaria(presentada, "CORRECCION", contratista, fiel)
    sin_efectos = _complementaria(correccion, "SIN_EFECTOS", contratista, fiel)

    presentada.refresh_from_db()
    correccion.refresh_from_db()
    assert presentada.estatus == Informativa.Estatus.SUSTITUIDA  # not brought back
    assert correccion.estatus == Informativa.Estatus.DEJADA_SIN_EFECTOS
    assert sin_efectos.estatus == Informativa.Estatus.PRESENTADA
    assert vigencia.vigente_del_periodo(contratista_id=contratista.pk, anio=2026, cuatrimestre=1) is None
    for origen in (presentada, correccion, sin_efectos):
        with pytest.raises(ValidationError):
            presentacion.complementaria_crear(origen=origen, tipo="CORRECCION", usuario=contratista.usuario)


def test_after_a_sin_efectos_a_new_filing_is_the_only_one_in_force_and_the_only_one_modifiable(
    presentada, contratista, fiel
):
    sin_efectos = _complementaria(presentada, "SIN_EFECTOS", contratista, fiel)
    nueva = _sin_informacion(contratista, fiel)

    presentadas = Informativa.objects.filter(contratista=contratista, estatus=Informativa.Estatus.PRESENTADA)
    assert set(presentadas) == {sin_efectos, nueva}  # both presented...
    assert [i for i in presentadas if i.vigente] == [nueva]  # ...one in force
    assert list(selectors.presentadas(contratista)) == [nueva]
    assert nueva.estatus_texto == "Presentada (vigente)" and sin_efectos.estatus_texto == "Presentada"
    correccion = presentacion.complementaria_crear(origen=nueva, tipo="CORRECCION", usuario=contratista.usuario)
    assert correccion.informativa_origen == nueva


def test_the_database_refuses_a_second_filing_in_force_for_a_period(presentada, contratista):
    with pytest.raises(IntegrityError), transaction.atomic():
        Informativa.objects.create(
            contratista=contratista,
            anio=2026,
            cuatrimestre=1,
            tipo="CORRECCION",
            informativa_origen=presentada,
            estatus=Informativa.Estatus.PRESENTADA,
            folio_definitivo="C260000099",
        )
    # A presented Sin efectos is in force of nothing, so it may stand beside the filing in force.
    Informativa.objects.create(
        contratista=contratista,
        anio=2026,
        cuatrimestre=1,
        tipo="SIN_EFECTOS",
        informativa_origen=presentada,
        estatus=Informativa.Estatus.PRESENTADA,
        folio_definitivo="SE260000099",
    )


def test_a_correccion_of_a_filing_cancelled_meanwhile_cannot_be_signed(presentada, contratista, fiel):
    correccion = presentacion.complementaria_crear(origen=presentada, tipo="CORRECCION", usuario=contratista.usuario)
    services.informativa_enviar_a_firma(informativa=correccion, usuario=contratista.usuario)
    Informativa.objects.filter(pk=presentada.pk).update(estatus=Informativa.Estatus.DEJADA_SIN_EFECTOS)

    with pytest.raises(ValidationError, match="ya no está vigente"):
        firmar(correccion, fiel, usuario=contratista.usuario)
    correccion.refresh_from_db()
    assert correccion.estatus == Informativa.Estatus.PENDIENTE_FIRMA


# ---------------------------------------------------------------------------------------------- defect 17/18
def test_verification_states_the_filing_and_its_chain(presentada, contratista, fiel):
    correccion = _complementaria(presentada, "CORRECCION", contratista, fiel)
    sin_efectos = _complementaria(correccion, "SIN_EFECTOS", contratista, fiel)
    nueva = _sin_informacion(contratista, fiel)
    n, c, se = presentada.folio_definitivo, correccion.folio_definitivo, sin_efectos.folio_definitivo

    normal = acuses.acuse_verificar(folio=n)
    assert normal.valida, normal.problemas
    assert normal.estado == f"Sustituida por la informativa con folio {c}."
    assert normal.sustituida_por == correccion and normal.dejada_sin_efectos_por is None
    assert normal.vigente_del_periodo == nueva

    cancelada = acuses.acuse_verificar(folio=c)
    assert cancelada.valida, cancelada.problemas
    assert cancelada.estado == f"Dejada sin efectos por la informativa con folio {se}."
    assert cancelada.sustituida_por is None and cancelada.dejada_sin_efectos_por == sin_efectos
    assert cancelada.relacion == f"Sustituye a la informativa con folio {n}."

    final = acuses.acuse_verificar(folio=se)
    assert final.valida, final.problemas
    assert final.estado == "Presentada. Es definitiva: no puede modificarse."
    assert final.relacion == f"Deja sin efectos la informativa con folio {c}."
    assert [(e.folio, e.estado) for e in final.historial] == [
        (n, f"Sustituida por la informativa con folio {c}."),
        (c, f"Dejada sin efectos por la informativa con folio {se}."),
        (se, "Presentada. Es definitiva: no puede modificarse."),
    ]
    assert [e.folio for e in normal.historial] == [n, c, se]

    en_vigor = acuses.acuse_verificar(folio=nueva.folio_definitivo)
    assert en_vigor.estado == "Vigente: es la informativa en vigor del periodo."
    assert en_vigor.vigente_del_periodo == nueva and en_vigor.relacion == ""


def test_the_filing_cancelled_by_a_sin_efectos_is_worded_as_such(presentada, contratista, fiel):
    _complementaria(presentada, "SIN_EFECTOS", contratista, fiel)
    presentada.refresh_from_db()

    assert presentada.get_estatus_display() == "Dejada sin efectos"
    assert presentada.estatus_texto == "Dejada sin efectos"
    with pytest.raises(ValidationError, match="fue dejada sin efectos y no puede modificarse"):
        services.informativa_contratos_declarados_guardar(informativa=presentada, numero=2, usuario=contratista.usuario)


# ---------------------------------------------------------------------------------------------- defect 19
def test_a_contract_keeps_its_folio_across_complementarias(presentada, contratista, fiel):
    folio = presentada.contratos.get().folio

    correccion = _complementaria(presentada, "CORRECCION", contratista, fiel)
    segunda = _complementaria(correccion, "CORRECCION", contratista, fiel)

    assert [c.contratos.get().folio for c in (correccion, segunda)] == [folio, folio]
    assert Contrato.objects.filter(folio=folio).count() == 3
    for informativa in (presentada, correccion, segunda):
        verificacion = acuses.acuse_verificar(folio=informativa.folio_definitivo)
        assert verificacion.valida, verificacion.problemas


def test_a_contract_folio_is_unique_within_one_informativa(presentada):
    contrato = presentada.contratos.get()
    contrato.pk, contrato.code = None, None
    contrato._state.adding = True
    contrato.code = Contrato._meta.get_field("code").get_default()
    with pytest.raises(IntegrityError), transaction.atomic():
        contrato.save()


# ---------------------------------------------------------------------------------------------- defect 20
def test_a_new_filing_without_complementarias_left_needs_confirmation(presentada, contratista, fiel):
    for _ in range(3):  # three Correcciones of the period used (their drafts count too)
        Informativa.objects.create(
            contratista=contratista,
            anio=2026,
            cuatrimestre=1,
            tipo="CORRECCION",
            informativa_origen=presentada,
            estatus=Informativa.Estatus.EN_CAPTURA,
        )
    Informativa.objects.filter(tipo="CORRECCION").delete()  # deleted drafts free their place...
    assert presentacion.complementarias_restantes(informativa=presentada) == 4
    for _ in range(3):
        Informativa.objects.create(
            contratista=contratista,
            anio=2026,
            cuatrimestre=1,
            tipo="CORRECCION",
            informativa_origen=presentada,
            estatus=Informativa.Estatus.SUSTITUIDA,
        )
    _complementaria(presentada, "SIN_EFECTOS", contratista, fiel)  # the fourth and last
    assert vigencia.complementarias_restantes_del_periodo(contratista_id=contratista.pk, anio=2026, cuatrimestre=1) == 0

    for tipo in ("NORMAL", "SIN_INFORMACION"):
        with pytest.raises(ValidationError, match="no podrás corregirla ni dejarla sin efectos") as error:
            services.informativa_crear(
                contratista=contratista, anio=2026, cuatrimestre=1, tipo=tipo, usuario=contratista.usuario
            )
        assert error.value.code == "sin_complementarias"
    assert not Informativa.objects.filter(tipo__in=["NORMAL", "SIN_INFORMACION"]).exclude(pk=presentada.pk).exists()

    nueva = _sin_informacion(contratista, fiel, confirmar_sin_complementarias=True)
    assert nueva.vigente


def test_a_new_filing_with_complementarias_left_needs_no_confirmation(presentada, contratista, fiel):
    _complementaria(presentada, "SIN_EFECTOS", contratista, fiel)
    assert vigencia.aviso_sin_complementarias(
        contratista_id=contratista.pk, anio=2026, cuatrimestre=1, tipo="NORMAL"
    ) == ""
    nueva = services.informativa_crear(
        contratista=contratista, anio=2026, cuatrimestre=1, tipo="NORMAL", usuario=contratista.usuario
    )
    assert nueva.estatus == Informativa.Estatus.EN_CAPTURA


# ---------------------------------------------------------------------------------------------- defect 21
def test_the_cadena_of_a_complementaria_names_the_folio_it_modifies(presentada, contratista, fiel):
    correccion = _complementaria(presentada, "CORRECCION", contratista, fiel)
    sin_efectos = _complementaria(correccion, "SIN_EFECTOS", contratista, fiel)

    for complementaria, origen in ((correccion, presentada), (sin_efectos, correccion)):
        campos = complementaria.cadena_original.strip("|").split("|")
        assert campos[0] == "2" and campos[1] == complementaria.folio_definitivo
        assert campos[6] == complementaria.tipo and campos[7] == origen.folio_definitivo
        assert complementaria.acuse.version == "2"
    assert len(presentada.cadena_original.strip("|").split("|")) == 12  # a Normal modifies nothing
    assert len(correccion.cadena_original.strip("|").split("|")) == 13


def test_a_complementaria_cadena_cannot_be_built_without_the_folio_it_modifies():
    with pytest.raises(ValueError, match="debe incluir el folio que modifica"):
        acuses.cadena_original(
            folio="C260000001",
            rfc="ESI920427886",
            razon_social="X",
            anio=2026,
            cuatrimestre=1,
            tipo="CORRECCION",
            contratos=1,
            trabajadores=1,
            contenido_sha256="0" * 64,
            fecha=timezone.now(),
            numero_certificado="1",
            folio_origen="",
        )


def _volver_a_version_1(informativa: Informativa, fiel) -> None:
    """Re-signs a presented complementaria exactly as the portal did before version 2 (cadena without the folio
    it modifies, signed by the contratista's key and counter-sealed by the portal): an acuse of version 1."""
    acuse = informativa.acuse
    detalle = acuses.resumen(informativa, colonias=acuse.colonias)
    cadena = acuses.cadena_original(
        folio=informativa.folio_definitivo,
        rfc=acuse.rfc,
        razon_social=acuse.razon_social,
        anio=informativa.anio,
        cuatrimestre=informativa.cuatrimestre,
        tipo=informativa.tipo,
        contratos=detalle.contratos,
        trabajadores=detalle.trabajadores,
        contenido_sha256=detalle.sha256,
        fecha=informativa.fecha_presentacion,
        numero_certificado=informativa.numero_certificado,
        folio_origen=informativa.informativa_origen.folio_definitivo,
        version="1",
    )
    # Signed as the Firmar page signs (tests/firma_navegador.py): the key never reaches the portal.
    llave = firma_navegador.llave_descifrar(cer=fiel.cer, key=fiel.key, password=fiel.password)
    sello = firma_navegador.firmar_texto(llave, cadena)
    Informativa.objects.filter(pk=informativa.pk).update(cadena_original=cadena, firma_b64=sello)
    sello_del_portal = acuses.b64(sello_portal().firmar(acuses.datos_sello_portal(cadena, sello)))
    type(acuse).objects.filter(pk=acuse.pk).update(version="1", sello_portal=sello_del_portal)


def test_an_acuse_of_version_1_still_verifies_and_cannot_pass_for_version_2(presentada, contratista, fiel):
    correccion = _complementaria(presentada, "CORRECCION", contratista, fiel)
    _volver_a_version_1(correccion, fiel)
    correccion.refresh_from_db()
    assert presentada.folio_definitivo not in correccion.cadena_original  # the old format never named it
    assert re.match(r"^\|\|1\|", correccion.cadena_original)

    verificacion = acuses.acuse_verificar(folio=correccion.folio_definitivo)
    assert verificacion.valida, verificacion.problemas

    type(correccion.acuse).objects.filter(pk=correccion.acuse.pk).update(version="2")
    assert acuses.MENSAJE_CADENA in acuses.acuse_verificar(folio=correccion.folio_definitivo).problemas
    type(correccion.acuse).objects.filter(pk=correccion.acuse.pk).update(version="9")
    assert acuses.MENSAJE_CADENA in acuses.acuse_verificar(folio=correccion.folio_definitivo).problemas


def test_the_acuse_email_of_a_complementaria_says_what_it_modifies(presentada, contratista, fiel):
    from core.models import Correo

    correccion = _complementaria(presentada, "CORRECCION", contratista, fiel)
    sin_efectos = _complementaria(correccion, "SIN_EFECTOS", contratista, fiel)

    correos = {c.adjunto_nombre: c for c in Correo.objects.filter(plantilla="acuse_presentado")}
    normal = correos[f"Acuse-{presentada.folio_definitivo}.pdf"]
    assert "Sustituye" not in normal.cuerpo_texto and "sin efectos" not in normal.cuerpo_texto
    texto = correos[f"Acuse-{correccion.folio_definitivo}.pdf"].cuerpo_texto
    assert f"Sustituye a la informativa con folio {presentada.folio_definitivo}." in texto
    html = correos[f"Acuse-{sin_efectos.folio_definitivo}.pdf"].cuerpo_html
    assert f"<p>Deja sin efectos la informativa con folio {correccion.folio_definitivo}.</p>" in html


def test_a_correccion_without_contracts_is_told_what_to_do_not_spoken_of_as_a_normal(presentada, contratista):
    from informativas import reglas

    correccion = presentacion.complementaria_crear(origen=presentada, tipo="CORRECCION", usuario=contratista.usuario)
    contrato = correccion.contratos.get()
    services.contrato_eliminar(contrato=contrato, usuario=contratista.usuario)

    mensajes = [p.mensaje for p in reglas.inconsistencias(correccion) if p.regla == 5]
    assert mensajes == [
        "La informativa complementaria de Corrección debe tener al menos un contrato. Si no celebraste contratos "
        "en el periodo, deja sin efectos la informativa presentada con una complementaria Sin efectos y presenta "
        "una informativa Sin información."
    ]


# ----------------------------------------------------------------------------------------------------------
# Last in the module: what the tests above signed or changed stayed in each of them
# ----------------------------------------------------------------------------------------------------------
def test_the_earlier_tests_left_nothing_behind(_normal_firmada_del_modulo, db):
    firmada_intacta(_normal_firmada_del_modulo)
