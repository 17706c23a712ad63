"""The contratista screened at login: its own RFC against the lists in force. A hit is kept in the session and
shown on /inicio/ (list, situation, publication and cut dates). «No verificado» shows nothing alarming, and
never a clean result: there is no «sin coincidencias» notice at all."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from .services import listas_consultar

SESION = "listas_sat_aviso"


def aviso_al_entrar(sender: Any, request: HttpRequest, user: Any, **kwargs: Any) -> None:
    """user_logged_in: a contratista's RFC screened (one call); its hits, or nothing, in the session."""
    if not getattr(user, "es_contratista", False) or not getattr(user, "rfc", ""):
        return
    consulta = listas_consultar(rfcs=[user.rfc]).get(user.rfc.strip().upper())
    hallazgos = [
        {
            "lista": h.nombre_lista,
            "situacion": h.situacion,
            "publicado": f"{h.fecha_publicacion:%d/%m/%Y}" if h.fecha_publicacion else "",
            "corte": f"{h.fecha_corte:%d/%m/%Y}" if h.fecha_corte else "",
        }
        for h in (consulta.hallazgos if consulta else [])
    ]
    if hallazgos:
        request.session[SESION] = {"rfc": user.rfc, "hallazgos": hallazgos}
    else:
        request.session.pop(SESION, None)
