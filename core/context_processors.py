from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest


def portal(request: HttpRequest) -> dict[str, Any]:
    """What the layout needs on every page: the Perfil strip and whether the Administración menu shows."""
    user = getattr(request, "user", None)
    contratista = getattr(request, "contratista", None)
    es_contratista = bool(user and user.is_authenticated and getattr(user, "es_contratista", False))
    return {
        "perfil_contratista": contratista,
        "menu_administracion": es_contratista,
        "dev_mailbox": settings.ICSOE_DEV_MAILBOX,
    }
