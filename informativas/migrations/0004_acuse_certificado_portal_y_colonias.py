"""Acuses keep the portal certificate that sealed them (key rotation) and the SEPOMEX text of their colonias as
it was at signing (catalog re-imports). Acuses issued before get both from what is there now: the current
portal certificate when its número is the one printed on the acuse, and the catalog as it stands (the text
their signed content was built from, unless the catalog already changed, in which case they failed before)."""

from pathlib import Path

from django.conf import settings
from django.db import migrations, models


def _colonias(apps, acuse):
    Contrato = apps.get_model("informativas", "Contrato")
    Domicilio = apps.get_model("contratistas", "Domicilio")
    informativa = acuse.informativa
    ids = {informativa.domicilio_convencional_id}
    for social, convencional in Contrato.objects.filter(informativa_id=informativa.pk).values_list(
        "domicilio_social_id", "domicilio_convencional_id"
    ):
        ids |= {social, convencional}
    domicilios = Domicilio.objects.filter(pk__in=[i for i in ids if i]).select_related("asentamiento__codigo_postal")
    return {
        str(d.asentamiento_id): {"codigo_postal": d.asentamiento.codigo_postal.codigo, "colonia": d.asentamiento.nombre}
        for d in domicilios
    }


def _certificado_portal_actual():
    from firma import sat

    try:
        return sat.cargar_certificado(Path(settings.ICSOE_SIGNING_CERT).read_bytes())
    except (OSError, sat.EfirmaError):
        return None


def llenar(apps, schema_editor):
    Acuse = apps.get_model("informativas", "Acuse")
    acuses = Acuse.objects.select_related("informativa")
    if not acuses.exists():
        return
    portal = _certificado_portal_actual()
    for acuse in acuses.iterator():
        acuse.colonias = _colonias(apps, acuse)
        campos = ["colonias"]
        if portal is not None and portal.numero_certificado == acuse.portal_numero_certificado:
            acuse.portal_certificado = portal.der
            campos.append("portal_certificado")
        acuse.save(update_fields=campos)


class Migration(migrations.Migration):
    dependencies = [
        ("contratistas", "0001_initial"),
        ("informativas", "0003_trabajador_sin_indice_contrato"),
    ]

    operations = [
        migrations.AddField(
            model_name="acuse",
            name="colonias",
            field=models.JSONField(blank=True, default=dict, verbose_name="colonias al firmar (SEPOMEX)"),
        ),
        migrations.AddField(
            model_name="acuse",
            name="portal_certificado",
            field=models.BinaryField(blank=True, default=b"", verbose_name="certificado del sello del portal (DER)"),
        ),
        migrations.RunPython(llenar, migrations.RunPython.noop),
    ]
