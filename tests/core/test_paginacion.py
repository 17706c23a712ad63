"""Pages without a count (core/paginacion.py): one query per page, a next page known from one extra row, a
page number from the query string taken safely, and a page past the end showing the last one."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import User
from core.paginacion import PAGINA_MAXIMA, pagina_sin_conteo

pytestmark = pytest.mark.django_db

PREFIJO = "PAGINACION"


@pytest.fixture
def usuarios():
    User.objects.bulk_create(
        [
            User(username=f"{PREFIJO}{i:02d}", rol=User.Rol.CAPTURISTA, curp=f"{PREFIJO}{i:02d}", password="!")
            for i in range(7)
        ]
    )
    return User.objects.filter(username__startswith=PREFIJO).order_by("username")


def _nombres(pagina) -> list[str]:
    return [u.username[len(PREFIJO) :] for u in pagina]


def test_each_page_is_one_query_and_knows_its_neighbours(usuarios):
    paginas = []
    for numero in ("1", "2", "3"):
        with CaptureQueriesContext(connection) as consultas:
            paginas.append(pagina_sin_conteo(usuarios, numero, por_pagina=3))
        assert len(consultas) == 1
        assert "COUNT(" not in consultas.captured_queries[0]["sql"].upper()

    assert [_nombres(p) for p in paginas] == [["00", "01", "02"], ["03", "04", "05"], ["06"]]
    assert [(p.number, p.has_previous, p.has_next) for p in paginas] == [
        (1, False, True),
        (2, True, True),
        (3, True, False),
    ]
    assert (paginas[1].previous_page_number(), paginas[1].next_page_number()) == (1, 3)
    assert all(p.has_other_pages() for p in paginas) and paginas[0].paginator is None


def test_a_list_that_fits_one_page_has_no_other_pages(usuarios):
    pagina = pagina_sin_conteo(usuarios, None, por_pagina=7)

    assert len(pagina) == 7 and not pagina.has_other_pages()


def test_an_empty_list_is_an_empty_first_page():
    pagina = pagina_sin_conteo(User.objects.filter(username="nadie").order_by("pk"), "4", por_pagina=3)

    assert (pagina.number, len(pagina), pagina.has_other_pages()) == (1, 0, False)


@pytest.mark.parametrize("numero", [None, "", "abc", "0", "-2", "1.5", "2e3"])
def test_a_page_number_that_is_not_a_positive_number_is_the_first_page(usuarios, numero):
    pagina = pagina_sin_conteo(usuarios, numero, por_pagina=3)

    assert (pagina.number, _nombres(pagina)) == (1, ["00", "01", "02"])


@pytest.mark.parametrize("numero", ["4", "99", "9" * 30])
def test_a_page_past_the_end_shows_the_last_page(usuarios, numero):
    with CaptureQueriesContext(connection) as consultas:
        pagina = pagina_sin_conteo(usuarios, numero, por_pagina=3)

    assert (pagina.number, _nombres(pagina), pagina.has_next) == (3, ["06"], False)
    # The page asked for, the count (the rare case alone), the last page.
    assert len(consultas) == 3


def test_the_page_number_is_capped_so_the_database_never_sees_a_huge_offset(usuarios):
    with CaptureQueriesContext(connection) as consultas:
        pagina_sin_conteo(usuarios, str(10**30), por_pagina=3)

    assert f"OFFSET {(PAGINA_MAXIMA - 1) * 3}" in consultas.captured_queries[0]["sql"]
