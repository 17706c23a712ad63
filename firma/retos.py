"""The signing protocol: the e.firma is used in the browser, the server only issues what to sign and checks
the signature (docs/firma-en-navegador.md).

1. "Validar": the page has decrypted the .key locally and checked that it belongs to the .cer; it posts the
   certificate (and the RFC). The server runs every certificate check (``firma.services.
   efirma_certificado_validar``) and answers with a **reto**: the exact text to sign. At login it is a random
   challenge; at Firmar it is the cadena original, with the informativa's reserved folio and the time.
2. The page signs the text (RSA PKCS#1 v1.5, SHA-256, over its UTF-8 bytes) and posts the certificate, the
   reto's id and the signature. The server consumes the reto and verifies the signature with ``cryptography``.

A reto is single-use (consumed by a DELETE that only one request can win), tied to the session (a random
token kept in the session; the reto stores only its hash), to the certificate (its SHA-256) and to its
purpose, and valid for ``VIGENCIA``. Each "Validar" issues a new one, so two tabs hold two retos. The key and
its password never reach the server: no view reads a file or a password any more.

Storage is bounded: a session keeps at most ``RETOS_POR_SESION`` live retos and a client address at most
``RETOS_POR_DIRECCION`` (an anonymous flood without cookies has a new session each time); a new reto replaces
the oldest one over either count, which then answers as expired. Expired retos are deleted by every issue
and by Celery beat (``retos_depurar``); a consumed one is deleted when it is used.
"""

from __future__ import annotations

import datetime
import hashlib
import secrets
import uuid
from collections.abc import MutableMapping
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from . import sat
from .models import RetoEfirma

VIGENCIA = datetime.timedelta(minutes=10)
# Live retos kept per session (tabs of one browser signing at once) and per client address (an office behind
# one NAT address logging in at the same time); past either, the oldest is replaced. A reto is signed seconds
# after it is issued, so only a flood from the same session or address can replace a real one.
RETOS_POR_SESION = 5
RETOS_POR_DIRECCION = 30
SESION_TOKEN = "efirma_sesion"
ACCESO = "acceso"
FIRMA = "firma"
MENSAJE_RETO_VENCIDO = (
    'La validación de tu e.firma venció o ya se usó. Da clic en "Validar" de nuevo y vuelve a intentarlo.'
)


def _sha256(datos: bytes | str) -> str:
    return hashlib.sha256(datos.encode() if isinstance(datos, str) else datos).hexdigest()


def _token_sesion(sesion: MutableMapping[str, Any]) -> str:
    """The session's random token (made on first use). Survives login's new session key (Django copies the
    data), and a different browser, or a logged-out one, never has it."""
    if SESION_TOKEN not in sesion:
        sesion[SESION_TOKEN] = secrets.token_hex(32)
    return sesion[SESION_TOKEN]


def reto_acceso_mensaje() -> str:
    """A login challenge: 256 random bits, labelled so it can never be taken for a cadena original."""
    return f"ICSOE|acceso|{secrets.token_hex(32)}"


def reto_emitir(
    *,
    sesion: MutableMapping[str, Any],
    certificado: sat.Certificado,
    proposito: str,
    mensaje: str,
    direccion: str | None = None,
    datos: dict[str, Any] | None = None,
    ahora: datetime.datetime | None = None,
) -> RetoEfirma:
    """Stores what the browser must sign with this certificate in this session, for ``VIGENCIA``. Expired
    retos of anyone are swept on the way (an index on ``expira`` keeps it cheap), and the oldest live ones of
    this session and of this client address (``direccion``, core.throttle.direccion_cliente) beyond
    RETOS_POR_SESION and RETOS_POR_DIRECCION are replaced."""
    ahora = ahora or timezone.now()
    RetoEfirma.objects.filter(expira__lt=ahora).delete()
    sesion_sha256 = _sha256(_token_sesion(sesion))
    direccion_sha256 = _sha256(direccion or "")
    _dejar_lugar(RetoEfirma.objects.filter(sesion_sha256=sesion_sha256), maximo=RETOS_POR_SESION)
    _dejar_lugar(RetoEfirma.objects.filter(direccion_sha256=direccion_sha256), maximo=RETOS_POR_DIRECCION)
    return RetoEfirma.objects.create(
        id=uuid.UUID(bytes=secrets.token_bytes(16)),
        proposito=proposito,
        sesion_sha256=sesion_sha256,
        direccion_sha256=direccion_sha256,
        certificado_sha256=_sha256(certificado.der),
        mensaje=mensaje,
        datos=datos or {},
        expira=ahora + VIGENCIA,
    )


def _dejar_lugar(vivos: QuerySet[RetoEfirma], *, maximo: int) -> None:
    """Deletes the oldest of ``vivos`` so that one more keeps them at ``maximo``."""
    sobrantes = list(vivos.order_by("-emitido", "-expira").values_list("pk", flat=True)[maximo - 1 :])
    if sobrantes:
        RetoEfirma.objects.filter(pk__in=sobrantes).delete()


def retos_depurar(*, ahora: datetime.datetime | None = None) -> int:
    """Deletes every expired reto (Celery beat, firma.tasks): none outlives its validity by more than the
    schedule's period, even when nobody clicks "Validar". Returns how many."""
    return RetoEfirma.objects.filter(expira__lte=ahora or timezone.now()).delete()[0]


@dataclass(frozen=True)
class FirmaVerificada:
    """A reto signed by the certificate's key: what login and Firmar act on. Made only by reto_consumir."""

    certificado: sat.Certificado
    proposito: str
    mensaje: str
    datos: dict[str, Any]
    firma: bytes


def _uuid(texto: str) -> uuid.UUID | None:
    try:
        return uuid.UUID(str(texto))
    except (ValueError, TypeError, AttributeError):
        return None


def reto_consumir(
    *,
    sesion: MutableMapping[str, Any],
    reto_id: str,
    certificado: sat.Certificado,
    proposito: str,
    firma: bytes,
    ahora: datetime.datetime | None = None,
) -> FirmaVerificada:
    """Consumes the reto and verifies its signature; raises sat.EfirmaError otherwise.

    The reto is deleted first, in its own commit, whatever follows: a reto that another request consumed,
    one of another session, certificate or purpose, or an expired one is refused with MENSAJE_RETO_VENCIDO;
    a signature that does not verify with the certificate is "firma_invalida" (and the reto is spent).
    """
    ahora = ahora or timezone.now()
    identificador = _uuid(reto_id)
    token = sesion.get(SESION_TOKEN)
    if identificador is None or not token:
        raise sat.EfirmaError("reto_vencido", MENSAJE_RETO_VENCIDO)
    with transaction.atomic():
        reto = (
            RetoEfirma.objects.select_for_update()
            .filter(
                id=identificador,
                proposito=proposito,
                sesion_sha256=_sha256(token),
                certificado_sha256=_sha256(certificado.der),
            )
            .first()
        )
        # Only the request whose DELETE removed the row goes on: two concurrent submits cannot both use it.
        usado = reto is not None and RetoEfirma.objects.filter(pk=reto.pk).delete()[0] == 1
    if reto is None or not usado or reto.expira <= ahora:
        raise sat.EfirmaError("reto_vencido", MENSAJE_RETO_VENCIDO)
    if not sat.verificar(certificado, reto.mensaje.encode("utf-8"), firma):
        raise sat.EfirmaError("firma_invalida")
    return FirmaVerificada(
        certificado=certificado, proposito=proposito, mensaje=reto.mensaje, datos=reto.datos, firma=firma
    )
