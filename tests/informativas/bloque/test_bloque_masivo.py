"""Contratos en bloque at scale: phase two stores at once exactly what ``contrato_crear`` followed by
``contrato_actualizar`` stores one row at a time (field by field: contratos, domicilios, catalog, audit,
folios, totals); neither phase makes a query per row; a razón social of another RFC is refused by row and
column in phase one; a row that stopped passing between the phases is skipped and counted."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from contratistas.models import ContribuyenteSat, Domicilio
from core.models import Bitacora
from informativas.bitacora import descripcion
from informativas.bloque import services
from informativas.captura import services as captura
from informativas.contratantes.models import Contratante
from informativas.models import CargaContratos, Contrato, Informativa

from ..fases import en_el_worker
from .test_bloque import BUENA, _subir, libro

pytestmark = pytest.mark.django_db

DOMICILIO_CONVENCIONAL = {
    "domicilio_convencional_igual_fiscal": "No",
    "convencional-codigo_postal": "01000",
    "convencional-asentamiento": "san ángel",  # any case, as the catalog's name
    "convencional-calle": "Insurgentes Sur",
    "convencional-numero_exterior": "1234",
    "convencional-numero_interior": "5",
}
FILAS = [
    {},  # in the SAT registry: its name is the registry's
    {  # a persona física with a domicilio convencional
        "rfc": "GODE561231GR8",
        "razon_social": "Ernesto Gómez Díaz",
        "domicilio_social_igual_fiscal": "",
        **DOMICILIO_CONVENCIONAL,
    },
    {  # a persona moral outside the registry, with both domicilios and an end date
        "rfc": "MOR030303EF4",
        "razon_social": "morales y asociados sc",
        "domicilio_social_igual_fiscal": "No",
        "social-codigo_postal": "01000",
        "social-asentamiento": "TLACOPAC",
        "social-calle": "Calle 2",
        "social-numero_exterior": "10",
        **DOMICILIO_CONVENCIONAL,
        "objeto": "  OC 3 mantenimiento  ",
        "fecha_termino": "31/03/2026",
    },
    {  # a check digit that does not match, confirmed; a landline; an upper-case e-mail
        "rfc": "CLT020202CD7",
        "razon_social": "CLIENTE TERCERO SA",
        "confirmar_rfc": "Sí",
        "correo": "Ventas@Tercero.MX",
        "celular": "55 1111 2222",
        "telefono_fijo": "55-3333-4444",
        "registro_repse": "ar 12345/2021",
    },
    {"correo": "otro@cliente.mx", "objeto": "OC 5"},  # the first RFC again: the catalog keeps the last
]


def _celdas(fila: dict) -> list[str]:
    datos = {**BUENA, **fila}
    return [str(datos.get(campo, "")) for _, campo in services.COLUMNAS]


def _informativa_de(contratista) -> Informativa:
    return captura.informativa_crear(
        contratista=contratista, anio=2026, cuatrimestre=1, tipo="NORMAL", usuario=contratista.usuario
    )


def _campos(objeto, *excluir: str) -> dict:
    fuera = {"id", "code", "created_at", "updated_at", *excluir}
    return {
        f.attname: getattr(objeto, f.attname) for f in objeto._meta.concrete_fields if f.attname not in fuera
    }


def _domicilio(domicilio: Domicilio | None) -> dict | None:
    return _campos(domicilio) if domicilio else None


def _contratos(informativa: Informativa) -> list[dict]:
    contratos = Contrato.objects.filter(informativa=informativa).select_related(
        "domicilio_social", "domicilio_convencional"
    )
    return [
        {
            **_campos(c, "informativa_id", "folio", "domicilio_social_id", "domicilio_convencional_id"),
            "domicilio_social": _domicilio(c.domicilio_social),
            "domicilio_convencional": _domicilio(c.domicilio_convencional),
        }
        for c in contratos.order_by("pk")
    ]


def _catalogo(contratista) -> dict[str, dict]:
    return {c.rfc: _campos(c, "contratista_id") for c in Contratante.objects.filter(contratista=contratista)}


def test_the_bulk_path_stores_exactly_what_the_wizard_stores_one_by_one(
    contratista, otro_contratista, padron_sat, sepomex, media
):
    uno_a_uno = _informativa_de(contratista)
    for fila in FILAS:
        problemas, contratante, contrato = services.revisar_fila(_celdas(fila), informativa=uno_a_uno)
        assert problemas == []
        creado = captura.contrato_crear(
            informativa=uno_a_uno, contratante=contratante, usuario=contratista.usuario
        )
        captura.contrato_actualizar(contrato=creado, usuario=contratista.usuario, **contrato)

    en_bloque = _informativa_de(otro_contratista)
    carga = _subir(en_bloque, otro_contratista.usuario, libro(FILAS))
    assert (carga.aceptados, carga.rechazados) == (5, 0)
    carga = en_el_worker(services.bloque_confirmar(carga=carga, usuario=otro_contratista.usuario))

    assert carga.guardados == 5
    esperados, obtenidos = _contratos(uno_a_uno), _contratos(en_bloque)
    assert len(obtenidos) == 5
    for esperado, obtenido in zip(esperados, obtenidos, strict=True):
        assert obtenido == esperado
    # What the rows carry, as the wizard keeps it.
    assert obtenidos[0]["contratante_razon_social"] == "CLIENTE INDUSTRIAL SA DE CV"
    assert obtenidos[0]["contratante_en_padron"] is True
    assert obtenidos[1]["domicilio_convencional"]["asentamiento_id"] == sepomex["san_angel"].pk
    assert obtenidos[1]["domicilio_social_igual_fiscal"] is None  # a persona física has no domicilio social
    assert (
        obtenidos[2]["domicilio_social"]["calle"] == "CALLE 2"
        and obtenidos[2]["objeto"] == "OC 3 mantenimiento"
    )
    assert obtenidos[3]["contratante_rfc_confirmado"] is True
    assert obtenidos[3]["contratante_correo"] == "ventas@tercero.mx"
    assert obtenidos[3]["registro_repse"] == "AR12345/2021"
    # The catalog, field by field, with the repeated RFC as its last contrato left it.
    assert _catalogo(otro_contratista) == _catalogo(contratista)
    assert _catalogo(otro_contratista)["CLI010101AB5"]["correo"] == "otro@cliente.mx"
    assert len(_catalogo(otro_contratista)) == 4
    # Folios: one consecutive block, in the rows' order.
    folios = list(
        Contrato.objects.filter(informativa=en_bloque).order_by("pk").values_list("folio", flat=True)
    )
    numeros = [int(f[4:]) for f in folios]
    assert all(f.startswith("A26P") for f in folios) and numeros == list(range(numeros[0], numeros[0] + 5))
    # Totals and audit: one "contrato creado" per contrato, as one by one, and the block's own entry.
    en_bloque.refresh_from_db()
    assert (en_bloque.num_contratos, en_bloque.num_trabajadores) == (5, 0)
    creados = Bitacora.objects.filter(
        accion="informativas.contrato.creado", objeto_id=str(en_bloque.pk), usuario=otro_contratista.usuario
    )
    assert sorted((e.datos["contrato"], e.datos["rfc"]) for e in creados) == sorted(
        Contrato.objects.filter(informativa=en_bloque).values_list("folio", "contratante_rfc")
    )
    aplicada = Bitacora.objects.get(accion="informativas.bloque.aplicada", objeto_id=str(en_bloque.pk))
    assert aplicada.datos["contratos"] == 5 and aplicada.datos["folios"] == f"{folios[0]} a {folios[-1]}"
    assert descripcion(aplicada) == (
        f"Guardó los contratos en bloque (contratos.xlsx, 5 contratos, folios {folios[0]} a {folios[-1]})"
    )


def _consultas_de(funcion) -> int:
    """Statements run, a bulk_create's batches counted once: SQLite caps the parameters of one statement (999
    on older builds), so 60 rows may take two INSERTs of many rows each where PostgreSQL takes one. An INSERT
    of one row is always counted (a query per row is what this catches)."""
    with CaptureQueriesContext(connection) as consultas:
        funcion()
    contadas, anterior = 0, ""
    for q in consultas.captured_queries:
        sql = q["sql"]
        lote = sql.startswith("INSERT INTO ") and "), (" in sql
        tabla = sql.split(" ", 3)[2] if lote else ""
        if not (lote and tabla == anterior):
            contadas += 1
        anterior = tabla
    return contadas


def test_neither_phase_makes_a_query_per_row(
    informativa, contratista, otro_contratista, padron_sat, sepomex, media
):
    def filas(n: int) -> list[dict]:
        return [{**FILAS[i % len(FILAS)], "objeto": f"OC {i}"} for i in range(n)]

    otra = _informativa_de(otro_contratista)
    cargas = {}
    fase_uno = {
        n: _consultas_de(lambda n=n, inf=inf, u=u: cargas.__setitem__(n, _subir(inf, u, libro(filas(n)))))
        for n, inf, u in ((5, informativa, contratista.usuario), (60, otra, otro_contratista.usuario))
    }
    assert cargas[60].aceptados == 60
    fase_dos = {
        n: _consultas_de(lambda n=n, u=u: en_el_worker(services.bloque_confirmar(carga=cargas[n], usuario=u)))
        for n, u in ((5, contratista.usuario), (60, otro_contratista.usuario))
    }
    assert fase_uno[5] == fase_uno[60] and fase_dos[5] == fase_dos[60]
    assert Contrato.objects.filter(informativa=otra).count() == 60


def test_a_typed_razon_social_of_another_rfc_in_the_registry_is_refused_by_row_and_column(
    informativa, contratista, padron_sat, media
):
    # Before: phase one accepted the row and the confirmation failed as a whole on contrato_crear's check.
    carga = _subir(
        informativa,
        contratista.usuario,
        libro([{"rfc": "MOR030303EF4", "razon_social": "cliente  industrial sa de cv"}, {"objeto": "OC 2"}]),
    )
    assert (carga.aceptados, carga.rechazados) == (1, 1)
    [[fila, columna, valor, mensaje]] = carga.errores
    assert (fila, columna, valor) == (
        2,
        "Denominación o razón social / Nombre",
        "cliente  industrial sa de cv",
    )
    assert mensaje == captura.MENSAJE_RAZON_SOCIAL_DE_PADRON.format(otro="CLI010101AB5", rfc="MOR030303EF4")
    assert en_el_worker(services.bloque_confirmar(carga=carga, usuario=contratista.usuario)).guardados == 1


def test_a_row_that_stopped_passing_between_the_phases_is_skipped_and_counted(
    informativa, contratista, padron_sat, media
):
    carga = _subir(
        informativa,
        contratista.usuario,
        libro([{"rfc": "MOR030303EF4", "razon_social": "MORALES Y ASOCIADOS SC"}, {"objeto": "OC 2"}]),
    )
    assert carga.aceptados == 2
    ContribuyenteSat.objects.create(rfc="MOR030303AB2", razon_social="Morales y Asociados SC")
    carga = en_el_worker(services.bloque_confirmar(carga=carga, usuario=contratista.usuario))
    assert (carga.aceptados, carga.guardados) == (2, 1)
    assert list(Contrato.objects.values_list("objeto", flat=True)) == ["OC 2"]
    informativa.refresh_from_db()
    assert informativa.num_contratos == 1


def test_a_carga_checked_before_its_rows_were_kept_is_checked_again_on_confirmation(
    informativa, contratista, padron_sat, sepomex, media
):
    carga = _subir(informativa, contratista.usuario, libro([*FILAS[:3], {"rfc": ""}]))
    assert (carga.aceptados, carga.rechazados) == (3, 1)
    CargaContratos.objects.filter(pk=carga.pk).update(aceptadas=[])
    carga.refresh_from_db()
    carga = en_el_worker(services.bloque_confirmar(carga=carga, usuario=contratista.usuario))
    assert carga.guardados == 3
    assert Contrato.objects.filter(domicilio_convencional__isnull=False).count() == 2


def test_the_kept_rows_are_what_the_forms_cleaned(informativa, contratista, padron_sat, sepomex, media):
    carga = _subir(informativa, contratista.usuario, libro([FILAS[2]]))
    [fila] = carga.aceptadas
    assert fila["fila"] == 2
    assert fila["contratante"]["razon_social"] == "MORALES Y ASOCIADOS SC"
    assert fila["contratante"]["domicilio_social"]["asentamiento"] == sepomex["tlacopac"].pk
    assert fila["contrato"]["fecha_termino"] == "2026-03-31"
    en_el_worker(services.bloque_confirmar(carga=carga, usuario=contratista.usuario))
    carga.refresh_from_db()
    assert carga.aceptadas == [] and Contrato.objects.get().contratante_rfc == "MOR030303EF4"


def test_the_rows_share_one_copy_of_the_forms_fields_and_the_wizards_stay_untouched(
    informativa, contratista, padron_sat, media
):
    from informativas.captura.forms import ContratanteForm, ContratoForm

    antes = (
        ContratoForm.base_fields["fecha_inicio"].help_text,
        dict(ContratanteForm.base_fields["rfc"].widget.attrs),
    )
    carga = _subir(
        informativa,
        contratista.usuario,
        libro([{"celular": "12"}, {}, {"fecha_inicio": "01/06/2026"}, {"objeto": "OC 4"}]),
    )
    # Each row keeps its own errors: a field shared by the rows carries none of them.
    assert sorted({e[0] for e in carga.errores}) == [2, 4] and carga.aceptados == 2
    assert (
        ContratoForm.base_fields["fecha_inicio"].help_text,
        dict(ContratanteForm.base_fields["rfc"].widget.attrs),
    ) == antes
