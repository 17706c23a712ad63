"""allauth's account URLs under /cuenta/, reduced to what the portal uses.

The portal changes an email only through the contratista's Editar flow and a password only through its own
links (activation and "¿Olvidaste tu contraseña?", with CURP and correo) or by giving the current one. allauth's
other account pages would change them behind the portal's back: with a capturista's session, adding an
unverified address at /cuenta/email/, making it primary and asking for a reset sent the link to the new
address (security review, finding 2). So every allauth URL not listed in ABIERTAS answers 404, including any a
future allauth adds; their names stay, so allauth's own code and templates can still reverse them.
"""

from __future__ import annotations

from allauth import urls as allauth_urls
from django.urls import URLPattern, URLResolver

from . import views

# What the portal uses: the CURP login and logout, the page allauth shows an inactive account, the password
# change (current password required; capturistas only) and the reset page, which shows the portal's
# CURP + correo form and whose own e-mail-only form is refused (accounts.forms).
ABIERTAS = {
    "account_login",
    "account_logout",
    "account_inactive",
    "account_change_password",
    "account_reset_password",
}


def _aplanar(patrones) -> list[URLPattern]:
    planos = []
    for patron in patrones:
        if isinstance(patron, URLResolver):
            planos += _aplanar(patron.url_patterns)
        else:
            planos.append(patron)
    return planos


def _patron(patron: URLPattern) -> URLPattern:
    if patron.name == "account_change_password":
        return URLPattern(patron.pattern, views.contrasena_cambiar, name=patron.name)
    if patron.name in ABIERTAS:
        return patron
    return URLPattern(patron.pattern, views.cuenta_cerrada, name=patron.name)


urlpatterns = [_patron(patron) for patron in _aplanar(allauth_urls.urlpatterns)]
