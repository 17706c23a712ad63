"""The expediente of one contratante (issue 25): a sealed PDF constancia, the workbook supplier portals ask for
and a manifest, with only that contratante's contratos and trabajadores, built once and the same bytes after."""

from __future__ import annotations

import datetime
import hashlib
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.core.exceptions import ValidationError

from informativas.captura import services as captura
from informativas.expediente import services
from informativas.expediente.models import Expediente
from informativas.presentacion import acuse_pades, acuses
from informativas.presentacion import services as presentacion
from informativas.selectors import contratantes_de

from ...informativas.qr import leer_qr
from ..conftest import firmada_intacta, firmar
from .conftest import RFC_FISICA, RFC_MORAL_2, filas_xlsx, identificadores, partes_xlsx, presentes, texto_pdf

pytestmark = pytest.mark.django_db


@pytest.fixture
def varios(varios_del_modulo):
    """Signed once for the module (conftest's _varios_del_modulo)."""
    return varios_del_modulo


@pytest.fixture
def contratista(varios):
    return varios.contratista


@pytest.fixture(autouse=True)
def _sin_bloqueos():
    cache.clear()


def _archivos(expediente) -> dict[str, bytes]:
    return {f: services.expediente_archivo(expediente=expediente, formato=f).contenido for f in services.FORMATOS}


def test_every_file_of_every_expediente_names_only_its_own_contratante(varios, contratista):
    rfcs = [c.rfc for c in contratantes_de(varios)]
    assert sorted(rfcs) == sorted(["CLI010101AB5", RFC_FISICA, RFC_MORAL_2])
    assert len(RFC_FISICA) == 13 and len(RFC_MORAL_2) == 12
    for rfc in rfcs:
        archivos = _archivos(services.expediente_de(informativa=varios, rfc=rfc, usuario=contratista.usuario))
        textos = {
            "pdf": texto_pdf(archivos["pdf"]),
            "xlsx": partes_xlsx(archivos["xlsx"]),
            "manifiesto": archivos["manifiesto"].decode(),
        }
        propios = identificadores(varios, rfc)
        # Its own data is there (the PDF and the workbook each name all of it)...
        assert presentes(textos["pdf"], propios) == sorted(propios), rfc
        # The workbook names the contratista, not the contratante (the columns supplier portals ask for).
        en_el_libro = propios - {rfc, *(n for n in propios if " " in n)}
        assert presentes(textos["xlsx"], en_el_libro) == sorted(en_el_libro), rfc
        # ...and nothing of any other contratante, in any file.
        for otro in rfcs:
            if otro == rfc:
                continue
            ajenos = identificadores(varios, otro)
            for formato, texto in textos.items():
                assert presentes(texto, ajenos) == [], (rfc, otro, formato)


def test_the_workbook_has_the_supplier_portal_columns_and_a_sheet_of_trabajadores(varios, contratista):
    expediente = services.expediente_de(informativa=varios, rfc=RFC_FISICA)
    hojas = filas_xlsx(services.expediente_archivo(expediente=expediente, formato="xlsx").contenido)

    assert list(hojas) == ["Contratos", "Trabajadores"]
    contratos = hojas["Contratos"]
    assert contratos[0] == services.ENCABEZADO_CONTRATOS
    folios = list(varios.contratos.filter(contratante_rfc=RFC_FISICA).order_by("folio").values_list("folio", flat=True))
    assert [f[2] for f in contratos[1:]] == folios
    primero = contratos[1]
    assert primero[:2] == [contratista.rfc, contratista.razon_social]
    assert primero[3:] == [
        "Pedido 77 mantenimiento",
        datetime.datetime(2026, 1, 15),
        datetime.datetime(2026, 4, 30),
        "AR12345/2021",
        "'=Mantenimiento de elevadores",  # escaped by core.hojas: never a formula
        2,
    ]
    assert contratos[2][5] is None and contratos[2][8] == 1  # no fecha de término
    trabajadores = hojas["Trabajadores"]
    assert trabajadores[0] == services.ENCABEZADO_TRABAJADORES
    assert [(f[0], f[1]) for f in trabajadores[1:]] == [
        (t.contrato.folio, t.nss) for t in expediente.informativa.contratos.get(folio=folios[0]).trabajadores.order_by("created_at", "pk")
    ] + [(t.contrato.folio, t.nss) for t in expediente.informativa.contratos.get(folio=folios[1]).trabajadores.all()]
    assert {f[3] for f in trabajadores[1:]} == {400}  # the SBC as filed


def test_the_constancia_is_sealed_prints_its_code_qr_and_the_workbooks_hash_and_the_manifest_hashes_both(varios):
    expediente = services.expediente_de(informativa=varios, rfc=RFC_MORAL_2)
    archivos = _archivos(expediente)

    certificados, _ = acuses.certificados_portal()
    assert acuse_pades.pdf_firma_verificar(pdf=archivos["pdf"], certificados=certificados.values()).valida
    texto = texto_pdf(archivos["pdf"])
    assert hashlib.sha256(archivos["xlsx"]).hexdigest() in texto.replace("\n", "")
    assert expediente.codigo_verificacion_mostrar in texto
    assert varios.folio_definitivo in texto and "Normal" in texto
    url = acuses.url_verificacion(varios.folio_definitivo, expediente.codigo_verificacion)
    assert leer_qr(archivos["pdf"]) == [url]
    manifiesto = archivos["manifiesto"].decode().splitlines()
    assert manifiesto == [
        f"{hashlib.sha256(archivos['pdf']).hexdigest()}  Constancia-{varios.folio_definitivo}-{RFC_MORAL_2}.pdf",
        f"{hashlib.sha256(archivos['xlsx']).hexdigest()}  Expediente-{varios.folio_definitivo}-{RFC_MORAL_2}.xlsx",
    ]
    assert (expediente.pdf_sha256, expediente.xlsx_sha256, expediente.manifiesto_sha256) == tuple(
        hashlib.sha256(archivos[f]).hexdigest() for f in services.FORMATOS
    )


def test_an_expediente_is_built_once_and_gives_the_same_bytes_ever_after(varios, contratista):
    primero = services.expediente_de(informativa=varios, rfc=RFC_FISICA, usuario=contratista.usuario)
    antes = _archivos(primero)
    segundo = services.expediente_de(informativa=varios, rfc=RFC_FISICA.lower())

    assert segundo.pk == primero.pk and segundo.created_by == contratista.usuario
    assert _archivos(segundo) == antes
    assert Expediente.objects.filter(informativa=varios).count() == 1


def test_a_contratante_the_informativa_does_not_name_has_no_expediente(varios):
    with pytest.raises(ValidationError) as error:
        services.expediente_de(informativa=varios, rfc="XAXX010101000")
    assert error.value.code == "contratante_ajeno"
    assert not Expediente.objects.exists()


def test_a_later_correccion_or_sin_efectos_changes_the_state_but_never_the_expediente(varios, contratista, fiel):
    usuario = contratista.usuario
    original = services.expediente_de(informativa=varios, rfc=RFC_FISICA)
    bytes_originales = _archivos(original)
    estado = services.expediente_estado(expediente=original)
    assert (estado.clave, estado.texto, estado.vigente_del_periodo) == ("vigente", "Vigente", varios)

    correccion = presentacion.complementaria_crear(origen=varios, tipo="CORRECCION", usuario=usuario)
    contrato = correccion.contratos.get(contratante_rfc=RFC_FISICA, objeto="Pedido 78 jardinería")
    captura.informativa_enviar_a_firma(informativa=correccion, usuario=usuario)
    correccion = firmar(correccion, fiel, usuario=usuario)

    estado = services.expediente_estado(expediente=original)
    assert estado.clave == "sustituida" and not estado.vigente
    assert estado.texto == f"Sustituida por {correccion.folio_definitivo}"
    assert estado.reemplazo == correccion == estado.vigente_del_periodo
    assert _archivos(services.expediente_de(informativa=varios, rfc=RFC_FISICA)) == bytes_originales
    de_la_correccion = services.expediente_de(informativa=correccion, rfc=RFC_FISICA)
    assert de_la_correccion.pk != original.pk and contrato.folio in texto_pdf(_archivos(de_la_correccion)["pdf"])

    sin_efectos = presentacion.complementaria_crear(origen=correccion, tipo="SIN_EFECTOS", usuario=usuario)
    sin_efectos = firmar(sin_efectos, fiel, usuario=usuario)

    estado = services.expediente_estado(expediente=de_la_correccion)
    assert (estado.clave, estado.texto) == ("sin_efectos", "Dejada sin efectos")
    assert estado.reemplazo == sin_efectos and estado.vigente_del_periodo is None
    estado = services.expediente_estado(expediente=original)
    assert estado.texto == f"Sustituida por {correccion.folio_definitivo}" and estado.vigente_del_periodo is None
    assert _archivos(services.expediente_de(informativa=varios, rfc=RFC_FISICA)) == bytes_originales


def test_a_contratante_with_many_trabajadores_fits_two_to_a_line(varios):
    lineas = services.lineas_trabajadores([("12345678901", "GAPA800101HDFRRN09", Decimal("1234.5"))] * 3)
    assert len(lineas) == 2 and lineas[0].count("1,234.50") == 2 and lineas[1].count("1,234.50") == 1


def test_two_builds_at_once_keep_the_first_one_stored_and_leave_no_orphan_file(varios, settings):
    from pathlib import Path

    primero = services.expediente_de(informativa=varios, rfc=RFC_MORAL_2)
    guardados = sorted(p.name for p in Path(settings.MEDIA_ROOT, "expedientes").rglob("*") if p.is_file())
    contratos = list(varios.contratos.filter(contratante_rfc=RFC_MORAL_2))

    # What a second request does when it found nothing stored a moment before the first one saved.
    ganador = services._construir(informativa=varios, rfc=RFC_MORAL_2, contratos=contratos, usuario=None)

    assert ganador.pk == primero.pk and ganador.pdf_sha256 == primero.pdf_sha256
    assert sorted(p.name for p in Path(settings.MEDIA_ROOT, "expedientes").rglob("*") if p.is_file()) == guardados


# ----------------------------------------------------------------------------------------------------------
# Last in the module: what the tests above did (expedientes built, complementarias signed) stayed in each of
# them; the presented informativa is as it was made
# ----------------------------------------------------------------------------------------------------------
def test_the_earlier_tests_left_nothing_behind(_varios_del_modulo, db):
    assert not Expediente.objects.exists()
    firmada_intacta(_varios_del_modulo)
