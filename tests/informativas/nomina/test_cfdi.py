"""Safe reading of the ZIP and of each XML: bombs, DTDs and entities refused (never expanded), every CFDI that
is not a payroll one named by file and field."""

from __future__ import annotations

import io
import zipfile

import pytest

from informativas.nomina import cfdi
from informativas.nomina.cfdi import Cfdi, NominaEstructuraError, Problema

from .conftest import un_cfdi, zip_de

LIMITES = cfdi.Limites(entrada=1024 * 1024, total=4 * 1024 * 1024, razon=100, entradas=1000)


def _leer(datos: bytes, limites=LIMITES) -> list:
    return list(cfdi.cfdis_del_zip(io.BytesIO(datos), limites=limites))


def test_it_reads_the_payroll_fields_of_a_cfdi_4():
    [leido] = _leer(zip_de({"a.xml": un_cfdi(3, clientes=("CLI010101AB5", "CLT020202CD7"))}))
    assert isinstance(leido, Cfdi)
    assert leido.version == "4.0" and leido.emisor_rfc == "ESI920427886" and leido.fecha_pago == "2026-02-15"
    assert len(leido.nss) == 11 and len(leido.curp) == 18 and leido.sbc
    assert leido.subcontrataciones == (("CLT020202CD7", "100.000"),)  # worker 3, round robin
    assert len(leido.uuid) == 36


def test_it_reads_a_cfdi_3_3_the_same_way():
    [leido] = _leer(zip_de({"a.xml": un_cfdi(0, version="3.3")}))
    assert isinstance(leido, Cfdi) and leido.version == "3.3"
    assert leido.fecha_timbrado == "2026-02-15T12:00:00"


def test_a_file_that_is_not_a_zip_is_refused():
    with pytest.raises(NominaEstructuraError) as error:
        _leer(b"NSS,CURP,SBC\n12345678901,X,1\n")
    assert error.value.mensaje == cfdi.MENSAJE_NO_ZIP


def test_an_xlsx_is_a_zip_without_xml_cfdis(tmp_path):
    from openpyxl import Workbook

    libro = Workbook()
    libro.active.append(["NSS", "CURP", "SBC"])
    ruta = tmp_path / "t.xlsx"
    libro.save(ruta)
    leidos = _leer(ruta.read_bytes())
    assert leidos and all(isinstance(p, Problema) for p in leidos)
    assert {p.mensaje for p in leidos} <= {cfdi.MENSAJE_NO_XML, cfdi.MENSAJE_NO_CFDI}


def test_an_empty_upload_is_refused():
    with pytest.raises(NominaEstructuraError) as error:
        _leer(b"")
    assert error.value.mensaje == cfdi.MENSAJE_VACIO


def test_a_zip_without_files_is_refused():
    with pytest.raises(NominaEstructuraError) as error:
        _leer(zip_de({}))
    assert error.value.mensaje == cfdi.MENSAJE_ZIP_SIN_XML


def test_an_entry_compressed_more_than_100_to_1_is_a_bomb():
    with pytest.raises(NominaEstructuraError) as error:
        _leer(zip_de({"bomba.xml": b"<" + b"a" * 500_000 + b"/>"}))
    assert "comprimido más de 100 a 1" in error.value.mensaje and "bomba.xml" in error.value.mensaje


def test_an_entry_over_its_uncompressed_limit_is_refused_before_it_is_inflated():
    import os

    grande = os.urandom(LIMITES.entrada + 10)  # random bytes: no ratio, only the size
    with pytest.raises(NominaEstructuraError) as error:
        _leer(zip_de({"grande.xml": grande}))
    assert "grande.xml" in error.value.mensaje and "el máximo por archivo es 1 MB" in error.value.mensaje


def test_the_whole_over_its_uncompressed_limit_is_refused():
    import os

    partes = {f"p{i}.xml": os.urandom(900 * 1024) for i in range(5)}
    with pytest.raises(NominaEstructuraError) as error:
        _leer(zip_de(partes))
    assert "descomprimido" in error.value.mensaje and "máximo permitido" in error.value.mensaje


def test_a_header_that_lies_about_the_size_gains_nothing():
    """A central directory that declares a small entry: reading stops at the declared size (zipfile checks
    the CRC), so the bytes beyond it are never inflated into memory."""
    datos = bytearray(zip_de({"a.xml": b"<a>" + b"x" * 5000 + b"</a>"}))
    with zipfile.ZipFile(io.BytesIO(bytes(datos))) as zf:
        info = zf.infolist()[0]
    # Patch the uncompressed size in the central directory to 10 bytes.
    cd = datos.rfind(b"PK\x01\x02")
    datos[cd + 24 : cd + 28] = (10).to_bytes(4, "little")
    with pytest.raises(NominaEstructuraError) as error:
        _leer(bytes(datos))
    assert error.value.mensaje == cfdi.MENSAJE_NO_ZIP
    assert info.file_size == 5007


def test_too_many_entries_are_refused():
    limites = cfdi.Limites(entrada=1024, total=10**6, razon=100, entradas=3)
    with pytest.raises(NominaEstructuraError) as error:
        _leer(zip_de({f"{i}.xml": b"<a/>" for i in range(4)}), limites)
    assert error.value.mensaje == cfdi.MENSAJE_ENTRADAS.format(max=3)


def test_an_encrypted_entry_is_refused():
    datos = bytearray(zip_de({"a.xml": b"<a/>"}))
    for firma, desplazamiento in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        i = datos.find(firma)
        datos[i + desplazamiento] |= 0x1
    with pytest.raises(NominaEstructuraError) as error:
        _leer(bytes(datos))
    assert error.value.mensaje == cfdi.MENSAJE_ZIP_CIFRADO


BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>
<cfdi:Comprobante xmlns:cfdi="http://www.sat.gob.mx/cfd/4" TipoDeComprobante="N">&lol3;</cfdi:Comprobante>"""

XXE = b"""<?xml version="1.0"?>
<!DOCTYPE c [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<cfdi:Comprobante xmlns:cfdi="http://www.sat.gob.mx/cfd/4" TipoDeComprobante="N">&xxe;</cfdi:Comprobante>"""


@pytest.mark.parametrize("xml", [BILLION_LAUGHS, XXE], ids=["billion-laughs", "xxe"])
def test_xml_with_a_dtd_or_entities_is_refused_without_being_parsed(xml):
    [problema] = _leer(zip_de({"malo.xml": xml}))
    assert problema == Problema("malo.xml", "Archivo", "", cfdi.MENSAJE_DTD)


def test_a_utf16_dtd_hidden_from_the_byte_search_is_still_refused_and_never_expanded():
    [problema] = _leer(
        zip_de(
            {
                "malo.xml": XXE.replace(b'version="1.0"', b'version="1.0" encoding="UTF-16"')
                .decode()
                .encode("utf-16")
            }
        )
    )
    assert problema.mensaje == cfdi.MENSAJE_DTD
    assert "root:" not in problema.valor


def test_a_zero_byte_xml_is_a_problem_of_its_own():
    [problema] = _leer(zip_de({"vacio.xml": b""}))
    assert problema == Problema("vacio.xml", "Archivo", "", cfdi.MENSAJE_ARCHIVO_VACIO)


def test_broken_xml_and_non_xml_files_are_named():
    leidos = _leer(zip_de({"roto.xml": b"<cfdi:Comprobante", "nota.txt": b"hola", "__MACOSX/._a.xml": b"x"}))
    assert [(p.archivo, p.mensaje) for p in leidos] == [
        ("roto.xml", cfdi.MENSAJE_XML_MAL_FORMADO),
        ("nota.txt", cfdi.MENSAJE_NO_XML),
    ]


def test_an_invoice_is_not_a_nomina():
    import datetime

    from informativas.nomina import generador

    xml = generador.cfdi_ingreso(
        emisor_rfc="ESI920427886", receptor_rfc="XAXX010101000", fecha=datetime.date(2026, 2, 1)
    )
    [problema] = _leer(zip_de({"f.xml": xml}))
    assert problema == Problema("f.xml", "TipoDeComprobante", "I", cfdi.MENSAJE_NO_NOMINA.format(tipo="I"))


def test_a_type_n_without_the_complemento_is_named():
    xml = b'<cfdi:Comprobante xmlns:cfdi="http://www.sat.gob.mx/cfd/4" Version="4.0" TipoDeComprobante="N"><cfdi:Emisor Rfc="ESI920427886"/></cfdi:Comprobante>'
    [problema] = _leer(zip_de({"n.xml": xml}))
    assert problema.campo == "Complemento" and problema.mensaje == cfdi.MENSAJE_SIN_COMPLEMENTO


def test_an_xml_that_is_not_a_cfdi_is_named():
    [problema] = _leer(zip_de({"x.xml": b"<factura/>"}))
    assert problema.mensaje == cfdi.MENSAJE_NO_CFDI
