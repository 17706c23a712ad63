"""The acuse's contract list is fixed-width text (fast to lay out): every contract on its own line, long
contratante names continued in their own column, never cut."""

from informativas.presentacion.acuses import (
    COLUMNAS_CONTRATOS,
    en_renglones,
    encabezado_contratos,
    lineas_contratos,
)

ANCHO = sum(ancho for _, ancho in COLUMNAS_CONTRATOS)
LARGO = "COMERCIALIZADORA Y DISTRIBUIDORA DE SERVICIOS INTEGRALES DE LIMPIEZA Y MANTENIMIENTO DEL NORTE SA DE CV"


def _contrato(folio: str, nombre: str, trabajadores: int) -> dict:
    return {"folio": folio, "contratante_rfc": "CLI010101AB5", "contratante_razon_social": nombre, "trabajadores": trabajadores}


def test_each_contract_is_one_line_with_its_folio_rfc_name_and_workers():
    lineas = lineas_contratos([_contrato("A26P0000001", "CLIENTE UNO SA DE CV", 5), _contrato("A26P0000002", "DOS", 1200)])

    assert len(lineas) == 2
    assert lineas[0].startswith("A26P0000001") and "CLI010101AB5" in lineas[0] and "CLIENTE UNO SA DE CV" in lineas[0]
    assert lineas[0].endswith(" 5") and lineas[1].endswith(" 1200")
    assert all(len(linea) == ANCHO for linea in lineas)


def test_a_long_contratante_continues_in_its_column_and_is_never_cut():
    lineas = lineas_contratos([_contrato("A26P0000001", LARGO, 7)])

    assert len(lineas) > 1 and lineas[0].endswith(" 7")
    sangria = COLUMNAS_CONTRATOS[0][1] + COLUMNAS_CONTRATOS[1][1]
    assert all(linea[:sangria].strip() == "" for linea in lineas[1:])
    texto = " ".join(lineas[0][sangria : sangria + COLUMNAS_CONTRATOS[2][1]].split() + [
        palabra for linea in lineas[1:] for palabra in linea.split()
    ])
    assert texto == LARGO
    assert all(len(linea) <= ANCHO for linea in lineas)


def test_the_header_names_the_four_columns_in_order():
    encabezado = encabezado_contratos()
    posiciones = [encabezado.index(titulo) for titulo, _ in COLUMNAS_CONTRATOS]
    assert posiciones == sorted(posiciones) and len(encabezado) == ANCHO


def test_a_sello_is_cut_into_lines_that_join_back_to_it():
    sello = "A" * 250 + "=="
    renglones = en_renglones(sello, 100).split("\n")
    assert [len(r) for r in renglones] == [100, 100, 52] and "".join(renglones) == sello
