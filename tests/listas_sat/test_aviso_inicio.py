"""The contratista screened at its e.firma login: its RFC's hits on /inicio/ with list, situation and dates;
«no verificado» says nothing alarming, and there is never a clean result shown."""

from __future__ import annotations

import datetime

import pytest
from django.core.cache import cache
from django.utils import timezone

from listas_sat import services
from listas_sat.models import Verificacion
from tests.conftest import contratista_con_terminos
from tests.efirma_sat import FIEL_EKU
from tests.firma_navegador import ingresar

from .archivos import archivo_69b, fila_69b

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _contratista(settings):
    cache.clear()
    settings.ICSOE_LISTAS_SAT_ESPERADAS = ["69b"]
    return contratista_con_terminos(rfc="EKU9003173C9", razon_social="ESCUELA KEMPER URGATE SA DE CV")


def _cargar(tmp_path, filas):
    ruta = tmp_path / "Listado_completo_69-B.csv"
    ruta.write_bytes(archivo_69b(filas, corte="31 de mayo de 2026"))
    services.lista_importar(ruta=ruta)


def test_a_contratista_on_69b_reads_its_hit_on_inicio_after_the_efirma_login(client, tmp_path):
    _cargar(tmp_path, [fila_69b(1, "EKU9003173C9", "ESCUELA KEMPER URGATE SA DE CV", "Presunto")])

    assert ingresar(client, FIEL_EKU).status_code == 302
    html = client.get("/inicio/").content.decode()

    assert "Tu RFC EKU9003173C9 aparece en las listas del SAT" in html
    assert "Art. 69-B CFF: listado completo: Presunto, publicado el 15/01/2025; fecha de corte 31/05/2026" in html


def test_a_contratista_not_on_the_lists_reads_nothing_and_no_clean_result(client, tmp_path):
    _cargar(tmp_path, [fila_69b(1, "AAA010101AAA", "OTRA", "Definitivo")])
    Verificacion.objects.update(created_at=timezone.now() - datetime.timedelta(days=8))  # «no verificado»

    ingresar(client, FIEL_EKU)
    html = client.get("/inicio/").content.decode()

    assert "listas del SAT" not in html
    assert "Sin coincidencias" not in html and "No verificado" not in html
