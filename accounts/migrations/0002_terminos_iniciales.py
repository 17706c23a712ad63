from __future__ import annotations

from django.db import migrations

TEXTO = """TÉRMINOS Y CONDICIONES DE USO DEL SISTEMA ICSOE

1. El sistema Informativa de Contratos de Servicios u Obras Especializados (ICSOE) permite a las personas físicas y morales que prestan servicios especializados o ejecutan obras especializadas cumplir con la obligación de informar cuatrimestralmente al Instituto Mexicano del Seguro Social sobre los contratos celebrados, en términos del artículo 15 A, tercer párrafo, de la Ley del Seguro Social y de los Lineamientos publicados en el Diario Oficial de la Federación el 13 de abril de 2022.

2. El ingreso del contratista se realiza con su e.firma vigente emitida por el Servicio de Administración Tributaria. Tratándose de personas morales, se deberá utilizar la e.firma de la persona moral y no la de su representante legal. El resguardo de la llave privada y de su contraseña es responsabilidad exclusiva de su titular; el sistema no las conserva.

3. La información que se presente mediante el ICSOE se firma con la e.firma del contratista y se entiende manifestada bajo protesta de decir verdad. El acuse de presentación es el comprobante de la fecha y hora en que se presentó la informativa.

4. El contratista es responsable de las acciones que realicen los usuarios capturistas que dé de alta en el sistema, y puede dar de baja su relación con ellos en cualquier momento.

5. El correo electrónico registrado en el sistema será el medio por el cual el Instituto podrá enviar avisos relacionados con la informativa.

6. Los datos personales que se recaban se tratan conforme a la Ley General de Protección de Datos Personales en Posesión de Sujetos Obligados y al aviso de privacidad del Instituto.
"""


def crear_terminos(apps, schema_editor):
    TerminosCondiciones = apps.get_model("accounts", "TerminosCondiciones")
    from django.utils import timezone

    TerminosCondiciones.objects.get_or_create(
        version="1.0", defaults={"texto": TEXTO, "vigente_desde": timezone.now(), "activo": True}
    )


class Migration(migrations.Migration):
    dependencies = [("accounts", "0001_initial")]

    operations = [migrations.RunPython(crear_terminos, migrations.RunPython.noop)]
