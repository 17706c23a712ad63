"""Phase two of Contratos en bloque: the accepted rows stored at once, as ``contrato_crear`` followed by
``contrato_actualizar`` would store each of them, with a fixed number of statements whatever the number of
rows: the informativa locked once, the folios reserved as one block, the domicilios and contratos inserted in
batches, the catalog of contratantes brought up to date in one statement, one audit entry per contrato written
in one statement, and the totals counted once."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, fields
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError

from contratistas.domicilio import domicilio_preparar
from contratistas.models import Asentamiento, Domicilio
from core.services import bitacora_registrar_varias

from .. import comun
from ..captura import services as captura
from ..captura.services import DatosContratante
from ..contratantes import services as catalogo
from ..folios import folios_contrato
from ..models import Contrato, Informativa
from .consultas import Consultas

if TYPE_CHECKING:
    from accounts.models import User

LOTE = 1000
DOMICILIOS = ("domicilio_social", "domicilio_convencional")


@dataclass
class FilaAceptada:
    """A row that passed phase one: what the Contratante tab and the Contrato tab would have sent."""

    fila: int
    contratante: DatosContratante
    contrato: dict[str, Any]  # objeto, registro_repse, servicio, fecha_inicio, fecha_termino

    def como_json(self) -> dict[str, Any]:
        """Kept in the carga between the phases (dates as ISO text, colonias by id)."""
        contratante = {f.name: getattr(self.contratante, f.name) for f in fields(DatosContratante)}
        for campo in DOMICILIOS:
            if contratante[campo]:
                contratante[campo] = {
                    **contratante[campo],
                    "asentamiento": contratante[campo]["asentamiento"].pk,
                }
        contrato = {
            **self.contrato,
            "fecha_inicio": self.contrato["fecha_inicio"].isoformat(),
            "fecha_termino": self.contrato["fecha_termino"].isoformat()
            if self.contrato["fecha_termino"]
            else None,
        }
        return {"fila": self.fila, "contratante": contratante, "contrato": contrato}

    @classmethod
    def de_json(cls, dato: dict[str, Any], colonias: dict[int, Asentamiento]) -> FilaAceptada | None:
        """None when a colonia it names is no longer in the SEPOMEX catalog."""
        contratante = dict(dato["contratante"])
        for campo in DOMICILIOS:
            if contratante.get(campo):
                colonia = colonias.get(contratante[campo]["asentamiento"])
                if colonia is None:
                    return None
                contratante[campo] = {**contratante[campo], "asentamiento": colonia}
        contrato = dict(dato["contrato"])
        contrato["fecha_inicio"] = datetime.date.fromisoformat(contrato["fecha_inicio"])
        if contrato["fecha_termino"]:
            contrato["fecha_termino"] = datetime.date.fromisoformat(contrato["fecha_termino"])
        return cls(fila=dato["fila"], contratante=DatosContratante(**contratante), contrato=contrato)


def filas_de_json(datos: list[dict[str, Any]]) -> list[FilaAceptada]:
    """The accepted rows kept by phase one; a row whose colonia left the catalog since is dropped."""
    ids = {
        d["contratante"][campo]["asentamiento"]
        for d in datos
        for campo in DOMICILIOS
        if d["contratante"].get(campo)
    }
    colonias = Asentamiento.objects.select_related("codigo_postal").in_bulk(ids) if ids else {}
    return [f for d in datos if (f := FilaAceptada.de_json(d, colonias)) is not None]


def vigentes(filas: list[FilaAceptada], *, consultas: Consultas) -> list[FilaAceptada]:
    """The rows that still pass what may have changed since phase one: a typed razón social must not be,
    in the SAT registry, another RFC's (``captura.contratante_razon_social_revisar``)."""
    return [
        f
        for f in filas
        if consultas.contribuyente(f.contratante.rfc)
        or not consultas.otro_con_razon_social(razon_social=f.contratante.razon_social, rfc=f.contratante.rfc)
    ]


def contratos_crear(
    *, informativa: Informativa, filas: list[FilaAceptada], consultas: Consultas, usuario: User | None
) -> list[Contrato]:
    """Stores every row as a contrato of ``informativa`` (locked by the caller, in its transaction), in the
    rows' order, with consecutive folios. ``consultas``: the registry entries of the rows' RFCs."""
    if not informativa.con_contratos:
        raise ValidationError("Una informativa Sin información no lleva contratos.", code="sin_informacion")
    if not filas:
        return []
    contratos: list[Contrato] = []
    domicilios: list[Domicilio] = []
    for fila in filas:
        datos = fila.contratante
        contrato = Contrato(informativa=informativa)
        captura.contratante_asignar(contrato, datos, consultas.contribuyente(datos.rfc))
        if len(datos.rfc) == 12 and datos.domicilio_social_igual_fiscal is False:
            contrato.domicilio_social = domicilio_preparar(actual=None, datos=datos.domicilio_social)
            domicilios.append(contrato.domicilio_social)
        if datos.domicilio_convencional_igual_fiscal is False:
            contrato.domicilio_convencional = domicilio_preparar(
                actual=None, datos=datos.domicilio_convencional
            )
            domicilios.append(contrato.domicilio_convencional)
        d = fila.contrato
        contrato.objeto = d["objeto"].strip()
        contrato.registro_repse = d["registro_repse"].strip()
        contrato.servicio = d["servicio"].strip()
        contrato.fecha_inicio = d["fecha_inicio"]
        contrato.fecha_termino = d["fecha_termino"]
        contratos.append(contrato)
    # The models' own field checks, as full_clean runs them one by one; what needs the database (the foreign
    # keys, the unique folio, the dates' order) is already known: the colonias came from the catalog, the
    # folios from the counter, the dates passed contrato_errores, and the constraints stay in the database.
    for domicilio in domicilios:
        domicilio.full_clean(exclude=["asentamiento"], validate_unique=False, validate_constraints=False)
    for contrato in contratos:
        contrato.full_clean(
            exclude=["informativa", "folio", *DOMICILIOS], validate_unique=False, validate_constraints=False
        )
    # Their ids, given by the insert, reach the contratos' foreign keys as the contratos are inserted.
    Domicilio.objects.bulk_create(domicilios, batch_size=LOTE)
    # The folio counter stays locked until the transaction ends: taken as late as possible.
    for contrato, folio in zip(
        contratos,
        folios_contrato(
            anio=informativa.anio, cuatrimestre=informativa.cuatrimestre, cantidad=len(contratos)
        ),
        strict=True,
    ):
        contrato.folio = folio
    Contrato.objects.bulk_create(contratos, batch_size=LOTE)
    catalogo.contratantes_registrar(
        contratista=informativa.contratista,
        registros=[
            (f.contratante, c.contratante_razon_social) for f, c in zip(filas, contratos, strict=True)
        ],
    )
    comun.informativa_totales_actualizar(informativa=informativa)
    bitacora_registrar_varias(
        accion="informativas.contrato.creado",
        objeto=informativa,
        usuario=usuario,
        datos=[{"contrato": c.folio, "rfc": c.contratante_rfc} for c in contratos],
    )
    return contratos
