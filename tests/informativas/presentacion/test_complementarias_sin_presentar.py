"""Only a presented informativa can be modified: apart from test_complementarias.py, whose presented Normal of
the same contratista and period is signed once for the module."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from informativas.presentacion import services as presentacion

pytestmark = pytest.mark.django_db


def test_a_draft_or_pending_informativa_cannot_be_modified(pendiente, contratista):
    with pytest.raises(ValidationError, match="Sólo se puede modificar una informativa presentada"):
        presentacion.complementaria_crear(origen=pendiente, tipo="CORRECCION", usuario=contratista.usuario)
