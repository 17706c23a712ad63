"""Firmar: an error report after the contratista's key was decrypted shows neither the key nor its password
(the login's own check is tests/contratistas/test_ingreso_secretos.py)."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import OperationalError
from django.urls import reverse

from informativas.models import Informativa
from tests.efirma_sat import informes_de_error, rastros_de_secretos, revocacion_sin_base_de_datos

pytestmark = pytest.mark.django_db

__all__ = ["informes_de_error"]  # the fixture, imported for this module


@pytest.mark.parametrize("vista", ["informativas:firmar", "informativas:firmar_validar"])
def test_an_error_report_while_signing_shows_neither_the_key_nor_its_password(
    cliente_contratista, pendiente, fiel, informes_de_error, vista
):
    cache.clear()
    llave = fiel.key.read_bytes()

    with revocacion_sin_base_de_datos(), pytest.raises(OperationalError):
        cliente_contratista.post(
            reverse(vista, args=[pendiente.code]),
            {
                "rfc": fiel.rfc,
                "certificado": SimpleUploadedFile("e.cer", fiel.cer.read_bytes()),
                "llave": SimpleUploadedFile("e.key", llave),
                "contrasena": fiel.password,
            },
        )

    ((texto, html),) = informes_de_error
    for informe in (texto, html):
        assert "la base de datos no responde" in informe
        assert "validar_efirma" in informe
        assert "********************" in informe
        assert rastros_de_secretos(informe, llave=llave, password=fiel.password) == []
    pendiente.refresh_from_db()
    assert pendiente.estatus == Informativa.Estatus.PENDIENTE_FIRMA
