"""Emails sent before Correo.secretos existed still hold their password-link tokens in the outbox: the tokens
are taken out of the sent ones here, as correo_enviar now does at sending (pending ones keep them: they still
have to go out)."""

import re

from django.db import migrations

LIGA = re.compile(r"(/usuarios/contrasena/)[\w-]+(/)")
RETIRADO = r"\1[retirado-tras-el-envio]\2"
PLANTILLAS = ("capturista_activacion", "capturista_recuperacion")


def retirar_ligas(apps, schema_editor):
    Correo = apps.get_model("core", "Correo")
    enviados = Correo.objects.filter(estatus="enviado", plantilla__in=PLANTILLAS)
    for correo in enviados.only("pk", "cuerpo_texto", "cuerpo_html").iterator(chunk_size=500):
        texto, html = LIGA.sub(RETIRADO, correo.cuerpo_texto), LIGA.sub(RETIRADO, correo.cuerpo_html)
        if (texto, html) != (correo.cuerpo_texto, correo.cuerpo_html):
            Correo.objects.filter(pk=correo.pk).update(cuerpo_texto=texto, cuerpo_html=html)


class Migration(migrations.Migration):
    dependencies = [("core", "0003_correo_secretos")]

    operations = [migrations.RunPython(retirar_ligas, migrations.RunPython.noop)]
