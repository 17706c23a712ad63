"""Alta de usuarios: Validar the CURP against the registry, Guardar, and the activation email."""

from __future__ import annotations

import pytest
from stdnum.mx import curp as stdnum_curp

from accounts.models import User
from capturistas.models import Liga, Relacion
from core.models import Bitacora, Correo
from tests.capturistas.conftest import dar_de_alta

pytestmark = pytest.mark.django_db


def _datos(persona, **cambios):
    datos = {
        "curp": persona.curp,
        "rol": "capturista",
        "telefono": "55 1234 5678",
        "correo": "maria@example.com",
        "confirmar_correo": "maria@example.com",
    }
    return {**datos, **cambios}


def _curp_con_digito_erroneo(curp: str) -> str:
    correcto = stdnum_curp.calc_check_digit(curp)
    return curp[:-1] + str((int(correcto) + 1) % 10)


def test_the_alta_page_shows_the_guide_labels(como_contratista):
    html = como_contratista.get("/usuarios/alta/").content.decode()

    textos = (
        "Alta de Usuario", "CURP*:", "Validar", "Rol asignado*:", "Teléfono*:", "Correo electrónico*:",
        "Confirmar correo electrónico*:", "Regresar", "Limpiar", "Guardar", "*Campos obligatorios",
    )
    for texto in textos:
        assert texto in html


def test_validar_shows_the_name_from_the_registry_and_keeps_what_was_typed(como_contratista, maria):
    respuesta = como_contratista.post(
        "/usuarios/alta/validar/", _datos(maria, curp=maria.curp.lower(), telefono="5598765432")
    )

    html = respuesta.content.decode()
    assert respuesta.status_code == 200
    assert 'value="MARÍA FERNANDA"' in html
    assert 'value="LÓPEZ"' in html
    assert 'value="HERNÁNDEZ"' in html
    assert 'value="5598765432"' in html
    assert 'value="maria@example.com"' in html
    assert "<html" in html  # without JavaScript the whole page comes back
    assert not Relacion.objects.exists()


def test_validar_through_htmx_answers_only_the_curp_fragment(como_contratista, maria):
    respuesta = como_contratista.post("/usuarios/alta/validar/", {"curp": maria.curp}, HTTP_HX_REQUEST="true")

    html = respuesta.content.decode()
    assert html.lstrip().startswith('<div id="datos-curp"')
    assert "MARÍA FERNANDA" in html
    assert "<html" not in html


def test_validar_says_when_the_curp_is_not_in_the_registry(como_contratista):
    respuesta = como_contratista.post("/usuarios/alta/validar/", {"curp": "MARA850722MNLRZL04"})

    assert "La CURP no se encuentra en el registro de población (RENAPO)." in respuesta.content.decode()


def test_validar_says_when_the_check_digit_is_wrong(como_contratista, maria):
    curp = _curp_con_digito_erroneo(maria.curp)

    respuesta = como_contratista.post("/usuarios/alta/validar/", {"curp": curp})

    assert "El dígito verificador de la CURP no es válido." in respuesta.content.decode()


def test_guardar_registers_the_capturista_and_queues_the_activation_link(
    como_contratista, contratista, maria, settings
):
    settings.ICSOE_BASE_URL = "https://icsoe.example.mx"

    respuesta = como_contratista.post("/usuarios/alta/", _datos(maria), follow=True)

    assert "El usuario se guardó exitosamente" in respuesta.content.decode()
    usuario = User.objects.get(username=maria.curp)
    assert usuario.rol == User.Rol.CAPTURISTA
    assert usuario.curp == maria.curp
    assert usuario.nombre_completo == "MARÍA FERNANDA LÓPEZ HERNÁNDEZ"
    assert usuario.email == "maria@example.com"
    assert not usuario.has_usable_password()
    relacion = Relacion.objects.get(contratista=contratista, capturista=usuario)
    assert relacion.estatus == Relacion.Estatus.REGISTRADA
    assert relacion.telefono == "5512345678"
    nombre = (relacion.nombres, relacion.primer_apellido, relacion.segundo_apellido)
    assert nombre == ("MARÍA FERNANDA", "LÓPEZ", "HERNÁNDEZ")
    assert relacion.usuario_alta == contratista.usuario
    correo = Correo.objects.get(para="maria@example.com")
    assert correo.remitente == "icsoe@imss.gob.mx"
    assert correo.plantilla == "capturista_activacion"
    assert contratista.razon_social in correo.cuerpo_texto
    assert "https://icsoe.example.mx/usuarios/contrasena/" in correo.cuerpo_texto
    assert "24 horas" in correo.cuerpo_texto
    liga = Liga.objects.get(usuario=usuario)
    assert liga.tipo == Liga.Tipo.ACTIVACION
    assert liga.token_hash not in correo.cuerpo_texto  # only the hash is stored, never the token
    assert Bitacora.objects.filter(accion="capturistas.relacion.alta", objeto_id=str(relacion.pk)).exists()


@pytest.mark.parametrize(
    ("cambios", "campo", "mensaje"),
    [
        ({"confirmar_correo": "maria@ejemplo.com"}, "confirmar_correo", "Los correos electrónicos no coinciden"),
        ({"telefono": "12345"}, "telefono", "El teléfono debe tener 10 dígitos."),
        ({"curp": "MARA850722MNLRZL04"}, "curp", "La CURP no se encuentra en el registro de población"),
        ({"curp": "LOHF900514"}, "curp", "La CURP debe tener 18 caracteres."),
        ({"correo": "no-es", "confirmar_correo": "no-es"}, "correo", "Escribe un correo electrónico válido en «Correo electrónico»."),
        ({"telefono": ""}, "telefono", "El campo «Teléfono» es obligatorio."),
    ],
)
def test_guardar_refuses_bad_data_with_a_spanish_message_and_keeps_the_rest(
    como_contratista, maria, cambios, campo, mensaje
):
    datos = _datos(maria, **cambios)

    respuesta = como_contratista.post("/usuarios/alta/", datos)

    html = respuesta.content.decode()
    assert respuesta.status_code == 200
    assert mensaje in html
    for nombre, valor in datos.items():
        if nombre != "rol" and valor:
            assert f'value="{valor}"' in html
    assert not Relacion.objects.exists()
    assert not Correo.objects.exists()


def test_guardar_refuses_a_curp_with_a_bad_check_digit(como_contratista, maria):
    datos = _datos(maria, curp=_curp_con_digito_erroneo(maria.curp))

    respuesta = como_contratista.post("/usuarios/alta/", datos)

    assert "El dígito verificador de la CURP no es válido." in respuesta.content.decode()
    assert not User.objects.filter(rol=User.Rol.CAPTURISTA).exists()


def test_the_same_contratista_cannot_add_the_same_curp_twice(como_contratista, contratista, maria):
    dar_de_alta(contratista, maria)

    datos = _datos(maria, correo="otro@example.com", confirmar_correo="otro@example.com")

    respuesta = como_contratista.post("/usuarios/alta/", datos)

    html = respuesta.content.decode()
    assert "Este usuario ya está registrado como capturista de este contratista." in html
    assert 'value="otro@example.com"' in html
    assert Relacion.objects.filter(contratista=contratista).count() == 1


def test_a_capturista_of_another_contratista_is_related_not_duplicated(contratista, otro_contratista, maria):
    primera = dar_de_alta(contratista, maria, correo="maria@example.com")

    segunda = dar_de_alta(otro_contratista, maria, correo="maria.otra@example.com")

    assert segunda.capturista == primera.capturista
    assert User.objects.filter(curp=maria.curp).count() == 1
    assert segunda.estatus == Relacion.Estatus.REGISTRADA
    assert segunda.correo == "maria.otra@example.com"
    # The password link goes to the account's own address, never to one typed by a later contratista.
    abierta = Liga.objects.get(usuario=primera.capturista, invalidada_at__isnull=True)
    assert abierta.para == "maria@example.com"


def test_a_person_who_already_has_a_password_starts_activa_with_a_notice_and_no_link(
    contratista, otro_contratista, capturista
):
    from accounts.models import PersonaRenapo

    PersonaRenapo.objects.create(
        curp=capturista.curp, nombres="ERNESTO", primer_apellido="GÓMEZ", segundo_apellido="DÍAZ"
    )

    relacion = dar_de_alta(otro_contratista, capturista, correo="ernesto.otro@example.com")

    assert relacion.capturista == capturista
    assert relacion.estatus == Relacion.Estatus.ACTIVA
    aviso = Correo.objects.get(plantilla="capturista_relacion")
    assert aviso.para == capturista.email
    assert otro_contratista.razon_social in aviso.asunto
    assert "/usuarios/contrasena/" not in aviso.cuerpo_texto
    assert not Liga.objects.filter(usuario=capturista).exists()


def test_a_capturista_cannot_open_the_alta(client, capturista):
    client.force_login(capturista)

    assert client.get("/usuarios/alta/").status_code == 403
    assert client.post("/usuarios/alta/validar/", {"curp": capturista.curp}).status_code == 403


def test_anonymous_users_are_sent_to_the_login(client):
    respuesta = client.get("/usuarios/alta/")

    assert respuesta.status_code == 302
    assert respuesta["Location"].startswith("/acceso/")



def test_altas_are_rate_limited_per_contratista_and_keep_what_was_typed(como_contratista, maria, monkeypatch):
    from capturistas import views

    monkeypatch.setattr(views, "LIMITE_INVITACIONES_HORA", 0)

    respuesta = como_contratista.post("/usuarios/alta/", _datos(maria))

    assert respuesta.status_code == 429
    assert "Hiciste demasiadas solicitudes en poco tiempo." in respuesta.content.decode()
    assert 'value="maria@example.com"' in respuesta.content.decode()
    assert not Relacion.objects.exists()
