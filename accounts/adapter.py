from __future__ import annotations

from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from django import forms
from django.contrib.auth.base_user import AbstractBaseUser
from django.http import HttpRequest, HttpResponse

from core.throttle import direccion_cliente

from .freno import dispositivo_recordar, espera_de, exito_de, fallo_de
from .services import PISTA_OLVIDO

MENSAJE_SIN_RELACION_ACTIVA = (
    "Tu usuario no tiene una relación activa con ningún contratista. "
    "Comunícate con el contratista que te dio de alta."
)


class AccountAdapter(DefaultAccountAdapter):
    """Accounts are created by a contratista (capturistas) or by the e.firma login, never by self-signup."""

    # The password change (the only allauth form that checks a password besides the login) speaks as the portal
    # does: tú, not usted.
    error_messages = {
        **DefaultAccountAdapter.error_messages,
        "enter_current_password": "Escribe tu contraseña actual: la que usas para ingresar.",
    }

    def is_open_for_signup(self, request: HttpRequest) -> bool:
        return False

    def clean_username(self, username: str, shallow: bool = False) -> str:
        return super().clean_username(username.strip().upper(), shallow=shallow)

    def authenticate(self, request: HttpRequest, **credentials: Any) -> AbstractBaseUser | None:
        """A capturista whose relations are all in baja (or none is active yet) cannot log in.

        Checked only after the password matched, so the message reveals nothing to someone guessing. A
        capturista without a password (activation link not used yet) never gets here: it has no usable one.
        """
        user = super().authenticate(request, **credentials)
        if user is not None and getattr(user, "es_contratista", False):
            # Contratistas log in with e.firma only: a password they may have set (allauth's set-password
            # page is reachable) must never open the account.
            self.authentication_failed(request, **credentials)
            return None
        if user is not None:
            exito_de(request, cuenta=credentials.get("username", ""))
        if user is not None and getattr(user, "es_capturista", False) and not _tiene_relacion_activa(user):
            raise forms.ValidationError(MENSAJE_SIN_RELACION_ACTIVA, code="sin_relacion_activa")
        return user

    # The throttle of failed logins is the portal's own (accounts.freno, accounts.services, core.throttle), in
    # place of allauth's "login_failed" limit, which locks a CURP for anyone who knows it. Checked here, before
    # authenticate(): an attempt refused while it must wait costs no hash.
    def pre_authenticate(self, request: HttpRequest, **credentials: Any) -> None:
        mensaje = espera_de(request, cuenta=credentials.get("username", ""), pista=PISTA_OLVIDO)
        if mensaje:
            raise forms.ValidationError(mensaje, code="too_many_login_attempts")

    def authentication_failed(self, request: HttpRequest, **credentials: Any) -> None:
        fallo_de(request, cuenta=credentials.get("username", ""))

    def post_login(self, request: HttpRequest, user: AbstractBaseUser, **kwargs: Any) -> HttpResponse:
        """The browser that logged in is known to this account from now on (its device cookie)."""
        respuesta = super().post_login(request, user, **kwargs)
        dispositivo_recordar(request, respuesta, cuenta=user.get_username())
        return respuesta

    def get_client_ip(self, request: HttpRequest) -> str:
        """allauth's own per-address limits see the same address as the portal's (ICSOE_TRUSTED_PROXIES)."""
        return direccion_cliente(meta=request.META) or super().get_client_ip(request)


def _tiene_relacion_activa(user: AbstractBaseUser) -> bool:
    # Through the reverse accessor: accounts sits below capturistas and does not import it.
    relaciones = user.relaciones_capturista  # type: ignore[attr-defined]
    return relaciones.filter(estatus=relaciones.model.Estatus.ACTIVA).exists()
