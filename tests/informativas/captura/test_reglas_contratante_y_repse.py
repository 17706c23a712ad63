"""Rules behind the issue 14 defects of the informativa: a contratante's razón social belongs to its RFC; the
REPSE folio has the STPS format; the periodo is written "Primer/Segundo/Tercer cuatrimestre"."""

from __future__ import annotations

import re

import pytest
from django.core.exceptions import ValidationError

from informativas.captura import services
from informativas.models import Contrato
from informativas.periodos import Periodo

from ..conftest import datos_contratante

pytestmark = pytest.mark.django_db

RFC_SIN_PADRON = "SCO990101AA6"


def _input(html: str, nombre: str) -> str:
    return re.search(rf'<input[^>]*name="{nombre}"[^>]*>', html).group(0)


def test_a_name_from_the_registry_for_another_rfc_is_refused_at_save(informativa, padron_sat, contratista):
    datos = datos_contratante(RFC_SIN_PADRON, razon_social="cliente industrial  sa de cv")

    with pytest.raises(ValidationError) as error:
        services.contrato_crear(informativa=informativa, contratante=datos, usuario=contratista.usuario)

    assert error.value.message_dict == {
        "razon_social": [
            f"Esa denominación o razón social es la del RFC {padron_sat.rfc} en el padrón del SAT, no la del RFC "
            f"{RFC_SIN_PADRON}. Captura la denominación o razón social del RFC {RFC_SIN_PADRON}."
        ]
    }
    assert not Contrato.objects.exists()


def test_a_name_shown_with_another_rfc_is_refused_at_save(informativa, contratista):
    datos = datos_contratante(RFC_SIN_PADRON, razon_social="OTRA EMPRESA SA DE CV", razon_social_rfc="CLI010101AB5")

    with pytest.raises(ValidationError) as error:
        services.contrato_crear(informativa=informativa, contratante=datos, usuario=contratista.usuario)

    assert "era de otro RFC" in error.value.message_dict["razon_social"][0]


def test_an_updated_contratante_is_checked_too(contrato, contratista, padron_sat):
    datos = datos_contratante(RFC_SIN_PADRON, razon_social=padron_sat.razon_social)

    with pytest.raises(ValidationError):
        services.contrato_contratante_actualizar(contrato=contrato, contratante=datos, usuario=contratista.usuario)

    contrato.refresh_from_db()
    assert contrato.contratante_rfc == padron_sat.rfc


def test_the_own_name_of_an_rfc_outside_the_registry_is_kept(informativa, padron_sat, contratista):
    datos = datos_contratante(RFC_SIN_PADRON, razon_social="SERVICIOS DEL OCCIDENTE SA DE CV", razon_social_rfc=RFC_SIN_PADRON)

    contrato = services.contrato_crear(informativa=informativa, contratante=datos, usuario=contratista.usuario)

    assert contrato.contratante_razon_social == "SERVICIOS DEL OCCIDENTE SA DE CV"


def test_validar_clears_the_name_shown_for_the_rfc_validated_before(cliente_contratista, informativa, padron_sat):
    respuesta = cliente_contratista.post(
        f"/informativas/{informativa.code}/contratante/validar/",
        {"rfc": RFC_SIN_PADRON, "razon_social": padron_sat.razon_social, "razon_social_rfc": padron_sat.rfc},
    )

    html = respuesta.content.decode()
    assert "value=" not in _input(html, "razon_social")
    assert f'value="{RFC_SIN_PADRON}"' in _input(html, "razon_social_rfc")


def test_validar_keeps_a_name_typed_before_any_validation(cliente_contratista, informativa):
    respuesta = cliente_contratista.post(
        f"/informativas/{informativa.code}/contratante/validar/",
        {"rfc": RFC_SIN_PADRON, "razon_social": "SERVICIOS DEL OCCIDENTE"},
    )

    assert 'value="SERVICIOS DEL OCCIDENTE"' in _input(respuesta.content.decode(), "razon_social")


@pytest.mark.parametrize("folio", ["xxx", "AR12345", "AR12345/21", "12345/2021", "AR/2021", "AR12345/2019"])
def test_the_contract_refuses_a_repse_folio_without_the_stps_format(contrato, folio):
    contrato.registro_repse = folio

    with pytest.raises(ValidationError) as error:
        contrato.full_clean()

    assert "El número de registro REPSE no tiene el formato de la STPS" in error.value.message_dict["registro_repse"][0]


def test_the_contract_form_normalises_and_checks_the_repse_folio(contrato):
    from informativas.captura.forms import ContratoForm

    datos = {"objeto": "x", "servicio": "limpieza", "fecha_inicio": "01/02/2026", "registro_repse": " ar 777/2024 "}
    assert ContratoForm(datos, contrato=contrato).is_valid()
    form = ContratoForm({**datos, "registro_repse": "xxx"}, contrato=contrato)
    assert not form.is_valid() and "formato de la STPS" in form.errors["registro_repse"][0]
    valido = ContratoForm(datos, contrato=contrato)
    valido.is_valid()
    assert valido.cleaned_data["registro_repse"] == "AR777/2024"


@pytest.mark.parametrize(
    ("cuatrimestre", "texto"), [(1, "Primer cuatrimestre"), (2, "Segundo cuatrimestre"), (3, "Tercer cuatrimestre")]
)
def test_the_periodo_is_written_with_the_ordinal_before_the_noun(cuatrimestre, texto):
    assert Periodo(2026, cuatrimestre).cuatrimestre_texto == texto
    assert Periodo(2026, 1).ordinal == "Primero"  # alone, as in "Cuatrimestre: Primero"
