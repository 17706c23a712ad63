from django.apps import AppConfig
from django.core import checks


def cas_de_prueba_desconfiadas(app_configs, **kwargs):
    """`check --deploy`: with ICSOE_TRUST_TEST_CAS the SAT's test CAs and the local demo CA are trusted. The SAT's
    test e.firma files and passwords are public, and the demo CA's key lies on the server's disk: with either, an
    e.firma of any RFC logs in and signs."""
    from django.conf import settings

    if settings.ICSOE_TRUST_TEST_CAS:
        return [
            checks.Error(
                "ICSOE_TRUST_TEST_CAS está activo: el portal confía en las autoridades certificadoras de prueba "
                "(las del SAT y la de demostración).",
                hint="Quita ICSOE_TRUST_TEST_CAS del entorno de producción (o ponlo en false).",
                id="firma.E001",
            )
        ]
    return []


class FirmaConfig(AppConfig):
    name = "firma"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        checks.register(cas_de_prueba_desconfiadas, checks.Tags.security, deploy=True)
