"""An upload whose phase was never queued (the broker was down when the request committed) or whose worker was
lost while storing is queued again by the periodic sweep: Importar nómina and Contratos en bloque, as the
carga masiva's own sweep does, now that no upload is read in the web request."""

from __future__ import annotations

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from informativas.models import CargaContratos, ImportacionNomina

from .bloque.test_bloque import BUENA, libro
from .nomina.conftest import nomina_zip

pytestmark = pytest.mark.django_db


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def _antigua(subida) -> None:
    type(subida).objects.filter(pk=subida.pk).update(updated_at=timezone.now() - datetime.timedelta(minutes=3))


def test_a_nomina_and_a_bloque_left_unqueued_are_queued_again_by_the_sweep(
    informativa, contratista, contrato, media, django_capture_on_commit_callbacks
):
    from informativas.bloque import services as bloque
    from informativas.bloque import tasks as bloque_tasks
    from informativas.nomina import services as nomina
    from informativas.nomina import tasks as nomina_tasks

    importacion = nomina.nomina_recibir(
        informativa=informativa, usuario=contratista.usuario, archivos=[SimpleUploadedFile("n.zip", nomina_zip(2))]
    )
    carga = bloque.bloque_recibir(
        informativa=informativa, usuario=contratista.usuario, archivo=SimpleUploadedFile("c.xlsx", libro([BUENA]))
    )
    reciente = bloque.bloque_recibir(
        informativa=informativa, usuario=contratista.usuario, archivo=SimpleUploadedFile("d.xlsx", libro([BUENA]))
    )
    # A phase one running in a worker right now: Validando, its row not touched for a while (nómina writes no
    # progress while it reads): never queued twice.
    en_curso = nomina.nomina_recibir(
        informativa=informativa, usuario=contratista.usuario, archivos=[SimpleUploadedFile("m.zip", nomina_zip(2))]
    )
    ImportacionNomina.objects.filter(pk=en_curso.pk).update(estatus=ImportacionNomina.Estatus.VALIDANDO)
    for subida in (importacion, carga, en_curso):
        _antigua(subida)

    with django_capture_on_commit_callbacks() as encolados:
        assert nomina_tasks.nomina_reanudar.apply().get() == [importacion.pk]
        assert bloque_tasks.bloque_reanudar.apply().get() == [carga.pk]
    assert len(encolados) == 2
    # Queued again just now: the next sweep leaves them to the worker.
    with django_capture_on_commit_callbacks() as encolados:
        assert nomina_tasks.nomina_reanudar.apply().get() == []
        assert bloque_tasks.bloque_reanudar.apply().get() == []
    assert encolados == [] and reciente.estatus == CargaContratos.Estatus.RECIBIDA
