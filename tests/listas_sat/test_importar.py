"""Loading SAT's lists from files in each published shape: recognised by the head, every row kept, one hit per
RFC and list, rejected lines with their number, all or nothing, the previous load in force when refused."""

from __future__ import annotations

import datetime

import pytest

from listas_sat import lector, services
from listas_sat.models import CargaLista, Coincidencia, Verificacion

from .archivos import archivo_69, archivo_69b, fila_69, fila_69b

pytestmark = pytest.mark.django_db


def cargar(tmp_path, contenido: bytes, nombre: str = "lista.csv", **kwargs) -> services.ResultadoCarga:
    ruta = tmp_path / nombre
    ruta.write_bytes(contenido)
    return services.lista_importar(ruta=ruta, **kwargs)


def filas_69b() -> list[list[str]]:
    return [
        fila_69b(1, "AAA010101AAA", "EMPRESA FANTASMA, S.A. DE C.V.", "Definitivo"),
        fila_69b(2, "BBB020202BB1", "Comercializadora\r\ndel Norte, S. de R.L.", "Presunto"),
        fila_69b(3, "XXXXXXXXXXXX", "Información suprimida de acuerdo con el artículo 69-B", "Definitivo"),
        fila_69b(4, "MUÑO800101AB1", "MUÑOZ PEÑA JOSÉ", "Desvirtuado", "500-05-2026-3 del 2 de abril de 2026"),
        fila_69b(5, "CCC030303CC3", "SERVICIOS «ÁGUILA»", "Sentencia Favorable", "500-39-00-06-02-2020-1234 28/04/2026"),
        fila_69b(6, "XXXXXXXXXXXX", "Información suprimida de acuerdo con el artículo 69-B", "Presunto"),
    ]


def test_69b_with_its_preambles_windows_1252_quoted_line_breaks_filler_redacted_and_enie(tmp_path):
    resultado = cargar(tmp_path, archivo_69b(filas_69b()), nombre="cualquier-nombre.txt")

    carga = resultado.carga
    assert carga.lista == "69b"
    assert carga.estado == CargaLista.Estado.VIGENTE
    assert carga.codificacion == "windows-1252"
    assert carga.fecha_corte == datetime.date(2026, 5, 31)
    assert carga.fecha_corte_origen == CargaLista.OrigenCorte.EN_ARCHIVO
    assert (carga.filas_leidas, carga.contribuyentes, carga.suprimidos, carga.rechazadas) == (6, 4, 2, 0)
    assert Coincidencia.objects.filter(carga=carga).count() == 6
    definitivo = Coincidencia.objects.get(rfc="AAA010101AAA")
    assert definitivo.situacion == "Definitivo"
    assert definitivo.oficio == "500-05-2026-20002 de fecha 15/03/2026"
    assert definitivo.fecha_oficio == datetime.date(2026, 3, 15)
    assert definitivo.fecha_publicacion == datetime.date(2026, 3, 20)
    assert definitivo.publicaciones[0] == ["Publicación página SAT presuntos", "15/01/2025"]
    presunto = Coincidencia.objects.get(rfc="BBB020202BB1")
    assert presunto.nombre == "Comercializadora del Norte, S. de R.L."
    assert presunto.oficio == "500-05-2025-10001 de fecha 10 de enero de 2025"
    assert presunto.fecha_oficio == datetime.date(2025, 1, 10)
    assert presunto.fecha_publicacion == datetime.date(2025, 1, 15)
    enie = Coincidencia.objects.get(rfc="MUÑO800101AB1")
    assert (enie.nombre, enie.fecha_oficio) == ("MUÑOZ PEÑA JOSÉ", datetime.date(2026, 4, 2))
    assert Coincidencia.objects.get(rfc="CCC030303CC3").fecha_oficio == datetime.date(2026, 4, 28)


def test_the_69b_file_in_utf8_with_bom_and_the_69b_bis(tmp_path):
    utf8 = cargar(tmp_path, b"\xef\xbb\xbf" + archivo_69b(filas_69b(), codificacion="utf-8"), nombre="a.csv")
    bis = cargar(
        tmp_path, archivo_69b([fila_69b(1, "DDD040404DD4", "BIS, S.A.", "Presunto")], bis=True, corte="30 de abril de 2026"),
        nombre="b.csv",
    )

    assert (utf8.carga.lista, utf8.carga.codificacion, utf8.carga.contribuyentes) == ("69b", "utf-8-sig", 4)
    assert Coincidencia.objects.filter(carga=utf8.carga, rfc="MUÑO800101AB1", nombre="MUÑOZ PEÑA JOSÉ").exists()
    assert (bis.carga.lista, bis.carga.fecha_corte, bis.carga.contribuyentes) == ("69b_bis", datetime.date(2026, 4, 30), 1)


@pytest.mark.parametrize(
    ("tipo", "lista"),
    [
        ("firmes", "69_firmes"), ("no_localizados", "69_no_localizados"), ("exigibles", "69_exigibles"),
        ("cancelados", "69_cancelados"), ("sentencias", "69_sentencias"), ("csd", "69_csd_sin_efectos"),
        ("entes", "69_entes_publicos"),
    ],
)
def test_each_art_69_file_recognised_by_its_header_with_the_publication_date_as_cut(tmp_path, tipo, lista):
    filas = [fila_69(tipo, f"EMP{i:06d}AB{i % 10}", f"EMPRESA {i}, S.A.") for i in range(1, 6)]
    filas.append(fila_69(tipo, "EMP000001AB1", "EMPRESA 1, S.A.", fecha="20/02/2026"))  # another credit

    carga = cargar(tmp_path, archivo_69(tipo, filas), nombre="Firmes.csv", publicado=datetime.date(2026, 6, 2)).carga

    assert carga.lista == lista
    assert (carga.filas_leidas, carga.contribuyentes) == (6, 5)
    assert (carga.fecha_corte, carga.fecha_corte_origen) == (datetime.date(2026, 6, 2), CargaLista.OrigenCorte.PUBLICACION)
    hit = Coincidencia.objects.get(carga=carga, rfc="EMP000001AB1")
    assert hit.fecha_publicacion == datetime.date(2026, 2, 15)
    assert hit.tipo_persona == ("" if tipo == "csd" else "M")


def test_csd_sin_efectos_with_the_undefined_byte_0x8d_keeps_every_row(tmp_path):
    filas = [fila_69("csd", f"CSD{i:06d}AB{i % 10}", f"NOMBRE@@{i} S.A.") for i in range(1, 301)]
    contenido = archivo_69("csd", filas).replace(b"@@", b"\x8d")
    assert contenido.count(b"\x8d") == 300
    with pytest.raises(UnicodeDecodeError):
        contenido.decode("windows-1252")

    carga = cargar(tmp_path, contenido).carga

    assert (carga.lista, carga.codificacion) == ("69_csd_sin_efectos", "windows-1252")
    assert (carga.filas_leidas, carga.contribuyentes, carga.rechazadas) == (300, 300, 0)
    assert Coincidencia.objects.get(rfc="CSD000300AB0").nombre == "NOMBRE\x8d300 S.A."


def test_a_malformed_line_is_rejected_with_its_number_and_the_rest_loads(tmp_path):
    filas = [fila_69("firmes", "AAA010101AAA", "UNO, S.A."), ["BBB020202BB2", "DOS"], fila_69("firmes", "12345", "TRES")]
    filas.append(fila_69("firmes", "CCC030303CC3", "CUATRO, S.A."))

    carga = cargar(tmp_path, archivo_69("firmes", filas)).carga

    assert (carga.filas_leidas, carga.contribuyentes, carga.rechazadas) == (4, 2, 2)
    assert carga.rechazos == [
        [3, "La línea tiene 2 columnas; el encabezado, 6."],
        [4, "El RFC «12345» no tiene el formato de un RFC."],
    ]


def test_a_file_without_the_columns_it_needs_is_refused(tmp_path):
    contenido = "RFC,RAZON SOCIAL,ENTIDAD FEDERATIVA\r\nAAA010101AAA,UNO,JALISCO\r\n".encode("windows-1252")
    with pytest.raises(services.CargaRechazada, match="situación o supuesto"):
        cargar(tmp_path, contenido)
    with pytest.raises(services.CargaRechazada, match="encabezado con la columna RFC"):
        cargar(tmp_path, b"hola,mundo\r\n1,2\r\n")
    assert not CargaLista.objects.exists()


def test_half_size_file_refused_and_the_previous_load_stays_in_force(tmp_path):
    grande = [fila_69("firmes", f"EMP{i:06d}AB{i % 10}", f"EMPRESA {i}") for i in range(1, 101)]
    primera = cargar(tmp_path, archivo_69("firmes", grande), nombre="1.csv").carga

    with pytest.raises(services.CargaRechazada, match="menos de la mitad"):
        cargar(tmp_path, archivo_69("firmes", grande[:40]), nombre="2.csv")

    assert services.carga_vigente(lista="69_firmes") == primera
    assert Coincidencia.objects.filter(carga=primera).count() == 100
    assert CargaLista.objects.get(estado=CargaLista.Estado.RECHAZADA).contribuyentes == 0
    assert not Coincidencia.objects.exclude(carga=primera).exists()


def test_a_failure_midway_leaves_the_previous_load_whole(tmp_path, monkeypatch):
    filas = [fila_69("firmes", f"EMP{i:06d}AB{i % 10}", f"EMPRESA {i}") for i in range(1, 101)]
    primera = cargar(tmp_path, archivo_69("firmes", filas), nombre="1.csv").carga
    insertar, lotes = services._insertar, []

    def falla_en_el_segundo_lote(lote):
        lotes.append(len(lote))
        if len(lotes) == 2:
            raise RuntimeError("disco lleno")
        insertar(lote)

    monkeypatch.setattr(services, "LOTE", 30)
    monkeypatch.setattr(services, "_insertar", falla_en_el_segundo_lote)
    otras = [fila_69("firmes", f"OTR{i:06d}AB{i % 10}", f"OTRA {i}") for i in range(1, 101)]
    with pytest.raises(RuntimeError, match="disco lleno"):
        cargar(tmp_path, archivo_69("firmes", otras), nombre="2.csv")

    assert lotes == [30, 30]
    assert services.carga_vigente(lista="69_firmes") == primera
    fallida = CargaLista.objects.get(estado=CargaLista.Estado.FALLIDA)
    assert "disco lleno" in fallida.mensaje
    assert not Coincidencia.objects.filter(carga=fallida).exists()
    assert Coincidencia.objects.filter(carga=primera).count() == 100
    assert services.listas_consultar(rfcs=["EMP000001AB1"])["EMP000001AB1"].hallazgos


def test_loading_the_same_file_again_changes_nothing_but_records_the_check(tmp_path):
    contenido = archivo_69b(filas_69b())
    primera = cargar(tmp_path, contenido).carga

    otra = cargar(tmp_path, contenido)

    assert otra.sin_cambios and otra.carga == primera
    assert CargaLista.objects.count() == 1 and Coincidencia.objects.count() == 6
    assert list(Verificacion.objects.order_by("created_at").values_list("confirmada", "cambio")) == [
        (True, True), (True, False)
    ]


def test_a_new_load_replaces_the_one_in_force(tmp_path):
    primera = cargar(tmp_path, archivo_69b(filas_69b())).carga
    segunda = cargar(
        tmp_path, archivo_69b(filas_69b() + [fila_69b(7, "EEE050505EE5", "NUEVA, S.A.")], corte="30 de junio de 2026")
    ).carga

    primera.refresh_from_db()
    assert (primera.estado, segunda.estado) == (CargaLista.Estado.REEMPLAZADA, CargaLista.Estado.VIGENTE)
    consulta = services.listas_consultar(rfcs=["AAA010101AAA"])["AAA010101AAA"]
    assert [h.fecha_corte for h in consulta.hallazgos] == [datetime.date(2026, 6, 30)]


def test_oficio_dates_written_three_ways():
    assert lector.fecha_de_oficio("500-05-2026-1 de fecha 15 de marzo de 2026") == datetime.date(2026, 3, 15)
    assert lector.fecha_de_oficio("500-05-2026-1 de fecha 15/03/2026") == datetime.date(2026, 3, 15)
    assert lector.fecha_de_oficio("500-39-00-06-02-2020-1234 15/03/2026") == datetime.date(2026, 3, 15)
    assert lector.fecha_de_oficio("500-39-00-06-02-2020-1234") is None


def test_presuntos_with_23_columns_and_no_dot_is_its_own_list_beside_the_full_69b(tmp_path):
    encabezado = ["No.", "RFC", "Nombre del Contribuyente", "Situación del contribuyente"] + [
        f"Número y fecha de oficio global de presunción {i}" if i % 2 else f"Publicación presuntos {i}" for i in range(19)
    ]
    assert len(encabezado) == 23
    comas = "," * 22
    texto = (
        f'"Información actualizada al 15 de abril de 2026; presuntos"{comas}\r\n'
        f"Listado completo de contribuyentes presuntos (Artículo 69-B del CFF){comas}\r\n"
        + ",".join(encabezado) + "\r\n"
        + ",".join(["1", "FFF060606FF6", "PRESUNTA SA", "Presunto", "10/04/2026"] + [""] * 18) + "\r\n"
    )
    completo = cargar(tmp_path, archivo_69b(filas_69b()), nombre="a.csv").carga
    presuntos = cargar(tmp_path, texto.encode("windows-1252"), nombre="b.csv").carga

    assert (presuntos.lista, presuntos.fecha_corte, presuntos.contribuyentes) == ("69b_presuntos", datetime.date(2026, 4, 15), 1)
    assert services.carga_vigente(lista="69b") == completo


def test_a_windows_1252_file_whose_first_64_kb_are_plain_ascii_still_loads_every_row(tmp_path):
    filas = [fila_69("firmes", f"EMP{i:06d}AB{i % 10}", f"EMPRESA {i} SA DE CV") for i in range(1, 3001)]
    filas.append(fila_69("firmes", "MUÑ800101AB1", "MUÑOZ Y PEÑA, S.A."))
    contenido = archivo_69("firmes", filas)
    assert contenido[: 64 * 1024].isascii() and not contenido.isascii()

    carga = cargar(tmp_path, contenido).carga

    assert (carga.estado, carga.filas_leidas, carga.contribuyentes) == (CargaLista.Estado.VIGENTE, 3001, 3001)
    assert Coincidencia.objects.get(rfc="MUÑ800101AB1").nombre == "MUÑOZ Y PEÑA, S.A."
