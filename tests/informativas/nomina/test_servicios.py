"""Importar nómina against the real database: two phases, nothing stored before confirming, idempotent,
bad input refused with nothing half-stored."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from informativas.models import ImportacionNomina, Informativa, Trabajador
from informativas.nomina import cfdi, services
from informativas.nomina import revision as rev

from ..fases import en_el_worker
from .conftest import CLIENTE, CLIENTE_2, nomina_zip, un_cfdi, zip_de

pytestmark = pytest.mark.django_db


def _subir(informativa, usuario, datos: bytes, nombre="nomina.zip", contrato=None):
    return en_el_worker(services.nomina_recibir(
        informativa=informativa,
        contrato=contrato,
        usuario=usuario,
        archivos=[SimpleUploadedFile(nombre, datos)],
    ))


def test_phase_one_counts_per_contrato_and_stores_nothing(
    informativa, contrato, contrato_2, contratista, media
):
    importacion = _subir(informativa, contratista.usuario, nomina_zip(20))
    assert importacion.estatus == ImportacionNomina.Estatus.VALIDADA
    assert importacion.cfdis_nomina == 160 and importacion.num_trabajadores == 20
    assert Trabajador.objects.count() == 0
    resumen = services.nomina_resumen(importacion=importacion)
    por_folio = {c.folio: c for c in resumen.contratos}
    assert por_folio[contrato.folio].nuevos + por_folio[contrato_2.folio].nuevos == resumen.nuevos
    assert len(resumen.staff) == 2
    # The problems workbook names each left-out file, field and reason
    libro = load_workbook(importacion.archivo_rechazados.open("rb"))
    filas = list(libro.active.iter_rows(values_only=True))
    assert filas[0] == ("Archivo", "Campo", "Valor", "Motivo")
    assert {f[1] for f in filas[1:]} == {"TipoDeComprobante", "Emisor Rfc"}


def test_confirming_stores_each_contratos_workers_with_the_latest_sbc(
    informativa, contrato, contrato_2, contratista, media
):
    importacion = _subir(informativa, contratista.usuario, nomina_zip(20))
    resumen = services.nomina_resumen(importacion=importacion)
    importacion = en_el_worker(services.nomina_confirmar(importacion=importacion, usuario=contratista.usuario))
    assert importacion.estatus == ImportacionNomina.Estatus.APLICADA
    assert importacion.guardados == resumen.nuevos == Trabajador.objects.count()
    assert set(Trabajador.objects.values_list("origen", flat=True)) == {Trabajador.Origen.NOMINA}
    t0 = next(t for t in importacion.trabajadores if "valores" in t)
    guardado = Trabajador.objects.filter(nss=t0["nss"]).first()
    assert str(guardado.sbc) == t0["sbc"] == t0["valores"][-1][1]
    informativa.refresh_from_db()
    contrato.refresh_from_db()
    assert informativa.num_trabajadores == importacion.guardados
    assert contrato.num_trabajadores == Trabajador.objects.filter(contrato=contrato).count() > 0


def test_importing_the_same_zip_again_stores_nothing_twice(
    informativa, contrato, contrato_2, contratista, media
):
    datos = nomina_zip(15)
    primera = en_el_worker(services.nomina_confirmar(
        importacion=_subir(informativa, contratista.usuario, datos), usuario=contratista.usuario
    ))
    antes = Trabajador.objects.count()
    segunda = _subir(informativa, contratista.usuario, datos)
    resumen = services.nomina_resumen(importacion=segunda)
    assert resumen.nuevos == 0 and sum(c.registrados for c in resumen.contratos) == antes
    segunda = en_el_worker(services.nomina_confirmar(importacion=segunda, usuario=contratista.usuario))
    assert segunda.guardados == 0 and Trabajador.objects.count() == antes == primera.guardados
    # Confirming twice is a no-op too
    assert en_el_worker(services.nomina_confirmar(importacion=segunda, usuario=contratista.usuario)).guardados == 0


def test_a_contratante_with_two_contratos_sends_its_workers_where_the_user_picks(
    informativa, contrato, contratista, media
):
    from informativas.captura import services as captura

    from ..conftest import datos_contratante

    gemelo = captura.contrato_crear(
        informativa=informativa, contratante=datos_contratante(CLIENTE), usuario=contratista.usuario
    )
    importacion = _subir(informativa, contratista.usuario, nomina_zip(10, clientes=(CLIENTE,)))
    assert importacion.asignacion == {CLIENTE: [str(contrato.code)]}  # the first, until the user picks
    resumen = services.nomina_resumen(importacion=importacion)
    assert [c.folio for c in resumen.elecciones[CLIENTE]] == [contrato.folio, gemelo.folio]
    with pytest.raises(ValidationError) as error:
        services.nomina_asignar(
            importacion=importacion, rfc=CLIENTE, contratos=[], usuario=contratista.usuario
        )
    assert error.value.messages == [services.MENSAJE_ELEGIR.format(rfc=CLIENTE)]
    services.nomina_asignar(
        importacion=importacion, rfc=CLIENTE, contratos=[str(gemelo.code)], usuario=contratista.usuario
    )
    importacion = en_el_worker(services.nomina_confirmar(
        importacion=ImportacionNomina.objects.get(pk=importacion.pk), usuario=contratista.usuario
    ))
    assert Trabajador.objects.filter(contrato=contrato).count() == 0
    assert Trabajador.objects.filter(contrato=gemelo).count() == importacion.guardados == 9


def test_a_single_contrato_import_takes_its_workers_and_names_the_others(
    informativa, contrato, contrato_2, contratista, media
):
    importacion = _subir(informativa, contratista.usuario, nomina_zip(10), contrato=contrato)
    problemas = [p for p in importacion.errores if p[1] == "RfcLabora"]
    assert problemas and all(CLIENTE_2 in p[2] for p in problemas)
    importacion = en_el_worker(services.nomina_confirmar(importacion=importacion, usuario=contratista.usuario))
    assert Trabajador.objects.filter(contrato=contrato_2).count() == 0
    assert (
        Trabajador.objects.filter(contrato=contrato).count() == importacion.guardados == 10 - len(problemas)
    )


def test_a_worker_captured_by_hand_with_another_curp_is_a_conflict_not_a_duplicate(
    informativa, contrato, contratista, media
):
    from decimal import Decimal

    from informativas.captura import services as captura
    from informativas.nomina import generador

    captura.trabajador_agregar(
        contrato=contrato,
        nss=generador.nss(0),
        curp=generador.curp(7),
        sbc=Decimal("1"),
        usuario=contratista.usuario,
    )
    importacion = _subir(informativa, contratista.usuario, zip_de({"a.xml": un_cfdi(0), "b.xml": un_cfdi(1)}))
    resumen = services.nomina_resumen(importacion=importacion)
    assert resumen.problemas_cruce == [
        [
            "a.xml",
            "NumSeguridadSocial",
            generador.nss(0),
            f"El NSS ya está registrado en este contrato. ({contrato.folio})",
        ]
    ]
    importacion = en_el_worker(services.nomina_confirmar(importacion=importacion, usuario=contratista.usuario))
    assert importacion.guardados == 1 and Trabajador.objects.count() == 2


@pytest.mark.parametrize(
    ("nombre", "datos", "mensaje"),
    [
        ("nomina.zip", b"esto no es un zip", cfdi.MENSAJE_NO_ZIP),
        ("nomina.zip", zip_de({"bomba.xml": b"<" + b"a" * 2_000_000 + b"/>"}), "comprimido más de 100 a 1"),
    ],
    ids=["no-zip", "bomba"],
)
def test_a_bad_zip_is_refused_with_its_message_and_nothing_stored(
    informativa, contrato, contratista, media, nombre, datos, mensaje
):
    importacion = _subir(informativa, contratista.usuario, datos, nombre)
    assert importacion.estatus == ImportacionNomina.Estatus.RECHAZADA and mensaje in importacion.mensaje
    with pytest.raises(ValidationError):
        en_el_worker(services.nomina_confirmar(importacion=importacion, usuario=contratista.usuario))
    assert Trabajador.objects.count() == 0


def test_a_zip_of_only_invoices_has_nothing_to_store(informativa, contrato, contratista, media):
    import datetime

    from informativas.nomina import generador

    factura = generador.cfdi_ingreso(
        emisor_rfc="ESI920427886", receptor_rfc=CLIENTE, fecha=datetime.date(2026, 2, 1)
    )
    importacion = _subir(informativa, contratista.usuario, zip_de({"f.xml": factura}))
    assert importacion.errores == [
        ["f.xml", "TipoDeComprobante", "I", cfdi.MENSAJE_NO_NOMINA.format(tipo="I")]
    ]
    with pytest.raises(ValidationError) as error:
        en_el_worker(services.nomina_confirmar(importacion=importacion, usuario=contratista.usuario))
    assert error.value.messages == [services.MENSAJE_NADA_QUE_GUARDAR]


def test_several_xml_files_are_imported_like_a_zip(informativa, contrato, contratista, media):
    importacion = en_el_worker(services.nomina_recibir(
        informativa=informativa,
        contrato=None,
        usuario=contratista.usuario,
        archivos=[
            SimpleUploadedFile("a.xml", un_cfdi(0)),
            SimpleUploadedFile("b.xml", un_cfdi(1)),
        ],
    ))
    assert importacion.nombre_archivo == "2 archivos XML" and importacion.num_trabajadores == 2


def test_an_xlsx_upload_is_refused_before_anything_is_stored(informativa, contrato, contratista, media):
    with pytest.raises(ValidationError) as error:
        _subir(informativa, contratista.usuario, b"PK\x03\x04", "trabajadores.xlsx")
    assert error.value.messages == [services.MENSAJE_EXTENSION]
    assert ImportacionNomina.objects.count() == 0


def test_a_zip_over_the_size_limit_is_refused(informativa, contrato, contratista, media, settings):
    settings.ICSOE_NOMINA_MAX_BYTES = 1000
    with pytest.raises(ValidationError) as error:
        _subir(informativa, contratista.usuario, nomina_zip(5))
    assert error.value.messages == [services.mensaje_tamano()]
    assert "0.000953674 MB" in services.mensaje_tamano()


def test_an_informativa_sent_to_signing_meanwhile_refuses_the_confirmation(
    informativa, contrato, contratista, media
):
    importacion = _subir(informativa, contratista.usuario, nomina_zip(5))
    Informativa.objects.filter(pk=informativa.pk).update(estatus=Informativa.Estatus.PENDIENTE_FIRMA)
    with pytest.raises(ValidationError):
        en_el_worker(services.nomina_confirmar(importacion=importacion, usuario=contratista.usuario))
    assert Trabajador.objects.count() == 0


def test_a_zip_is_checked_and_stored_by_the_tasks_whatever_its_size(
    informativa, contrato, contrato_2, contratista, media, django_capture_on_commit_callbacks
):
    from informativas.nomina import tasks

    with django_capture_on_commit_callbacks() as encolados:
        importacion = services.nomina_recibir(
            informativa=informativa,
            contrato=None,
            usuario=contratista.usuario,
            archivos=[SimpleUploadedFile("n.zip", nomina_zip(2))],
        )
    assert (importacion.estatus, importacion.archivos, len(encolados)) == ("RECIBIDA", 0, 1)
    assert tasks.nomina_validar.apply(args=[importacion.pk]).get() == ImportacionNomina.Estatus.VALIDADA
    importacion.refresh_from_db()
    with django_capture_on_commit_callbacks() as encolados:
        importacion = services.nomina_confirmar(importacion=importacion, usuario=contratista.usuario)
    assert (importacion.estatus, len(encolados), Trabajador.objects.count()) == ("APLICANDO", 1, 0)
    assert tasks.nomina_aplicar.apply(args=[importacion.pk]).get() == ImportacionNomina.Estatus.APLICADA
    assert Trabajador.objects.count() > 0


def test_the_assignment_helper_is_shared_by_summary_and_storing():
    assert rev.asignar([], contratos=[], contrato_elegido=None).por_contrato == {}


def test_deleting_the_informativa_deletes_its_uploaded_zips(
    informativa, contrato, contratista, media, django_capture_on_commit_callbacks
):
    from informativas.captura import services as captura

    importacion = _subir(informativa, contratista.usuario, nomina_zip(3))
    rutas = [importacion.archivo.path, importacion.archivo_rechazados.path]
    with django_capture_on_commit_callbacks(execute=True):
        captura.informativa_eliminar(informativa=informativa, usuario=contratista.usuario)
    assert not ImportacionNomina.objects.exists()
    assert not any(__import__("os").path.exists(r) for r in rutas)


def test_split_placements_are_shown_with_their_percentages():
    from informativas.nomina.views import _tiempo_repartido

    assert _tiempo_repartido({"sub": [["A", "60.000"], ["B", "40.000"]]})
    assert _tiempo_repartido({"sub": [["A", "50"]]})
    assert not _tiempo_repartido({"sub": [["A", "100.000"]]})
    assert not _tiempo_repartido({"sub": []})


def test_storing_follows_the_summarys_plan_computed_once(
    informativa, contrato, contrato_2, contratista, media, monkeypatch
):
    """The confirmation stores what the summary showed: one assignment and one cruce per contrato (issue 23:
    ``nomina_aplicar`` used to compute the plan again after the summary had), and the workers it stores are
    the summary's new ones, contrato by contrato."""
    importacion = _subir(informativa, contratista.usuario, nomina_zip(20))
    resumen = services.nomina_resumen(importacion=importacion)
    llamadas = {"asignar": 0, "cruzar": 0}
    for nombre in llamadas:
        real = getattr(rev, nombre)

        def contada(*args, _nombre=nombre, _real=real, **kwargs):
            llamadas[_nombre] += 1
            return _real(*args, **kwargs)

        monkeypatch.setattr(rev, nombre, contada)

    importacion = en_el_worker(services.nomina_confirmar(importacion=importacion, usuario=contratista.usuario))

    assert importacion.estatus == ImportacionNomina.Estatus.APLICADA
    assert llamadas == {"asignar": 1, "cruzar": len(resumen.contratos)}
    for r in resumen.contratos:
        guardados = Trabajador.objects.filter(contrato__code=r.code).count()
        assert guardados == (r.nuevos if r.recibe else 0), r.folio
    assert importacion.guardados == resumen.nuevos > 0


def _progresos_escritos(importacion_pk: int, registro: list[int]):
    """Records the import's progreso as the database holds it after every UPDATE of its row that sets it."""
    from django.db import connection

    tabla = ImportacionNomina._meta.db_table
    leyendo = False

    def envoltura(execute, sql, params, many, context):
        nonlocal leyendo
        resultado = execute(sql, params, many, context)
        if not leyendo and sql.startswith("UPDATE") and tabla in sql and "progreso" in sql:
            leyendo = True
            try:
                registro.append(ImportacionNomina.objects.values_list("progreso", flat=True).get(pk=importacion_pk))
            finally:
                leyendo = False
        return resultado

    return connection.execute_wrapper(envoltura)


def test_phase_one_records_its_progress_every_few_percent_up_to_100(
    informativa, contrato, contrato_2, contratista, media
):
    """Issue 24: the page shows phase one's percentage while it reads. 40 workers x 8 quincenas plus invoices
    and another emitter's CFDIs (336 files): the percentage grows in steps, one UPDATE each, never one per CFDI."""
    importacion = services.nomina_recibir(
        informativa=informativa,
        contrato=None,
        usuario=contratista.usuario,
        archivos=[SimpleUploadedFile("nomina.zip", nomina_zip(40))],
    )
    progresos: list[int] = []
    with _progresos_escritos(importacion.pk, progresos):
        importacion = en_el_worker(importacion)

    assert importacion.estatus == ImportacionNomina.Estatus.VALIDADA and importacion.archivos == 336
    assert progresos == sorted(progresos) and progresos[0] == 1 and progresos[-1] == 100
    intermedios = [p for p in progresos if 1 < p < 100]
    assert len(set(intermedios)) >= 5, progresos
    assert len(progresos) <= 30, progresos  # a step every few percent, not an UPDATE a CFDI


def test_a_rejected_zip_records_no_progress_past_the_start(informativa, contrato, contratista, media):
    importacion = _subir(informativa, contratista.usuario, b"esto no es un zip")
    assert (importacion.estatus, importacion.progreso) == (ImportacionNomina.Estatus.RECHAZADA, 100)
