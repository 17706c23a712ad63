from django.db import migrations, models
from django.db.models import Count, IntegerField, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce


def contar(apps, schema_editor):
    """Fills each existing contrato's stored count of trabajadores, counted once."""
    Contrato = apps.get_model("informativas", "Contrato")
    Trabajador = apps.get_model("informativas", "Trabajador")
    por_contrato = (
        Trabajador.objects.filter(contrato=OuterRef("pk")).order_by().values("contrato").annotate(n=Count("pk"))
    )
    Contrato.objects.update(
        num_trabajadores=Coalesce(Subquery(por_contrato.values("n"), output_field=IntegerField()), Value(0))
    )


class Migration(migrations.Migration):
    dependencies = [
        ("informativas", "0005_informativa_totales"),
    ]

    operations = [
        migrations.AddField(
            model_name="contrato",
            name="num_trabajadores",
            field=models.PositiveIntegerField(default=0, editable=False, verbose_name="trabajadores"),
        ),
        migrations.RunPython(contar, migrations.RunPython.noop),
    ]
