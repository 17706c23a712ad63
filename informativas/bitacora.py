"""Audit trail of an informativa: every change is written against the informativa itself (so its trail is one
indexed query), with the contract folio, worker or file in ``datos``; this maps each action to Spanish."""

from __future__ import annotations

from core.models import Bitacora
from core.textos import cuenta

from .models import Informativa

ACCIONES = {
    "informativas.informativa.creada": "Creó la informativa",
    "informativas.informativa.contratista_actualizado": "Guardó los datos del contratista",
    "informativas.informativa.contratos_declarados": "Registró el número de contratos celebrados",
    "informativas.informativa.enviada_a_firma": "Envió la informativa a firma",
    "informativas.informativa.regresada_a_captura": "Regresó la informativa a captura",
    "informativas.informativa.eliminada": "Eliminó la informativa",
    "informativas.informativa.presentada": "Firmó y presentó la informativa",
    "informativas.informativa.sustituida": "La informativa fue sustituida por una complementaria",
    "informativas.informativa.dejada_sin_efectos": "La informativa fue dejada sin efectos por una complementaria",
    "informativas.informativa.complementaria_creada": "Inició la informativa complementaria",
    "informativas.expediente.generado": "Generó el expediente de un contratante",
    "informativas.informativa.lista_sat_confirmada": "Confirmó que conoce la situación del contratante en la lista del SAT",
    "informativas.contrato.creado": "Agregó el contrato",
    "informativas.contrato.contratante_actualizado": "Modificó los datos del contratante",
    "informativas.contrato.actualizado": "Guardó los datos del contrato",
    "informativas.contrato.eliminado": "Eliminó el contrato",
    "informativas.trabajador.agregado": "Agregó un trabajador",
    "informativas.trabajador.actualizado": "Modificó un trabajador",
    "informativas.trabajador.eliminado": "Eliminó un trabajador",
    "informativas.carga.recibida": "Subió un archivo de carga masiva",
    "informativas.carga.validada": "Se validó la carga masiva",
    "informativas.carga.rechazada": "Se rechazó el archivo de carga masiva",
    "informativas.carga.aplicada": "Guardó los trabajadores de la carga masiva",
    "informativas.carga.cancelada": "Canceló la carga masiva",
    "informativas.carga.trabajadores_eliminados": "Eliminó los trabajadores de una carga masiva",
    "informativas.contratante.actualizado": "Modificó un contratante del catálogo",
    "informativas.contratante.eliminado": "Eliminó un contratante del catálogo",
    "informativas.bloque.recibida": "Subió una plantilla de contratos en bloque",
    "informativas.bloque.validada": "Se revisó la plantilla de contratos en bloque",
    "informativas.bloque.aplicada": "Guardó los contratos en bloque",
    "informativas.bloque.cancelada": "Canceló la carga de contratos en bloque",
    "informativas.nomina.recibida": "Subió un ZIP de nómina (CFDI)",
    "informativas.nomina.validada": "Se revisó la nómina (CFDI)",
    "informativas.nomina.rechazada": "Se rechazó el ZIP de nómina (CFDI)",
    "informativas.nomina.asignada": "Eligió los contratos de un contratante en la importación de nómina",
    "informativas.nomina.aplicada": "Guardó los trabajadores de la nómina (CFDI)",
    "informativas.nomina.cancelada": "Canceló la importación de nómina (CFDI)",
}


def descripcion(entrada: Bitacora) -> str:
    texto = ACCIONES.get(entrada.accion, entrada.accion)
    datos = entrada.datos or {}
    detalle = [f"contrato {datos['contrato']}"] if datos.get("contrato") else []
    if datos.get("lista_sat"):
        corte = f", corte {datos['corte']}" if datos.get("corte") else ""
        detalle.append(f"RFC {datos.get('rfc', '')}: {datos['lista_sat']}, {datos.get('situacion', '')}{corte}")
    if datos.get("nss"):
        detalle.append(f"NSS {datos['nss']}")
    if datos.get("folio"):
        detalle.append(f"folio {datos['folio']}")
    if datos.get("por"):
        detalle.append(f"por el folio {datos['por']}")
    if datos.get("origen"):
        detalle.append(f"de la informativa {datos['origen']}")
    if datos.get("archivo"):
        detalle.append(datos["archivo"])
    if "trabajadores" in datos:
        detalle.append(cuenta(datos["trabajadores"], "trabajador", "trabajadores"))
    if isinstance(datos.get("contratos"), int):  # a count (the nómina's assignment lists folios instead)
        detalle.append(cuenta(datos["contratos"], "contrato", "contratos"))
    if datos.get("folios"):
        detalle.append(f"folios {datos['folios']}")
    return f"{texto} ({', '.join(detalle)})" if detalle else texto


def bitacora_de(informativa: Informativa, *, limite: int = 200) -> list[dict]:
    entradas = (
        Bitacora.objects.filter(objeto_tipo=Informativa._meta.label_lower, objeto_id=str(informativa.pk))
        .select_related("usuario")
        .order_by("-creado", "-pk")[:limite]
    )
    return [
        {
            "fecha": e.creado,
            "usuario": (e.usuario.nombre_completo or e.usuario.username) if e.usuario else "Sistema",
            "clave": e.usuario.clave if e.usuario else "",
            "accion": descripcion(e),
        }
        for e in entradas
    ]
