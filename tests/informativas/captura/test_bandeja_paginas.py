"""The bandeja is paged, 50 informativas a page and the newest period first, in one query for its rows whatever
the number of informativas in captura (bench/bench_bandeja.py prints it at 10, 100 and 1,000)."""

from __future__ import annotations

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from informativas.models import Informativa

pytestmark = pytest.mark.django_db

POR_PAGINA = 50


def informativas_en_captura(contratista, total: int) -> list[Informativa]:
    """``total`` informativas in captura (a Normal per period of 2020–2025, the rest complementarias), all
    created at the same instant, so only the id can order two of the same period. Newest first, as the bandeja
    lists them."""
    periodos = [(anio, c) for anio in range(2020, 2026) for c in (1, 2, 3)]
    filas = [
        Informativa(
            contratista=contratista,
            anio=periodos[i % len(periodos)][0],
            cuatrimestre=periodos[i % len(periodos)][1],
            tipo="NORMAL" if i < len(periodos) else ("CORRECCION", "ACTUALIZACION")[i % 2],
            estatus="PENDIENTE_FIRMA" if i % 5 == 4 else "EN_CAPTURA",
        )
        for i in range(total)
    ]
    creadas = Informativa.objects.bulk_create(filas)
    instante = timezone.make_aware(datetime.datetime(2026, 1, 5, 10))
    Informativa.objects.filter(pk__in=[i.pk for i in creadas]).update(created_at=instante)
    return sorted(creadas, key=lambda i: (i.anio, i.cuatrimestre, i.pk), reverse=True)


def _codigos(html: str) -> list[str]:
    return re.findall(r'<tr data-informativa="([0-9a-f-]+)">', html)


def _navegacion(html: str) -> str:
    encontrada = re.search(r'<nav class="paginacion".*?</nav>', html, re.S)
    return encontrada.group(0) if encontrada else ""


def test_the_bandeja_shows_fifty_a_page_and_every_informativa_once(cliente_contratista, contratista):
    esperadas = [str(i.code) for i in informativas_en_captura(contratista, 55)]

    primera = cliente_contratista.get("/informativas/").content.decode()
    segunda = cliente_contratista.get("/informativas/?pagina=2").content.decode()

    assert _codigos(primera) == esperadas[:POR_PAGINA]
    assert _codigos(segunda) == esperadas[POR_PAGINA:]
    nav = _navegacion(primera)
    assert "Página 1</span>" in nav and '<a href="?pagina=2">Siguiente</a>' in nav and "Anterior" not in nav
    nav = _navegacion(segunda)
    assert "Página 2</span>" in nav and '<a href="?pagina=1">Anterior</a>' in nav and "Siguiente" not in nav


def test_every_page_of_the_bandeja_reads_its_rows_in_one_query(cliente_contratista, contratista):
    informativas_en_captura(contratista, 120)
    cliente_contratista.get("/informativas/")

    for pagina in ("1", "2", "3"):
        with CaptureQueriesContext(connection) as consultas:
            respuesta = cliente_contratista.get(f"/informativas/?pagina={pagina}")
        assert respuesta.status_code == 200
        de_informativas = [q["sql"] for q in consultas.captured_queries if '"informativas_informativa"' in q["sql"]]
        assert len(de_informativas) == 1 and "COUNT(" not in de_informativas[0].upper()


def test_up_to_fifty_informativas_show_no_pages(cliente_contratista, contratista):
    esperadas = [str(i.code) for i in informativas_en_captura(contratista, POR_PAGINA)]

    html = cliente_contratista.get("/informativas/").content.decode()

    assert _codigos(html) == esperadas and _navegacion(html) == ""


@pytest.mark.parametrize(("pagina", "mostrada"), [("abc", 1), ("0", 1), ("-1", 1), ("7", 2), ("9" * 25, 2)])
def test_a_page_number_out_of_range_shows_the_first_or_the_last_page(
    cliente_contratista, contratista, pagina, mostrada
):
    esperadas = [str(i.code) for i in informativas_en_captura(contratista, 60)]

    respuesta = cliente_contratista.get(f"/informativas/?pagina={pagina}")

    assert respuesta.status_code == 200
    html = respuesta.content.decode()
    assert _codigos(html) == esperadas[(mostrada - 1) * POR_PAGINA : mostrada * POR_PAGINA]
    assert f"Página {mostrada}</span>" in html


def test_another_contratistas_informativas_do_not_make_pages(cliente_contratista, contratista, otro_contratista):
    propias = [str(i.code) for i in informativas_en_captura(contratista, 3)]
    informativas_en_captura(otro_contratista, 70)

    html = cliente_contratista.get("/informativas/?pagina=2").content.decode()

    assert _codigos(html) == propias and _navegacion(html) == ""
