"""Complementarias: one filing in force per period, and a contract keeps its folio across them.

- A filing cancelled by a Sin efectos gets its own state, "Dejada sin efectos" (it was marked Sustituida):
  the data step moves the origen of every presented Sin efectos from SUSTITUIDA to SIN_EFECTOS.
- At most one filing in force per contratista and period (a partial unique index).
- ``Contrato.folio`` is unique within one informativa, no longer across all of them.
"""

from django.conf import settings
from django.db import migrations, models


def dejadas_sin_efectos(apps, schema_editor):
    Informativa = apps.get_model("informativas", "Informativa")
    origenes = Informativa.objects.filter(
        tipo="SIN_EFECTOS", estatus="PRESENTADA", informativa_origen__isnull=False
    ).values("informativa_origen_id")
    Informativa.objects.filter(pk__in=origenes, estatus="SUSTITUIDA").update(estatus="SIN_EFECTOS")


def sustituidas(apps, schema_editor):
    Informativa = apps.get_model("informativas", "Informativa")
    Informativa.objects.filter(estatus="SIN_EFECTOS").update(estatus="SUSTITUIDA")


class Migration(migrations.Migration):

    dependencies = [
        ('contratistas', '0003_validadores_datos_generales'),
        ('informativas', '0012_registro_repse_formato'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name='informativa',
            name='informativa_unica_por_periodo',
        ),
        migrations.AlterField(
            model_name='contrato',
            name='folio',
            field=models.CharField(db_index=True, max_length=20, verbose_name='folio del contrato'),
        ),
        migrations.AlterField(
            model_name='informativa',
            name='estatus',
            field=models.CharField(choices=[('EN_CAPTURA', 'En captura'), ('PENDIENTE_FIRMA', 'Pendiente de firma'), ('PRESENTADA', 'Presentada'), ('SUSTITUIDA', 'Sustituida'), ('SIN_EFECTOS', 'Dejada sin efectos')], db_index=True, default='EN_CAPTURA', max_length=16, verbose_name='estatus'),
        ),
        migrations.RunPython(dejadas_sin_efectos, sustituidas, elidable=False),
        migrations.AddConstraint(
            model_name='contrato',
            constraint=models.UniqueConstraint(fields=('informativa', 'folio'), name='contrato_folio_unico_por_informativa', violation_error_message='El folio del contrato ya existe en esta informativa.'),
        ),
        migrations.AddConstraint(
            model_name='informativa',
            constraint=models.UniqueConstraint(condition=models.Q(('tipo__in', ['NORMAL', 'SIN_INFORMACION']), models.Q(('estatus__in', ['SUSTITUIDA', 'SIN_EFECTOS']), _negated=True)), fields=('contratista', 'anio', 'cuatrimestre'), name='informativa_unica_por_periodo', violation_error_message='Ya existe una informativa Normal o Sin información para ese periodo.'),
        ),
        migrations.AddConstraint(
            model_name='informativa',
            constraint=models.UniqueConstraint(condition=models.Q(('estatus', 'PRESENTADA'), models.Q(('tipo', 'SIN_EFECTOS'), _negated=True)), fields=('contratista', 'anio', 'cuatrimestre'), name='informativa_vigente_unica_por_periodo', violation_error_message='El periodo ya tiene una informativa vigente.'),
        ),
    ]
