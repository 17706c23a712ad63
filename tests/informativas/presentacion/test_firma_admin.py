"""The admin: a presented informativa, its contratos and trabajadores are read-only for IMSS staff, and a draft
cannot be made to reach into it. The presented Normal is signed once for the module."""

from __future__ import annotations

from decimal import Decimal
from html.parser import HTMLParser

import pytest
from django.core.cache import cache

from informativas.models import Informativa, Trabajador
from informativas.presentacion import acuses
from informativas.presentacion import services as presentacion

from ..conftest import firmada_intacta

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _sin_bloqueos():
    cache.clear()


# ----------------------------------------------------------------------------------------------------------
# The admin: a presented informativa, its contratos and trabajadores are read-only for IMSS staff
# ----------------------------------------------------------------------------------------------------------
class _Formulario(HTMLParser):
    """What a browser would post back from the admin's change form (``<form id="..._form">``) as rendered."""

    def __init__(self) -> None:
        super().__init__()
        self.datos: dict[str, str] = {}
        self._dentro = False
        self._select: str | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self._dentro = (a.get("id") or "").endswith("_form")
        if not self._dentro or not a.get("name") and tag != "option":
            return
        if tag == "input" and a.get("type") not in ("submit", "button", "file"):
            if a.get("type") in ("checkbox", "radio") and "checked" not in a:
                return
            self.datos[a["name"]] = a.get("value") or ("on" if a.get("type") == "checkbox" else "")
        elif tag == "select":
            self._select = a["name"]
            self.datos.setdefault(self._select, "")
        elif tag == "option" and self._select and "selected" in a:
            self.datos[self._select] = a.get("value") or ""
        elif tag == "textarea":
            self._textarea = a["name"]
            self.datos[self._textarea] = ""

    def handle_endtag(self, tag):
        if tag == "form":
            self._dentro = False
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data):
        if self._textarea:
            self.datos[self._textarea] += data.removeprefix("\n") if not self.datos[self._textarea] else data


def _formulario_admin(client, url: str) -> dict[str, str]:
    respuesta = client.get(url)
    assert respuesta.status_code == 200
    formulario = _Formulario()
    formulario.feed(respuesta.content.decode())
    assert formulario.datos, f"{url} no tiene formulario editable"
    return formulario.datos


def _admin(modelo: str, pk=None, accion: str = "change") -> str:
    return f"/admin/informativas/{modelo}/{pk}/{accion}/" if pk else f"/admin/informativas/{modelo}/{accion}/"


@pytest.fixture
def presentada(normal_firmada_del_modulo):
    """Signed once for the module (conftest's normal_firmada_del_modulo)."""
    return normal_firmada_del_modulo


@pytest.fixture
def contratista(presentada):
    return presentada.contratista


@pytest.fixture
def trabajador(presentada):
    return Trabajador.objects.get(contrato__informativa=presentada)


@pytest.fixture
def staff_cliente(client, staff):
    client.force_login(staff)
    return client


@pytest.fixture
def borrador(presentada, contratista):
    """A Corrección of it, still in capture: an editable full copy with its own contract and worker."""
    return presentacion.complementaria_crear(origen=presentada, tipo="CORRECCION", usuario=contratista.usuario)


def test_the_admin_shows_a_presented_informativa_its_contracts_and_workers_read_only(
    presentada, trabajador, staff_cliente
):
    contrato = presentada.contratos.get()
    paginas = [("informativa", presentada.pk), ("contrato", contrato.pk), ("trabajador", trabajador.pk)]
    for modelo, pk in paginas:
        pagina = staff_cliente.get(_admin(modelo, pk))
        assert pagina.status_code == 200
        assert 'name="_save"' not in pagina.content.decode()  # view only: no Guardar
        assert staff_cliente.post(_admin(modelo, pk), {"contratante_razon_social": "OTRO", "sbc": "1"}).status_code == 403
        assert staff_cliente.post(_admin(modelo, pk, "delete"), {"post": "yes"}).status_code == 403

    trabajador.refresh_from_db()
    assert trabajador.sbc == Decimal("452.37")
    assert presentada.contratos.get().contratante_razon_social == "CLIENTE INDUSTRIAL SA DE CV"
    assert acuses.acuse_verificar(folio=presentada.folio_definitivo).valida


def test_staff_cannot_add_informativas_or_contracts_in_the_admin(staff_cliente, presentada):
    # Informativas start in the portal (period and type rules); a contract gets its folio there.
    assert staff_cliente.get(_admin("informativa", accion="add")).status_code == 403
    assert staff_cliente.get(_admin("contrato", accion="add")).status_code == 403
    assert staff_cliente.post(_admin("contrato", accion="add"), {"informativa": presentada.pk}).status_code == 403
    assert 'name="contratos-TOTAL_FORMS"' in staff_cliente.get(_admin("informativa", presentada.pk)).content.decode()
    assert presentada.contratos.count() == 1


def test_staff_cannot_add_a_worker_to_a_presented_contract(presentada, borrador, staff_cliente):
    from ..datos import curp, nss

    datos = _formulario_admin(staff_cliente, _admin("trabajador", accion="add"))
    datos.update(nss=nss(9), curp=curp(9), sbc="350.00", origen="INDIVIDUAL")

    respuesta = staff_cliente.post(_admin("trabajador", accion="add"), {**datos, "contrato": presentada.contratos.get().pk})

    assert respuesta.status_code == 200
    assert "Elige un contrato de una informativa que no esté presentada ni sustituida." in respuesta.content.decode()
    assert not Trabajador.objects.filter(nss=nss(9)).exists()
    # The same worker goes into a contract still in capture: the refusal is about the presented one only.
    respuesta = staff_cliente.post(_admin("trabajador", accion="add"), {**datos, "contrato": borrador.contratos.get().pk})
    assert respuesta.status_code == 302
    assert Trabajador.objects.get(nss=nss(9)).contrato.informativa == borrador
    assert acuses.acuse_verificar(folio=presentada.folio_definitivo).valida
    # The bandeja's stored totals follow what staff add and delete.
    borrador.refresh_from_db()
    assert (borrador.num_contratos, borrador.num_trabajadores) == (1, 2)
    agregado = Trabajador.objects.get(nss=nss(9))
    assert staff_cliente.post(_admin("trabajador", agregado.pk, "delete"), {"post": "yes"}).status_code == 302
    borrador.refresh_from_db()
    assert (borrador.num_contratos, borrador.num_trabajadores) == (1, 1)


def test_staff_cannot_move_a_draft_contract_or_worker_into_a_presented_informativa(presentada, borrador, staff_cliente):
    contrato = borrador.contratos.get()
    trabajador = contrato.trabajadores.get()

    datos = _formulario_admin(staff_cliente, _admin("contrato", contrato.pk))
    respuesta = staff_cliente.post(_admin("contrato", contrato.pk), {**datos, "informativa": presentada.pk})
    assert respuesta.status_code == 200
    assert "Elige una informativa que no esté presentada ni sustituida." in respuesta.content.decode()

    datos = _formulario_admin(staff_cliente, _admin("trabajador", trabajador.pk))
    destino = presentada.contratos.get().pk
    respuesta = staff_cliente.post(_admin("trabajador", trabajador.pk), {**datos, "contrato": destino})
    assert respuesta.status_code == 200
    assert "Elige un contrato de una informativa que no esté presentada ni sustituida." in respuesta.content.decode()

    contrato.refresh_from_db()
    trabajador.refresh_from_db()
    assert contrato.informativa_id == borrador.pk and trabajador.contrato_id == contrato.pk
    assert presentada.contratos.count() == 1
    assert acuses.acuse_verificar(folio=presentada.folio_definitivo).valida


def test_staff_cannot_set_the_estatus_period_type_or_origen_of_a_draft_by_hand(presentada, borrador, staff_cliente):
    datos = _formulario_admin(staff_cliente, _admin("informativa", borrador.pk))
    assert not {"estatus", "informativa_origen", "anio", "cuatrimestre", "tipo", "contratista"} & set(datos)

    respuesta = staff_cliente.post(
        _admin("informativa", borrador.pk),
        {
            **datos,
            "contratos_declarados": "3",
            "estatus": "PRESENTADA",
            "informativa_origen": "",
            "anio": "2020",
            "tipo": "NORMAL",
        },
    )

    assert respuesta.status_code == 302
    borrador.refresh_from_db()
    assert borrador.contratos_declarados == 3  # what staff may edit is saved...
    assert borrador.estatus == Informativa.Estatus.EN_CAPTURA  # ...the rest is ignored
    assert borrador.informativa_origen_id == presentada.pk
    assert (borrador.anio, borrador.tipo) == (2026, "CORRECCION")


def test_staff_cannot_bulk_delete_the_workers_of_a_presented_informativa(presentada, trabajador, borrador, staff_cliente):
    otro = borrador.contratos.get().trabajadores.get()

    respuesta = staff_cliente.post(
        "/admin/informativas/trabajador/",
        {"action": "delete_selected", "_selected_action": [trabajador.pk, otro.pk], "post": "yes"},
    )

    assert respuesta.status_code == 403
    assert Trabajador.objects.filter(pk__in=[trabajador.pk, otro.pk]).count() == 2


# ----------------------------------------------------------------------------------------------------------
# Last in the module: what staff tried above stayed in each test; the presented Normal is as it was made
# ----------------------------------------------------------------------------------------------------------
def test_the_earlier_tests_left_nothing_behind(_normal_firmada_del_modulo, db):
    firmada_intacta(_normal_firmada_del_modulo)
    assert str(Trabajador.objects.get().sbc) == "452.37"
    assert acuses.acuse_verificar(folio=_normal_firmada_del_modulo.informativa.folio_definitivo).valida
