"""The admin shows a stored file (an acuse's PDF, a carga's file, an email's attachment) as a link to its
URL under MEDIA_URL: that link downloads the file for staff who may view the record holding it, and answers
404 to everyone else (the make run crawl found it answering 404 to staff: a broken link)."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.models import Permission
from django.core.files.base import ContentFile

from accounts.models import User
from core.models import Correo

pytestmark = pytest.mark.django_db


@pytest.fixture
def correo(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    correo = Correo(
        para="a@example.com",
        remitente="b@example.com",
        asunto="Acuse",
        cuerpo_texto="Hola",
        plantilla="prueba",
    )
    correo.adjunto.save("acuse.pdf", ContentFile(b"%PDF-1.7 acuse de prueba"), save=False)
    correo.save()
    return correo


def _liga_del_admin(client, correo) -> str:
    pagina = client.get(f"/admin/core/correo/{correo.pk}/change/").content.decode()
    return re.search(r'href="(/sin-acceso-publico/[^"]+)"', pagina).group(1)


def test_staff_who_may_view_the_record_downloads_the_file_the_admin_links(client, staff, correo):
    client.force_login(staff)
    liga = _liga_del_admin(client, correo)

    respuesta = client.get(liga)

    assert respuesta.status_code == 200
    assert b"".join(respuesta.streaming_content) == b"%PDF-1.7 acuse de prueba"
    assert respuesta["Content-Disposition"].startswith("attachment")  # never rendered on the portal's origin
    assert respuesta["X-Content-Type-Options"] == "nosniff"


def test_staff_without_the_view_permission_and_other_users_get_a_404(client, staff, contratista, correo):
    client.force_login(staff)
    liga = _liga_del_admin(client, correo)
    limitado = User.objects.create_user(username="limitado", password="x", rol=User.Rol.STAFF, is_staff=True)
    limitado.user_permissions.add(Permission.objects.get(codename="view_bitacora"))

    for usuario in (limitado, contratista.usuario):
        client.force_login(usuario)
        assert client.get(liga).status_code == 404
    client.logout()
    assert client.get(liga).status_code == 404
    client.force_login(staff)
    assert client.get("/sin-acceso-publico/../../etc/passwd").status_code == 404
    assert client.get("/sin-acceso-publico/correo-adjuntos/no-existe.pdf").status_code == 404
