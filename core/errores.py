"""The convention for an error that carries a Spanish sentence for the user."""

from __future__ import annotations


class ErrorConMensaje(Exception):
    """An error whose ``mensaje`` is the Spanish sentence to show the user (also its ``str()``). Every app's
    error that carries one derives from it; firma, which imports no app of ours, names it the same in
    ``EfirmaError``. An error that lists several problems keeps its list under its own name (``mensajes``,
    ``errores``) and still says them in ``mensaje``."""

    def __init__(self, mensaje: str) -> None:
        super().__init__(mensaje)
        self.mensaje = mensaje
