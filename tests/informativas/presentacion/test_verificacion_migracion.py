"""The migration that gave the acuses issued before /verificar-acuse/ existed their verification code. A
transactional test (it migrates back and forth), so apart from test_verificacion_publica.py, whose signed
informativa lives in a transaction open for the whole module."""

from __future__ import annotations

import pytest

from informativas.models import ALFABETO_CODIGO, LARGO_CODIGO, Acuse

from ..conftest import firmar


@pytest.mark.django_db(transaction=True)
def test_the_migration_gives_existing_acuses_a_code(pendiente, fiel, contratista):
    from django.core.management import call_command

    presentada = firmar(pendiente, fiel, usuario=contratista.usuario)

    call_command("migrate", "informativas", "0007", verbosity=0)
    call_command("migrate", verbosity=0)  # every app to its latest: going back may have undone dependents

    codigo = Acuse.objects.get(pk=presentada.acuse.pk).codigo_verificacion
    assert len(codigo) == LARGO_CODIGO and set(codigo) <= set(ALFABETO_CODIGO)
