from django.apps import AppConfig


class ContratistasConfig(AppConfig):
    name = "contratistas"
    default_auto_field = "django.db.models.BigAutoField"
