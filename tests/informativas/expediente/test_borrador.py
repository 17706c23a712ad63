"""An informativa not presented has no expediente: not built, not downloaded, not listed on its page. Apart from
test_expediente.py and test_vistas.py, whose presented informativa is signed once for the module (the same
contratista and period as this draft)."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.urls import reverse

from informativas.expediente import services
from informativas.expediente.models import Expediente

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _sin_bloqueos():
    cache.clear()


def test_an_informativa_not_presented_has_no_expediente(pendiente):
    with pytest.raises(ValidationError) as error:
        services.expediente_de(informativa=pendiente, rfc="CLI010101AB5")
    assert error.value.code == "no_presentada"
    assert not Expediente.objects.exists()


def test_a_draft_has_no_expediente(pendiente, cliente_contratista):
    url = reverse("informativas:expediente_descargar", args=[pendiente.code, "CLI010101AB5", "pdf"])
    assert cliente_contratista.get(url).status_code == 404


def test_a_draft_lists_no_expedientes(pendiente, cliente_contratista):
    pagina = cliente_contratista.get(reverse("informativas:detalle", args=[pendiente.code])).content.decode()
    assert "Expedientes por contratante" not in pagina
