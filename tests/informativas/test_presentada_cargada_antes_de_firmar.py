"""A presented filing can't be deleted through an object loaded while it was still pending (security review,
finding 8; the rest: test_presentadas_no_se_eliminan.py, on a Normal signed once for its module)."""

from __future__ import annotations

import pytest
from django.db.models import ProtectedError

from informativas.models import Informativa

from .conftest import firmar

pytestmark = pytest.mark.django_db


def test_an_object_loaded_before_signing_cannot_delete_the_filing(pendiente, fiel, contratista):
    viejo = Informativa.objects.get(pk=pendiente.pk)  # loaded while still pending
    firmar(pendiente, fiel, usuario=contratista.usuario)
    with pytest.raises(ProtectedError):
        viejo.delete()
    assert Informativa.objects.get(pk=pendiente.pk).estatus == Informativa.Estatus.PRESENTADA
