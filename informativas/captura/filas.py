"""The bandeja's rows, each rendered once per process for the values it shows and then taken from memory.

A row shows only its informativa's code, period, type, status, extemporánea and totals, and whether the user is
the contratista (the Firmar link), and its links carry the script prefix: with those as a plain tuple, a row
already rendered costs one dict lookup. The {% cache %} tag this replaces resolved those ten values as template
variables, hashed them (md5) and unpickled the fragment from the locmem cache on every row, three quarters of a
row's time in the profile of bench/bench_bandeja.py. The part of a row that changes with every request (the
CSRF token of Regresar a captura) stays in templates/informativas/captura/bandeja.html."""

from __future__ import annotations

from django.template.loader import render_to_string
from django.urls import get_script_prefix
from django.utils.safestring import SafeString

from ..models import Informativa

PLANTILLA_FILA = "informativas/captura/fragment_fila_bandeja.html"
# As many rows as the locmem cache kept (its MAX_ENTRIES); past that it starts again (a few KiB a row at most).
MAXIMO = 20_000
_filas: dict[tuple, SafeString] = {}


def fila_html(informativa: Informativa, *, es_contratista: bool) -> SafeString:
    """The row of ``informativa`` up to its Acciones cell's last link (templates/informativas/captura/
    fragment_fila_bandeja.html), rendered the first time these values are seen in this process."""
    i = informativa
    clave = (
        get_script_prefix(),
        i.code,
        i.anio,
        i.cuatrimestre,
        i.tipo,
        i.estatus,
        i.extemporanea,
        i.num_contratos,
        i.num_trabajadores,
        es_contratista,
    )
    html = _filas.get(clave)
    if html is None:
        if len(_filas) >= MAXIMO:
            _filas.clear()
        html = _filas[clave] = render_to_string(PLANTILLA_FILA, {"i": i, "es_contratista": es_contratista})
    return html
