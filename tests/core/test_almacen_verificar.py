"""`manage.py almacen_verificar`, run after a restore: every row whose file the storage lacks is listed and the
command fails; with every file present it says so and succeeds. Against the loopback S3 server and the disk."""

from __future__ import annotations

import io

import pytest
from django.core.files.base import ContentFile
from django.core.management import CommandError, call_command

from contratistas.services import acuse_stps_subir
from tests.contratistas.conftest import pdf
from tests.s3 import almacen_s3, cliente, servidor_s3  # noqa: F401

pytestmark = pytest.mark.django_db


def _acuse(contratista):
    return acuse_stps_subir(
        contratista=contratista,
        archivo=ContentFile(pdf(), name="Registro_STPS.pdf"),
        usuario=contratista.usuario,
    )


def _verificar() -> tuple[str, CommandError | None]:
    salida = io.StringIO()
    try:
        call_command("almacen_verificar", stdout=salida)
    except CommandError as error:
        return salida.getvalue(), error
    return salida.getvalue(), None


def test_a_file_missing_from_the_bucket_is_listed_and_the_command_fails(
    contratista, otro_contratista, almacen_s3, servidor_s3
):
    perdido, presente = _acuse(contratista), _acuse(otro_contratista)
    cliente(servidor_s3).delete_object(Bucket=almacen_s3, Key=perdido.archivo.name)

    salida, error = _verificar()

    assert f"FALTA contratistas.AcuseStps.archivo (registro {perdido.pk}): {perdido.archivo.name}" in salida
    assert presente.archivo.name not in salida
    assert "2 archivos revisados; faltan 1." in salida
    assert error is not None and "Faltan 1 archivos en el almacenamiento" in str(error)


def test_with_every_file_in_the_bucket_it_succeeds(contratista, otro_contratista, almacen_s3):
    _acuse(contratista), _acuse(otro_contratista)

    salida, error = _verificar()

    assert error is None
    assert "2 archivos revisados; faltan 0." in salida


def test_a_file_missing_from_the_local_disk_is_listed(contratista, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    acuse = _acuse(contratista)
    (settings.MEDIA_ROOT / acuse.archivo.name).unlink()

    salida, error = _verificar()

    assert acuse.archivo.name in salida and "faltan 1." in salida
    assert error is not None
