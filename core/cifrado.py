"""Symmetric encryption of short values the portal must keep for a while but nobody reading the database may use
(the token of a pending email's password link): Fernet (AES-128-CBC + HMAC-SHA256), its key derived from
SECRET_KEY. A value encrypted before SECRET_KEY was rotated is still read through SECRET_KEY_FALLBACKS."""

from __future__ import annotations

import base64

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.utils.crypto import salted_hmac

__all__ = ["InvalidToken", "cifrar", "descifrar"]

PROPOSITO = "core.cifrado"


def _fernet(secreto: str) -> Fernet:
    clave = salted_hmac(PROPOSITO, "clave", secret=secreto, algorithm="sha256").digest()
    return Fernet(base64.urlsafe_b64encode(clave))


def _claves() -> MultiFernet:
    return MultiFernet([_fernet(s) for s in [settings.SECRET_KEY, *settings.SECRET_KEY_FALLBACKS]])


def cifrar(texto: str) -> str:
    return _claves().encrypt(texto.encode()).decode("ascii")


def descifrar(cifrado: str) -> str:
    """InvalidToken when it was not encrypted with SECRET_KEY or one of its fallbacks."""
    return _claves().decrypt(cifrado.encode("ascii")).decode()
