"""The capacity model of bench/load/capacidad.py, apart from locust and the browser so its rules can be tested:
the kinds of request a filing makes, how a request the browser made is classified, the CPU of one filing from
its requests, and the cores the deadline needs (docs/capacity.md)."""

from __future__ import annotations

import collections

FILAS_CARGA = 3000
TRABAJADORES_A_MANO = 5  # workers typed one by one in the hand-captured Normal
GRUPOS = ("gunicorn", "postgres", "redis", "celery")
NOMBRE_GRUPO = {"gunicorn": "portal", "postgres": "PostgreSQL", "redis": "Redis", "celery": "worker"}

# Kinds of request, as the journeys' requests are grouped and as the isolated phases name them.
PAGINA = "página (GET)"
ESTATICO = "archivo estático"
FRAGMENTO = "fragmento htmx"
INGRESO_VALIDAR = "ingreso e.firma: validar"
INGRESO = "ingreso e.firma: ingresar"
GUARDAR = "captura: guardar paso"
TRABAJADOR = "captura: agregar trabajador"
CREAR = "captura: crear, enviar a firma, complementaria"
CARGA_SUBIR = "carga: subir"
CARGA_CONFIRMAR = "carga: confirmar"
SONDEO = "carga: sondeo de estado"
FIRMAR_VALIDAR = "firmar: validar"
FIRMAR = "firmar: firmar"
ACUSE = "acuse: descargar"
CARGA = f"carga: {FILAS_CARGA:,} filas (subir, revisar, confirmar, guardar; worker incluido)"
# Kinds that have no isolated phase of their own: the cost of the kind they are counted as (said in the table).
COMO = {
    FRAGMENTO: PAGINA,  # a small GET or POST of htmx (the contratante's RFC, colonias): priced as a page
    CREAR: GUARDAR,  # a POST that writes once per filing: priced as a wizard save
    CARGA_SUBIR: None,  # part of CARGA, counted once per carga
    CARGA_CONFIRMAR: None,
}

FILINGS = {
    "carga": f"Normal con carga masiva de {FILAS_CARGA:,} trabajadores",
    "mano": f"Normal capturada a mano ({TRABAJADORES_A_MANO} trabajadores)",
    "sin_informacion": "Sin información",
    "complementaria": "Complementaria (Corrección de la Normal a mano, +1 trabajador)",
}
# Share of the deadline's filings of each kind (docs/capacity.md says why), overridable for a what-if.
MEZCLA = {"carga": 0.15, "mano": 0.25, "sin_informacion": 0.50, "complementaria": 0.10}
PRESENTACIONES, DIAS, PICO, UTILIZACION = 42_000, 3, 5.0, 0.60


def clasificar(metodo: str, ruta: str, tipo: str) -> str:
    """The kind of a request the browser made, from its method, path and resource type."""
    if ruta.startswith("/static/") or tipo in ("stylesheet", "script", "font", "image"):
        return ESTATICO
    if ruta.endswith("/progreso/"):
        return SONDEO
    if ruta.endswith("acuse.pdf"):
        return ACUSE
    if metodo == "POST":
        reglas = (
            (lambda r: r == "/acceso/efirma/validar/", INGRESO_VALIDAR),
            (lambda r: r == "/acceso/efirma/", INGRESO),
            (lambda r: r.endswith("/firmar/validar/"), FIRMAR_VALIDAR),
            (lambda r: r.endswith("/firmar/"), FIRMAR),
            (lambda r: r.endswith("/carga/"), CARGA_SUBIR),
            (lambda r: "/cargas/" in r and r.endswith("/confirmar/"), CARGA_CONFIRMAR),
            (lambda r: r.endswith("/captura/trabajadores/"), TRABAJADOR),
            (lambda r: "/captura/" in r, GUARDAR),
        )
        for regla, clase in reglas:
            if regla(ruta):
                return clase
        return FRAGMENTO if tipo in ("xhr", "fetch") else CREAR
    return FRAGMENTO if tipo in ("xhr", "fetch") else PAGINA


def por_presentacion(solicitudes: dict[str, int], costos: dict, *, con_carga: bool) -> dict:
    total = collections.Counter()
    for clase, n in solicitudes.items():
        precio = COMO.get(clase, clase)
        if precio is None:
            continue
        for g, s in costos[precio].items():
            total[g] += n * s
    if con_carga:
        for g, s in costos[CARGA].items():
            total[g] += s
    return dict(total)


def presentaciones_por_segundo_pico() -> float:
    """Filings a second in the busiest hour: the deadline's filings spread over its days, times the peak."""
    return PRESENTACIONES / (DIAS * 24 * 3600) * PICO


def nucleos_necesarios(modelo: dict[str, dict], mezcla: dict[str, float]) -> tuple[dict, dict]:
    """(mean CPU-seconds of a filing, cores at the target utilisation in the busiest hour), per process group,
    for filings of each kind (``modelo``: kind of filing -> group -> CPU-seconds) in the shares of ``mezcla``."""
    if abs(sum(mezcla.values()) - 1) > 1e-6:
        raise ValueError(f"la mezcla debe sumar 1 (suma {sum(mezcla.values())})")
    media = {g: sum(parte * modelo[k].get(g, 0.0) for k, parte in mezcla.items()) for g in GRUPOS}
    por_segundo = presentaciones_por_segundo_pico()
    return media, {g: media[g] * por_segundo / UTILIZACION for g in GRUPOS}
