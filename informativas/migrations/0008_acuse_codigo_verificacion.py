"""Every acuse gets a random verification code (issue 13, finding 4); the acuses issued before get one too,
shown to their contratista in Acuses de presentación (their PDF, already issued, cannot change)."""

from django.db import migrations, models

import informativas.models


def dar_codigos(apps, schema_editor):
    Acuse = apps.get_model("informativas", "Acuse")
    for acuse in Acuse.objects.filter(codigo_verificacion__isnull=True).only("pk").iterator():
        Acuse.objects.filter(pk=acuse.pk).update(codigo_verificacion=informativas.models.codigo_verificacion_nuevo())


class Migration(migrations.Migration):
    dependencies = [("informativas", "0007_trabajador_indice_contrato_orden")]

    operations = [
        migrations.AddField(
            model_name="acuse",
            name="codigo_verificacion",
            field=models.CharField(max_length=20, null=True, editable=False, verbose_name="código de verificación"),
        ),
        migrations.RunPython(dar_codigos, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="acuse",
            name="codigo_verificacion",
            field=models.CharField(
                default=informativas.models.codigo_verificacion_nuevo,
                editable=False,
                max_length=20,
                unique=True,
                verbose_name="código de verificación",
            ),
        ),
        migrations.AddIndex(
            model_name="acuse",
            index=models.Index(fields=["pdf_sha256"], name="acuse_pdf_sha256"),
        ),
    ]
