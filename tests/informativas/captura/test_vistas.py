"""The screens through Django's test client: access, bandeja, Nueva informativa, the wizard tabs, Resumen,
Enviar a firma, Regresar a captura and Consulta de informativas."""

from __future__ import annotations

import datetime
import re
from decimal import Decimal

import pytest
from django.urls import reverse

from informativas.captura import services
from informativas.models import Contrato, Informativa, Trabajador

from ..datos import curp, nss, nss_digito_erroneo
from .test_servicios import informativa_con_datos_faltantes

pytestmark = pytest.mark.django_db


def _html(respuesta) -> str:
    return respuesta.content.decode()


def _urls(informativa, contrato, trabajador):
    i, c, t = informativa.code, contrato.code, trabajador.code
    return [
        f"/informativas/{i}/",
        f"/informativas/{i}/captura/resumen/",
        f"/informativas/{i}/captura/contratista/",
        f"/informativas/{i}/contratos/{c}/captura/contrato/",
        f"/informativas/{i}/contratos/{c}/captura/trabajadores/",
        f"/informativas/{i}/contratos/{c}/",
        f"/informativas/{i}/contratos/{c}/eliminar/",
        f"/informativas/{i}/contratos/{c}/trabajadores/{t}/editar/",
        f"/informativas/{i}/contratos/{c}/trabajadores/{t}/eliminar/",
        f"/informativas/{i}/eliminar/",
    ]


# ----------------------------------------------------------------------------------------------------------
# Access
# ----------------------------------------------------------------------------------------------------------
def test_anonymous_users_are_sent_to_the_login(client, trabajador, informativa, contrato):
    for url in [
        "/informativas/",
        "/informativas/nueva/",
        "/informativas/consulta/",
        *_urls(informativa, contrato, trabajador),
    ]:
        respuesta = client.get(url)
        assert respuesta.status_code == 302, url
        assert respuesta["Location"].startswith("/acceso/"), url


def test_another_contratista_gets_404_for_every_object(
    client, otro_contratista, trabajador, informativa, contrato
):
    client.force_login(otro_contratista.usuario)

    for url in _urls(informativa, contrato, trabajador):
        assert client.get(url).status_code == 404, url
    assert client.post(f"/informativas/{informativa.code}/enviar-a-firma/").status_code == 404
    assert (
        client.post(
            f"/informativas/{informativa.code}/contratos/{contrato.code}/captura/trabajadores/",
            {"nss": nss(7), "curp": curp(7), "sbc": "1"},
        ).status_code
        == 404
    )
    assert Trabajador.objects.count() == 1


def test_another_contratista_does_not_see_the_informativa_in_its_bandeja_or_consulta(
    client, otro_contratista, informativa
):
    client.force_login(otro_contratista.usuario)

    assert str(informativa.code) not in _html(client.get("/informativas/"))
    assert str(informativa.code) not in _html(client.get("/informativas/consulta/"))


def test_a_capturista_without_a_selected_contratista_is_sent_to_select_one(client, capturista):
    client.force_login(capturista)

    respuesta = client.get("/informativas/")

    assert respuesta.status_code == 302
    assert respuesta["Location"] == reverse("capturistas:seleccionar") + "?next=%2Finformativas%2F"


def test_imss_staff_cannot_capture(client, staff):
    client.force_login(staff)

    assert client.get("/informativas/").status_code == 403


def test_a_capturista_works_on_the_informativas_of_the_selected_contratista(cliente_capturista, informativa):
    respuesta = cliente_capturista.get(f"/informativas/{informativa.code}/captura/resumen/")

    assert respuesta.status_code == 200
    assert "Resumen" in _html(respuesta)


# ----------------------------------------------------------------------------------------------------------
# Bandeja and Nueva informativa
# ----------------------------------------------------------------------------------------------------------
def test_the_empty_bandeja_says_how_to_start(cliente_contratista):
    html = _html(cliente_contratista.get("/informativas/"))

    assert "Bandeja de trabajo" in html
    assert (
        "No existen informativas registradas, para crear una dar clic en la opción Nueva Informativa" in html
    )
    for columna in (
        "Año",
        "Cuatrimestre",
        "Mes inicial",
        "Mes final",
        "Tipo de informativa",
        "Contratos relacionados",
        "Total de trabajadores",
        "Estatus",
        "Acciones",
    ):
        assert f"<th>{columna}</th>" in html
    assert "Nueva informativa" in html


def _fila(html: str, informativa) -> str:
    return re.search(rf'<tr data-informativa="{informativa.code}">(.*?)</tr>', html, re.S).group(1)


def test_a_bandeja_row_kept_in_memory_follows_its_counts_and_estatus(
    cliente_contratista, trabajador, contratista, firma_lista
):
    """Each row is rendered once per process and then taken from memory (templates/informativas/captura/bandeja.html):
    keyed by everything it shows, a new worker, a send to signing and a return to captura show at once, and
    the Regresar a captura form, outside what is kept, carries this request's CSRF token and works."""
    from django.test import Client

    informativa = trabajador.contrato.informativa
    assert '<td data-columna="trabajadores">1</td>' in _fila(_html(cliente_contratista.get("/informativas/")), informativa)

    services.trabajador_agregar(
        contrato=trabajador.contrato, nss=nss(2), curp=curp(2), sbc=Decimal("400.00"), usuario=contratista.usuario
    )
    fila = _fila(_html(cliente_contratista.get("/informativas/")), informativa)
    assert '<td data-columna="trabajadores">2</td>' in fila and "Capturar" in fila

    services.informativa_contratos_declarados_guardar(informativa=informativa, numero=1, usuario=contratista.usuario)
    services.informativa_enviar_a_firma(informativa=informativa, usuario=contratista.usuario)
    cliente = Client(enforce_csrf_checks=True)
    cliente.force_login(contratista.usuario)
    html = _html(cliente.get("/informativas/"))
    fila = _fila(html, informativa)
    assert "Pendiente de firma" in fila and "Capturar" not in fila and "Firmar" in fila
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', fila).group(1)
    respuesta = cliente.post(f"/informativas/{informativa.code}/regresar-a-captura/", {"csrfmiddlewaretoken": token})

    assert respuesta.status_code == 302
    fila = _fila(_html(cliente.get("/informativas/")), informativa)
    assert "En captura" in fila and "Capturar" in fila and "csrfmiddlewaretoken" not in fila


def test_the_bandeja_runs_its_query_compiled_once_with_the_same_rows_as_the_orm(contratista, otro_contratista):
    """The bandeja's page runs the SQL the ORM compiles for selectors.bandeja (once per process): the same rows
    in the same order, page by page, with only the listed columns loaded, and only the contratista's."""
    from informativas.selectors import CAMPOS_BANDEJA, BandejaCompilada, bandeja

    for anio, cuatrimestre in ((2025, 2), (2026, 1), (2025, 3)):
        services.informativa_crear(
            contratista=contratista, anio=anio, cuatrimestre=cuatrimestre, tipo="NORMAL", usuario=contratista.usuario
        )
    services.informativa_crear(
        contratista=otro_contratista, anio=2026, cuatrimestre=1, tipo="NORMAL", usuario=otro_contratista.usuario
    )
    compilada, orm = BandejaCompilada(contratista), bandeja(contratista).values_list(*CAMPOS_BANDEJA)

    for desde, hasta in ((0, 51), (1, 2), (2, 4)):
        assert [tuple(getattr(i, c) for c in CAMPOS_BANDEJA) for i in compilada[desde:hasta]] == list(orm[desde:hasta])
    assert [(i.anio, i.cuatrimestre) for i in compilada[0:51]] == [(2026, 1), (2025, 3), (2025, 2)]
    assert "contratista_id" in compilada[0:1][0].get_deferred_fields()
    assert compilada.count() == 3
    assert [i.anio for i in BandejaCompilada(otro_contratista)[0:51]] == [2026]


def test_the_bandeja_lists_drafts_with_their_counts(cliente_contratista, trabajador, informativa):
    html = _html(cliente_contratista.get("/informativas/"))

    fila = re.search(rf'<tr data-informativa="{informativa.code}">(.*?)</tr>', html, re.S).group(1)
    assert "<td>2026</td>" in fila and "<td>Primero</td>" in fila
    assert "<td>Enero</td>" in fila and "<td>Abril</td>" in fila
    assert '<td data-columna="contratos">1</td>' in fila
    assert '<td data-columna="trabajadores">1</td>' in fila
    assert "En captura" in fila


def test_a_new_normal_informativa_opens_the_wizard(cliente_capturista, capturista):
    respuesta = cliente_capturista.post(
        "/informativas/nueva/", {"anio": "2025", "cuatrimestre": "2", "tipo": "NORMAL"}
    )

    informativa = Informativa.objects.get()
    assert respuesta["Location"] == f"/informativas/{informativa.code}/captura/contratista/"
    assert (informativa.anio, informativa.cuatrimestre, informativa.tipo) == (2025, 2, "NORMAL")
    assert informativa.creada_por == capturista


def test_the_nueva_page_answers_the_cuatrimestre_of_a_periodo_for_htmx(cliente_contratista):
    """The Cuatrimestre paragraph asks this same page (GET) for the chosen periodo and swaps in only its text
    (the paragraph, which listens to the select, stays)."""
    html = _html(cliente_contratista.get("/informativas/nueva/", {"cuatrimestre": "3"}))

    parrafo = re.search(r'<p id="cuatrimestre"([^>]*)>(.*?)</p>', html, re.S)
    assert parrafo
    assert 'hx-get="/informativas/nueva/"' in parrafo.group(1)
    assert 'hx-trigger="change from:#id_cuatrimestre"' in parrafo.group(1)
    assert 'hx-select="#cuatrimestre-texto"' in parrafo.group(1)
    assert 'hx-target="#cuatrimestre-texto"' in parrafo.group(1)
    assert (
        " ".join(parrafo.group(2).split()) == 'Cuatrimestre: <strong id="cuatrimestre-texto">Tercero</strong>'
    )
    assert not Informativa.objects.exists()


def test_a_second_normal_for_the_period_is_refused_keeping_the_choices(cliente_contratista, informativa):
    respuesta = cliente_contratista.post(
        "/informativas/nueva/", {"anio": "2026", "cuatrimestre": "1", "tipo": "NORMAL"}
    )

    html = _html(respuesta)
    assert respuesta.status_code == 200
    assert "Ya existe una informativa Normal del primer cuatrimestre de 2026" in html
    assert '<option value="2026" selected>' in html
    assert '<option value="1" selected>Enero - Abril</option>' in html
    assert Informativa.objects.count() == 1


def test_a_period_not_finished_cannot_be_reported(cliente_contratista):
    respuesta = cliente_contratista.post(
        "/informativas/nueva/", {"anio": "2026", "cuatrimestre": "2", "tipo": "NORMAL"}
    )

    assert "El periodo seleccionado aún no concluye." in _html(respuesta)
    assert not Informativa.objects.exists()


def test_sin_informacion_asks_for_the_declaration_and_then_waits_for_signature(cliente_capturista):
    datos = {"anio": "2025", "cuatrimestre": "3", "tipo": "SIN_INFORMACION"}

    confirmacion = cliente_capturista.post("/informativas/nueva/", datos)
    assert "Declaro bajo protesta de decir verdad que en el cuatrimestre que se indica" in _html(confirmacion)
    assert not Informativa.objects.exists()
    assert "/informativas/nueva/?anio=2025&amp;cuatrimestre=3&amp;tipo=SIN_INFORMACION" in _html(confirmacion)

    respuesta = cliente_capturista.post("/informativas/nueva/sin-informacion/", datos, follow=True)

    informativa = Informativa.objects.get()
    assert informativa.estatus == Informativa.Estatus.PENDIENTE_FIRMA
    assert "Pendiente de firma" in _html(respuesta)


def test_cancelling_the_declaration_returns_to_the_form_with_the_choices(cliente_contratista):
    html = _html(
        cliente_contratista.get("/informativas/nueva/?anio=2025&cuatrimestre=3&tipo=SIN_INFORMACION")
    )

    assert '<option value="2025" selected>' in html
    assert '<option value="SIN_INFORMACION" selected>' in html
    assert "Tercero" in html


def test_a_sin_informacion_returned_to_captura_is_sent_again_from_the_bandeja(
    cliente_contratista, contratista
):
    informativa = services.informativa_sin_informacion_declarar(
        contratista=contratista, anio=2025, cuatrimestre=1, usuario=contratista.usuario
    )
    cliente_contratista.post(f"/informativas/{informativa.code}/regresar-a-captura/")
    informativa.refresh_from_db()
    assert informativa.estatus == Informativa.Estatus.EN_CAPTURA

    assert "Declaro bajo protesta" in _html(
        cliente_contratista.get(f"/informativas/{informativa.code}/sin-informacion/")
    )
    cliente_contratista.post(f"/informativas/{informativa.code}/sin-informacion/")

    informativa.refresh_from_db()
    assert informativa.estatus == Informativa.Estatus.PENDIENTE_FIRMA


def test_deleting_a_draft_asks_first(cliente_contratista, informativa):
    assert "Esta acción no se puede deshacer" in _html(
        cliente_contratista.get(f"/informativas/{informativa.code}/eliminar/")
    )
    assert Informativa.objects.exists()

    cliente_contratista.post(f"/informativas/{informativa.code}/eliminar/")

    assert not Informativa.objects.exists()


# ----------------------------------------------------------------------------------------------------------
# Wizard tabs
# ----------------------------------------------------------------------------------------------------------
def test_the_tabs_show_which_steps_are_complete(cliente_contratista, informativa, contrato):
    html = _html(cliente_contratista.get(f"/informativas/{informativa.code}/captura/periodo/"))

    completas = set(re.findall(r'data-paso="(\w+)"[^>]*class="completa"', html))
    assert completas == {"periodo", "contratista", "contratante", "contrato"}
    assert 'data-paso="trabajadores"' in html


def test_the_contract_tabs_are_disabled_until_a_contract_exists(cliente_contratista, contratista):
    informativa = services.informativa_crear(
        contratista=contratista, anio=2025, cuatrimestre=1, tipo="NORMAL", usuario=contratista.usuario
    )

    html = _html(cliente_contratista.get(f"/informativas/{informativa.code}/captura/contratante/"))
    assert '<span data-paso="contrato"' in html
    respuesta = cliente_contratista.get(f"/informativas/{informativa.code}/captura/trabajadores/")
    assert respuesta["Location"] == f"/informativas/{informativa.code}/captura/contratante/"


def test_the_contratista_tab_saves_a_domicilio_picked_from_the_catalog(
    cliente_contratista, informativa, sepomex
):
    url = f"/informativas/{informativa.code}/captura/contratista/"
    datos = {
        "domicilio_convencional_igual_fiscal": "no",
        "convencional-codigo_postal": "01000",
        "convencional-calle": "Av. Revolución",
        "convencional-numero_exterior": "1500",
    }

    sin_colonia = cliente_contratista.post(url, datos)
    html = _html(sin_colonia)
    assert "Selecciona la colonia." in html
    assert 'value="Av. Revolución"' in html
    assert "SAN ÁNGEL" in html  # the colonias of the CP typed are offered without JavaScript

    datos["convencional-asentamiento"] = str(sepomex["san_angel"].pk)
    respuesta = cliente_contratista.post(url, datos)

    informativa.refresh_from_db()
    assert respuesta.status_code == 302
    assert informativa.domicilio_convencional.calle == "AV. REVOLUCIÓN"


def test_an_unknown_postal_code_is_reported(cliente_contratista, informativa, sepomex):
    respuesta = cliente_contratista.post(
        f"/informativas/{informativa.code}/captura/contratista/",
        {
            "domicilio_convencional_igual_fiscal": "no",
            "convencional-codigo_postal": "99999",
            "convencional-calle": "X",
            "convencional-sin_numero": "on",
        },
    )

    assert "El código postal no existe en el catálogo de SEPOMEX." in _html(respuesta)


def test_the_colonias_of_a_postal_code_come_as_options(cliente_contratista, sepomex):
    html = _html(cliente_contratista.get("/informativas/colonias/?convencional-codigo_postal=01000"))

    assert f'<option value="{sepomex["san_angel"].pk}">SAN ÁNGEL</option>' in html
    assert "TLACOPAC" in html


def _contratante(rfc="CLI010101AB5", **extra):
    datos = {
        "rfc": rfc,
        "correo": "compras@cliente.mx",
        "celular": "55 1111 2222",
        "domicilio_social_igual_fiscal": "si",
        "domicilio_convencional_igual_fiscal": "si",
    }
    datos.update(extra)
    return datos


def test_validar_fills_the_name_from_the_sat_registry(cliente_contratista, informativa, padron_sat):
    respuesta = cliente_contratista.post(
        f"/informativas/{informativa.code}/contratante/validar/", {"rfc": "cli010101ab5", "correo": "a@b.mx"}
    )

    html = _html(respuesta)
    assert "RFC encontrado en el padrón del SAT: CLIENTE INDUSTRIAL SA DE CV" in html
    assert 'value="CLIENTE INDUSTRIAL SA DE CV"' in html
    assert 'value="a@b.mx"' in html
    assert not Contrato.objects.exists()


def test_validar_says_when_the_rfc_is_not_in_the_registry(cliente_contratista, informativa):
    html = _html(
        cliente_contratista.post(
            f"/informativas/{informativa.code}/contratante/validar/", {"rfc": "SCO990101AA6"}
        )
    )

    assert "no se encontró en el padrón del SAT" in html


def test_adding_a_contract_from_the_contratante_tab(cliente_contratista, informativa, padron_sat):
    respuesta = cliente_contratista.post(
        f"/informativas/{informativa.code}/captura/contratante/", _contratante()
    )

    contrato = Contrato.objects.get()
    assert (
        respuesta["Location"]
        == f"/informativas/{informativa.code}/contratos/{contrato.code}/captura/contrato/"
    )
    assert contrato.contratante_celular == "5511112222"
    assert contrato.contratante_razon_social == "CLIENTE INDUSTRIAL SA DE CV"


def test_an_rfc_not_in_the_registry_needs_the_name(cliente_contratista, informativa):
    respuesta = cliente_contratista.post(
        f"/informativas/{informativa.code}/captura/contratante/", _contratante(rfc="SCO990101AA6")
    )

    assert "captura la denominación o razón social" in _html(respuesta)
    assert not Contrato.objects.exists()


def test_a_bad_rfc_check_digit_is_a_warning_the_user_confirms(cliente_contratista, informativa):
    url = f"/informativas/{informativa.code}/captura/contratante/"
    datos = _contratante(rfc="SCO990101AA1", razon_social="SERVICIOS COSTA")

    html = _html(cliente_contratista.post(url, datos))
    assert "El dígito verificador del RFC no coincide" in html
    assert 'name="confirmar_rfc"' in html
    assert not Contrato.objects.exists()

    cliente_contratista.post(url, {**datos, "confirmar_rfc": "on"})
    assert Contrato.objects.get().contratante_rfc_confirmado


def test_the_contratante_cannot_be_the_contratista(cliente_contratista, informativa, contratista):
    html = _html(
        cliente_contratista.post(
            f"/informativas/{informativa.code}/captura/contratante/",
            _contratante(rfc=contratista.rfc, razon_social="YO"),
        )
    )

    assert "El RFC del contratante no puede ser el mismo que el del contratista." in html
    assert not Contrato.objects.exists()


def test_a_persona_moral_contratante_must_answer_the_domicilio_social(
    cliente_contratista, informativa, padron_sat, sepomex
):
    url = f"/informativas/{informativa.code}/captura/contratante/"
    html = _html(cliente_contratista.post(url, _contratante(domicilio_social_igual_fiscal="")))
    assert "Indica si el domicilio social es igual al fiscal." in html

    cliente_contratista.post(
        url,
        _contratante(
            **{
                "domicilio_social_igual_fiscal": "no",
                "social-codigo_postal": "01000",
                "social-asentamiento": str(sepomex["tlacopac"].pk),
                "social-calle": "Insurgentes",
                "social-sin_numero": "on",
            }
        ),
    )
    assert Contrato.objects.get().domicilio_social.asentamiento == sepomex["tlacopac"]


def test_a_start_date_outside_the_period_is_refused_keeping_what_was_typed(cliente_contratista, contrato):
    url = f"/informativas/{contrato.informativa.code}/contratos/{contrato.code}/captura/contrato/"
    respuesta = cliente_contratista.post(
        url,
        {
            "objeto": "OC 99 mantenimiento",
            "registro_repse": "AR1/2021",
            "servicio": "Mantenimiento",
            "fecha_inicio": "2026-05-02",
        },
    )

    html = _html(respuesta)
    assert (
        "La fecha de inicio debe estar dentro del periodo que se informa: del 01/01/2026 al 30/04/2026."
        in html
    )
    assert "OC 99 mantenimiento" in html
    assert 'value="2026-05-02"' in html
    contrato.refresh_from_db()
    assert contrato.objeto == "OC 4500012345 limpieza de oficinas"


def test_a_contract_without_the_service_description_is_refused_with_rule_two_message(
    cliente_contratista, contrato
):
    url = f"/informativas/{contrato.informativa.code}/contratos/{contrato.code}/captura/contrato/"
    respuesta = cliente_contratista.post(
        url,
        {
            "objeto": "OC 99 mantenimiento",
            "registro_repse": "AR1/2021",
            "servicio": "  ",
            "fecha_inicio": "2026-03-02",
        },
    )

    html = _html(respuesta)
    assert respuesta.status_code == 200
    assert re.search(
        r'<p class="campo__error" role="alert">Captura la descripción del servicio u obra especializado '
        r"contratado.</p>",
        html,
    )
    assert "OC 99 mantenimiento" in html  # what was typed is kept
    contrato.refresh_from_db()
    assert contrato.servicio == "Servicio especializado de limpieza industrial"


def test_the_contrato_tab_saves_and_goes_to_trabajadores(cliente_contratista, contrato):
    informativa = contrato.informativa
    respuesta = cliente_contratista.post(
        f"/informativas/{informativa.code}/contratos/{contrato.code}/captura/contrato/",
        {
            "objeto": "OC 77",
            "registro_repse": "AR9/2022",
            "servicio": "Vigilancia",
            "fecha_inicio": "15/03/2026",
            "fecha_termino": "2026-12-31",
        },
    )

    contrato.refresh_from_db()
    assert respuesta["Location"].endswith("/captura/trabajadores/")
    assert (contrato.fecha_inicio, contrato.fecha_termino) == (
        datetime.date(2026, 3, 15),
        datetime.date(2026, 12, 31),
    )


# ----------------------------------------------------------------------------------------------------------
# Trabajadores one by one
# ----------------------------------------------------------------------------------------------------------
def test_adding_editing_and_deleting_a_worker(cliente_capturista, contrato, renapo):
    base = f"/informativas/{contrato.informativa.code}/contratos/{contrato.code}"
    cliente_capturista.post(
        f"{base}/captura/trabajadores/", {"nss": nss(1), "curp": renapo.curp.lower(), "sbc": "452.37"}
    )
    trabajador = contrato.trabajadores.get()
    assert trabajador.nombre_completo == "MARÍA LÓPEZ HERNÁNDEZ"
    assert "MARÍA LÓPEZ HERNÁNDEZ" in _html(cliente_capturista.get(f"{base}/captura/trabajadores/"))

    cliente_capturista.post(
        f"{base}/trabajadores/{trabajador.code}/editar/", {"nss": nss(1), "curp": renapo.curp, "sbc": "500"}
    )
    trabajador.refresh_from_db()
    assert trabajador.sbc == Decimal("500.00")

    assert "¿Deseas eliminar" in _html(
        cliente_capturista.get(f"{base}/trabajadores/{trabajador.code}/eliminar/")
    )
    cliente_capturista.post(f"{base}/trabajadores/{trabajador.code}/eliminar/")
    assert not contrato.trabajadores.exists()


def test_a_bad_worker_is_refused_with_every_message_keeping_what_was_typed(
    cliente_contratista, trabajador, contrato
):
    base = f"/informativas/{contrato.informativa.code}/contratos/{contrato.code}"

    html = _html(
        cliente_contratista.post(
            f"{base}/captura/trabajadores/",
            {"nss": nss_digito_erroneo(4), "curp": "GODE561331HDFRRN00", "sbc": "-3"},
        )
    )
    assert "El dígito verificador del NSS no es válido." in html
    assert "La CURP no es válida" in html
    assert "El SBC debe ser mayor a cero." in html
    assert f'value="{nss_digito_erroneo(4)}"' in html

    html = _html(
        cliente_contratista.post(
            f"{base}/captura/trabajadores/", {"nss": trabajador.nss, "curp": trabajador.curp, "sbc": "10"}
        )
    )
    assert "El NSS ya está registrado en este contrato." in html
    assert contrato.trabajadores.count() == 1


# ----------------------------------------------------------------------------------------------------------
# Resumen, Enviar a firma, Regresar a captura, read-only
# ----------------------------------------------------------------------------------------------------------
def test_the_resumen_shows_counts_inconsistencies_and_the_audit_trail(
    cliente_capturista, trabajador, informativa, contrato
):
    html = _html(cliente_capturista.get(f"/informativas/{informativa.code}/captura/resumen/"))

    assert '<dd data-resumen="contratos">1</dd>' in html
    assert '<dd data-resumen="trabajadores">1</dd>' in html
    assert "Indica en el Resumen el número de contratos celebrados en el periodo." in html
    assert "Historial de cambios" in html
    assert "Agregó un trabajador" in html
    assert re.search(r"<button[^>]*disabled>Enviar a firma</button>", html)


def test_the_resumen_names_the_missing_contratista_contratante_and_contrato_data(
    cliente_capturista, contratista
):
    contrato = informativa_con_datos_faltantes(contratista)
    informativa = contrato.informativa

    html = _html(cliente_capturista.get(f"/informativas/{informativa.code}/captura/resumen/"))

    avisos = re.search(
        r'<div class="mensaje mensaje--error" role="alert" id="inconsistencias">(.*?)</div>', html, re.S
    )
    assert avisos
    assert re.findall(r"<li>(.*?)</li>", avisos.group(1)) == [
        "Indica en la pestaña Contratista si el domicilio convencional es igual al fiscal.",
        f"Completa los datos del contratante del contrato {contrato.folio}.",
        f"Completa los datos del contrato {contrato.folio}: objeto y servicio u obra especializado.",
        f"El contrato {contrato.folio} no tiene trabajadores registrados.",
        "Indica en el Resumen el número de contratos celebrados en el periodo.",
    ]
    assert re.search(r"<button[^>]*disabled>Enviar a firma</button>", html)


def test_the_contratista_sees_in_the_resumen_who_changed_what(
    client, contratista, capturista, contrato, renapo
):
    """The audit trail: a capturista adds a worker and edits the contrato; the contratista, in its own session,
    reads in the Resumen the capturista's name and CURP beside each of those actions."""
    informativa, base = (
        contrato.informativa,
        f"/informativas/{contrato.informativa.code}/contratos/{contrato.code}",
    )
    client.force_login(capturista)
    sesion = client.session
    sesion["contratista_code"] = str(contratista.code)
    sesion.save()
    client.post(f"{base}/captura/trabajadores/", {"nss": nss(1), "curp": renapo.curp, "sbc": "452.37"})
    client.post(
        f"{base}/captura/contrato/",
        {
            "objeto": "OC 77",
            "registro_repse": "AR9/2022",
            "servicio": "Vigilancia",
            "fecha_inicio": "15/03/2026",
        },
    )
    client.logout()

    client.force_login(contratista.usuario)
    html = _html(client.get(f"/informativas/{informativa.code}/captura/resumen/"))

    tabla = re.search(r'<table class="tabla" id="bitacora">.*?<tbody>(.*?)</tbody>', html, re.S).group(1)
    filas = re.findall(r"<tr><td>[^<]*</td><td>([^<]*)</td><td>([^<]*)</td></tr>", tabla)
    capturista_clave = f"ERNESTO GÓMEZ DÍAZ ({capturista.curp})"
    assert filas[:2] == [
        (capturista_clave, f"Guardó los datos del contrato (contrato {contrato.folio})"),
        (capturista_clave, f"Agregó un trabajador (contrato {contrato.folio}, NSS {nss(1)})"),
    ]
    # everything before was the contratista's own capture
    assert {usuario for usuario, _ in filas[2:]} == {
        f"{contratista.usuario.nombre_completo} ({contratista.rfc})"
    }
    assert "Creó la informativa" in [accion for _, accion in filas]


def test_enviar_a_firma_from_the_resumen(cliente_capturista, trabajador, informativa):
    url = f"/informativas/{informativa.code}/captura/resumen/"
    cliente_capturista.post(url, {"contratos_declarados": "2"})
    assert "El número de contratos declarados (2) no coincide con los contratos capturados (1)." in _html(
        cliente_capturista.get(url)
    )

    respuesta = cliente_capturista.post(f"/informativas/{informativa.code}/enviar-a-firma/", follow=True)
    assert "El número de contratos declarados (2)" in _html(respuesta)
    informativa.refresh_from_db()
    assert informativa.estatus == Informativa.Estatus.EN_CAPTURA

    cliente_capturista.post(url, {"contratos_declarados": "1"})
    respuesta = cliente_capturista.post(f"/informativas/{informativa.code}/enviar-a-firma/", follow=True)

    informativa.refresh_from_db()
    assert informativa.estatus == Informativa.Estatus.PENDIENTE_FIRMA
    assert "La informativa se envió a firma" in _html(respuesta)


def test_a_pending_informativa_opens_read_only_and_can_return_to_captura(
    cliente_contratista, trabajador, informativa, contrato
):
    Informativa.objects.filter(pk=informativa.pk).update(estatus=Informativa.Estatus.PENDIENTE_FIRMA)

    respuesta = cliente_contratista.get(
        f"/informativas/{informativa.code}/contratos/{contrato.code}/captura/trabajadores/", follow=True
    )
    assert respuesta.redirect_chain[-1][0] == f"/informativas/{informativa.code}/"
    assert "La informativa está pendiente de firma. Para modificarla, regrésala a captura." in _html(
        respuesta
    )

    cliente_contratista.post(f"/informativas/{informativa.code}/regresar-a-captura/")
    informativa.refresh_from_db()
    assert informativa.estatus == Informativa.Estatus.EN_CAPTURA


def test_a_presented_informativa_is_read_only_everywhere(
    cliente_contratista, trabajador, informativa, contrato
):
    Informativa.objects.filter(pk=informativa.pk).update(estatus=Informativa.Estatus.PRESENTADA)
    base = f"/informativas/{informativa.code}/contratos/{contrato.code}"

    for url, datos in [
        (f"{base}/captura/trabajadores/", {"nss": nss(8), "curp": curp(8), "sbc": "1"}),
        (f"{base}/trabajadores/{trabajador.code}/eliminar/", {}),
        (f"{base}/eliminar/", {}),
        (f"/informativas/{informativa.code}/eliminar/", {}),
        (f"/informativas/{informativa.code}/captura/resumen/", {"contratos_declarados": "9"}),
    ]:
        respuesta = cliente_contratista.post(url, datos)
        assert respuesta["Location"] == f"/informativas/{informativa.code}/", url

    assert Trabajador.objects.count() == 1
    assert Contrato.objects.count() == 1
    html = _html(cliente_contratista.get(f"/informativas/{informativa.code}/"))
    assert "Presentada" in html
    assert "Regresar a captura" not in html


# ----------------------------------------------------------------------------------------------------------
# Consulta de informativas
# ----------------------------------------------------------------------------------------------------------
def test_consulta_filters_by_year_period_type_and_status(cliente_contratista, contratista, informativa):
    sin_info = services.informativa_sin_informacion_declarar(
        contratista=contratista, anio=2025, cuatrimestre=2, usuario=contratista.usuario
    )

    def codigos(query):
        return set(
            re.findall(
                r'data-informativa="([0-9a-f-]+)"',
                _html(cliente_contratista.get(f"/informativas/consulta/{query}")),
            )
        )

    assert codigos("") == {str(informativa.code), str(sin_info.code)}
    assert codigos("?anio=2025") == {str(sin_info.code)}
    assert codigos("?cuatrimestre=1") == {str(informativa.code)}
    assert codigos("?tipo=SIN_INFORMACION") == {str(sin_info.code)}
    assert codigos("?estatus=EN_CAPTURA") == {str(informativa.code)}
    assert codigos("?anio=2025&estatus=EN_CAPTURA") == set()


def test_any_informativa_opens_read_only_from_the_consulta(
    cliente_contratista, trabajador, informativa, contrato
):
    html = _html(cliente_contratista.get(f"/informativas/{informativa.code}/"))

    assert contrato.folio in html
    assert f'<td data-trabajadores="{contrato.folio}">1</td>' in html
    assert "<form" not in html.split("Historial de cambios")[0].split('id="contenido"')[1].replace(
        'action="/cuenta/logout/"', ""
    )  # no capture form on the read-only view
    detalle = _html(cliente_contratista.get(f"/informativas/{informativa.code}/contratos/{contrato.code}/"))
    assert trabajador.nss in detalle


@pytest.mark.django_db
def test_the_informativa_and_its_capture_name_the_period_as_the_period_names_itself(cliente_contratista, informativa):
    """The heading of the informativa's page and of its capture: «Informativa Normal · Enero - Abril 2026»
    (``str(Periodo)``, written once)."""
    titulo = f"Informativa Normal · {informativa.periodo}"
    assert titulo == "Informativa Normal · Enero - Abril 2026"

    assert titulo in _html(cliente_contratista.get(reverse("informativas:detalle", args=[informativa.code])))
    captura = _html(cliente_contratista.get(f"/informativas/{informativa.code}/captura/resumen/"))
    assert re.search(r"Informativa Normal · Enero - Abril 2026\s+\(Primer cuatrimestre\)", captura)
