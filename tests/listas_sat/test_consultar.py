"""Screening RFCs against the lists in force: every list an RFC is on, «sin coincidencias», or «no verificado»
with its reason (a list never loaded, or not confirmed against SAT's current file for more than 7 days); the
commands' output; many RFCs in one query."""

from __future__ import annotations

import datetime

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from listas_sat import services
from listas_sat.models import Verificacion

from .archivos import archivo_69, archivo_69b, fila_69, fila_69b

pytestmark = pytest.mark.django_db


@pytest.fixture
def solo_dos_listas(settings):
    settings.ICSOE_LISTAS_SAT_ESPERADAS = ["69b", "69_firmes"]


@pytest.fixture
def archivos(tmp_path):
    b = tmp_path / "Listado_completo_69-B.csv"
    b.write_bytes(archivo_69b([
        fila_69b(1, "AAA010101AAA", "EMPRESA FANTASMA, S.A. DE C.V.", "Definitivo"),
        fila_69b(2, "BBB020202BB1", "OTRA, S.A.", "Presunto"),
        fila_69b(3, "XXXXXXXXXXXX", "Información suprimida de acuerdo con el artículo 69-B", "Definitivo"),
    ]))
    firmes = tmp_path / "Firmes.csv"
    firmes.write_bytes(archivo_69("firmes", [
        fila_69("firmes", "AAA010101AAA", "EMPRESA FANTASMA, S.A. DE C.V."),
        ["CCC030303CC3", "MALA"],
        fila_69("firmes", "DDD040404DD4", "DEUDORA, S.A.", fecha="01/03/2026"),
    ]))
    return b, firmes


def salida(comando: str, *args: str) -> str:
    from io import StringIO

    out = StringIO()
    call_command(comando, *args, stdout=out)
    return out.getvalue()


def test_importar_prints_per_file_the_list_and_its_counts_and_each_rejected_line(archivos, solo_dos_listas):
    b, firmes = archivos

    texto = salida("importar_listas_sat", str(b), str(firmes), "--publicado", "2026-06-02")

    assert texto == (
        f"{b}:\n"
        "  lista: Art. 69-B CFF: listado completo\n"
        "  fecha de corte: 31/05/2026 (fecha de actualización dentro del archivo)\n"
        "  filas leídas: 3\n"
        "  contribuyentes guardados: 2\n"
        "  suprimidos: 1\n"
        "  líneas rechazadas: 0\n"
        f"{firmes}:\n"
        "  lista: Art. 69 CFF: créditos firmes\n"
        "  fecha de corte: 02/06/2026 (fecha de publicación del archivo)\n"
        "  filas leídas: 3\n"
        "  contribuyentes guardados: 2\n"
        "  suprimidos: 0\n"
        "  líneas rechazadas: 1\n"
        "    línea 3: La línea tiene 2 columnas; el encabezado, 6.\n"
    )


def test_importar_says_why_a_file_was_refused(tmp_path, archivos):
    b, _ = archivos
    salida("importar_listas_sat", str(b))
    chico = tmp_path / "chico.csv"
    chico.write_bytes(b.read_bytes()[:600])
    with pytest.raises(CommandError, match="1 de 1 archivos no se cargaron"):
        call_command("importar_listas_sat", str(chico), stdout=(out := __import__("io").StringIO()))
    assert "rechazado: El archivo mide" in out.getvalue()
    assert "la carga vigente sigue en uso" in out.getvalue()


def test_consultar_prints_every_list_an_rfc_is_on_or_sin_coincidencias(archivos, solo_dos_listas):
    b, firmes = archivos
    salida("importar_listas_sat", str(b), str(firmes), "--publicado", "2026-06-02")

    texto = salida("consultar_listas_sat", "aaa010101aaa", "ZZZ090909ZZ9", "XXXXXXXXXXXX")

    assert texto.splitlines() == [
        "AAA010101AAA: coincidencias",
        "  Art. 69 CFF: créditos firmes: FIRMES · publicación 15/02/2026 · corte 02/06/2026 (publicación del archivo)",
        "    FECHA DE PRIMERA PUBLICACION: 15/02/2026",
        "  Art. 69-B CFF: listado completo: Definitivo · publicación 20/03/2026 · corte 31/05/2026 (actualización)",
        "    Publicación página SAT presuntos: 15/01/2025",
        "    Publicación DOF presuntos: 20/01/2025",
        "    Publicación página SAT definitivos: 20/03/2026",
        "    oficio: 500-05-2026-20002 de fecha 15/03/2026 (fecha 15/03/2026)",
        "ZZZ090909ZZ9: sin coincidencias",
        "XXXXXXXXXXXX: sin coincidencias",
    ]


def test_no_verificado_when_a_list_was_never_loaded(archivos, solo_dos_listas):
    b, _ = archivos
    salida("importar_listas_sat", str(b))

    texto = salida("consultar_listas_sat", "ZZZ090909ZZ9", "AAA010101AAA")

    assert texto.splitlines()[0:2] == [
        "ZZZ090909ZZ9: no verificado",
        "  no verificado: Art. 69 CFF: créditos firmes: la lista nunca se ha cargado",
    ]
    assert texto.splitlines()[2] == "AAA010101AAA: coincidencias"
    assert texto.splitlines()[-1] == "  no verificado: Art. 69 CFF: créditos firmes: la lista nunca se ha cargado"


def test_no_verificado_when_the_last_confirmed_check_is_older_than_7_days(archivos, solo_dos_listas):
    b, firmes = archivos
    salida("importar_listas_sat", str(b), str(firmes))
    ahora = timezone.now()

    assert services.listas_consultar(rfcs=["ZZZ090909ZZ9"], ahora=ahora + datetime.timedelta(days=7, hours=-1))[
        "ZZZ090909ZZ9"
    ].estado == "sin coincidencias"
    consulta = services.listas_consultar(rfcs=["ZZZ090909ZZ9"], ahora=ahora + datetime.timedelta(days=8))["ZZZ090909ZZ9"]
    assert consulta.estado == "no verificado"
    assert [nv.lista for nv in consulta.no_verificadas] == ["69_firmes", "69b"]
    assert "más de 7 días" in consulta.no_verificadas[0].motivo

    # The nightly check of 69-B confirmed today (the file did not change): only art. 69 stays unverified.
    Verificacion.objects.update(created_at=ahora - datetime.timedelta(days=8))
    services.verificacion_registrar(lista="69b", origen="https://sat/69b.csv", confirmada=True)
    texto = salida("consultar_listas_sat", "ZZZ090909ZZ9")
    assert texto.splitlines()[0] == "ZZZ090909ZZ9: no verificado"
    assert texto.splitlines()[1].startswith(
        "  no verificado: Art. 69 CFF: créditos firmes: no se ha confirmado el archivo vigente del SAT en más de 7 días"
    )
    assert len(texto.splitlines()) == 2


def test_many_rfcs_answered_in_one_query_for_the_hits(archivos, solo_dos_listas):
    b, firmes = archivos
    salida("importar_listas_sat", str(b), str(firmes))
    rfcs = [f"ZZZ{i:06d}ZZ9" for i in range(5000)] + ["AAA010101AAA", "DDD040404DD4"]

    with CaptureQueriesContext(connection) as consultas:
        respuesta = services.listas_consultar(rfcs=rfcs)

    assert len(consultas) == 3  # the lists in force, their last confirmed checks, the hits of every RFC
    assert len(respuesta) == 5002
    assert [h.lista for h in respuesta["AAA010101AAA"].hallazgos] == ["69_firmes", "69b"]
    assert [h.situacion for h in respuesta["DDD040404DD4"].hallazgos] == ["FIRMES"]
    assert respuesta["ZZZ000000ZZ9"].estado == "sin coincidencias"
