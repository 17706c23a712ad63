"""Numbers and counts as every screen, message and email of the portal writes them: the es-MX thousands
separator ("200,000") and a noun that agrees with its count ("1 trabajador", "2 trabajadores")."""

from __future__ import annotations

from django.utils import formats


def miles(numero: int) -> str:
    """An integer with the thousands separator of the portal's language (es-MX: "200,000")."""
    return formats.number_format(numero, use_l10n=True, force_grouping=True)


def segun(numero: int, singular: str, plural: str) -> str:
    """The word that agrees with ``numero``: ``singular`` for exactly one, else ``plural``."""
    return singular if numero == 1 else plural


def cuenta(numero: int, singular: str, plural: str) -> str:
    """"1 trabajador", "0 trabajadores", "1,500 trabajadores"."""
    return f"{miles(numero)} {segun(numero, singular, plural)}"
