"""The datos generales service on its own: the model's rules hold whoever calls it, Guardar is all or nothing
even when it fails half-way, uploads never saved are swept after 24 hours, and a persona física never gets a
domicilio social."""

from __future__ import annotations

import os
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import DatabaseError
from django.utils import timezone

from contratistas import services
from contratistas.models import AcuseStps, Asentamiento, Contratista, Domicilio
from contratistas.services import DatosGenerales, acuse_stps_subir, datos_generales_guardar
from core.models import Bitacora

from .conftest import pdf

pytestmark = pytest.mark.django_db


def _subir(contratista: Contratista, nombre: str = "Registro_STPS.pdf") -> AcuseStps:
    archivo = SimpleUploadedFile(nombre, pdf(), content_type="application/pdf")
    return acuse_stps_subir(contratista=contratista, archivo=archivo, usuario=contratista.usuario)


def _datos(**cambios) -> DatosGenerales:
    return DatosGenerales(
        **{
            "correo": "contacto@empresa.com.mx",
            "celular": "5512345678",
            "registro_repse": "AR12345/2021",
            "domicilio_social_igual_fiscal": True,
            **cambios,
        }
    )


def _guardar(contratista: Contratista, datos: DatosGenerales, acuse: AcuseStps | None) -> Contratista:
    return datos_generales_guardar(
        contratista=contratista, datos=datos, acuse_pendiente=acuse, usuario=contratista.usuario
    )


def _domicilio(asentamiento: Asentamiento) -> dict:
    return {"asentamiento": asentamiento, "calle": "AV. REVOLUCIÓN", "numero_exterior": "1500"}


# ----------------------------------------------------------------------------------------------------------
# The model's validators, enforced by the service
# ----------------------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("cambios", "campo", "mensaje"),
    [
        ({"celular": "55123"}, "celular", "El celular debe tener 10 dígitos."),
        ({"celular": "55-1234-5678"}, "celular", "El celular debe tener 10 dígitos."),
        ({"celular": ""}, "celular", "Captura el celular."),
        ({"registro_repse": "AR 12345"}, "registro_repse", "El número de registro REPSE no tiene el formato de la STPS"),
        ({"correo": "no-es-correo"}, "correo", "Captura un correo electrónico válido"),
    ],
)
def test_the_service_refuses_what_the_model_does_not_allow(contratista, padron_fiscal, cambios, campo, mensaje):
    acuse = _subir(contratista)

    with pytest.raises(ValidationError) as error:
        _guardar(contratista, _datos(**cambios), acuse)

    assert any(mensaje in m for m in error.value.message_dict[campo])
    contratista.refresh_from_db()
    assert (contratista.celular, contratista.registro_repse, contratista.datos_generales_completos) == ("", "", False)
    acuse.refresh_from_db()
    assert acuse.vigente is False


def test_the_model_itself_refuses_a_bad_celular_and_registro_repse(contratista):
    contratista.celular = "123"
    contratista.registro_repse = "?"

    with pytest.raises(ValidationError) as error:
        contratista.full_clean()

    assert error.value.message_dict["celular"] == ["El celular debe tener 10 dígitos."]
    assert "registro_repse" in error.value.message_dict


# ----------------------------------------------------------------------------------------------------------
# All or nothing
# ----------------------------------------------------------------------------------------------------------
def test_a_failure_after_the_domicilio_social_is_written_rolls_everything_back(
    contratista, padron_fiscal, sepomex, monkeypatch, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _guardar(contratista, _datos(), _subir(contratista, "Primero.pdf"))
    antes = Contratista.objects.values().get(pk=contratista.pk)
    primero = AcuseStps.objects.get(vigente=True)
    nuevo = _subir(contratista, "Nuevo.pdf")
    visto = {}

    def bitacora_que_falla(**kwargs):
        # Reached after the domicilio social, the acuse swap and the contratista were written.
        visto["domicilios"] = Domicilio.objects.count()
        visto["vigente"] = AcuseStps.objects.get(vigente=True).pk
        raise DatabaseError("la bitácora no se pudo escribir")

    monkeypatch.setattr(services, "bitacora_registrar", bitacora_que_falla)
    datos = _datos(celular="3311112222", domicilio_social_igual_fiscal=False, domicilio_social=_domicilio(
        Asentamiento.objects.get(codigo_postal__codigo="01000")
    ))

    with django_capture_on_commit_callbacks(execute=True) as al_confirmar, pytest.raises(DatabaseError):
        _guardar(contratista, datos, nuevo)

    assert visto == {"domicilios": 1, "vigente": nuevo.pk}  # it really failed half-way
    assert al_confirmar == []  # no file deletion was left scheduled
    assert not Domicilio.objects.exists()
    assert Contratista.objects.values().get(pk=contratista.pk) == antes
    nuevo.refresh_from_db()
    primero.refresh_from_db()
    assert (nuevo.vigente, primero.vigente) == (False, True)
    assert os.path.exists(nuevo.archivo.path) and os.path.exists(primero.archivo.path)
    assert Bitacora.objects.filter(accion="contratistas.contratista.datos_generales_guardados").count() == 1


# ----------------------------------------------------------------------------------------------------------
# Uploads never saved: swept after 24 hours with their files
# ----------------------------------------------------------------------------------------------------------
def test_pending_uploads_older_than_24_hours_are_deleted_with_their_files(
    contratista, otro_contratista, padron_fiscal, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _guardar(contratista, _datos(), _subir(contratista, "Vigente.pdf"))
    vigente = AcuseStps.objects.get(vigente=True)
    viejo = _subir(contratista, "Olvidado.pdf")
    reciente = _subir(otro_contratista, "Reciente.pdf")
    hace = timezone.now() - timedelta(hours=25)
    AcuseStps.objects.filter(pk__in=[viejo.pk, vigente.pk]).update(created_at=hace)

    with django_capture_on_commit_callbacks(execute=True):
        borrados = services.acuses_stps_pendientes_depurar()

    assert borrados == 1
    assert not AcuseStps.objects.filter(pk=viejo.pk).exists()
    assert not os.path.exists(viejo.archivo.path)
    for conservado in (vigente, reciente):
        assert AcuseStps.objects.filter(pk=conservado.pk).exists()
        assert os.path.exists(conservado.archivo.path)


def test_the_sweep_is_a_task_that_celery_beat_runs(contratista, settings, django_capture_on_commit_callbacks):
    from contratistas.tasks import acuses_stps_pendientes_depurar
    from icsoe.celery import app

    viejo = _subir(contratista)
    AcuseStps.objects.filter(pk=viejo.pk).update(created_at=timezone.now() - timedelta(days=2))
    programadas = {tarea["task"] for tarea in settings.CELERY_BEAT_SCHEDULE.values()}

    with django_capture_on_commit_callbacks(execute=True):
        resultado = acuses_stps_pendientes_depurar.apply()

    assert acuses_stps_pendientes_depurar.name in programadas
    assert acuses_stps_pendientes_depurar.name in app.tasks
    assert resultado.get() == 1
    assert not os.path.exists(viejo.archivo.path)


def test_guardar_with_an_upload_the_sweep_already_removed_asks_for_the_acuse(contratista, padron_fiscal):
    acuse = _subir(contratista)
    AcuseStps.objects.filter(pk=acuse.pk).update(created_at=timezone.now() - timedelta(hours=25))
    services.acuses_stps_pendientes_depurar()

    with pytest.raises(ValidationError) as error:
        _guardar(contratista, _datos(), acuse)

    assert error.value.message_dict["acuse"] == [services.MENSAJE_ACUSE_REQUERIDO]


# ----------------------------------------------------------------------------------------------------------
# Persona física: no domicilio social, whatever is posted
# ----------------------------------------------------------------------------------------------------------
def test_the_service_stores_no_domicilio_social_for_a_persona_fisica(otro_contratista, padron_fiscal_fisica, sepomex):
    datos = _datos(
        domicilio_social_igual_fiscal=False,
        domicilio_social=_domicilio(Asentamiento.objects.get(codigo_postal__codigo="01000")),
    )

    _guardar(otro_contratista, datos, _subir(otro_contratista))

    otro_contratista.refresh_from_db()
    assert otro_contratista.datos_generales_completos is True
    assert otro_contratista.domicilio_social is None
    assert otro_contratista.domicilio_social_igual_fiscal is None
    assert not Domicilio.objects.exists()


def test_a_persona_fisica_posting_domicilio_social_fields_stores_nothing_of_them(
    client, otro_contratista, padron_fiscal_fisica, sepomex
):
    colonia = Asentamiento.objects.get(codigo_postal__codigo="01000")
    client.force_login(otro_contratista.usuario)

    respuesta = client.post(
        "/contratista/",
        {
            "correo": "juan@example.com",
            "confirmar_correo": "juan@example.com",
            "celular": "5512345678",
            "registro_repse": "AR12345/2021",
            "acuse": SimpleUploadedFile("Registro.pdf", pdf(), content_type="application/pdf"),
            "domicilio_social_igual_fiscal": "no",
            "social-paso": "aceptado",
            "social-codigo_postal": "01000",
            "social-asentamiento": str(colonia.pk),
            "social-calle": "Av. Revolución",
            "social-numero_exterior": "1500",
        },
    )

    assert respuesta.status_code == 302
    otro_contratista.refresh_from_db()
    assert otro_contratista.datos_generales_completos is True
    assert otro_contratista.domicilio_social is None
    assert otro_contratista.domicilio_social_igual_fiscal is None
    assert not Domicilio.objects.exists()
