"""Carga masiva: phase one checks every row and stores nothing; phase two stores every accepted row or none.
Files are real CSV and XLSX bytes; the rejected rows come back as a real workbook opened with openpyxl."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook, load_workbook

from core.identificadores import (
    CURP_COMPONENTE,
    CURP_DIGITO,
    CURP_LONGITUD,
    NSS_DIGITO,
    NSS_FORMATO,
    NSS_OBLIGATORIO,
)
from informativas import trabajadores
from informativas.captura import services
from informativas.carga import motor, tasks
from informativas.carga import services as carga_services
from informativas.models import CargaMasiva, Trabajador
from informativas.validators import SBC_NUMERO, SBC_POSITIVO

from ..datos import csv_trabajadores, curp, curp_digito_erroneo, nss, nss_digito_erroneo
from ..fases import en_el_worker

pytestmark = pytest.mark.django_db


def _subir(contrato, usuario, contenido: bytes, nombre: str = "trabajadores.csv") -> CargaMasiva:
    return en_el_worker(carga_services.carga_recibir(
        contrato=contrato, archivo=SimpleUploadedFile(nombre, contenido), usuario=usuario
    ))


def _xlsx(filas) -> bytes:
    libro = Workbook()
    hoja = libro.active
    for fila in filas:
        hoja.append(fila)
    salida = io.BytesIO()
    libro.save(salida)
    return salida.getvalue()


MALFORMADO = (
    "\n".join(
        [
            "NSS,CURP,SBC",  # 1 header
            f"{nss(1)},{curp(1)},452.37",  # 2 ok
            f"{nss(2)},{curp(2)}",  # 3 two columns
            f"{nss_digito_erroneo(3)},{curp(3)},100.00",  # 4 bad NSS check digit
            f"{nss(4)},{curp_digito_erroneo(4)},100.00",  # 5 bad CURP check digit
            f"{nss(5)},GAPA601301HDFRRN00,100.00",  # 6 CURP with month 13
            f"{nss(6)},{curp(6)},-5.00",  # 7 negative SBC
            f"{nss(1)},{curp(7)},100.00",  # 8 NSS repeated from line 2
            "",  # 9 blank: ignored
            f"{nss(8)},{curp(8)},100.00,extra",  # 10 four columns
            f"{nss(9)},{curp(9)},300.5",  # 11 ok
        ]
    )
    + "\n"
)


def test_phase_one_reports_every_error_with_its_line_and_column_and_stores_nothing(contrato, capturista):
    carga = _subir(contrato, capturista, MALFORMADO.encode())

    assert carga.estatus == CargaMasiva.Estatus.VALIDADA
    assert (carga.total_filas, carga.aceptados, carga.rechazados) == (9, 2, 7)
    assert [tuple(e) for e in carga.errores] == [
        (3, "Columnas", f"{nss(2)},{curp(2)}", "La línea tiene 2 columnas; se esperaban 3: NSS, CURP y SBC."),
        (4, "NSS", nss_digito_erroneo(3), NSS_DIGITO),
        (5, "CURP", curp_digito_erroneo(4), CURP_DIGITO),
        (6, "CURP", "GAPA601301HDFRRN00", CURP_COMPONENTE),
        (7, "SBC", "-5.00", SBC_POSITIVO),
        (8, "NSS", nss(1), "El NSS está repetido en el archivo (línea 2)."),
        (
            10,
            "Columnas",
            f"{nss(8)},{curp(8)},100.00,extra",
            "La línea tiene 4 columnas; se esperaban 3: NSS, CURP y SBC.",
        ),
    ]
    assert not Trabajador.objects.exists()


def test_a_curp_repeated_inside_the_file_is_rejected_naming_the_line_it_repeats(contrato, capturista):
    contenido = f"{nss(1)},{curp(1)},100.00\n{nss(2)},{curp(2)},100.00\n{nss(3)},{curp(1)},100.00\n"

    carga = _subir(contrato, capturista, contenido.encode())

    assert (carga.aceptados, carga.rechazados) == (2, 1)
    assert carga.errores == [[3, "CURP", curp(1), "La CURP está repetida en el archivo (línea 1)."]]


# A worker's NSS typed with the letter O for its leading zero.
NSS_CON_LETRA_O = "O" + nss(1)[1:]


@pytest.mark.parametrize(
    ("primera", "errores"),
    [
        ([NSS_CON_LETRA_O, curp(1), "452.37"], [[1, "NSS", NSS_CON_LETRA_O, NSS_FORMATO]]),
        (["", curp(1), "452.37"], [[1, "NSS", "", NSS_OBLIGATORIO]]),
        (
            ["Nombre", "CURP", "Salario mensual"],  # looks like a header but is not ours: checked as data
            [
                [1, "NSS", "Nombre", NSS_FORMATO],
                [1, "CURP", "CURP", CURP_LONGITUD],
                [1, "SBC", "Salario mensual", SBC_NUMERO],
            ],
        ),
    ],
    ids=["nss-con-letra-o", "nss-vacio", "encabezado-ajeno"],
)
@pytest.mark.parametrize("formato", ["csv", "xlsx"])
def test_without_a_header_the_first_row_is_checked_as_data_and_reported_on_line_1(
    contrato, capturista, formato, primera, errores
):
    filas = [primera, *([nss(i), curp(i), "100.00"] for i in (10, 11))]

    carga = _subir(contrato, capturista, _archivo(formato, filas), nombre=f"trabajadores.{formato}")

    assert (carga.total_filas, carga.aceptados, carga.rechazados) == (3, 2, 1)
    assert carga.errores == errores


@pytest.mark.parametrize(
    "encabezado",
    [
        ["NSS", "CURP", "SBC"],
        [" nss ", "Curp", " sbc"],
        ["No. NSS", "C.U.R.P.", "S.B.C."],
        ["Número de Seguridad Social", "CURP", "Salario Base de Cotización"],
    ],
    ids=["mayusculas", "minusculas-y-espacios", "puntos", "nombres-largos"],
)
@pytest.mark.parametrize("formato", ["csv", "csv-latin1", "xlsx"])
def test_the_header_is_recognised_whatever_its_case_spaces_or_long_names(
    contrato, capturista, formato, encabezado
):
    filas = [encabezado, *([nss(i), curp(i), "100.00"] for i in (1, 2))]

    carga = _subir(contrato, capturista, _archivo(formato, filas), nombre=f"t.{formato.split('-')[0]}")

    assert (carga.total_filas, carga.aceptados, carga.rechazados, carga.errores) == (2, 2, 0, [])


def _archivo(formato: str, filas: list[list[str]]) -> bytes:
    if formato == "xlsx":
        return _xlsx(filas)
    texto = "".join(",".join(fila) + "\r\n" for fila in filas)
    return texto.encode("latin-1" if formato == "csv-latin1" else "utf-8")


def test_the_rejected_rows_come_back_as_a_workbook(contrato, capturista):
    carga = _subir(contrato, capturista, MALFORMADO.encode())

    with carga.archivo_rechazados.open("rb") as f:
        hoja = load_workbook(f, read_only=True).active
        filas = list(hoja.iter_rows(values_only=True))

    assert filas[0] == ("NSS", "CURP", "SBC", "Línea", "Motivo")
    assert len(filas) == 1 + 7
    assert filas[5] == (nss(6), curp(6), "'-5.00", 7, SBC_POSITIVO)  # as text: core.hojas.celda_segura
    assert filas[1][3] == 3 and filas[1][0] == f"{nss(2)},{curp(2)}"


def test_phase_two_stores_only_the_accepted_rows(contrato, capturista, renapo):
    carga = _subir(contrato, capturista, MALFORMADO.encode())

    carga = en_el_worker(carga_services.carga_confirmar(carga=carga, usuario=capturista))

    assert carga.estatus == CargaMasiva.Estatus.APLICADA
    assert carga.guardados == 2
    trabajadores = list(contrato.trabajadores.order_by("nss"))
    assert {(t.nss, t.curp, t.sbc) for t in trabajadores} == {
        (nss(1), curp(1), Decimal("452.37")),
        (nss(9), curp(9), Decimal("300.50")),
    }
    assert all(t.origen == Trabajador.Origen.CARGA_MASIVA and t.carga == carga for t in trabajadores)
    assert next(t for t in trabajadores if t.curp == renapo.curp).nombre_completo == "MARÍA LÓPEZ HERNÁNDEZ"


def test_applying_a_carga_twice_stores_nothing_the_second_time(contrato, capturista):
    carga = _subir(contrato, capturista, csv_trabajadores(20).encode())
    en_el_worker(carga_services.carga_confirmar(carga=carga, usuario=capturista))

    again = en_el_worker(carga_services.carga_confirmar(carga=carga, usuario=capturista))
    carga_services.carga_aplicar(carga_id=carga.pk)

    assert again.estatus == CargaMasiva.Estatus.APLICADA
    assert contrato.trabajadores.count() == 20


def test_workers_already_in_the_contract_are_rejected_as_duplicates(trabajador, contrato, capturista):
    carga = _subir(contrato, capturista, csv_trabajadores(3, encabezado=False).encode())

    # nss(1)/curp(1) is the fixture's worker: its row (line 2) is rejected, the others accepted
    assert (carga.aceptados, carga.rechazados) == (2, 1)
    assert [e[1:] for e in carga.errores] == [
        ["NSS", nss(1), "El NSS ya está registrado en este contrato."],
        ["CURP", curp(1), "La CURP ya está registrada en este contrato."],
    ]
    assert carga.errores[0][0] == 2


def test_a_worker_added_by_hand_after_phase_one_is_not_duplicated_by_phase_two(contrato, capturista):
    carga = _subir(contrato, capturista, csv_trabajadores(5, encabezado=False).encode())
    services.trabajador_agregar(
        contrato=contrato, nss=nss(2), curp=curp(2), sbc=Decimal("1.00"), usuario=capturista
    )

    carga = en_el_worker(carga_services.carga_confirmar(carga=carga, usuario=capturista))

    assert carga.guardados == 4
    assert contrato.trabajadores.count() == 5


def test_phase_two_stores_all_or_nothing(contrato, capturista, monkeypatch):
    """A failure in the middle of storing (after a first batch went in) leaves no worker of the file."""
    carga = _subir(contrato, capturista, csv_trabajadores(10).encode())
    monkeypatch.setattr(trabajadores, "LOTE", 3)
    original = trabajadores.nombres_por_curp
    llamadas = []

    def falla_en_el_tercer_lote(curps):
        llamadas.append(curps)
        if len(llamadas) == 3:
            raise RuntimeError("la base de datos se cayó")
        return original(curps)

    monkeypatch.setattr(trabajadores, "nombres_por_curp", falla_en_el_tercer_lote)

    with pytest.raises(RuntimeError):
        en_el_worker(carga_services.carga_confirmar(carga=carga, usuario=capturista))

    assert len(llamadas) == 3
    assert not Trabajador.objects.exists()
    carga.refresh_from_db()
    assert carga.estatus == CargaMasiva.Estatus.VALIDADA


@pytest.mark.parametrize(
    ("contenido", "mensaje"),
    [
        (b"", motor.MENSAJE_VACIO),
        (b"\n\n  \n", motor.MENSAJE_VACIO),
        (b"NSS,CURP,SBC\n", motor.MENSAJE_SIN_REGISTROS),
        (bytes(range(256)) * 40, motor.MENSAJE_BINARIO),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n", motor.MENSAJE_BINARIO),
    ],
    ids=["vacio", "solo-lineas-en-blanco", "solo-encabezado", "binario", "pdf-renombrado"],
)
def test_files_that_cannot_be_read_are_rejected_whole_with_a_clear_message(
    contrato, capturista, contenido, mensaje
):
    carga = _subir(contrato, capturista, contenido)

    assert carga.estatus == CargaMasiva.Estatus.RECHAZADA
    assert carga.mensaje == mensaje
    assert not Trabajador.objects.exists()


def test_an_xlsx_renamed_csv_is_reported_as_binary(contrato, capturista):
    carga = _subir(contrato, capturista, _xlsx([[nss(1), curp(1), 10]]), nombre="trabajadores.csv")

    assert carga.mensaje == motor.MENSAJE_BINARIO


def test_a_csv_renamed_xlsx_is_not_a_workbook(contrato, capturista):
    carga = _subir(contrato, capturista, csv_trabajadores(2).encode(), nombre="trabajadores.xlsx")

    assert carga.mensaje == motor.MENSAJE_XLSX


def test_a_file_above_the_size_limit_is_refused_before_storing(contrato, capturista):
    contenido = csv_trabajadores(1).encode() + b"#" * (16 * 1024 * 1024)

    with pytest.raises(ValidationError) as error:
        carga_services.carga_crear(
            contrato=contrato, archivo=SimpleUploadedFile("grande.csv", contenido), usuario=capturista
        )

    assert error.value.messages == ["El archivo excede el tamaño máximo permitido de 15 MB."]
    assert not CargaMasiva.objects.exists()


def test_a_file_with_more_rows_than_allowed_is_rejected(contrato, capturista, settings):
    settings.ICSOE_CARGA_MAX_FILAS = 5

    carga = _subir(contrato, capturista, csv_trabajadores(6).encode())

    assert carga.estatus == CargaMasiva.Estatus.RECHAZADA
    assert carga.mensaje == "El archivo tiene más de 5 registros. Divide la información en varios archivos."


def test_latin1_crlf_and_no_header_are_all_read(contrato, capturista):
    contenido = f"{nss(1)},{curp(1)},452.37\r\n{nss(2)},{curp(2)},1.5\r\n#,Ñandú,é\r\n".encode("latin-1")

    carga = _subir(contrato, capturista, contenido)

    assert (carga.aceptados, carga.rechazados) == (2, 1)
    assert carga.errores[0][:3] == [3, "NSS", "#"]
    assert any(e[2] == "Ñandú" for e in carga.errores)


def test_utf8_with_bom_and_spaces_and_lower_case_are_normalised(contrato, capturista):
    contenido = (f"\ufeffnss,curp,sbc\n {nss(1)} , {curp(1).lower()} , 452.37 \n").encode()

    carga = _subir(contrato, capturista, contenido)
    carga = en_el_worker(carga_services.carga_confirmar(carga=carga, usuario=capturista))

    assert contrato.trabajadores.get().curp == curp(1)


def test_an_xlsx_with_the_same_columns_is_accepted_and_lost_leading_zeros_come_back(contrato, capturista):
    con_cero = "0" + nss(3)[1:10]
    from stdnum import luhn

    con_cero += luhn.calc_check_digit(con_cero)
    contenido = _xlsx(
        [
            ["NSS", "CURP", "SBC"],
            [int(con_cero), curp(3), 452.37],
            [nss(4), curp(4), "100.00"],
            [nss(5), curp_digito_erroneo(5), 100],
            [None, None, None],
        ]
    )

    carga = _subir(contrato, capturista, contenido, nombre="trabajadores.xlsx")

    assert (carga.total_filas, carga.aceptados, carga.rechazados) == (3, 2, 1)
    assert carga.errores == [[4, "CURP", curp_digito_erroneo(5), CURP_DIGITO]]
    en_el_worker(carga_services.carga_confirmar(carga=carga, usuario=capturista))
    assert contrato.trabajadores.get(curp=curp(3)).nss == con_cero
    assert contrato.trabajadores.get(curp=curp(3)).sbc == Decimal("452.37")


def test_a_carga_with_no_valid_row_cannot_be_confirmed(contrato, capturista):
    carga = _subir(contrato, capturista, f"{nss_digito_erroneo(1)},{curp(1)},1\n".encode())

    with pytest.raises(ValidationError) as error:
        en_el_worker(carga_services.carga_confirmar(carga=carga, usuario=capturista))

    assert error.value.messages == ["El archivo no tiene registros aceptados para guardar."]


def test_a_cancelled_carga_stores_nothing_and_cannot_be_confirmed(contrato, capturista):
    carga = _subir(contrato, capturista, csv_trabajadores(3).encode())

    carga_services.carga_cancelar(carga=carga, usuario=capturista)

    with pytest.raises(ValidationError):
        en_el_worker(carga_services.carga_confirmar(carga=carga, usuario=capturista))
    assert not Trabajador.objects.exists()


def test_the_workers_of_a_stored_carga_can_be_removed_together(trabajador, contrato, capturista):
    carga = _subir(contrato, capturista, csv_trabajadores(5, inicio=10).encode())
    en_el_worker(carga_services.carga_confirmar(carga=carga, usuario=capturista))

    borrados = carga_services.carga_trabajadores_eliminar(carga=carga, usuario=capturista)

    assert borrados == 5
    assert list(contrato.trabajadores.all()) == [trabajador]


def test_files_are_processed_by_the_tasks_with_progress_whatever_their_size(
    contrato, capturista, django_capture_on_commit_callbacks
):
    for filas in (3000, 2):
        with django_capture_on_commit_callbacks() as encolados:
            carga = carga_services.carga_recibir(
                contrato=contrato,
                archivo=SimpleUploadedFile(f"{filas}.csv", csv_trabajadores(filas, inicio=filas).encode()),
                usuario=capturista,
            )
        # received, not checked in the request: phase one is queued once the upload commits
        assert carga.estatus == CargaMasiva.Estatus.RECIBIDA
        assert (carga.total_filas, carga.errores) == (0, [])
        assert len(encolados) == 1

        assert tasks.carga_validar.apply(args=[carga.pk]).get() == "VALIDADA"
        carga.refresh_from_db()
        assert (carga.progreso, carga.aceptados) == (100, filas)

        with django_capture_on_commit_callbacks() as encolados:
            carga = carga_services.carga_confirmar(carga=carga, usuario=capturista)
        assert carga.estatus == CargaMasiva.Estatus.APLICANDO  # queued, not stored yet
        assert len(encolados) == 1 and not contrato.trabajadores.filter(carga=carga).exists()
        assert tasks.carga_aplicar.apply(args=[carga.pk]).get() == "APLICADA"
        assert contrato.trabajadores.filter(carga=carga).count() == filas


def test_the_audit_trail_records_the_carga_and_who_confirmed_it(contrato, capturista):
    from informativas.bitacora import bitacora_de

    carga = _subir(contrato, capturista, csv_trabajadores(4).encode(), nombre="enero.csv")
    en_el_worker(carga_services.carga_confirmar(carga=carga, usuario=capturista))

    acciones = [(e["usuario"], e["accion"]) for e in bitacora_de(contrato.informativa)[:3]]
    assert acciones == [
        (
            "ERNESTO GÓMEZ DÍAZ",
            f"Guardó los trabajadores de la carga masiva (contrato {contrato.folio}, enero.csv, 4 trabajadores)",
        ),
        ("ERNESTO GÓMEZ DÍAZ", f"Se validó la carga masiva (contrato {contrato.folio}, enero.csv)"),
        ("ERNESTO GÓMEZ DÍAZ", f"Subió un archivo de carga masiva (contrato {contrato.folio}, enero.csv)"),
    ]


def test_a_queued_carga_refused_because_the_informativa_went_to_signing_says_why(
    contrato, capturista
):
    carga = carga_services.carga_crear(
        contrato=contrato,
        archivo=SimpleUploadedFile("g.csv", csv_trabajadores(10).encode()),
        usuario=capturista,
    )
    tasks.carga_validar.apply(args=[carga.pk])
    carga = carga_services.carga_confirmar(carga=carga, usuario=capturista)
    from informativas.models import Informativa

    Informativa.objects.filter(pk=contrato.informativa_id).update(estatus=Informativa.Estatus.PENDIENTE_FIRMA)

    with pytest.raises(ValidationError):
        tasks.carga_aplicar.apply(args=[carga.pk], throw=True)

    carga.refresh_from_db()
    assert carga.estatus == CargaMasiva.Estatus.VALIDADA
    assert carga.mensaje == "La informativa está pendiente de firma. Para modificarla, regrésala a captura."
    assert not Trabajador.objects.exists()
