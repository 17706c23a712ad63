from django.apps import AppConfig
from django.core import checks


def reloj_prueba_apagado(app_configs, **kwargs):
    """`check --deploy`: the test clock may move "today" for every process; production never has it on."""
    from django.conf import settings

    if settings.ICSOE_RELOJ_PRUEBA:
        return [
            checks.Error(
                "ICSOE_RELOJ_PRUEBA está activo: la fecha de hoy podría venir del reloj de prueba.",
                hint="Quita ICSOE_RELOJ_PRUEBA del entorno de producción.",
                id="plazos.E001",
            )
        ]
    return []


class PlazosConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "plazos"
    verbose_name = "Plazos y días inhábiles"

    def ready(self) -> None:
        checks.register(reloj_prueba_apagado, checks.Tags.security, deploy=True)
