import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('contratistas', '0005_repse_fecha_registro'),
        ('recordatorios', '0001_initial'),
    ]

    operations = [
        migrations.CreateModel(
            name='RecordatorioRepse',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='creado')),
                ('updated_at', models.DateTimeField(auto_now=True, verbose_name='actualizado')),
                ('vence', models.DateField(verbose_name='vencimiento del registro REPSE')),
                ('tipo', models.CharField(choices=[('D90', '90 días antes del vencimiento del REPSE'), ('D60', '60 días antes del vencimiento del REPSE'), ('D30', '30 días antes del vencimiento del REPSE'), ('D7', '7 días antes del vencimiento del REPSE'), ('VENCIDO', 'El día siguiente al vencimiento del REPSE')], max_length=8, verbose_name='recordatorio')),
                ('hoy', models.DateField(verbose_name='fecha en que se envió')),
                ('destinatarios', models.JSONField(blank=True, default=list, verbose_name='destinatarios')),
                ('contratista', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='recordatorios_repse', to='contratistas.contratista')),
            ],
            options={
                'verbose_name': 'recordatorio REPSE enviado',
                'verbose_name_plural': 'recordatorios REPSE enviados',
                'ordering': ['-created_at'],
                'constraints': [models.UniqueConstraint(fields=('contratista', 'vence', 'tipo'), name='recordatorio_repse_una_vez')],
            },
        ),
    ]
