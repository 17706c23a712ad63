"""importar_sepomex: the official TXT (Latin-1, a notice line before the header) and XML, idempotent, and a
malformed file reported without writing anything."""

from __future__ import annotations

import csv
import io
from xml.sax.saxutils import escape

import pytest
from django.core.management import CommandError, call_command

from contratistas.models import Asentamiento, CodigoPostal, Estado, Municipio
from contratistas.sepomex import COLUMNAS, SepomexError, muestra
from contratistas.services import sepomex_importar

pytestmark = pytest.mark.django_db

AVISO = "El Catálogo Nacional de Códigos Postales es elaborado por Correos de México (aviso de prueba)."


def _filas_de_la_muestra() -> list[dict[str, str]]:
    texto = muestra().read_bytes().decode("latin-1")
    return list(csv.DictReader(io.StringIO("\n".join(texto.splitlines()[1:])), delimiter="|"))


def _txt(filas: list[dict[str, str]]) -> bytes:
    lineas = [AVISO, "|".join(COLUMNAS), *("|".join(f.get(c, "") for c in COLUMNAS) for f in filas)]
    return ("\r\n".join(lineas) + "\r\n").encode("latin-1")


def _xml(filas: list[dict[str, str]]) -> bytes:
    tablas = "".join(
        "<table>" + "".join(f"<{c}>{escape(f.get(c, ''))}</{c}>" for c in COLUMNAS) + "</table>" for f in filas
    )
    return (
        '<?xml version="1.0" encoding="ISO-8859-1" standalone="yes"?>\n'
        f'<NewDataSet xmlns="NewDataSet"><xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" id="NewDataSet"/>'
        f"{tablas}</NewDataSet>"
    ).encode("latin-1")


def _conteos() -> tuple[int, int, int, int]:
    return (Estado.objects.count(), Municipio.objects.count(), CodigoPostal.objects.count(), Asentamiento.objects.count())


def _esperados(filas: list[dict[str, str]]) -> tuple[int, int, int, int]:
    return (
        len({f["c_estado"] for f in filas}),
        len({(f["c_estado"], f["c_mnpio"]) for f in filas}),
        len({f["d_codigo"] for f in filas}),
        len({(f["d_codigo"], f["id_asenta_cpcons"]) for f in filas}),
    )


def test_the_shipped_sample_covers_the_32_estados_and_keeps_its_accents_and_enes():
    filas = _filas_de_la_muestra()

    resultado = sepomex_importar(contenido=muestra().read_bytes())

    assert _conteos() == _esperados(filas)
    assert Estado.objects.count() == 32
    assert resultado.filas == len(filas)
    penon = Asentamiento.objects.select_related("codigo_postal__municipio__estado").get(codigo_postal__codigo="15520")
    assert penon.nombre == "Peñón de los Baños"
    assert penon.codigo_postal.municipio.nombre == "Venustiano Carranza"
    assert penon.codigo_postal.municipio.clave == "017"
    assert penon.codigo_postal.municipio.estado.clave == "09"
    assert Municipio.objects.get(estado__clave="09", clave="010").nombre == "Álvaro Obregón"


def test_the_xml_form_gives_the_same_catalog_as_the_txt():
    filas = _filas_de_la_muestra()

    sepomex_importar(contenido=_xml(filas))

    assert _conteos() == _esperados(filas)
    assert Asentamiento.objects.get(codigo_postal__codigo="03810").nombre == "Nápoles"
    assert Estado.objects.get(clave="31").nombre == "Yucatán"


def test_reimporting_updates_names_and_never_duplicates():
    filas = _filas_de_la_muestra()
    call_command("importar_sepomex", str(muestra()), stdout=io.StringIO())
    antes = _conteos()

    for f in filas:
        if f["d_codigo"] == "06700":
            f["d_asenta"] = "Roma Norte (Cuauhtémoc)"
        if f["c_estado"] == "16":
            f["d_estado"] = "Michoacán"
    sepomex_importar(contenido=_txt(filas))
    sepomex_importar(contenido=_xml(filas))

    assert _conteos() == antes
    assert Asentamiento.objects.get(codigo_postal__codigo="06700").nombre == "Roma Norte (Cuauhtémoc)"
    assert Estado.objects.get(clave="16").nombre == "Michoacán"


def test_the_command_reports_what_it_imported():
    salida = io.StringIO()

    call_command("importar_sepomex", str(muestra()), stdout=salida)

    assert "Catálogo SEPOMEX importado" in salida.getvalue()
    assert f"{Asentamiento.objects.count()} asentamientos" in salida.getvalue()


def test_a_malformed_row_is_reported_with_its_line_and_nothing_is_written(tmp_path):
    filas = _filas_de_la_muestra()
    filas[3]["d_codigo"] = "1234"
    archivo = tmp_path / "CPdescarga.txt"
    archivo.write_bytes(_txt(filas))

    with pytest.raises(CommandError) as error:
        call_command("importar_sepomex", str(archivo), stdout=io.StringIO())

    assert "no se importó nada" in str(error.value)
    assert "línea 6: el código postal '1234' no tiene 5 dígitos." in str(error.value)
    assert _conteos() == (0, 0, 0, 0)


def test_a_row_with_missing_columns_and_a_file_without_header_are_refused():
    filas = _filas_de_la_muestra()
    roto = _txt(filas).replace(b"|Urbano|", b"|", 1)
    with pytest.raises(SepomexError) as error:
        sepomex_importar(contenido=roto)
    assert "columnas y se esperaban 15" in str(error.value)

    with pytest.raises(SepomexError) as error:
        sepomex_importar(contenido="01000,San Ángel,Colonia\n".encode("latin-1"))
    assert "no tiene el encabezado del catálogo de SEPOMEX" in str(error.value)
    assert _conteos() == (0, 0, 0, 0)


def test_a_broken_xml_is_refused_and_an_existing_catalog_is_left_as_it_was():
    sepomex_importar(contenido=muestra().read_bytes())
    antes = _conteos()

    with pytest.raises(SepomexError) as error:
        sepomex_importar(contenido=_xml(_filas_de_la_muestra())[:-40])
    assert "El XML no es válido" in str(error.value)

    filas = _filas_de_la_muestra()
    filas[0]["d_asenta"] = "Cambiado"
    filas[-1]["c_mnpio"] = "ABC"
    with pytest.raises(SepomexError):
        sepomex_importar(contenido=_xml(filas))

    assert _conteos() == antes
    assert Asentamiento.objects.get(codigo_postal__codigo="01000").nombre == "San Ángel"


def test_the_command_without_a_file_loads_the_sample_and_a_missing_file_is_a_clear_error(tmp_path):
    call_command("importar_sepomex", stdout=io.StringIO())
    assert Estado.objects.count() == 32

    with pytest.raises(CommandError, match="No existe el archivo"):
        call_command("importar_sepomex", str(tmp_path / "no-existe.txt"), stdout=io.StringIO())
