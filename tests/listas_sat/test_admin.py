"""Staff see each load of SAT's lists in the admin, read-only: cut date, counts, status, last confirmed check,
and its rejected lines."""

from __future__ import annotations

import pytest

from listas_sat import services
from listas_sat.models import CargaLista

from .archivos import archivo_69, fila_69

pytestmark = pytest.mark.django_db

URL = "/admin/listas_sat/cargalista/"


@pytest.fixture
def admin(client, staff):
    client.force_login(staff)
    return client


@pytest.fixture
def carga(tmp_path):
    ruta = tmp_path / "Firmes.csv"
    ruta.write_bytes(archivo_69("firmes", [fila_69("firmes", "AAA010101AAA", "UNO, S.A."), ["MAL", "DOS"]]))
    return services.lista_importar(ruta=ruta, publicado=__import__("datetime").date(2026, 6, 2)).carga


def test_staff_see_the_loads_with_cut_date_counts_status_and_last_check(admin, carga):
    pagina = admin.get(URL).content.decode()

    assert "Art. 69 CFF: créditos firmes" in pagina
    assert "Vigente" in pagina
    assert "Fecha de publicación del archivo" in pagina
    assert '<td class="field-fecha_corte nowrap">2 de junio de 2026</td>' in pagina.replace("Junio", "junio")
    for campo, valor in (("filas_leidas", 2), ("contribuyentes", 1), ("suprimidos", 0), ("rechazadas", 1)):
        assert f'<td class="field-{campo}">{valor}</td>' in pagina
    assert '<td class="field-ultima_confirmacion nowrap">-</td>' not in pagina
    detalle = admin.get(f"{URL}{carga.pk}/change/").content.decode()
    assert "Línea 3: La línea tiene 2 columnas; el encabezado, 6." in detalle


def test_the_loads_are_read_only(admin, carga):
    assert admin.get(f"{URL}add/").status_code == 403
    assert admin.post(f"{URL}{carga.pk}/delete/", {"post": "yes"}).status_code == 403
    assert CargaLista.objects.filter(pk=carga.pk).exists()
