"""An activation link cancelled by a baja, opened after the capturista was reactivated (issue 22): it says the
link was replaced (or that a new one must be asked for), never that the relation was ended."""

from __future__ import annotations

import pytest

from capturistas.services import capturista_activar, capturista_baja

from .conftest import dar_de_alta, ultima_liga

pytestmark = pytest.mark.django_db


def test_after_reactivation_with_a_fresh_link_the_old_one_says_it_was_replaced(client, contratista, maria):
    relacion = dar_de_alta(contratista, maria)
    vieja = ultima_liga("maria@example.com")
    capturista_baja(relacion=relacion, usuario=contratista.usuario)
    capturista_activar(relacion=relacion, usuario=contratista.usuario)

    html = client.get(vieja).content.decode()

    assert "dio de baja" not in html
    assert "Esta liga ya no es válida porque se envió una liga más reciente" in html
    assert client.get(ultima_liga("maria@example.com")).status_code == 200


def test_after_reactivation_without_a_link_the_old_one_says_to_ask_for_a_new_one(client, contratista, maria):
    relacion = dar_de_alta(contratista, maria)
    vieja = ultima_liga("maria@example.com")
    capturista_baja(relacion=relacion, usuario=contratista.usuario)
    capturista_activar(relacion=relacion, usuario=contratista.usuario, enviar_liga=False)

    html = client.get(vieja).content.decode()

    assert "dio de baja" not in html
    assert "Esta liga ya no es válida. Pide al contratista que te envíe una nueva" in html
    assert "«Enviar email»" in html


def test_while_the_relation_stays_in_baja_the_old_link_still_says_so(client, contratista, maria):
    relacion = dar_de_alta(contratista, maria)
    vieja = ultima_liga("maria@example.com")
    capturista_baja(relacion=relacion, usuario=contratista.usuario)

    assert "el contratista dio de baja la relación" in client.get(vieja).content.decode()
