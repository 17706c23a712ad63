from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('contratistas', '0004_recordatorios'),
    ]

    operations = [
        migrations.AddField(
            model_name='contratista',
            name='repse_fecha_registro',
            field=models.DateField(blank=True, null=True, verbose_name='fecha de registro o última renovación REPSE'),
        ),
    ]
