"""Catálogo de contratantes: kept by every contrato saved, read by the Contratante tab, edited by the user."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction

from contratistas.domicilio import PASO_2
from contratistas.models import Contratista
from core.services import bitacora_registrar

from .models import Contratante

if TYPE_CHECKING:
    from accounts.models import User


def _domicilio_como_formulario(domicilio: dict[str, Any] | None) -> dict[str, Any]:
    if not domicilio or not domicilio.get("asentamiento"):
        return {}
    asentamiento = domicilio["asentamiento"]
    return {
        "codigo_postal": asentamiento.codigo_postal.codigo,
        "asentamiento": asentamiento.pk,
        **{c: domicilio.get(c, False if c == "sin_numero" else "") for c in PASO_2},
    }


def contratante_registrar(*, contratista: Contratista, datos: Any, razon_social: str) -> Contratante:
    """Adds the contratante of a contrato just saved to the catalog, or brings its entry up to date.
    ``datos``: the DatosContratante the Contratante tab sent; ``razon_social``: the one the contrato kept."""
    contratante, _ = Contratante.objects.select_for_update().get_or_create(
        contratista=contratista,
        rfc=datos.rfc,
        defaults={"razon_social": razon_social, "correo": datos.correo, "celular": datos.celular},
    )
    _aplicar(contratante, datos, razon_social)
    contratante.full_clean()
    contratante.save()
    return contratante


# What the catalog keeps of a contrato's contratante: every field but its keys (contratista, RFC).
CAMPOS_DEL_CONTRATO = (
    "razon_social",
    "rfc_confirmado",
    "correo",
    "celular",
    "telefono_fijo",
    "domicilio_social_igual_fiscal",
    "domicilio_convencional_igual_fiscal",
    "domicilio_social",
    "domicilio_convencional",
)


def contratantes_registrar(*, contratista: Contratista, registros: list[tuple[Any, str]]) -> int:
    """``contratante_registrar`` for many contratos saved at once (Contratos en bloque), in one statement:
    ``registros`` are (DatosContratante, razón social kept) in the order the contratos were saved, so an RFC
    that appears twice ends as its last contrato left it, as one save after another would. Returns how many
    catalog entries were written."""
    ultimos: dict[str, Contratante] = {}
    for datos, razon_social in registros:
        contratante = Contratante(contratista=contratista, rfc=datos.rfc)
        _aplicar(contratante, datos, razon_social)
        contratante.full_clean(exclude=["contratista"], validate_unique=False, validate_constraints=False)
        ultimos[datos.rfc] = contratante
    Contratante.objects.bulk_create(
        list(ultimos.values()),
        batch_size=1000,
        update_conflicts=True,
        unique_fields=["contratista", "rfc"],
        update_fields=[*CAMPOS_DEL_CONTRATO, "updated_at"],
    )
    return len(ultimos)


def _aplicar(contratante: Contratante, datos: Any, razon_social: str) -> None:
    contratante.razon_social = razon_social
    contratante.rfc_confirmado = datos.rfc_confirmado
    contratante.correo = datos.correo
    contratante.celular = datos.celular
    contratante.telefono_fijo = datos.telefono_fijo
    contratante.domicilio_social_igual_fiscal = datos.domicilio_social_igual_fiscal
    contratante.domicilio_convencional_igual_fiscal = datos.domicilio_convencional_igual_fiscal
    contratante.domicilio_social = _domicilio_como_formulario(datos.domicilio_social)
    contratante.domicilio_convencional = _domicilio_como_formulario(datos.domicilio_convencional)


def contratante_buscar(*, contratista: Contratista, rfc: str) -> Contratante | None:
    return Contratante.objects.filter(contratista=contratista, rfc=rfc).first()


def contratante_rfcs(*, contratista: Contratista) -> list[tuple[str, str]]:
    """(RFC, razón social) of every catalog entry, for the RFC field's suggestions."""
    return list(Contratante.objects.filter(contratista=contratista).values_list("rfc", "razon_social")[:500])


def _si_no(valor: bool | None) -> str | None:
    return None if valor is None else ("si" if valor else "no")


def contratante_como_formulario(*, contratante: Contratante) -> dict[str, Any]:
    """The catalog entry as the Contratante tab's fields (domicilio fields prefixed as the form names them)."""
    datos: dict[str, Any] = {
        "rfc": contratante.rfc,
        "razon_social": contratante.razon_social,
        "confirmar_rfc": contratante.rfc_confirmado or None,
        "correo": contratante.correo,
        "celular": contratante.celular,
        "telefono_fijo": contratante.telefono_fijo,
        "domicilio_social_igual_fiscal": _si_no(contratante.domicilio_social_igual_fiscal),
        "domicilio_convencional_igual_fiscal": _si_no(contratante.domicilio_convencional_igual_fiscal),
    }
    for prefijo, domicilio in (
        ("social", contratante.domicilio_social),
        ("convencional", contratante.domicilio_convencional),
    ):
        for campo, valor in (domicilio or {}).items():
            datos[f"{prefijo}-{campo}"] = valor
    return {k: v for k, v in datos.items() if v is not None}


@transaction.atomic
def contratante_actualizar(
    *,
    contratante: Contratante,
    razon_social: str,
    correo: str,
    celular: str,
    telefono_fijo: str,
    usuario: User,
) -> Contratante:
    """An edit of the catalog entry: contratos already captured (and presented) keep what they have."""
    contratante = Contratante.objects.select_for_update().get(pk=contratante.pk)
    antes = {c: getattr(contratante, c) for c in ("razon_social", "correo", "celular", "telefono_fijo")}
    contratante.razon_social = razon_social.strip().upper()
    contratante.correo = correo.strip().lower()
    contratante.celular = celular
    contratante.telefono_fijo = telefono_fijo
    if not contratante.razon_social:
        raise ValidationError({"razon_social": "Captura la denominación o razón social."})
    contratante.full_clean()
    contratante.save()
    cambios = {c: v for c, v in antes.items() if v != getattr(contratante, c)}
    bitacora_registrar(
        accion="informativas.contratante.actualizado",
        objeto=contratante,
        usuario=_usuario(usuario),
        datos={"rfc": contratante.rfc, "antes": cambios},
    )
    return contratante


@transaction.atomic
def contratante_eliminar(*, contratante: Contratante, usuario: User) -> None:
    """Removes the entry from the catalog only; every contrato keeps its contratante's data."""
    bitacora_registrar(
        accion="informativas.contratante.eliminado",
        objeto=contratante,
        usuario=_usuario(usuario),
        datos={"rfc": contratante.rfc},
    )
    contratante.delete()


def _usuario(usuario: User) -> Any:
    return usuario if getattr(usuario, "is_authenticated", False) else None
