from __future__ import annotations

from functools import lru_cache
from typing import Any

from django.http import HttpRequest
from django.urls import get_script_prefix, reverse

from .sesion import aviso_contexto
from .views import dev_mailbox_disponible

# The menu's links (partials/fragment_menu.html) and the header's Cerrar sesión: the same on every page, so
# reversed once per process (and script prefix) instead of a dozen {% url %} tags on every render.
MENU = {
    "inicio": "core:inicio",
    "datos": "contratistas:datos",
    "alta": "capturistas:alta",
    "consulta_usuarios": "capturistas:consulta",
    "exportar": "capturistas:exportar",
    "bandeja": "informativas:bandeja",
    "firma": "informativas:firma",
    "acuses": "informativas:acuses",
    "modificar": "informativas:modificar",
    "consulta": "informativas:consulta",
    "contratantes": "informativas:contratantes",
    "enlaces": "informativas:enlaces",
    "tablero": "informativas:tablero",
    "autorizaciones": "autorizaciones:lista",  # the contratista's authorised contratantes (clientes/)
    "mis_contratistas": "clientes:inicio",  # the contratante's own view
    "admin": "admin:index",  # IMSS staff's only other page
    "salir": "account_logout",  # the header's Cerrar sesión
}


@lru_cache(maxsize=8)
def _menu(prefijo: str) -> dict[str, str]:
    return {clave: reverse(nombre) for clave, nombre in MENU.items()}


def portal(request: HttpRequest) -> dict[str, Any]:
    """What every page needs: the Perfil strip, the menu and whether its Administración shows."""
    user = getattr(request, "user", None)
    contratista = getattr(request, "contratista", None)
    # A session in the contratante capacity (set by clientes.capacidad.CapacidadMiddleware) shows only its own
    # menu, even for a contratista that entered as contratante.
    contratante = bool(getattr(request, "capacidad_contratante", False))
    es_contratista = bool(user and user.is_authenticated and getattr(user, "es_contratista", False)) and not contratante
    es_capturista = bool(user and user.is_authenticated and getattr(user, "es_capturista", False))
    prefijo = get_script_prefix()
    return {
        # The Perfil strip says the capacity the session works in (partials/fragment_perfil.html).
        "perfil_contratista": None if contratante else contratista,
        "perfil_contratante": _perfil_contratante(user, contratista) if contratante else None,
        # Part of the key of every cached fragment that holds a URL ({% cache ... prefijo ... %}).
        "prefijo": prefijo,
        "menu": _menu(prefijo),
        "menu_administracion": es_contratista,
        "menu_tablero": es_capturista,
        "menu_contratante": contratante,
        # The Informativa group is for whoever files one; IMSS staff get the admin instead (its pages are 403).
        "menu_informativa": es_contratista or es_capturista,
        "menu_staff": bool(user and user.is_authenticated and user.is_staff)
        and not (es_contratista or es_capturista or contratante),
        "dev_mailbox": dev_mailbox_disponible(request),
        **aviso_contexto(request),
    }


def _perfil_contratante(user: Any, contratista: Any) -> dict[str, str]:
    """The RFC and name of a session in the contratante capacity: the contratista's own razón social when the
    account is a contratista too (the same RFC, kept by its datos generales), else the name its certificate
    gave."""
    return {"rfc": user.rfc, "nombre": getattr(contratista, "razon_social", "") or user.nombre_completo}
