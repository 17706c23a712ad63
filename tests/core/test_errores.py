"""One convention for an error that carries a Spanish sentence for the user: ``mensaje``. The apps' errors
derive from core's ErrorConMensaje; firma's EfirmaError (firma imports no app of ours) names it the same."""

from __future__ import annotations

import pytest

from accounts.renapo import CurpError
from capturistas.services import CapturistaError, ContrasenaError, LigaError
from contratistas.sepomex import SepomexError
from core.errores import ErrorConMensaje
from core.zip_seguro import ZipInseguroError
from firma.sat import EfirmaError
from informativas.bloque.services import BloqueError
from informativas.carga.motor import CargaEstructuraError
from informativas.nomina.cfdi import NominaEstructuraError

MENSAJE = "El archivo no se puede leer."


@pytest.mark.parametrize(
    "error",
    [
        CurpError(MENSAJE),
        CapturistaError(MENSAJE, campo="curp"),
        LigaError(MENSAJE),
        ZipInseguroError(MENSAJE, code="ilegible"),
        SepomexError(MENSAJE),
        NominaEstructuraError(MENSAJE),
        BloqueError(MENSAJE),
        CargaEstructuraError(MENSAJE),
    ],
    ids=lambda error: type(error).__name__,
)
def test_an_apps_error_is_an_error_con_mensaje_and_says_it_as_mensaje(error):
    assert isinstance(error, ErrorConMensaje)
    assert error.mensaje == MENSAJE
    assert str(error) == MENSAJE


def test_a_password_error_keeps_each_rule_and_says_them_together_as_mensaje():
    error = ContrasenaError(["Tu contraseña es muy común: elige otra.", "Tu contraseña es muy corta."])

    assert isinstance(error, ErrorConMensaje)
    assert error.mensajes == ["Tu contraseña es muy común: elige otra.", "Tu contraseña es muy corta."]
    assert error.mensaje == "Tu contraseña es muy común: elige otra. Tu contraseña es muy corta."
    assert error.campo == "contrasena"


def test_sepomex_error_keeps_its_problems_in_its_text_and_its_sentence_in_mensaje():
    error = SepomexError("El archivo no se importó.", ["Fila 3: sin código postal."])

    assert error.mensaje == "El archivo no se importó."
    assert str(error) == "El archivo no se importó.\n  Fila 3: sin código postal."


def test_the_efirma_error_names_its_sentence_as_the_apps_do_without_importing_them():
    error = EfirmaError("contrasena_incorrecta")

    assert not isinstance(error, ErrorConMensaje)  # firma imports no app of ours
    assert error.mensaje == "La contraseña de la llave privada es incorrecta."
    assert not hasattr(error, "message")
