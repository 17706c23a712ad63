"""Emails still to be sent that were queued before a pending email kept its secrets apart hold the token of
their link in both bodies and, in clear, in Correo.secretos: each is put apart here as correo_encolar now does
(a marker in the stored copy, the token encrypted with a key derived from SECRET_KEY)."""

from django.db import migrations


def apartar_secretos(apps, schema_editor):
    from core import cifrado
    from core.services import secretos_apartar

    Correo = apps.get_model("core", "Correo")
    for correo in Correo.objects.exclude(estatus="enviado").iterator(chunk_size=500):
        if not correo.secretos:
            continue
        correo.asunto, correo.cuerpo_texto, correo.cuerpo_html = secretos_apartar(
            textos=[correo.asunto, correo.cuerpo_texto, correo.cuerpo_html], secretos=correo.secretos
        )
        correo.secretos = [cifrado.cifrar(secreto) for secreto in correo.secretos]
        correo.save(update_fields=["asunto", "cuerpo_texto", "cuerpo_html", "secretos"])


class Migration(migrations.Migration):
    dependencies = [("core", "0004_correo_retirar_ligas_enviadas")]

    operations = [migrations.RunPython(apartar_secretos, migrations.RunPython.noop)]
