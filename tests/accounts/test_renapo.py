"""The CURP registry (RENAPO stand-in): format and check digit, lookups, CSV import, admin and the sample."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from stdnum.mx import curp as stdnum_curp

from accounts.admin import PersonaRenapoForm
from accounts.models import PersonaRenapo
from accounts.renapo import (
    MENSAJE_NO_ENCONTRADA,
    CurpError,
    PersonaCurp,
    curp_consultar,
    curp_validar,
    personas_por_curp,
    renapo_importar_csv,
)
from core.identificadores import CURP_COMPONENTE, CURP_DIGITO, CURP_FORMATO, CURP_LONGITUD

pytestmark = pytest.mark.django_db

MUESTRA = Path(__file__).resolve().parents[2] / "accounts" / "data" / "curp_muestra.csv"
VALIDA = "LOHF900514MJCPRR06"


def _otro_digito(curp: str) -> str:
    return curp[:-1] + str((int(stdnum_curp.calc_check_digit(curp)) + 1) % 10)


def _csv(*filas: str) -> io.BytesIO:
    return io.BytesIO(("curp,nombres,primer_apellido,segundo_apellido\n" + "\n".join(filas) + "\n").encode())


def test_a_valid_curp_is_normalised():
    assert curp_validar(f" {VALIDA.lower()} ") == VALIDA


@pytest.mark.parametrize(
    ("curp", "mensaje"),
    [
        ("LOHF900514", CURP_LONGITUD),
        ("LOHF900514MJCPRR0", CURP_LONGITUD),
        ("LOHF900514MJCPRR0X", CURP_FORMATO),  # the check digit must be a digit
        ("LOHF901314MJCPRR06", CURP_COMPONENTE),  # month 13
        ("LOHF900514MZZPRR06", CURP_COMPONENTE),  # no such state
        (_otro_digito(VALIDA), CURP_DIGITO),
    ],
)
def test_an_invalid_curp_gets_its_own_message(curp, mensaje):
    with pytest.raises(CurpError) as error:
        curp_validar(curp)

    assert error.value.mensaje == mensaje


def test_a_lookup_returns_the_person_of_the_registry():
    PersonaRenapo.objects.create(
        curp=VALIDA, nombres="MARÍA FERNANDA", primer_apellido="LÓPEZ", segundo_apellido="HERNÁNDEZ"
    )

    persona = curp_consultar(VALIDA.lower())

    assert persona == PersonaCurp(VALIDA, "MARÍA FERNANDA", "LÓPEZ", "HERNÁNDEZ")
    assert persona.nombre_completo == "MARÍA FERNANDA LÓPEZ HERNÁNDEZ"


def test_an_unknown_curp_is_reported():
    with pytest.raises(CurpError) as error:
        curp_consultar(VALIDA)

    assert error.value.mensaje == MENSAJE_NO_ENCONTRADA


class RegistroDePrueba:
    """Another registry behind the same interface (as a real RENAPO client would be)."""

    def buscar(self, curp: str) -> PersonaCurp | None:
        return PersonaCurp(curp, "DESDE", "OTRO", "REGISTRO")


def test_the_registry_can_be_replaced_through_a_setting(settings):
    settings.ICSOE_REGISTRO_CURP = "tests.accounts.test_renapo.RegistroDePrueba"

    assert curp_consultar(VALIDA).nombre_completo == "DESDE OTRO REGISTRO"


def test_the_batch_lookup_answers_for_many_curps_in_one_query(django_assert_num_queries):
    otra = "RATC780309HPLMRR00"
    PersonaRenapo.objects.create(curp=VALIDA, nombres="MARÍA", primer_apellido="LÓPEZ", segundo_apellido="")
    PersonaRenapo.objects.create(curp=otra, nombres="CARLOS", primer_apellido="RAMÍREZ", segundo_apellido="TORRES")

    with django_assert_num_queries(1):
        personas = personas_por_curp([VALIDA, otra, _otro_digito(VALIDA)])

    assert personas == {
        VALIDA: PersonaCurp(VALIDA, "MARÍA", "LÓPEZ", ""),
        otra: PersonaCurp(otra, "CARLOS", "RAMÍREZ", "TORRES"),
    }


def test_a_registry_without_a_batch_lookup_is_asked_one_curp_at_a_time(settings):
    settings.ICSOE_REGISTRO_CURP = "tests.accounts.test_renapo.RegistroDePrueba"

    personas = personas_por_curp([VALIDA, "RATC780309HPLMRR00"])

    assert [p.nombre_completo for p in personas.values()] == ["DESDE OTRO REGISTRO"] * 2
    assert list(personas) == [VALIDA, "RATC780309HPLMRR00"]


def test_the_csv_import_creates_and_updates_persons():
    PersonaRenapo.objects.create(curp=VALIDA, nombres="VIEJO", primer_apellido="NOMBRE")

    resultado = renapo_importar_csv(
        archivo=_csv(f"{VALIDA},María Fernanda,López,Hernández", "RATC780309HPLMRR00,Carlos,Ramírez,Torres")
    )

    assert (resultado.creadas, resultado.actualizadas, resultado.errores) == (1, 1, [])
    assert PersonaRenapo.objects.get(curp=VALIDA).nombre_completo == "MARÍA FERNANDA LÓPEZ HERNÁNDEZ"
    assert PersonaRenapo.objects.get(curp="RATC780309HPLMRR00").primer_apellido == "RAMÍREZ"


def test_the_csv_import_reports_every_error_and_writes_nothing():
    resultado = renapo_importar_csv(
        archivo=_csv(
            "RATC780309HPLMRR00,Carlos,Ramírez,Torres",
            f"{_otro_digito(VALIDA)},María,López,",
            "RATC780309HPLMRR00,Carlos,Ramírez,Torres",
            "MARA850722MNLRZL04,,Martínez,Ruiz",
        )
    )

    assert [(e.fila, e.columna) for e in resultado.errores] == [(3, "curp"), (4, "curp"), (5, "nombres")]
    assert resultado.errores[0].mensaje == CURP_DIGITO
    assert "también en la fila 2" in resultado.errores[1].mensaje
    assert not PersonaRenapo.objects.exists()


def test_the_csv_import_requires_the_header():
    resultado = renapo_importar_csv(archivo=io.BytesIO(b"clave,nombre\nX,Y\n"))

    assert resultado.errores and "Faltan columnas" in resultado.errores[0].mensaje


def test_every_curp_of_the_demo_sample_has_a_valid_check_digit():
    with MUESTRA.open(encoding="utf-8") as f:
        filas = list(csv.DictReader(f))

    assert len(filas) >= 20
    for fila in filas:
        assert stdnum_curp.is_valid(fila["curp"]), fila["curp"]
        assert fila["curp"][-1] == stdnum_curp.calc_check_digit(fila["curp"])


def test_the_command_loads_the_sample_and_is_idempotent():
    salida = io.StringIO()
    call_command("importar_curp", "--muestra", stdout=salida)
    call_command("importar_curp", "--muestra", stdout=salida)

    with MUESTRA.open(encoding="utf-8") as f:
        total = sum(1 for _ in csv.DictReader(f))
    assert PersonaRenapo.objects.count() == total
    assert f"{total} persona(s) nueva(s)" in salida.getvalue()
    assert f"{total} actualizada(s)" in salida.getvalue()


def test_the_command_lists_the_errors_and_fails(tmp_path):
    archivo = tmp_path / "malo.csv"
    contenido = f"curp,nombres,primer_apellido,segundo_apellido\n{_otro_digito(VALIDA)},A,B,C\n"
    archivo.write_text(contenido, encoding="utf-8")
    errores = io.StringIO()

    with pytest.raises(CommandError, match="No se importó nada"):
        call_command("importar_curp", str(archivo), stderr=errores)

    assert "Fila 2, columna curp" in errores.getvalue()
    assert not PersonaRenapo.objects.exists()


def test_the_admin_form_refuses_a_bad_check_digit_and_normalises_names():
    malo = PersonaRenapoForm(data={"curp": _otro_digito(VALIDA), "nombres": "a", "primer_apellido": "b"})
    bueno = PersonaRenapoForm(data={"curp": VALIDA.lower(), "nombres": " maría ", "primer_apellido": "lópez"})

    assert malo.errors["curp"] == [CURP_DIGITO]
    assert bueno.is_valid(), bueno.errors
    persona = bueno.save()
    assert (persona.curp, persona.nombres, persona.primer_apellido) == (VALIDA, "MARÍA", "LÓPEZ")


def test_staff_can_search_the_registry_in_the_admin(client, staff):
    PersonaRenapo.objects.create(curp=VALIDA, nombres="MARÍA FERNANDA", primer_apellido="LÓPEZ")
    client.force_login(staff)

    respuesta = client.get("/admin/accounts/personarenapo/", {"q": VALIDA})

    assert respuesta.status_code == 200
    assert "MARÍA FERNANDA" in respuesta.content.decode()
