"""Celery finds a task by its registered name, which a queued message and the beat schedule carry: a module
moved during a refactor must not rename a task, or the messages queued during a rolling deploy find none."""

from __future__ import annotations

import ast
from pathlib import Path

from django.conf import settings

from icsoe.celery import app as celery_app

REPO = Path(__file__).resolve().parents[2]

# Every task of the portal, by the name it was first registered under (its first module's path and its
# function): changing one of these strands the messages already queued under the old name.
TAREAS = {
    "contratistas.tasks.acuses_stps_pendientes_depurar",
    "core.tasks.correo_enviar",
    "core.tasks.correos_enviar_pendientes",
    "core.tasks.ping",
    "core.tasks.sesiones_depurar",
    "firma.tasks.retos_depurar",
    "informativas.bloque.tasks.bloque_aplicar",
    "informativas.bloque.tasks.bloque_reanudar",
    "informativas.bloque.tasks.bloque_validar",
    "informativas.expediente.tasks.expediente_construir",
    "informativas.nomina.tasks.nomina_aplicar",
    "informativas.nomina.tasks.nomina_reanudar",
    "informativas.nomina.tasks.nomina_validar",
    "informativas.tasks.carga_aplicar",
    "informativas.tasks.carga_validar",
    "informativas.tasks.cargas_reanudar",
    "informativas.listado.tasks.listado_publico_publicar",
    "listas_sat.tasks.listas_sat_actualizar",
    "recordatorios.tasks.recordatorios_enviar",
}


def _registradas() -> set[str]:
    celery_app.loader.import_default_modules()  # autodiscovery, as a worker does when it starts
    return {nombre for nombre in celery_app.tasks if not nombre.startswith("celery.")}


def test_the_app_registers_exactly_the_expected_task_names():
    assert _registradas() == TAREAS


def test_the_beat_schedule_names_registered_tasks():
    assert {tarea["task"] for tarea in settings.CELERY_BEAT_SCHEDULE.values()} <= TAREAS


def _decoradores_de_tarea(arbol: ast.Module) -> list[tuple[str, ast.expr]]:
    encontrados = []
    for nodo in ast.walk(arbol):
        if isinstance(nodo, ast.FunctionDef):
            for decorador in nodo.decorator_list:
                llamada = decorador.func if isinstance(decorador, ast.Call) else decorador
                if isinstance(llamada, ast.Name | ast.Attribute) and ast.unparse(llamada).endswith("shared_task"):
                    encontrados.append((nodo.name, decorador))
    return encontrados


def test_every_task_pins_its_name_so_a_module_move_cannot_rename_it():
    sin_nombre = []
    archivos = [
        ruta
        for ruta in REPO.glob("**/tasks.py")
        if ".venv" not in ruta.parts and "tests" not in ruta.parts
    ]
    assert archivos
    for ruta in archivos:
        relativa = ruta.relative_to(REPO).as_posix()
        for funcion, decorador in _decoradores_de_tarea(ast.parse(ruta.read_text())):
            nombres = [k.arg for k in decorador.keywords] if isinstance(decorador, ast.Call) else []
            if "name" not in nombres:
                sin_nombre.append(f"{relativa}:{funcion}")
    assert sin_nombre == []


def test_no_service_picks_a_task_by_a_string_name():
    """A task is passed as itself (imported inside the function that enqueues it), so a rename or a move is
    caught by mypy and by the import, not by a worker that finds no attribute."""
    por_nombre = [
        f"{ruta.relative_to(REPO).as_posix()}:{numero}"
        for carpeta in ("core", "contratistas", "capturistas", "informativas", "recordatorios", "accounts")
        for ruta in (REPO / carpeta).glob("**/*.py")
        for numero, linea in enumerate(ruta.read_text().splitlines(), start=1)
        if "getattr(tasks" in linea
    ]
    assert por_nombre == []
