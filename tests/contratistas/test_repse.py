"""The REPSE registration's validity: three years from its registration (or last renewal) date, renewed in the
three months before it expires (DOF 21 Feb 2024). The rule (contratistas.repse) and the datos generales page."""

from __future__ import annotations

import datetime

import pytest

from contratistas import repse
from contratistas.models import Contratista

D = datetime.date


@pytest.mark.parametrize(
    ("registro", "vence", "ventana"),
    [
        (D(2024, 3, 15), D(2027, 3, 15), D(2026, 12, 15)),
        (D(2024, 2, 29), D(2027, 2, 28), D(2026, 11, 28)),  # a leap day expires on the 28th
        (D(2023, 5, 31), D(2026, 5, 31), D(2026, 2, 28)),  # the window opens on the month's last day
    ],
)
def test_expiry_is_three_years_after_and_the_window_the_three_months_before(registro, vence, ventana):
    v = repse.vigencia_repse(fecha_registro=registro, hoy=D(2025, 1, 1))

    assert v.vence == vence
    assert v.ventana_desde == ventana
    assert v.estado == repse.VIGENTE


@pytest.mark.parametrize(
    ("hoy", "estado", "dias"),
    [
        (D(2026, 12, 14), repse.VIGENTE, 91),
        (D(2026, 12, 15), repse.EN_VENTANA, 90),
        (D(2027, 3, 15), repse.EN_VENTANA, 0),  # the expiry day is still covered
        (D(2027, 3, 16), repse.VENCIDO, -1),
    ],
)
def test_the_state_moves_with_today(hoy, estado, dias):
    v = repse.vigencia_repse(fecha_registro=D(2024, 3, 15), hoy=hoy)

    assert (v.estado, v.dias) == (estado, dias)


def test_without_a_date_there_is_no_expiry():
    v = repse.vigencia_repse(fecha_registro=None, hoy=D(2025, 1, 1))

    assert v.estado == repse.SIN_FECHA
    assert v.vence is None and v.ventana_desde is None and v.dias is None
    assert v.leyenda == "Sin fecha de registro REPSE"


# ----------------------------------------------------------------------------------------------------------
# The datos generales page
# ----------------------------------------------------------------------------------------------------------
URL = "/contratista/"


@pytest.fixture
def hoy(settings):
    settings.ICSOE_HOY = "2027-01-10"


@pytest.mark.django_db
def test_the_page_asks_for_the_date_when_there_is_none(client, contratista, padron_fiscal, hoy):
    client.force_login(contratista.usuario)

    html = client.get(URL).content.decode()

    assert "Fecha de registro o última renovación REPSE:" in html
    assert "Sin fecha de registro REPSE" in html
    assert "Captura la fecha de registro (o de la última renovación) de tu registro REPSE" in html


@pytest.mark.django_db
def test_the_page_shows_the_expiry_and_the_renewal_window(client, contratista, padron_fiscal, hoy):
    Contratista.objects.filter(pk=contratista.pk).update(repse_fecha_registro=D(2024, 3, 15))
    client.force_login(contratista.usuario)

    html = client.get(URL).content.decode()

    assert "Sin fecha de registro REPSE" not in html
    assert "Tu registro REPSE vence el 15 de marzo de 2027" in html
    assert "Ventana de renovación: del 15 de diciembre de 2026 al 15 de marzo de 2027" in html
    assert "En ventana de renovación" in html


@pytest.mark.django_db
def test_saving_stores_the_date_and_a_future_date_is_refused(client, contratista, padron_fiscal, hoy):
    from tests.contratistas.test_datos_generales import _datos

    client.force_login(contratista.usuario)

    r = client.post(URL, _datos(repse_fecha_registro="2027-02-01"))
    assert r.status_code == 200
    assert "La fecha de registro REPSE no puede ser posterior a hoy." in r.content.decode()
    contratista.refresh_from_db()
    assert contratista.repse_fecha_registro is None

    r = client.post(URL, _datos(repse_fecha_registro="2024-03-15"))
    assert r.status_code == 302
    contratista.refresh_from_db()
    assert contratista.repse_fecha_registro == D(2024, 3, 15)
    assert "Tu registro REPSE vence el 15 de marzo de 2027" in client.get(URL).content.decode()


@pytest.mark.django_db
def test_the_date_is_optional(client, contratista, padron_fiscal, hoy):
    from tests.contratistas.test_datos_generales import _datos

    client.force_login(contratista.usuario)

    assert client.post(URL, _datos()).status_code == 302
    contratista.refresh_from_db()
    assert contratista.repse_fecha_registro is None
    assert contratista.datos_generales_completos is True


@pytest.mark.parametrize("hoy", [
    datetime.date(2026, 11, 20), datetime.date(2027, 2, 28), datetime.date(2027, 3, 1), datetime.date(2028, 2, 29),
    datetime.date(2027, 5, 31), datetime.date(2026, 8, 31),
])
def test_the_state_bounds_split_registration_dates_exactly_as_vigencia_repse_does(hoy):
    """The admin's filter by state: a date before A has lapsed, [A, B) is in the window, B on is vigente; checked
    day by day over the years around, month ends and 29 February included."""
    a, b = repse.limites_de_estado(hoy=hoy)
    fecha = hoy.replace(year=hoy.year - 4, day=1)
    while fecha <= hoy:
        esperado = "vencido" if fecha < a else ("en_ventana" if fecha < b else "vigente")
        assert repse.vigencia_repse(fecha_registro=fecha, hoy=hoy).estado == esperado, fecha
        fecha += datetime.timedelta(days=1)
