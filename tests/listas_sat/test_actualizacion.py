"""The nightly task against a real HTTP server serving files in SAT's shape: each check recorded even when the
file did not change (304 on If-Modified-Since, or the same SHA-256), changed files loaded, the size cap."""

from __future__ import annotations

import functools
import http.server
import os
import threading

import pytest

from listas_sat import services
from listas_sat.descarga import DescargaFallida, descargar
from listas_sat.models import CargaLista, Verificacion
from listas_sat.tasks import listas_sat_actualizar

from .archivos import archivo_69, archivo_69b, fila_69, fila_69b

pytestmark = pytest.mark.django_db


class Silencioso(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture
def servidor(tmp_path):
    publicados = tmp_path / "blob"
    publicados.mkdir()
    manejador = functools.partial(Silencioso, directory=str(publicados))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), manejador)
    hilo = threading.Thread(target=httpd.serve_forever, daemon=True)
    hilo.start()
    yield publicados, f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def test_nightly_task_is_off_without_urls(settings):
    settings.ICSOE_LISTAS_SAT_URLS = []
    assert listas_sat_actualizar() == 0
    assert not Verificacion.objects.exists()


def test_nightly_task_loads_changed_files_and_records_every_check(settings, servidor):
    carpeta, base = servidor
    b = carpeta / "Listado_completo_69-B.csv"
    b.write_bytes(archivo_69b([fila_69b(1, "AAA010101AAA", "FANTASMA, S.A.")]))
    firmes = carpeta / "Firmes.csv"
    firmes.write_bytes(archivo_69("firmes", [fila_69("firmes", "DDD040404DD4", "DEUDORA, S.A.")]))
    os.utime(firmes, (1780000000, 1780000000))  # Last-Modified: 28/05/2026
    settings.ICSOE_LISTAS_SAT_URLS = [f"{base}/Listado_completo_69-B.csv", f"{base}/Firmes.csv"]

    assert listas_sat_actualizar() == 2
    carga = services.carga_vigente(lista="69_firmes")
    assert carga is not None and carga.fecha_corte.isoformat() == "2026-05-28"
    assert carga.fecha_corte_origen == CargaLista.OrigenCorte.PUBLICACION

    # Nothing changed: no load, but both checks recorded and confirmed (304 to If-Modified-Since).
    assert listas_sat_actualizar() == 0
    assert CargaLista.objects.count() == 2
    ultimas = Verificacion.objects.order_by("-created_at")[:2]
    assert {(v.lista, v.confirmada, v.cambio) for v in ultimas} == {("69b", True, False), ("69_firmes", True, False)}

    # Firmes republished with one more row: only it is loaded again.
    firmes.write_bytes(archivo_69("firmes", [
        fila_69("firmes", "DDD040404DD4", "DEUDORA, S.A."), fila_69("firmes", "EEE050505EE5", "OTRA, S.A."),
    ]))
    assert listas_sat_actualizar() == 1
    assert services.carga_vigente(lista="69_firmes").contribuyentes == 2
    assert Verificacion.objects.filter(confirmada=True).count() == 6


def test_a_download_over_the_cap_is_refused(settings, servidor, tmp_path):
    carpeta, base = servidor
    (carpeta / "grande.csv").write_bytes(b"x" * 5000)
    settings.ICSOE_LISTAS_SAT_MAX_BYTES = 4000
    with pytest.raises(DescargaFallida, match="pasa de 4,000 bytes"):
        descargar(f"{base}/grande.csv", destino=tmp_path)
    assert not list(tmp_path.glob("lista-sat-*"))


def test_a_url_that_fails_is_recorded_as_an_unconfirmed_check(settings, servidor):
    _, base = servidor
    settings.ICSOE_LISTAS_SAT_URLS = [f"{base}/no-existe.csv"]
    assert listas_sat_actualizar() == 0
    verificacion = Verificacion.objects.get()
    assert not verificacion.confirmada and "404" in verificacion.mensaje


def test_importar_by_url_takes_the_publication_date_from_last_modified(servidor, capsys):
    from django.core.management import call_command

    carpeta, base = servidor
    cancelados = carpeta / "Cancelados.csv"
    cancelados.write_bytes(archivo_69("cancelados", [fila_69("cancelados", "DDD040404DD4", "DEUDORA, S.A.")]))
    os.utime(cancelados, (1780000000, 1780000000))

    call_command("importar_listas_sat", f"{base}/Cancelados.csv")

    salida = capsys.readouterr().out
    assert "  lista: Art. 69 CFF: créditos cancelados\n" in salida
    assert "  fecha de corte: 28/05/2026 (fecha de publicación del archivo)\n" in salida
    assert "  contribuyentes guardados: 1\n" in salida


def test_the_nightly_task_is_in_beats_schedule(settings):
    tareas = {e["task"] for e in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "listas_sat.tasks.listas_sat_actualizar" in tareas
    assert listas_sat_actualizar.name == "listas_sat.tasks.listas_sat_actualizar"
