"""Link tokens are never readable in the outbox: a pending email keeps its token encrypted apart from its
bodies (security review 2, finding 7), a sent one keeps none (security review, finding 6); and the dev mailbox
answers only with DEBUG on and only to a client on this machine."""

from __future__ import annotations

import re
import socket

import pytest
from django.test import Client

from accounts.models import User
from capturistas.models import Relacion
from capturistas.services import capturista_reenviar_liga, contrasena_solicitar_recuperacion
from core.models import Correo
from core.services import SECRETO_RETIRADO, correo_enviar, marcador_secreto

pytestmark = pytest.mark.django_db

LIGA = re.compile(r"https?://[^/\s]+(/usuarios/contrasena/([\w-]+)/)")


def _pedir_liga(capturista) -> Correo:
    contrasena_solicitar_recuperacion(curp=capturista.curp, correo=capturista.email)
    return Correo.objects.get(para=capturista.email)


# ----------------------------------------------------------------------------------------------------------
# The outbox keeps no usable token once the email is out
# ----------------------------------------------------------------------------------------------------------
def test_a_sent_emails_stored_copy_holds_no_usable_link(settings, capturista, mailoutbox, client):
    settings.ICSOE_DEV_MAILBOX = False  # production
    correo = _pedir_liga(capturista)
    # Pending: the link's place holds a marker, the token waits encrypted beside it
    assert f"/usuarios/contrasena/{marcador_secreto(0)}/" in correo.cuerpo_texto
    assert f"/usuarios/contrasena/{marcador_secreto(0)}/" in correo.cuerpo_html
    assert len(correo.secretos) == 1

    assert correo_enviar(correo_id=correo.pk)

    # What went out carries the working link...
    enviado = mailoutbox[0]
    token = LIGA.search(enviado.body).group(2)
    assert token in enviado.alternatives[0][0] and token not in correo.secretos[0]
    # ...the stored copy keeps its wording, not the token.
    correo.refresh_from_db()
    assert correo.estatus == Correo.Estatus.ENVIADO
    assert token not in correo.cuerpo_texto and token not in correo.cuerpo_html
    assert f"/usuarios/contrasena/{SECRETO_RETIRADO}/" in correo.cuerpo_texto
    assert f"/usuarios/contrasena/{SECRETO_RETIRADO}/" in correo.cuerpo_html
    assert correo.secretos == []
    assert "24 horas" in correo.cuerpo_texto
    assert not Correo.objects.filter(cuerpo_texto__contains=token).exists()

    # Someone reading the stored copy (admin, a backup) gets the "liga no válida" page...
    copia = LIGA.search(correo.cuerpo_texto)
    assert copia is None or client.get(copia.group(1)).status_code == 410
    assert client.get(f"/usuarios/contrasena/{SECRETO_RETIRADO}/").status_code == 410
    # ...while the capturista's own link still works.
    assert client.get(f"/usuarios/contrasena/{token}/").status_code == 200


def test_sending_again_changes_nothing(settings, capturista, mailoutbox):
    settings.ICSOE_DEV_MAILBOX = False
    correo = _pedir_liga(capturista)
    assert correo_enviar(correo_id=correo.pk)
    assert not correo_enviar(correo_id=correo.pk)
    assert len(mailoutbox) == 1


def test_with_the_dev_mailbox_on_the_link_stays_so_make_run_shows_it_working(settings, capturista, mailoutbox):
    settings.ICSOE_DEV_MAILBOX = True
    correo = _pedir_liga(capturista)

    correo_enviar(correo_id=correo.pk)

    token = LIGA.search(mailoutbox[0].body).group(2)
    correo.refresh_from_db()
    assert correo.estatus == Correo.Estatus.ENVIADO
    assert token in correo.cuerpo_texto and token in correo.cuerpo_html and correo.secretos == []


def test_emails_without_secrets_are_stored_as_sent(settings, mailoutbox):
    from core.services import correo_encolar

    settings.ICSOE_DEV_MAILBOX = False
    correo = correo_encolar(para="x@example.com", plantilla="prueba", contexto={"mensaje": "https://liga.example/"})
    correo_enviar(correo_id=correo.pk)
    correo.refresh_from_db()
    assert "https://liga.example/" in correo.cuerpo_texto and correo.secretos == []


def test_the_admin_does_not_show_the_pending_tokens(settings, capturista, staff):
    settings.ICSOE_DEV_MAILBOX = False
    correo = _pedir_liga(capturista)
    cliente = Client()
    cliente.force_login(staff)
    html = cliente.get(f"/admin/core/correo/{correo.pk}/change/").content.decode()
    assert "secretos" not in html and "retirados tras el envío" not in html


# ----------------------------------------------------------------------------------------------------------
# A pending email keeps no usable token either (security review 2, finding 7): staff reading the outbox while
# SMTP is down cannot set a capturista's password
# ----------------------------------------------------------------------------------------------------------
NUEVA = "Tortuga-Azul-2026"


@pytest.fixture
def smtp_caido():
    """A port held and not listening: every connection to it is refused, as long as the test runs."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        yield s.getsockname()[1]


def _activacion(contratista) -> tuple[User, Correo]:
    """A capturista given of alta without a password: its activation email (Enviar email again)."""
    usuario = User.objects.create_user(
        username="MAGR800101MDFRRS09", password=None, rol=User.Rol.CAPTURISTA, curp="MAGR800101MDFRRS09",
        nombre_completo="MARÍA GARCÍA RUIZ", email="maria@example.com",
    )
    relacion = Relacion.objects.create(
        contratista=contratista, capturista=usuario, estatus=Relacion.Estatus.REGISTRADA, telefono="5512345678",
        correo=usuario.email, usuario_alta=contratista.usuario,
    )
    capturista_reenviar_liga(relacion=relacion, usuario=contratista.usuario)
    return usuario, Correo.objects.get(para=usuario.email)


@pytest.mark.parametrize("tipo", ["activacion", "recuperacion"])
def test_with_smtp_down_staff_see_no_working_link_and_the_email_sent_later_has_one(
    settings, tipo, contratista, capturista, staff, mailoutbox, smtp_caido
):
    settings.ICSOE_DEV_MAILBOX = False  # production
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", smtp_caido, 2
    usuario, correo = _activacion(contratista) if tipo == "activacion" else (capturista, _pedir_liga(capturista))

    with pytest.raises(OSError):
        correo_enviar(correo_id=correo.pk)

    correo.refresh_from_db()
    assert correo.estatus == Correo.Estatus.PENDIENTE and correo.intentos == 1
    staff_cliente = Client()
    staff_cliente.force_login(staff)
    lista = staff_cliente.get("/admin/core/correo/")
    detalle = staff_cliente.get(f"/admin/core/correo/{correo.pk}/change/")
    assert lista.status_code == detalle.status_code == 200
    assert correo.asunto in detalle.content.decode()
    visto = [str(getattr(correo, campo.attname)) for campo in Correo._meta.concrete_fields]
    visto += [lista.content.decode(), detalle.content.decode()]

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"  # SMTP is back
    assert correo_enviar(correo_id=correo.pk)

    (enviado,) = mailoutbox
    ruta, token = LIGA.search(enviado.body).groups()
    assert token in enviado.alternatives[0][0]
    # Nothing staff could read while it waited holds the token; what looks like a link there leads nowhere.
    assert all(token not in texto for texto in visto)
    anonimo = Client()
    for texto in visto:
        for liga in LIGA.finditer(texto):
            assert anonimo.get(liga.group(1)).status_code == 410
    # The recipient's link works: it sets the password, and the capturista logs in with it.
    assert anonimo.get(ruta).status_code == 200
    guardado = anonimo.post(ruta, {"contrasena": NUEVA, "confirmar_contrasena": NUEVA})
    assert guardado.status_code == 302
    entrada = Client()
    assert entrada.post("/acceso/", {"login": usuario.curp, "password": NUEVA}).status_code == 302
    assert entrada.session["_auth_user_id"] == str(usuario.pk)


# ----------------------------------------------------------------------------------------------------------
# The dev mailbox: DEBUG on and a loopback client, or it does not exist
# ----------------------------------------------------------------------------------------------------------
@pytest.fixture
def correo_prueba(db):
    from core.services import correo_encolar

    return correo_encolar(para="x@example.com", plantilla="prueba", contexto={"mensaje": "https://liga.example/"})


def _visitar(correo, **meta) -> tuple[int, int]:
    cliente = Client()
    lista = cliente.get("/dev/correo/", **meta)
    detalle = cliente.get(f"/dev/correo/{correo.code}/", **meta)
    return lista.status_code, detalle.status_code


@pytest.mark.parametrize("direccion", ["127.0.0.1", "127.0.0.53", "::1"])
def test_with_debug_on_a_loopback_client_sees_the_mailbox(settings, correo_prueba, direccion):
    settings.DEBUG = True
    assert _visitar(correo_prueba, REMOTE_ADDR=direccion) == (200, 200)
    inicio = Client().get("/", REMOTE_ADDR=direccion).content.decode()
    assert "Buzón de desarrollo" in inicio


def test_with_debug_off_the_mailbox_does_not_exist_even_for_loopback(settings, correo_prueba):
    settings.DEBUG = False
    settings.ICSOE_DEV_MAILBOX = True
    assert _visitar(correo_prueba, REMOTE_ADDR="127.0.0.1") == (404, 404)
    assert "Buzón de desarrollo" not in Client().get("/").content.decode()


@pytest.mark.parametrize(
    "meta",
    [
        {"REMOTE_ADDR": "203.0.113.7"},
        {"REMOTE_ADDR": "192.168.1.20"},
        {"REMOTE_ADDR": "::ffff:203.0.113.7"},
        {"REMOTE_ADDR": ""},
        # A proxy on this machine forwarding an outside client
        {"REMOTE_ADDR": "127.0.0.1", "HTTP_X_FORWARDED_FOR": "203.0.113.7"},
        {"REMOTE_ADDR": "127.0.0.1", "HTTP_X_FORWARDED_FOR": "127.0.0.1, 203.0.113.7"},
        {"REMOTE_ADDR": "127.0.0.1", "HTTP_X_REAL_IP": "203.0.113.7"},
        {"REMOTE_ADDR": "127.0.0.1", "HTTP_X_FORWARDED_FOR": "no-es-una-ip"},
    ],
)
def test_with_debug_on_any_other_client_gets_404(settings, correo_prueba, meta):
    settings.DEBUG = True
    assert _visitar(correo_prueba, **meta) == (404, 404)
    assert "Buzón de desarrollo" not in Client().get("/", **meta).content.decode()


def test_the_migration_takes_the_tokens_out_of_emails_sent_before(settings, capturista, mailoutbox):
    """Rows sent before the outbox knew its secrets: the data migration strips their link tokens."""
    import importlib

    from django.apps import apps

    migracion = importlib.import_module("core.migrations.0004_correo_retirar_ligas_enviadas")
    settings.ICSOE_DEV_MAILBOX = True  # sent the old way: the token stays in the row
    enviado = _pedir_liga(capturista)
    correo_enviar(correo_id=enviado.pk)
    token = LIGA.search(Correo.objects.get(pk=enviado.pk).cuerpo_texto).group(2)
    Correo.objects.filter(pk=enviado.pk).update(secretos=[])
    pendiente = Correo.objects.create(
        para="otra@example.com", remitente="icsoe@imss.gob.mx", asunto="Liga", plantilla="capturista_activacion",
        cuerpo_texto="https://x.example/usuarios/contrasena/PENDIENTE123/",
    )

    migracion.retirar_ligas(apps, None)

    enviado.refresh_from_db()
    pendiente.refresh_from_db()
    assert token not in enviado.cuerpo_texto and token not in enviado.cuerpo_html
    assert f"/usuarios/contrasena/{SECRETO_RETIRADO}/" in enviado.cuerpo_texto
    assert "PENDIENTE123" in pendiente.cuerpo_texto  # still to be sent: untouched


def test_the_migration_puts_apart_the_tokens_of_emails_queued_before(settings, capturista, mailoutbox):
    """A row queued the old way (token in both bodies and in clear in secretos) is stored as a new one is, and
    still goes out with its working link."""
    import importlib

    from django.apps import apps

    migracion = importlib.import_module("core.migrations.0005_correo_apartar_secretos_pendientes")
    settings.ICSOE_DEV_MAILBOX = False
    viejo = Correo.objects.create(
        para=capturista.email, remitente="icsoe@imss.gob.mx", asunto="Crea tu contraseña",
        plantilla="capturista_recuperacion", secretos=["TOKEN-viejo_123"],
        cuerpo_texto="Entra a https://x.example/usuarios/contrasena/TOKEN-viejo_123/",
        cuerpo_html='<a href="https://x.example/usuarios/contrasena/TOKEN-viejo_123/">liga</a>',
    )

    migracion.apartar_secretos(apps, None)

    viejo.refresh_from_db()
    assert all("TOKEN-viejo_123" not in str(getattr(viejo, c.attname)) for c in Correo._meta.concrete_fields)
    assert correo_enviar(correo_id=viejo.pk)
    assert "/usuarios/contrasena/TOKEN-viejo_123/" in mailoutbox[0].body
    assert "/usuarios/contrasena/TOKEN-viejo_123/" in mailoutbox[0].alternatives[0][0]


def test_a_pending_email_whose_token_no_key_reads_fails_once_and_is_not_swept_again(settings, capturista, mailoutbox):
    """SECRET_KEY rotated with the email still pending: it cannot go out with a working link, so it goes out never,
    says why, and the periodic sweep leaves it (the capturista asks for a new link)."""
    import datetime

    from django.utils import timezone

    from core.services import correos_programar_pendientes

    correo = _pedir_liga(capturista)
    settings.SECRET_KEY = "otra-clave-tras-rotarla-" + "x" * 40

    assert not correo_enviar(correo_id=correo.pk)

    correo.refresh_from_db()
    assert mailoutbox == []
    assert correo.estatus == Correo.Estatus.FALLIDO and correo.secretos == []
    assert "SECRET_KEY" in correo.ultimo_error
    assert correo.pk not in correos_programar_pendientes(inactivos_desde=timezone.now() + datetime.timedelta(days=1))
