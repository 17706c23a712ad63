from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("informativas", "0006_contrato_num_trabajadores")]

    operations = [
        migrations.AddIndex(
            model_name="trabajador",
            index=models.Index(fields=["contrato", "created_at", "id"], name="trabajador_contrato_orden"),
        ),
    ]
