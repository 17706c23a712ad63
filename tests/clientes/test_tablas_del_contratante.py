"""One contratante's contratos and trabajadores of one filing look the same to it wherever it sees them: its own
e.firma view (/contratante/informativas/<code>/) and the page behind a link (/expediente/<token>/) render the same
two tables, cell for cell, in the layout of the expediente it downloads from both (informativas.expediente)."""

from __future__ import annotations

import datetime

import pytest
from django.core.cache import cache, caches
from django.test import Client
from django.urls import reverse
from lxml import html as lxml_html

from clientes import services
from informativas.enlaces import services as enlaces
from informativas.selectors import contratos_del_contratante
from tests.informativas.datos import curp

from .conftest import NOMBRE_CLIENTE, RFC_CLIENTE, RFC_FISICA
from .conftest import datos_contratante as _datos_contratante

pytestmark = pytest.mark.django_db

ENCABEZADOS_CONTRATOS = [
    "No. de contrato (folio)",
    "Objeto del contrato",
    "Fecha de inicio",
    "Fecha de término",
    "Folio de registro REPSE",
    "Servicio u obra especializada",
    "Trabajadores",
]
ENCABEZADOS_TRABAJADORES = ["No. de contrato", "NSS", "CURP", "SBC"]


@pytest.fixture(autouse=True)
def _sin_bloqueos():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def presentada_con_dos(contrato, trabajador, contratista, fiel):
    """A Normal of 2026-1 naming CLI010101AB5 in two contratos (the first with no fecha de término, one
    trabajador; the second with two) and GAPA800101ABA in one, presented."""
    from informativas.captura import services as captura

    from .conftest import agregar_trabajador, firmar

    usuario = contratista.usuario
    informativa = contrato.informativa
    for rfc, razon_social, objeto, numeros in (
        (RFC_CLIENTE, NOMBRE_CLIENTE, "OC 4500099999 vigilancia nocturna", (5, 6)),
        (RFC_FISICA, "ANA GARCÍA PÉREZ", "Pedido 77 mantenimiento", (7,)),
    ):
        contratante = _datos_contratante(rfc=rfc, razon_social=razon_social)
        otro = captura.contrato_crear(informativa=informativa, usuario=usuario, contratante=contratante)
        otro = captura.contrato_actualizar(
            contrato=otro, objeto=objeto, registro_repse="AR54321/2022", servicio="Vigilancia especializada",
            fecha_inicio=datetime.date(2026, 1, 15), fecha_termino=datetime.date(2026, 4, 30), usuario=usuario,
        )
        for i in numeros:
            agregar_trabajador(otro, usuario, i)
    captura.informativa_contratos_declarados_guardar(informativa=informativa, numero=3, usuario=usuario)
    captura.informativa_enviar_a_firma(informativa=informativa, usuario=usuario)
    return firmar(informativa, fiel, usuario=usuario)


def _celdas(fila) -> list[tuple[str, str | None, str | None, str]]:
    return [
        (celda.tag, celda.get("scope"), celda.get("data-label"), " ".join(celda.text_content().split()))
        for celda in fila.xpath("./th|./td")
    ]


def _tablas(pagina: str) -> list[dict]:
    """Every table of the page as a reader meets it: its classes, caption, column headers and each row's cells
    (element, scope, the label it stacks under on a phone, text)."""
    return [
        {
            "clase": tabla.get("class"),
            "id": tabla.get("id"),
            "caption": " ".join(tabla.xpath("string(./caption)").split()),
            "encabezados": _celdas(tabla.xpath("./thead/tr")[0]),
            "filas": [_celdas(fila) for fila in tabla.xpath("./tbody/tr")],
        }
        for tabla in lxml_html.fromstring(pagina).xpath("//main//table")
    ]


def _vista_del_contratante(presentada, contratista, pagina: str = "1") -> str:
    services.autorizacion_otorgar(contratista=contratista, rfc=RFC_CLIENTE, usuario=contratista.usuario)
    from accounts.models import AceptacionTerminos, TerminosCondiciones

    contratante = services.contratante_usuario(rfc=RFC_CLIENTE, nombre=NOMBRE_CLIENTE)
    for terminos in TerminosCondiciones.objects.filter(activo=True):
        AceptacionTerminos.objects.get_or_create(usuario=contratante, terminos=terminos)
    client = Client()
    client.force_login(contratante)
    respuesta = client.get(f"/contratante/informativas/{presentada.code}/", {"pagina": pagina})
    assert respuesta.status_code == 200
    return respuesta.content.decode()


def _pagina_de_la_liga(presentada, contratista, pagina: str = "1") -> str:
    creado = enlaces.enlace_crear(informativa=presentada, rfc=RFC_CLIENTE, usuario=contratista.usuario)
    caches["plantillas"].clear()  # each page renders its own tables, not the other page's kept ones
    respuesta = Client().get(reverse("enlace:expediente", args=[creado.token]), {"pagina": pagina})
    assert respuesta.status_code == 200
    return respuesta.content.decode()


def _paginacion(pagina: str) -> str:
    texto = lxml_html.fromstring(pagina).xpath("string(//main//nav[@class='paginacion'])")
    return " ".join(texto.split())


def _fila_de_contrato(*valores: str) -> list[tuple[str, str | None, str, str]]:
    """A contrato's row as _tablas reads it: its folio the row header, every cell under its column's label."""
    return [
        ("th", "row", etiqueta, valor) if etiqueta == ENCABEZADOS_CONTRATOS[0] else ("td", None, etiqueta, valor)
        for etiqueta, valor in zip(ENCABEZADOS_CONTRATOS, valores, strict=True)
    ]


def test_both_pages_show_the_same_two_tables_cell_for_cell(presentada_con_dos, contratista):
    propia = _tablas(_vista_del_contratante(presentada_con_dos, contratista))
    de_la_liga = _tablas(_pagina_de_la_liga(presentada_con_dos, contratista))

    assert propia == de_la_liga
    assert [t["id"] for t in propia] == ["contratos", "trabajadores"]
    assert len(propia[0]["filas"]) == 2 and len(propia[1]["filas"]) == 3


def test_both_pages_page_the_trabajadores_alike(presentada_con_dos, contratista, monkeypatch):
    from informativas import selectors

    monkeypatch.setattr(selectors, "TRABAJADORES_POR_PAGINA", 2)
    propia = _vista_del_contratante(presentada_con_dos, contratista, pagina="2")
    de_la_liga = _pagina_de_la_liga(presentada_con_dos, contratista, pagina="2")

    assert _tablas(propia) == _tablas(de_la_liga)
    assert [fila[2][3] for fila in _tablas(propia)[1]["filas"]] == [curp(6)]  # the third of three, alone
    assert _paginacion(propia) == _paginacion(de_la_liga) == "Anterior Página 2"


def test_the_tables_are_the_expedientes_layout_with_row_headers_labels_and_the_portals_empty_mark(
    presentada_con_dos, contratista
):
    contratos, trabajadores = _tablas(_vista_del_contratante(presentada_con_dos, contratista))
    primero, segundo = contratos_del_contratante(informativa=presentada_con_dos, rfc=RFC_CLIENTE)
    folio = presentada_con_dos.folio_definitivo

    assert contratos["clase"] == trabajadores["clase"] == "tabla tabla--apilada"  # cards on a phone
    assert contratos["caption"] == f"Contratos de la informativa {folio} con {RFC_CLIENTE} (2 contratos)"
    assert contratos["encabezados"] == [("th", "col", None, texto) for texto in ENCABEZADOS_CONTRATOS]
    assert contratos["filas"] == [
        _fila_de_contrato(
            primero.folio, "OC 4500012345 limpieza de oficinas", "01/02/2026", "—", "AR12345/2021",
            "Servicio especializado de limpieza industrial", "1",
        ),
        _fila_de_contrato(
            segundo.folio, "OC 4500099999 vigilancia nocturna", "15/01/2026", "30/04/2026", "AR54321/2022",
            "Vigilancia especializada", "2",
        ),
    ]

    assert trabajadores["caption"] == "Trabajadores informados en esos contratos"
    assert trabajadores["encabezados"] == [("th", "col", None, texto) for texto in ENCABEZADOS_TRABAJADORES]
    esperadas = [
        (c.folio, t.nss, t.curp, f"{t.sbc:.2f}")
        for c in (primero, segundo)
        for t in c.trabajadores.order_by("created_at", "pk")
    ]
    assert trabajadores["filas"] == [
        [("td", None, etiqueta, valor) for etiqueta, valor in zip(ENCABEZADOS_TRABAJADORES, fila, strict=True)]
        for fila in esperadas
    ]
    assert esperadas[0][3] == "452.37"  # the SBC as filed
